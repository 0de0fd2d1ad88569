// Private to webui: who is asking (issue 16). Login sessions over kho/team.h, the login throttle, cookies,
// CSRF checks and the guard every request passes (webui/README.md, "Accounts and sessions").
//
// - Once the archive has any user, every page needs a login; `public_read` (kho serve --public) lets
//   anonymous people read. Without users the gallery stays open for reading and refuses every write.
// - The session cookie `kho_session` is the 64-hex token of kho::create_session: HttpOnly, SameSite=Strict,
//   Path=/, and Secure with `secure_cookies` (kho serve --secure-cookies, behind a TLS proxy). A login always
//   makes a new session and ends the one the browser sent, so an id set before login is never accepted after.
// - Sessions end after `absolute_lifetime` (stored with the session) and after `idle_timeout` without a
//   request (kept in memory; an idle session is ended in the archive at the next login, so a restart in
//   between would let it live on until its absolute end).
// - Failed logins are counted per account and per address. Beyond a few free failures, each further
//   attempt is refused (429 with Retry-After, no password checked) until a delay that doubles with each
//   failure has passed (1 s, 2 s, 4 s … up to 15 min). A success clears the account's count.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http.h"
#include "kho/catalog.h"
#include "kho/team.h"

namespace kho::web {

inline constexpr const char* kSessionCookie = "kho_session";

struct AuthOptions {
  bool public_read = false;
  bool secure_cookies = false;
  std::chrono::seconds absolute_lifetime = kDefaultSessionLifetime;  // 12 h
  std::chrono::seconds idle_timeout = std::chrono::hours(2);
  std::function<std::int64_t()> clock;  // Unix seconds; null: the system clock (tests inject one)
};

// Counts failed logins by key ("account:NAME", "address:IP") and says how long the next attempt must wait.
class LoginThrottle {
 public:
  struct Policy {
    int free_failures = 5;               // failures before any delay
    std::int64_t max_delay_s = 900;      // the doubling stops here
    std::int64_t forget_after_s = 3600;  // a key with no failure for this long starts over
  };
  LoginThrottle() = default;
  explicit LoginThrottle(Policy policy) : policy_(policy) {}
  // Seconds the next attempt for `key` must still wait at `now` (0: it may go ahead).
  std::int64_t wait_for(const std::string& key, std::int64_t now);
  void failed(const std::string& key, std::int64_t now);
  void succeeded(const std::string& key);
  int failures(const std::string& key, std::int64_t now);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t last = 0;
    std::int64_t blocked_until = 0;
  };
  Policy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

class Auth {
 public:
  Auth(Catalog& catalog, AuthOptions options);
  std::int64_t now() const;
  const AuthOptions& options() const { return options_; }

  // The router's guard (http::Router::set_guard): fills req.identity from the cookie; answers requests a
  // login must come first for (303 to /login for pages, 401 for /api/, /thumb/, /original/ and writes).
  bool guard(http::Request& req, http::Response& res);

  enum class LoginResult { kOk, kWrong, kThrottled, kError };
  struct LoginOutcome {
    LoginResult result = LoginResult::kWrong;
    std::int64_t retry_after_s = 0;  // kThrottled
    NewSession session;              // kOk
    std::string message;             // kError
  };
  // Checks the password (argon2id) unless throttled; on success ends `old_token`'s session (if any) and
  // starts a new one.
  LoginOutcome login(const std::string& name, const std::string& password, const std::string& address,
                     const std::string& old_token);
  Status logout(const std::string& token);

  // Set-Cookie values: the session, and its removal.
  std::string session_cookie(const std::string& token) const;
  std::string cleared_cookie() const;

  // For a write route: 401 without a session, 403 for a wrong or missing CSRF token (form field "csrf" or
  // header X-CSRF-Token) or a role below `needed`, 403 for another origin. Answers and returns false then.
  bool allow_write(const http::Request& req, http::Response& res, Role needed) const;

 private:
  Catalog& catalog_;
  AuthOptions options_;
  LoginThrottle account_throttle_;  // "account:NAME": 5 free failures
  LoginThrottle address_throttle_;  // "address:IP": 20 free failures (an office behind one NAT address)
  std::mutex idle_mu_;
  std::unordered_map<std::string, std::int64_t> last_seen_;  // token → Unix seconds; -1: ended for idleness
  std::vector<std::string> idle_ended_;                      // to end in the archive (at the next login)
};

// The session token in the request's Cookie header ("" when none).
std::string session_token(const http::Request& req);
// application/x-www-form-urlencoded fields of a POST body.
std::multimap<std::string, std::string> form_fields(const std::string& body);
std::string form_value(const std::multimap<std::string, std::string>& form, const std::string& name);
// A local path to go back to after a form ("/…", never "//…" or a scheme); "/" otherwise.
std::string safe_local_path(const std::string& path);

// Answers a refused or failed request: JSON under /api/ (or when the client accepts JSON), else a small page.
void answer_refusal(const http::Request& req, http::Response& res, int status, const std::string& message);

// The identity of the request being handled on this thread (set by Auth::guard), for the layout.
const http::Request::Identity& current_identity();

}  // namespace kho::web
