// The gallery server: routes of DESIGN.md §5 over the HTTP core of http.h. Pages and /api/ share one
// view model per page (views.h); images are in media.cc.
#include "kho/webui/server.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "compress.h"
#include "export_routes.h"
#include "kho/webui/api.h"
#include "page_cache.h"
#include "render.h"
#include "routes.h"
#include "session.h"
#include "team_routes.h"
#include "templates.h"
#include "templates_team.h"

namespace kho::web {

namespace {
// Views that cost a pass over the archive (the duplicate clusters), kept per archive version
// (Snapshot::version): a page is rebuilt only after a write has committed, not on every request.
class ViewCache {
 public:
  Result<Json> get(const Snapshot& snap, const std::string& key, const std::function<Result<Json>()>& build) {
    const std::uint64_t version = snap.version();
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.first == version) return it->second.second;
    }
    Result<Json> view = build();
    if (view.ok()) {
      std::lock_guard lock(mu_);
      if (entries_.size() >= kMaxEntries) entries_.clear();
      entries_[key] = {version, *view};
    }
    return view;
  }

 private:
  static constexpr std::size_t kMaxEntries = 64;
  std::mutex mu_;
  std::map<std::string, std::pair<std::uint64_t, Json>> entries_;
};
}  // namespace

struct Server::Impl {
  Impl(Catalog& c, const ServerOptions& o) : catalog(c), options(o) {}
  ViewCache dups_cache;
  GridOrders grid_orders;  // the event grids' orders, for the event and photo pages (views.h)
  PageCache event_pages;   // the event pages' bodies by archive version (page_cache.h)
  Catalog& catalog;
  ServerOptions options;
  std::unique_ptr<Auth> auth;  // issue 16: sessions, the login throttle, CSRF (session.h)
  http::Router router;
  std::unique_ptr<http::Core> core;
};

namespace {

constexpr std::size_t kSearchLimit = 50;
constexpr std::size_t kDupsPageSize = 30;

using ViewFn = std::function<Result<Json>(const Snapshot&)>;

std::size_t page_param(const http::Request& req) {
  std::string v = req.get_param_value("page");
  std::size_t page = 1;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), page);
  if (ec != std::errc() || ptr != v.data() + v.size() || page == 0 || page > 1000000) return 1;
  return page;
}

// The event grid's page and order from ?page=N&sort=time|name|article (anything else: page 1, by time).
GridPage grid_param(const http::Request& req) {
  GridPage grid;
  grid.page = page_param(req);
  grid.page_size = kEventGridPageSize;
  grid.sort = grid_sort_from_name(req.get_param_value("sort")).value_or(GridSort::kTime);
  return grid;
}

int http_status(const Status& st) {
  if (st.is_not_found()) return 404;
  if (st.is_invalid_argument()) return 400;
  if (st.code() == Status::Code::kBusy) return 503;
  return 500;
}

const char* status_heading(int status) {
  switch (status) {
    case 404: return "Không tìm thấy";
    case 409: return "Tệp đã thay đổi";
    case 503: return "Kho đang bận";
    default: return status < 500 ? "Yêu cầu không hợp lệ" : "Lỗi máy chủ";
  }
}

// What a person reads about an error (Vietnamese); the technical reason goes in `detail`.
const char* human_message(int status) {
  switch (status) {
    case 404:
      return "Không tìm thấy mục này trong kho. Địa chỉ có thể đã cũ, hoặc thư mục đã được nhập lại ở chỗ khác.";
    case 405: return "Địa chỉ này chỉ dùng để xem (GET).";
    case 409: return "Tệp gốc đã thay đổi trên đĩa từ lần nhập trước. Hãy nhập lại thư mục.";
    case 410: return "Tệp gốc không còn trên đĩa.";
    case 414: return "Địa chỉ quá dài.";
    case 416: return "Đoạn tệp được yêu cầu nằm ngoài tệp.";
    case 503: return "Kho đang bận (đang nhập ảnh hoặc mở rộng dữ liệu). Vui lòng thử lại sau ít giây.";
    default:
      return status < 500 ? "Địa chỉ hoặc tham số không hợp lệ."
                          : "Máy chủ gặp lỗi khi đọc kho. Hãy thử lại; nếu lỗi lặp lại, chạy kho verify.";
  }
}

