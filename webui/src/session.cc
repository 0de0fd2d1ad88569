// Login sessions, the login throttle, cookies, CSRF and the guard (session.h).
#include "session.h"

#include <algorithm>
#include <ctime>

#include "render.h"
#include "routes.h"
#include "templates.h"

namespace kho::web {
namespace {

thread_local http::Request::Identity t_identity;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Pages anyone may fetch: the login form and what it needs to look right.
bool always_open(const http::Request& req) {
  return req.path == "/login" || starts_with(req.path, "/static/") || req.path == "/favicon.svg" ||
         req.path == "/favicon.ico";
}

// Routes a script or a download reads: they get a status, not a redirect to a form.
bool wants_status(const http::Request& req) {
  return starts_with(req.path, "/api/") || starts_with(req.path, "/thumb/") || starts_with(req.path, "/original/") ||
         (req.path.size() >= 9 && req.path.compare(req.path.size() - 9, 9, "/download") == 0);
}

bool same_bytes(std::string_view a, std::string_view b) {  // constant time for equal lengths
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

void answer_refusal(const http::Request& req, http::Response& res, int status, const std::string& message) {
  res.status = status;
  set_security_headers(res);
  res.set_header("Cache-Control", "no-store");
  if (wants_status(req) || req.get_header_value("Accept").find("application/json") != std::string::npos) {
    Json err = {{"error", status == 401   ? "Unauthorized"
                          : status == 429 ? "TooManyRequests"
                          : status == 403 ? "Forbidden"
                                          : error_name(status)},
                {"status", status},
                {"message", message}};
    res.set_content(err.dump(), "application/json");
    return;
  }
  const char* heading = status == 401   ? "Cần đăng nhập"
                        : status == 403 ? "Không được phép"
                        : status == 404 ? "Không tìm thấy"
                        : status == 429 ? "Thử lại sau"
                        : status < 500  ? "Yêu cầu không hợp lệ"
                                        : "Lỗi máy chủ";
  Json view = {{"status", status}, {"heading", heading}, {"message", message}};
  res.set_content(render_page(kErrorTemplate, view, PageInfo{heading, "error", "", ""}), "text/html; charset=utf-8");
}

namespace {
void refuse(const http::Request& req, http::Response& res, int status, const std::string& message) {
  answer_refusal(req, res, status, message);
}
}  // namespace

// ---- throttle -----------------------------------------------------------------------------------------

std::int64_t LoginThrottle::wait_for(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  if (now - it->second.last > policy_.forget_after_s) {
    entries_.erase(it);
    return 0;
  }
  return std::max<std::int64_t>(0, it->second.blocked_until - now);
}

void LoginThrottle::failed(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  if (entries_.size() > 100000) {  // many addresses: forget the quiet ones first
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.last > policy_.forget_after_s; });
    if (entries_.size() > 100000) entries_.clear();
  }
  Entry& e = entries_[key];
  if (e.failures > 0 && now - e.last > policy_.forget_after_s) e = Entry{};
  ++e.failures;
  e.last = now;
  const int over = e.failures - policy_.free_failures;
  if (over > 0) {
    const std::int64_t delay = std::min<std::int64_t>(std::int64_t{1} << std::min(over - 1, 30), policy_.max_delay_s);
    e.blocked_until = now + delay;
  }
}

void LoginThrottle::succeeded(const std::string& key) {
  std::lock_guard lock(mu_);
  entries_.erase(key);
}

int LoginThrottle::failures(const std::string& key, std::int64_t now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || now - it->second.last > policy_.forget_after_s) return 0;
  return it->second.failures;
}

// ---- auth ---------------------------------------------------------------------------------------------

namespace {
// An office shares one address behind NAT: allow it more failures than one account gets.
LoginThrottle::Policy address_policy() {
  LoginThrottle::Policy p;
  p.free_failures = 20;
  return p;
}
}  // namespace

Auth::Auth(Catalog& catalog, AuthOptions options)
    : catalog_(catalog), options_(std::move(options)), account_throttle_(), address_throttle_(address_policy()) {}

