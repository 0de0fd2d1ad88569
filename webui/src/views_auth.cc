// Login and logout (issue 16; session.h says how sessions, cookies and the throttle work).
#include "render.h"
#include "routes.h"
#include "team_routes.h"
#include "templates_team.h"

namespace kho::web {
namespace {

void login_page(http::Response& res, const Auth& auth, int status, const std::string& next, const std::string& name,
                const std::string& error) {
  Json view = {{"next", next}, {"name", name}, {"error", error}, {"public_read", auth.options().public_read}};
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(render_page(kLoginTemplate, view, PageInfo{"Đăng nhập", "login", "", ""}),
                  "text/html; charset=utf-8");
}

}  // namespace

void add_auth_routes(http::Router& router, Auth& auth) {
  router.Get("/login", [&auth](const http::Request& req, http::Response& res) {
    set_security_headers(res);
    std::string next = safe_local_path(req.get_param_value("next"));
    if (!req.identity.user.empty()) {  // already signed in
      res.status = 303;
      res.set_header("Location", next);
      return;
    }
    login_page(res, auth, 200, next, "", "");
  });

  router.Post("/login", [&auth](const http::Request& req, http::Response& res) {
    set_security_headers(res);
    // Another site cannot sign a browser in to its own account here (login CSRF).
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin"), host = req.get_header_value("Host");
      if (origin != "http://" + host && origin != "https://" + host)
        return answer_refusal(req, res, 403, "Yêu cầu từ trang khác bị từ chối (cross-origin login)");
    }
    const auto form = form_fields(req.body);
    const std::string name = form_value(form, "name"), password = form_value(form, "password");
    const std::string next = safe_local_path(form_value(form, "next"));
    Auth::LoginOutcome out = auth.login(name, password, req.remote_addr, session_token(req));
    switch (out.result) {
      case Auth::LoginResult::kOk:
        res.set_header("Set-Cookie", auth.session_cookie(out.session.token));
        res.set_header("Cache-Control", "no-store");
        res.status = 303;
        res.set_header("Location", next);
        return;
      case Auth::LoginResult::kThrottled:
        res.set_header("Retry-After", std::to_string(out.retry_after_s));
        return login_page(res, auth, 429, next, name,
                          "Quá nhiều lần đăng nhập sai. Thử lại sau " + std::to_string(out.retry_after_s) + " giây.");
      case Auth::LoginResult::kWrong:
        return login_page(res, auth, 401, next, name, "Sai tên người dùng hoặc mật khẩu.");
      case Auth::LoginResult::kError:
        std::fprintf(stderr, "kho serve: login: %s\n", out.message.c_str());
        return answer_refusal(req, res, 503, "Kho đang bận, thử lại sau.");
    }
  });

  // Logout is a write: it needs the session's CSRF token, so another site cannot sign people out.
  router.Post("/logout", [&auth](const http::Request& req, http::Response& res) {
    set_security_headers(res);
    if (!auth.allow_write(req, res, Role::kViewer)) return;
    if (Status st = auth.logout(req.identity.token); !st.ok())
      return answer_refusal(req, res, 503, "Kho đang bận, thử lại sau.");
    res.set_header("Set-Cookie", auth.cleared_cookie());
    res.set_header("Cache-Control", "no-store");
    res.status = 303;
    res.set_header("Location", "/login");
  });
}

}  // namespace kho::web
