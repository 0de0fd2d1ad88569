// The gallery server: routes of DESIGN.md §5 over cpp-httplib. Pages and /api/ share one view model
// per page (views.h); images are in media.cc.
#include "kho/webui/server.h"

#include <sys/socket.h>

#include <charconv>
#include <cstdio>
#include <functional>

#include "export_routes.h"
#include "kho/webui/api.h"
#include "render.h"
#include "routes.h"
#include "templates.h"

namespace kho::web {

struct Server::Impl {
  Impl(const Catalog& c, const ServerOptions& o) : catalog(c), options(o) {}
  const Catalog& catalog;
  ServerOptions options;
  httplib::Server http;
  int port = 0;
  int listen_fd = -1;  // captured from httplib's socket options hook, to raise its listen backlog
};

namespace {

constexpr std::size_t kSearchLimit = 50;
constexpr std::size_t kDupsPageSize = 30;

using ViewFn = std::function<Result<Json>(const Snapshot&)>;

std::size_t page_param(const httplib::Request& req) {
  std::string v = req.get_param_value("page");
  std::size_t page = 1;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), page);
  if (ec != std::errc() || ptr != v.data() + v.size() || page == 0 || page > 1000000) return 1;
  return page;
}

int http_status(const Status& st) {
  if (st.is_not_found()) return 404;
  if (st.is_invalid_argument()) return 400;
  if (st.code() == Status::Code::kBusy) return 503;
  return 500;
}

const char* status_heading(int status) {
  switch (status) {
    case 400: return "Yêu cầu không hợp lệ";
    case 404: return "Không tìm thấy";
    case 503: return "Kho đang bận";
    default: return "Lỗi máy chủ";
  }
}

void error_page(httplib::Response& res, int status, const std::string& message) {
  Json view;
  view["status"] = status;
  view["heading"] = status_heading(status);
  view["message"] = message;
  res.status = status;
  res.set_content(render_page(kErrorTemplate, view, PageInfo{status_heading(status), "error", "", ""}),
                  "text/html; charset=utf-8");
}

// Runs `fn` inside one snapshot, which is closed before anything is rendered or sent.
Result<Json> with_snapshot(const Catalog& catalog, const ViewFn& fn) {
  Result<Json> view = Status::Busy("archive unavailable");
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    view = fn(**snap);
  }
  return view;
}

void serve_page(const Catalog& catalog, httplib::Response& res, std::string_view tmpl, const ViewFn& fn,
                const std::function<PageInfo(const Json&)>& info) {
  set_security_headers(res);
  res.set_header("Cache-Control", "no-cache");
  Result<Json> view = with_snapshot(catalog, fn);
  if (!view.ok()) {
    if (http_status(view.status()) == 500) std::fprintf(stderr, "kho serve: %s\n", view.status().to_string().c_str());
    return error_page(res, http_status(view.status()), view.status().message());
  }
  // The page needs only part of the API document: the event page, for instance, shows the article
  // from blocks_view, so its raw blocks, refs and links are not converted for the template.
  if (view->contains("articles"))
    for (Json& a : (*view)["articles"])
      for (const char* key : {"blocks", "photos", "links", "sources"}) a.erase(key);
  res.set_content(render_page(tmpl, *view, info(*view)), "text/html; charset=utf-8");
}