std::int64_t Auth::now() const {
  if (options_.clock) return options_.clock();
  return static_cast<std::int64_t>(std::time(nullptr));
}

bool Auth::guard(http::Request& req, http::Response& res) {
  if (req.identity.checked) {  // passed on the I/O thread already; only this thread's copy is missing
    t_identity = req.identity;
    return true;
  }
  req.identity = {};
  t_identity = {};
  const std::int64_t t = now();
  bool users = true;
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog_.snapshot();
    if (!snap.ok()) {
      res.status = 503;
      set_security_headers(res);
      return false;
    }
    const std::string token = session_token(req);
    if (!token.empty()) {
      Result<Session> s = find_session(**snap, token, t);
      if (s.ok()) {
        std::lock_guard lock(idle_mu_);
        auto [it, fresh] = last_seen_.try_emplace(token, t);
        const bool idle = !fresh && (it->second < 0 || t - it->second > options_.idle_timeout.count());
        if (idle) {
          if (it->second >= 0) idle_ended_.push_back(token);  // ended in the archive at the next login
          it->second = -1;                                    // dead from now on, whatever the archive says
        } else {
          it->second = std::max(it->second, t);
          req.identity.user = s->user;
          req.identity.role = static_cast<int>(s->role);
          req.identity.csrf = s->csrf_token;
          req.identity.token = token;
        }
      }
    }
    if (req.identity.user.empty()) {
      Result<bool> any = has_users(**snap);
      users = !any.ok() || *any;
    }
  }
  req.identity.checked = true;
  t_identity = req.identity;
  if (!req.identity.user.empty() || always_open(req) || !users) return true;
  const bool read = req.method == "GET" || req.method == "HEAD";
  if (read && options_.public_read) return true;
  if (!read) return true;  // write routes answer 401 themselves (allow_write), unknown ones 404
  if (wants_status(req)) {
    refuse(req, res, 401, "Cần đăng nhập (log in first)");
    return false;
  }
  res.status = 303;
  set_security_headers(res);
  res.set_header("Location", "/login?next=" + http::query_encode(req.target));
  res.set_header("Cache-Control", "no-store");
  return false;
}

Auth::LoginOutcome Auth::login(const std::string& name, const std::string& password, const std::string& address,
                               const std::string& old_token) {
  LoginOutcome out;
  const std::int64_t t = now();
  const std::string account_key = "account:" + name, address_key = "address:" + address;
  out.retry_after_s = std::max(account_throttle_.wait_for(account_key, t), address_throttle_.wait_for(address_key, t));
  if (out.retry_after_s > 0) {
    out.result = LoginResult::kThrottled;
    return out;
  }
  Result<User> user = Status::NotFound("");
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog_.snapshot();
    if (!snap.ok()) {
      out.result = LoginResult::kError;
      out.message = snap.status().message();
      return out;
    }
    user = check_password(**snap, name, password);
  }
  if (!user.ok()) {
    if (!user.status().is_not_found()) {
      out.result = LoginResult::kError;
      out.message = user.status().message();
      return out;
    }
    account_throttle_.failed(account_key, t);
    address_throttle_.failed(address_key, t);
    out.result = LoginResult::kWrong;
    return out;
  }
  account_throttle_.succeeded(account_key);
  if (!old_token.empty()) (void)logout(old_token);
  Result<NewSession> s = create_session(catalog_, *user, t, options_.absolute_lifetime);
  std::vector<std::string> idle_ended;
  if (!s.ok()) {
    out.result = LoginResult::kError;
    out.message = s.status().message();
    return out;
  }
  {
    std::lock_guard lock(idle_mu_);
    if (last_seen_.size() > 10000)  // forget sessions past any lifetime (idle-ended ones are ended below)
      std::erase_if(last_seen_, [&](const auto& kv) {
        return kv.second >= 0 && t - kv.second > options_.absolute_lifetime.count();
      });
    last_seen_[s->token] = t;
    idle_ended.swap(idle_ended_);
  }
  // Sessions found idle by the guard (which runs on I/O threads and never writes) end in the archive now.
  for (const std::string& token : idle_ended) {
    (void)end_session(catalog_, token);
    std::lock_guard lock(idle_mu_);
    last_seen_.erase(token);
  }
  (void)purge_expired_sessions(catalog_, t);  // logins are rare: tidy the sessions db then
  out.result = LoginResult::kOk;
  out.session = std::move(*s);
  return out;
}

