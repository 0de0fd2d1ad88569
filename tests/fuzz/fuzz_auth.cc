// Fuzz target: the login and write surface of `kho serve` (webui/src/session.cc, issue 16): the session cookie
// in the Cookie header, application/x-www-form-urlencoded bodies, the `next` path a login form goes back to,
// and the guard and write check every request passes, against a real archive with one editor and one live
// session. The input is what a client sends (a head, "\r\n\r\n", a body); the placeholders @TOKEN@ and @CSRF@
// are replaced by the live session's cookie value and CSRF token, so the fuzzer reaches the accepted paths too.
//
// Invariants:
// - a session is recognised only from a cookie whose value is the live token; the token read is 64 hex or "";
// - a write is allowed only with that session, the right CSRF token (header or form field) and a same-origin
//   Origin (or none);
// - the path a form goes back to is local once a browser has removed tabs and newlines from it (the URL
//   standard's first step): "/" + not "/" or "\", and no control characters reach a Location header;
// - every refusal is a 3xx/4xx/503 whose header values hold no CR or LF.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "kho/catalog.h"
#include "kho/team.h"
#include "tests/fuzz/fuzz_check.h"
#include "webui/src/http.h"
#include "webui/src/session.h"

namespace http = kho::web::http;

namespace {

constexpr std::int64_t kNow = 1'800'000'000;  // a fixed clock: sessions neither expire nor idle out

struct World {
  std::string dir;
  std::unique_ptr<kho::Catalog> catalog;
  std::unique_ptr<kho::web::Auth> auth;
  std::string token, csrf;
};

World& world() {
  static World* w = [] {
    auto* out = new World;
    std::string tmpl = (std::filesystem::temp_directory_path() / "kho-fuzz-auth.XXXXXX").string();
    FUZZ_CHECK(mkdtemp(tmpl.data()) != nullptr);
    out->dir = tmpl;
    auto cat = kho::Catalog::open(out->dir + "/archive");
    FUZZ_CHECK(cat.ok());
    out->catalog = std::move(*cat);
    FUZZ_CHECK(kho::add_user(*out->catalog, "ed", kho::Role::kEditor, "correct horse battery").ok());
    auto snap = out->catalog->snapshot();
    FUZZ_CHECK(snap.ok());
    auto users = kho::list_users(**snap);
    FUZZ_CHECK(users.ok() && !users->empty());
    auto session = kho::create_session(*out->catalog, users->front(), kNow);
    FUZZ_CHECK(session.ok());
    out->token = session->token;
    out->csrf = session->session.csrf_token;
    kho::web::AuthOptions options;
    options.clock = [] { return kNow; };
    out->auth = std::make_unique<kho::web::Auth>(*out->catalog, options);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(world().dir, ec);
    });
    return out;
  }();
  return *w;
}

std::string with_secrets(std::string_view in, const World& w) {
  std::string s(in);
  for (auto [from, to] : {std::pair<std::string_view, const std::string&>{"@TOKEN@", w.token}, {"@CSRF@", w.csrf}}) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

bool has_control(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// What a browser makes of a Location path: the URL standard removes every ASCII tab and newline first.
std::string as_browser_reads(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

void check_local(const std::string& path) {
  FUZZ_CHECK(!path.empty() && path.front() == '/');
  FUZZ_CHECK(!has_control(path));
  const std::string seen = as_browser_reads(path);
  FUZZ_CHECK(seen.size() < 2 || (seen[1] != '/' && seen[1] != '\\'));
}

void check_headers(const http::Response& res) {
  for (const auto& [name, value] : res.headers) {
    FUZZ_CHECK(name.find_first_of("\r\n") == std::string::npos);
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  const std::string in = with_secrets(kho::fuzz::as_text(data, size), w);
  const std::size_t end = in.find("\r\n\r\n");
  http::Request req;
  if (http::parse_request_head(std::string_view(in).substr(0, end), req) != 0) return 0;
  if (end != std::string::npos) req.body = in.substr(end + 4);

  const std::string token = kho::web::session_token(req);
  FUZZ_CHECK(token.empty() || (token.size() == 64 && token.find_first_not_of("0123456789abcdef") == std::string::npos));

  const auto form = kho::web::form_fields(req.body);
  check_local(kho::web::safe_local_path(kho::web::form_value(form, "next")));
  check_local(kho::web::safe_local_path(req.get_param_value("next")));
  check_local(kho::web::safe_local_path(req.target));

  http::Response res;
  const bool passed = w.auth->guard(req, res);
  FUZZ_CHECK(req.identity.checked);
  if (!req.identity.user.empty()) {
    FUZZ_CHECK(token == w.token && req.identity.user == "ed" && req.identity.csrf == w.csrf);
  }
  if (!passed) FUZZ_CHECK(res.status == 303 || res.status == 401 || res.status == 503);
  check_headers(res);

  http::Response write_res;
  if (w.auth->allow_write(req, write_res, kho::Role::kEditor)) {
    FUZZ_CHECK(req.identity.user == "ed");
    std::string sent = req.get_header_value("X-CSRF-Token");
    if (sent.empty()) sent = kho::web::form_value(form, "csrf");
    FUZZ_CHECK(sent == w.csrf);
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin"), host = req.get_header_value("Host");
      FUZZ_CHECK(origin == "http://" + host || origin == "https://" + host);
    }
  } else {
    FUZZ_CHECK(write_res.status == 401 || write_res.status == 403);
    check_headers(write_res);
  }
  return 0;
}