void serve_api(const Catalog& catalog, httplib::Response& res, const ViewFn& fn) {
  set_security_headers(res);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("Access-Control-Allow-Origin", "*");  // read-only data, meant for other tools
  Result<Json> view = with_snapshot(catalog, fn);
  if (!view.ok()) {
    res.status = http_status(view.status());
    Json err = {{"error", code_name(view.status().code())}, {"message", view.status().message()}};
    res.set_content(err.dump(), "application/json");
    return;
  }
  res.set_content(view->dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

std::string title_of(const Json& j, const char* key, const std::string& fallback) {
  return j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty() ? j[key].get<std::string>()
                                                                                     : fallback;
}

void add_routes(Server::Impl& s) {
  const Catalog& cat = s.catalog;
  const std::size_t page_size = s.options.page_size;
  auto& http = s.http;
  using Req = httplib::Request;
  using Res = httplib::Response;

  http.Get("/", [&cat, page_size](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    serve_page(cat, res, kHomeTemplate, [&](const Snapshot& sn) { return events_view(sn, page, page_size); },
               [&](const Json&) { return PageInfo{"Sự kiện", "home", "", "/api/events?page=" + std::to_string(page)}; });
  });
  http.Get(R"(/event/([^/]+))", [&cat](const Req& req, Res& res) {
    std::string id = req.matches[1].str();
    serve_page(cat, res, kEventTemplate, [&](const Snapshot& sn) { return event_view(sn, id); },
               [&](const Json& v) {
                 return PageInfo{title_of(v["event"], "title", "Sự kiện"), "event", "", "/api/event/" + id};
               });
  });
  http.Get(R"(/photo/([^/]+))", [&cat](const Req& req, Res& res) {
    std::string hex = req.matches[1].str();
    serve_page(cat, res, kPhotoTemplate, [&](const Snapshot& sn) { return photo_view(sn, hex); },
               [&](const Json& v) { return PageInfo{title_of(v, "name", "Ảnh"), "photo", "", "/api/photo/" + hex}; });
  });
  http.Get("/dups", [&cat](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    serve_page(cat, res, kDupsTemplate, [&](const Snapshot& sn) { return dups_view(sn, page, kDupsPageSize); },
               [&](const Json&) { return PageInfo{"Ảnh trùng", "dups", "", "/api/dups?page=" + std::to_string(page)}; });
  });
  http.Get("/search", [&cat](const Req& req, Res& res) {
    std::string q = req.get_param_value("q");
    auto info = [&](const Json&) {
      return PageInfo{q.empty() ? "Tìm kiếm" : q + " – tìm kiếm", "search", q,
                      "/api/search?q=" + httplib::detail::encode_query_param(q)};
    };
    serve_page(cat, res, kSearchTemplate,
               [&](const Snapshot& sn) -> Result<Json> {
                 if (q.find_first_not_of(" \t\r\n") == std::string::npos)
                   return Json{{"query", ""}, {"has_query", false}, {"groups", Json::array()}};
                 Result<Json> v = search_view(sn, q, kSearchLimit);
                 if (v.ok()) (*v)["has_query"] = true;
                 return v;
               },
               info);
  });

  http.Get("/api/events", [&cat, page_size](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    serve_api(cat, res, [&](const Snapshot& sn) { return events_view(sn, page, page_size); });
  });
  http.Get(R"(/api/event/([^/]+))", [&cat](const Req& req, Res& res) {
    std::string id = req.matches[1].str();
    serve_api(cat, res, [&](const Snapshot& sn) { return event_view(sn, id); });
  });
  http.Get(R"(/api/photo/([^/]+))", [&cat](const Req& req, Res& res) {
    std::string hex = req.matches[1].str();
    serve_api(cat, res, [&](const Snapshot& sn) { return photo_view(sn, hex); });
  });
  http.Get("/api/dups", [&cat](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    serve_api(cat, res, [&](const Snapshot& sn) { return dups_view(sn, page, kDupsPageSize); });
  });
  http.Get("/api/search", [&cat](const Req& req, Res& res) {
    std::string q = req.get_param_value("q");
    serve_api(cat, res, [&](const Snapshot& sn) { return search_view(sn, q, kSearchLimit); });
  });

  auto asset = [&http](const char* path, std::string_view body, const char* type) {
    http.Get(path, [body, type](const Req& req, Res& res) {
      set_security_headers(res);
      const std::string etag = "\"" + asset_version() + "\"";
      res.set_header("ETag", etag);
      res.set_header("Cache-Control", "public, max-age=86400");
      if (etag_matches(req, etag)) {
        res.status = 304;
        return;
      }
      res.set_content(body.data(), body.size(), type);
    });
  };
  asset("/static/kho.css", kStylesheet, "text/css; charset=utf-8");
  asset("/static/kho.js", kScript, "application/javascript; charset=utf-8");
  asset("/favicon.svg", kFavicon, "image/svg+xml");
  asset("/favicon.ico", kFavicon, "image/svg+xml");

  add_media_routes(http, cat);
  add_export_routes(http, cat, s.options.exporter);
  http.set_pre_routing_handler([&cat](const Req& req, Res& res) {
    return try_serve_thumb(cat, req, res) ? httplib::Server::HandlerResponse::Handled
                                          : httplib::Server::HandlerResponse::Unhandled;
  });

  // Unknown routes and httplib's own 4xx (malformed requests) get a small page, never a stack trace.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const Req& req, Res& res) {
    if (!res.body.empty() || res.status == 304) return httplib::Server::HandlerResponse::Unhandled;
    set_security_headers(res);
    if (req.path.rfind("/api/", 0) == 0 || req.path.rfind("/thumb/", 0) == 0 || req.path.rfind("/original/", 0) == 0) {
      Json err = {{"error", res.status == 404 ? "NotFound" : "BadRequest"}, {"status", res.status}};
      res.set_content(err.dump(), "application/json");
    } else {
      int status = res.status;
      error_page(res, status, status == 404 ? "Không có trang nào ở địa chỉ này." : "Yêu cầu không đọc được.");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const Req&, Res& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "kho serve: internal error: %s\n", what.c_str());
    error_page(res, 500, "Lỗi nội bộ.");
  });
}

}  // namespace

void set_security_headers(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                 "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set_header("Referrer-Policy", "same-origin");
}

bool etag_matches(const httplib::Request& req, const std::string& etag) {
  if (!req.has_header("If-None-Match")) return false;
  const std::string v = req.get_header_value("If-None-Match");
  return v == "*" || v.find(etag) != std::string::npos;
}

std::unique_ptr<Server> Server::create(const Catalog& catalog, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(catalog, options);
  const int threads = options.threads > 0 ? options.threads : 64;
  impl->http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
  impl->http.set_keep_alive_max_count(1000);
  impl->http.set_tcp_nodelay(true);  // headers and body go out as separate writes
  impl->http.set_keep_alive_timeout(5);
  impl->http.set_read_timeout(10);
  impl->http.set_write_timeout(30);
  impl->http.set_payload_max_length(64 * 1024);  // the server only answers GET/HEAD
  Impl* raw = impl.get();
  impl->http.set_socket_options([raw](int fd) {
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    raw->listen_fd = fd;
  });
  add_routes(*impl);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Status Server::bind() {
  const ServerOptions& o = impl_->options;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.host);
    if (impl_->port <= 0) return Status::IOError("cannot listen on " + o.host + " (any port)");
  } else {
    if (!impl_->http.bind_to_port(o.host, o.port))
      return Status::IOError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                             " (in use, or not an address of this machine)");
    impl_->port = o.port;
  }
  // httplib listens with a backlog of 5: a burst of new connections (a grid page opening, a benchmark)
  // then loses SYNs and waits a second for the retry. Listening again only raises the backlog.
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, 1024);
  return Status::OK();
}

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& h = impl_->options.host;
  bool v6 = h.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + h + "]" : h) + ":" + std::to_string(impl_->port) + "/";
}

Status Server::run() {
  if (!impl_->http.listen_after_bind()) return Status::IOError("the listening socket failed");
  return Status::OK();
}

void Server::stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

}  // namespace kho::web