Status Auth::logout(const std::string& token) {
  {
    std::lock_guard lock(idle_mu_);
    last_seen_.erase(token);
  }
  return end_session(catalog_, token);
}

std::string Auth::session_cookie(const std::string& token) const {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; Max-Age=" + std::to_string(options_.absolute_lifetime.count()) + "; HttpOnly; SameSite=Strict" +
         (options_.secure_cookies ? "; Secure" : "");
}

std::string Auth::cleared_cookie() const {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (options_.secure_cookies ? "; Secure" : "");
}

bool Auth::allow_write(const http::Request& req, http::Response& res, Role needed) const {
  // Another site's form: refuse before anything else (SameSite=Strict already keeps the cookie away).
  if (req.has_header("Origin")) {
    const std::string origin = req.get_header_value("Origin"), host = req.get_header_value("Host");
    if (origin != "http://" + host && origin != "https://" + host) {
      refuse(req, res, 403, "Yêu cầu từ trang khác bị từ chối (cross-origin write)");
      return false;
    }
  }
  if (req.identity.user.empty()) {
    refuse(req, res, 401, "Cần đăng nhập để sửa (log in first)");
    return false;
  }
  std::string token = req.get_header_value("X-CSRF-Token");
  if (token.empty()) token = form_value(form_fields(req.body), "csrf");
  if (token.empty() || !same_bytes(token, req.identity.csrf)) {
    refuse(req, res, 403, "Mã chống giả mạo (CSRF) thiếu hoặc sai; tải lại trang rồi thử lại");
    return false;
  }
  if (req.identity.role < static_cast<int>(needed)) {
    refuse(req, res, 403,
           "Tài khoản " + req.identity.user + " chỉ được xem (" +
               std::string(role_name(static_cast<Role>(req.identity.role))) + "); cần quyền " +
               std::string(role_name(needed)));
    return false;
  }
  return true;
}

// ---- helpers ------------------------------------------------------------------------------------------

std::string session_token(const http::Request& req) {
  auto range = req.headers.equal_range("Cookie");
  const std::string name = std::string(kSessionCookie) + "=";
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view v = it->second;
    while (!v.empty()) {
      std::size_t semi = v.find(';');
      std::string_view part = v.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (starts_with(part, name)) {
        std::string_view value = part.substr(name.size());
        // Only our own form: 64 hex digits. Anything else is no session.
        if (value.size() == 64 && value.find_first_not_of("0123456789abcdef") == std::string_view::npos)
          return std::string(value);
        return "";
      }
      if (semi == std::string_view::npos) break;
      v.remove_prefix(semi + 1);
    }
  }
  return "";
}

std::multimap<std::string, std::string> form_fields(const std::string& body) {
  std::multimap<std::string, std::string> out;
  std::string_view v = body;
  while (!v.empty()) {
    std::size_t amp = v.find('&');
    std::string_view pair = v.substr(0, amp);
    std::size_t eq = pair.find('=');
    if (!pair.empty())
      out.emplace(http::percent_decode(pair.substr(0, eq), true),
                  eq == std::string_view::npos ? "" : http::percent_decode(pair.substr(eq + 1), true));
    if (amp == std::string_view::npos) break;
    v.remove_prefix(amp + 1);
  }
  return out;
}

std::string form_value(const std::multimap<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

std::string safe_local_path(const std::string& path) {
  if (path.empty() || path[0] != '/' || (path.size() > 1 && (path[1] == '/' || path[1] == '\\'))) return "/";
  // No control characters at all: a browser drops tabs and newlines from a URL before reading it, so
  // "/\t/evil.example" would become "//evil.example", another site.
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return "/";
  }
  if (starts_with(path, "/login") || starts_with(path, "/logout")) return "/";
  return path;
}

const http::Request::Identity& current_identity() { return t_identity; }

}  // namespace kho::web