void error_page(http::Response& res, int status, const std::string& detail) {
  Json view;
  view["status"] = status;
  view["heading"] = status_heading(status);
  view["message"] = human_message(status);
  view["detail"] = status >= 500 ? detail : "";  // the technical reason helps whoever runs the server, not readers
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

void serve_page(const Catalog& catalog, http::Response& res, std::string_view tmpl, const ViewFn& fn,
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

void serve_api(const Catalog& catalog, const std::string& cors_origin, http::Response& res, const ViewFn& fn) {
  set_security_headers(res);
  res.set_header("Cache-Control", "no-cache");
  // Other origins read the API only when `kho serve --cors ORIGIN` says which one.
  if (!cors_origin.empty()) {
    res.set_header("Access-Control-Allow-Origin", cors_origin);
    res.set_header("Vary", "Origin");
  }
  Result<Json> view = with_snapshot(catalog, fn);
  if (!view.ok()) {
    res.status = http_status(view.status());
    Json err = {{"error", code_name(view.status().code())},
                {"message", human_message(res.status)},
                {"detail", view.status().message()}};
    res.set_content(err.dump(), "application/json");
    return;
  }
  res.set_content(view->dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

std::string title_of(const Json& j, const char* key, const std::string& fallback) {
  return j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty() ? j[key].get<std::string>()
                                                                                     : fallback;
}

// The event page (issue 15): its body (the view model, rendered) is the same for every reader at one archive
// version, so it is kept per (event, page, sort) in `pages` while the version stays; the editors' section and
// the layout, which depend on who asks, are made per request.
void serve_event_page(const Catalog& catalog, PageCache& pages, http::Response& res, const std::string& id,
                      const GridPage& grid, const http::Request::Identity& who) {
  set_security_headers(res);
  res.set_header("Cache-Control", "no-cache");
  const std::string key = id + "?page=" + std::to_string(grid.page) +
                          "&sort=" + std::to_string(static_cast<int>(grid.sort));
  std::shared_ptr<const PageCache::Page> page;
  std::uint64_t version = 0;
  std::string team;
  Result<Json> view = Status::Busy("archive unavailable");
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (snap.ok()) {
      version = (*snap)->version();
      page = pages.find(key, version);
      if (!page) view = event_view(**snap, id, grid);
      if (page || view.ok()) team = event_team_html(**snap, id, who);  // issue 16: editors' section
    } else {
      view = snap.status();
    }
  }
  if (!page) {
    if (!view.ok()) {
      if (http_status(view.status()) == 500) std::fprintf(stderr, "kho serve: %s\n", view.status().to_string().c_str());
      return error_page(res, http_status(view.status()), view.status().message());
    }
    if (view->contains("articles"))  // the page shows the article from blocks_view
      for (Json& a : (*view)["articles"])
        for (const char* k : {"blocks", "photos", "links", "sources"}) a.erase(k);
    auto made = std::make_shared<PageCache::Page>();
    made->body = render_fragment(kEventTemplate, *view);
    made->title = title_of((*view)["event"], "title", "Sự kiện");
    page = made;
    pages.put(key, version, std::move(made));
  }
  std::string body;
  body.reserve(page->body.size() + team.size());
  body.append(page->body).append(team);
  res.set_content(render_layout(std::move(body), PageInfo{page->title, "event", "", "/api/event/" + id}),
                  "text/html; charset=utf-8");
}

void add_routes(Server::Impl& s) {
  const Catalog& cat = s.catalog;
  const std::size_t page_size = s.options.page_size;
  const std::string& cors = s.options.cors_origin;
  ViewCache& dups_cache = s.dups_cache;
  GridOrders* orders = &s.grid_orders;
  http::Router& http = s.router;
  using Req = http::Request;
  using Res = http::Response;

  http.Get("/", [&cat, page_size](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    const std::string date = req.get_param_value("date");
    const std::string api = "/api/events?page=" + std::to_string(page) +
                            (date.empty() ? "" : "&date=" + http::query_encode(date));
    auto view = [&](const Snapshot& sn) { return events_view(sn, page, page_size, date); };
    serve_page(cat, res, kHomeTemplate, view, [&](const Json&) { return PageInfo{"Sự kiện", "home", "", api}; });
  });
  http.Get(R"(/event/([^/]+))", [&cat, orders, &s](const Req& req, Res& res) {
    GridPage grid = grid_param(req);
    grid.orders = orders;
    serve_event_page(cat, s.event_pages, res, req.matches[1].str(), grid, req.identity);
  });
  http.Get(R"(/photo/([^/]+))", [&cat, orders](const Req& req, Res& res) {
    std::string hex = req.matches[1].str();
    auto view = [&](const Snapshot& sn) {
      Result<Json> v = photo_view(sn, hex, orders);
      if (v.ok()) (*v)["team_html"] = photo_team_html(sn, hex, req.identity);  // issue 16: edits and history
      return v;
    };
    serve_page(cat, res, kPhotoTemplate, view, [&](const Json& v) {
      return PageInfo{title_of(v, "name", "Ảnh"), "photo", "", "/api/photo/" + hex};
    });
  });
  http.Get("/dups", [&cat, &dups_cache](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    const std::string api = "/api/dups?page=" + std::to_string(page);
    auto view = [&](const Snapshot& sn) {
      return dups_cache.get(sn, std::to_string(page), [&] { return dups_view(sn, page, kDupsPageSize); });
    };
    serve_page(cat, res, kDupsTemplate, view, [&](const Json&) { return PageInfo{"Ảnh trùng", "dups", "", api}; });
  });
  // The page and the API answer from one view (search_request_view): same hits, same errors.
  // A struct, not a tuple for a structured binding: clang 14 (the fuzz build) cannot capture bindings in lambdas.
  struct SearchParams {
    std::optional<std::string> q;
    std::string date, event;
  };
  auto search_params = [](const Req& req) {
    return SearchParams{req.has_param("q") ? std::optional<std::string>(req.get_param_value("q")) : std::nullopt,
                        req.get_param_value("date"), req.get_param_value("event")};
  };
  http.Get("/search", [&cat, search_params](const Req& req, Res& res) {
    const SearchParams p = search_params(req);
    auto info = [&](const Json&) {
      std::string api = "/api/search";
      if (p.q) api += "?q=" + http::query_encode(*p.q);
      return PageInfo{p.q && !p.q->empty() ? *p.q + " – tìm kiếm" : "Tìm kiếm", "search", p.q.value_or(""), api};
    };
    serve_page(
        cat, res, kSearchTemplate,
        [&](const Snapshot& sn) { return search_request_view(sn, p.q, p.date, p.event, kSearchLimit); }, info);
  });

  http.Get("/api/events", [&cat, &cors, page_size](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    const std::string date = req.get_param_value("date");
    serve_api(cat, cors, res, [&](const Snapshot& sn) { return events_view(sn, page, page_size, date); });
  });
  http.Get(R"(/api/event/([^/]+))", [&cat, &cors, orders](const Req& req, Res& res) {
    std::string id = req.matches[1].str();
    GridPage grid = grid_param(req);
    grid.orders = orders;
    serve_api(cat, cors, res, [&](const Snapshot& sn) { return event_view(sn, id, grid); });
  });
  http.Get(R"(/api/photo/([^/]+))", [&cat, &cors, orders](const Req& req, Res& res) {
    std::string hex = req.matches[1].str();
    serve_api(cat, cors, res, [&](const Snapshot& sn) { return photo_view(sn, hex, orders); });
  });
  http.Get("/api/dups", [&cat, &cors, &dups_cache](const Req& req, Res& res) {
    std::size_t page = page_param(req);
    serve_api(cat, cors, res, [&](const Snapshot& sn) {
      return dups_cache.get(sn, std::to_string(page), [&] { return dups_view(sn, page, kDupsPageSize); });
    });
  });
  http.Get("/api/search", [&cat, &cors, search_params](const Req& req, Res& res) {
    const SearchParams p = search_params(req);
    serve_api(cat, cors, res,
              [&](const Snapshot& sn) { return search_request_view(sn, p.q, p.date, p.event, kSearchLimit); });
  });

  // Compiled-in assets are fast routes (answered on the I/O thread), gzipped once here at the best level.
  auto asset = [&http](std::string path, std::string_view body, const char* type) {
    auto packed = std::make_shared<const std::string>(gzip(body, 9).value_or(std::string()));
    const bool use_packed = !packed->empty() && packed->size() < body.size();
    http.Fast([path, body, type, packed, use_packed](const Req& req, Res& res) {
      if (req.path != path || (req.method != "GET" && req.method != "HEAD")) return false;
      set_security_headers(res);
      const std::string etag = "\"" + asset_version() + "\"";
      res.set_header("ETag", etag);
      res.set_header("Cache-Control", "public, max-age=86400");
      if (etag_matches(req, etag)) {
        res.status = 304;
        return true;
      }
      res.set_header("Vary", "Accept-Encoding");
      if (use_packed && accepts_gzip(req)) {
        res.set_content(packed->data(), packed->size(), type);
        res.set_header("Content-Encoding", "gzip");
      } else {
        res.set_content(body.data(), body.size(), type);
      }
      return true;
    });
  };
  asset("/static/kho.css", kStylesheet, "text/css; charset=utf-8");
  asset("/static/kho.js", kScript, "application/javascript; charset=utf-8");
  asset("/favicon.svg", kFavicon, "image/svg+xml");
  asset("/favicon.ico", kFavicon, "image/svg+xml");

  // Pages and JSON go out gzipped at a fast level when the browser accepts it (compress.h).
  http.set_after_handler([](const Req& req, Res& res) { compress_response(req, res); });

  add_media_routes(http, cat);
  add_export_routes(http, cat, s.options.exporter);

  // Issue 16: accounts, corrections and the workbench; the guard runs before every route.
  asset("/static/team.js", kTeamScript, "application/javascript; charset=utf-8");
  add_auth_routes(http, *s.auth);
  add_edit_routes(http, s.catalog, *s.auth);
  add_workbench_routes(http, cat);
  http.set_guard([&auth = *s.auth](http::Request& req, http::Response& res) { return auth.guard(req, res); });

  // Errors without a body (unknown routes, the core's 4xx for malformed requests, 409 from originals…)
  // get a small page, or JSON under /api/, /thumb/ and /original/; never a stack trace.
  http.set_error_handler([](const Req& req, Res& res) {
    set_security_headers(res);
    if (req.path.rfind("/api/", 0) == 0 || req.path.rfind("/thumb/", 0) == 0 || req.path.rfind("/original/", 0) == 0) {
      Json err = {{"error", error_name(res.status)}, {"status", res.status}, {"message", human_message(res.status)}};
      res.set_content(err.dump(), "application/json");
    } else {
      int status = res.status;
      error_page(res, status, "");
    }
  });
}

}  // namespace

const char* error_name(int status) {
  switch (status) {
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 413: return "PayloadTooLarge";
    case 414: return "UriTooLong";
    case 416: return "RangeNotSatisfiable";
    case 421: return "MisdirectedRequest";
    case 431: return "HeadersTooLarge";
    case 501: return "NotImplemented";
    case 503: return "Busy";
    case 505: return "VersionNotSupported";
    default: return status < 500 ? "BadRequest" : "Internal";
  }
}

void set_security_headers(http::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                 "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set_header("Referrer-Policy", "same-origin");
}

bool etag_matches(const http::Request& req, const std::string& etag) {
  if (!req.has_header("If-None-Match")) return false;
  const std::string v = req.get_header_value("If-None-Match");
  return v == "*" || v.find(etag) != std::string::npos;
}

std::vector<std::string> allowed_hosts(const ServerOptions& o) {
  std::vector<std::string> hosts = {"127.0.0.1", "localhost", "[::1]"};
  if (!o.host.empty())
    hosts.push_back(o.host.find(':') != std::string::npos && o.host.front() != '[' ? "[" + o.host + "]" : o.host);
  for (const std::string& h : o.allowed_hosts) hosts.push_back(h);
  return hosts;
}

std::unique_ptr<Server> Server::create(Catalog& catalog, const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(catalog, options);
  AuthOptions auth;
  auth.public_read = options.public_read;
  auth.secure_cookies = options.secure_cookies;
  auth.absolute_lifetime = options.session_lifetime;
  auth.idle_timeout = options.session_idle;
  auth.clock = options.clock;
  impl->auth = std::make_unique<Auth>(catalog, auth);
  add_routes(*impl);
  http::CoreOptions core;
  core.host = options.host;
  core.port = options.port;
  core.workers = options.threads > 0 ? options.threads : 8;
  core.io_threads = options.io_threads > 0 ? options.io_threads : 2;
  core.header_timeout_s = options.header_timeout_s;
  core.keepalive_timeout_s = options.keepalive_timeout_s;
  core.write_timeout_s = options.write_timeout_s;
  core.max_connections_per_address = options.max_connections_per_address;
  core.allowed_hosts = allowed_hosts(options);
  impl->core = std::make_unique<http::Core>(impl->router, core);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Status Server::bind() { return impl_->core->bind(); }

int Server::port() const { return impl_->core->port(); }

std::string Server::url() const {
  const std::string& h = impl_->options.host;
  bool v6 = h.find(':') != std::string::npos && h.front() != '[';
  return "http://" + (v6 ? "[" + h + "]" : h) + ":" + std::to_string(port()) + "/";
}

Status Server::run() { return impl_->core->run(); }

void Server::stop() {
  if (impl_ && impl_->core) impl_->core->stop();
}

}  // namespace kho::web
