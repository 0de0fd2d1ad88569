// Issue 16, the web side: sessions, CSRF, the login throttle, security headers and corrections through the
// gallery. One archive (web_fixture.h) with an editor and a viewer, served with an injected clock so that
// expiry and the throttle are tested without sleeping.
#include <atomic>
#include <regex>

#include "kho/correct.h"
#include "kho/team.h"
#include "web_fixture.h"

#include <nlohmann/json.hpp>

namespace kho::webtest {
namespace {

using Json = nlohmann::json;

constexpr const char* kEditorPassword = "biên tập viên 2020";
constexpr const char* kViewerPassword = "chỉ xem thôi 2020";

std::atomic<std::int64_t> g_clock{1'800'000'000};

// POST with a body (form-encoded unless `type` says otherwise) and optional extra header lines.
HttpResponse http_post(int port, const std::string& target, const std::string& body,
                       const std::string& extra_headers = "",
                       const std::string& type = "application/x-www-form-urlencoded") {
  std::string req = "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + type +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
  return parse_response(raw_exchange(port, req));
}

std::string cookie_header(const std::string& token) { return "Cookie: kho_session=" + token + "\r\n"; }

// The token in a Set-Cookie value ("kho_session=TOKEN; …").
std::string token_of(const HttpResponse& r) {
  std::smatch m;
  std::string v = r.header("set-cookie");
  if (std::regex_search(v, m, std::regex("kho_session=([0-9a-f]*)"))) return m[1].str();
  return "";
}

// The CSRF token a page carries in its forms.
std::string csrf_of(const std::string& html) {
  std::smatch m;
  if (std::regex_search(html, m, std::regex(R"re(name="csrf" value="([0-9a-f]{64})")re"))) return m[1].str();
  return "";
}

class AuthTest : public WebServerTest {
 protected:
  static void SetUpTestSuite() {
    WebServerTest::SetUpTestSuite();
    ASSERT_TRUE(add_user(*catalog_, "ed", Role::kEditor, kEditorPassword).ok());
    ASSERT_TRUE(add_user(*catalog_, "vi", Role::kViewer, kViewerPassword).ok());
    web::ServerOptions opts;
    opts.port = 0;
    opts.threads = 4;
    opts.clock = [] { return g_clock.load(); };
    auth_server_ = web::Server::create(*catalog_, opts);
    ASSERT_TRUE(auth_server_->bind().ok());
    auth_thread_ = new std::thread([] { (void)auth_server_->run(); });
    for (int tries = 0; tries < 200 && http_get(auth_port(), "/favicon.svg").status != 200; ++tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  static void TearDownTestSuite() {
    auth_server_->stop();
    auth_thread_->join();
    delete auth_thread_;
    auth_server_.reset();
    WebServerTest::TearDownTestSuite();
  }
  static int auth_port() { return auth_server_->port(); }

  struct Login {
    std::string token, csrf;
  };
  // Signs in and reads the CSRF token from the home page.
  static Login login(const std::string& name, const std::string& password) {
    HttpResponse r = http_post(auth_port(), "/login",
                               "name=" + name + "&password=" + http_form(password) + "&next=%2F");
    Login out;
    out.token = token_of(r);
    if (out.token.empty()) return out;
    out.csrf = csrf_of(http_get(auth_port(), "/", cookie_header(out.token)).body);
    return out;
  }
  static std::string http_form(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c)) {
        out += static_cast<char>(c);
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        out += buf;
      }
    }
    return out;
  }
  static std::string photo_edit(const Digest& d) { return "/photo/" + d.hex() + "/edit"; }
  std::string shown_caption(const Digest& d) {
    auto snap = catalog_->snapshot();
    EXPECT_TRUE(snap.ok());
    auto machine = machine_caption(**snap, d);
    EXPECT_TRUE(machine.ok());
    auto v = value_in_force(**snap, TargetKind::kPhoto, d.hex(), "caption", *machine);
    EXPECT_TRUE(v.ok());
    return v.ok() ? v->value_or("") : "";
  }

  static std::unique_ptr<web::Server> auth_server_;
  static std::thread* auth_thread_;
};
std::unique_ptr<web::Server> AuthTest::auth_server_;
std::thread* AuthTest::auth_thread_ = nullptr;

// Every write route, with a body that would be valid for an editor.
std::vector<std::pair<std::string, std::string>> write_routes(const Archive& a) {
  return {{"/photo/" + a.p1.hex() + "/edit", "caption=x"},
          {"/photo/" + a.p1.hex() + "/choose", "field=caption&choice=mine"},
          {"/article/" + a.article_id + "/link", "ref=%232&photo=" + a.p3.hex()},
          {"/event/" + a.event_id + "/edit", "title=T"},
          {"/dups/not-duplicate", "a=" + a.p1.hex() + "&b=" + a.p2.hex()},
          {"/dups/best", "photo=" + a.p1.hex()},
          {"/correction/1/revert", ""},
          {"/logout", ""}};
}

TEST_F(AuthTest, PagesNeedALoginOnceUsersExist) {
  HttpResponse page = http_get(auth_port(), "/event/" + archive_.event_id);
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.header("location").rfind("/login?next=", 0), 0u) << page.header("location");
  EXPECT_EQ(http_get(auth_port(), "/api/events").status, 401);
  EXPECT_EQ(http_get(auth_port(), "/thumb/" + archive_.p1.hex() + "/320").status, 401);
  EXPECT_EQ(http_get(auth_port(), "/original/" + archive_.p1.hex()).status, 401);
  EXPECT_EQ(http_get(auth_port(), "/login").status, 200);
  EXPECT_EQ(http_get(auth_port(), "/static/kho.css").status, 200);
  Login vi = login("vi", kViewerPassword);
  ASSERT_FALSE(vi.token.empty());
  EXPECT_EQ(http_get(auth_port(), "/api/events", cookie_header(vi.token)).status, 200);
  EXPECT_EQ(http_get(auth_port(), "/thumb/" + archive_.p1.hex() + "/320", cookie_header(vi.token)).status, 200);
  // The workbench is for editors.
  EXPECT_EQ(http_get(auth_port(), "/workbench", cookie_header(vi.token)).status, 403);
}

TEST_F(AuthTest, WriteRoutesWithoutSessionAre401AndForAViewer403) {
  Login vi = login("vi", kViewerPassword);
  ASSERT_FALSE(vi.csrf.empty());
  for (const auto& [target, body] : write_routes(archive_)) {
    if (target == "/logout") continue;  // a viewer may sign out
    EXPECT_EQ(http_post(auth_port(), target, body).status, 401) << target;
    EXPECT_EQ(http_post(auth_port(), target, body + "&csrf=" + vi.csrf).status, 401) << target;
    EXPECT_EQ(http_post(auth_port(), target, body + "&csrf=" + vi.csrf, cookie_header(vi.token)).status, 403) << target;
  }
  EXPECT_EQ(http_post(auth_port(), "/logout", "").status, 401);
  EXPECT_EQ(shown_caption(archive_.p1).find("x"), std::string::npos);
}

TEST_F(AuthTest, MissingOrWrongCsrfIsRefused) {
  Login ed = login("ed", kEditorPassword);
  ASSERT_FALSE(ed.csrf.empty());
  const std::string target = photo_edit(archive_.p2);
  const std::string other_csrf(64, 'a');
  EXPECT_EQ(http_post(auth_port(), target, "caption=Sai", cookie_header(ed.token)).status, 403);
  EXPECT_EQ(http_post(auth_port(), target, "caption=Sai&csrf=" + other_csrf, cookie_header(ed.token)).status, 403);
  EXPECT_EQ(http_post(auth_port(), target, "caption=Sai&csrf=", cookie_header(ed.token)).status, 403);
  EXPECT_EQ(
      http_post(auth_port(), target, "caption=Sai", cookie_header(ed.token) + "X-CSRF-Token: " + other_csrf + "\r\n")
          .status,
      403);
  // Another session's token is wrong too.
  Login vi = login("vi", kViewerPassword);
  EXPECT_EQ(http_post(auth_port(), target, "caption=Sai&csrf=" + vi.csrf, cookie_header(ed.token)).status, 403);
  EXPECT_NE(shown_caption(archive_.p2), "Sai");
  // Another origin's form, even with the token.
  EXPECT_EQ(http_post(auth_port(), target, "caption=Sai&csrf=" + ed.csrf,
                      cookie_header(ed.token) + "Origin: http://evil.example\r\n")
                .status,
            403);
  // The right token, as a field or a header.
  HttpResponse ok = http_post(auth_port(), target, "caption=" + http_form("Toàn cảnh (đã sửa)") + "&csrf=" + ed.csrf,
                              cookie_header(ed.token));
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(shown_caption(archive_.p2), "Toàn cảnh (đã sửa)");
  HttpResponse json = http_post(
      auth_port(), target, "caption=" + http_form("Toàn cảnh hội nghị"),
      cookie_header(ed.token) + "X-CSRF-Token: " + ed.csrf + "\r\nAccept: application/json\r\n");
  EXPECT_EQ(json.status, 200);
  EXPECT_NE(json.body.find("\"recorded\""), std::string::npos);
  EXPECT_EQ(shown_caption(archive_.p2), "Toàn cảnh hội nghị");
}

TEST_F(AuthTest, ASessionIdSetBeforeLoginIsNotAcceptedAfterIt) {
  // An id the attacker chose is not taken over by the login…
  const std::string planted(64, 'b');
  HttpResponse r = http_post(auth_port(), "/login", "name=ed&password=" + http_form(kEditorPassword),
                             cookie_header(planted));
  EXPECT_EQ(r.status, 303);
  const std::string fresh = token_of(r);
  ASSERT_EQ(fresh.size(), 64u);
  EXPECT_NE(fresh, planted);
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(planted)).status, 303);
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(fresh)).status, 200);
  // …and a real session id the browser had before a login (the viewer's) ends with it.
  Login vi = login("vi", kViewerPassword);
  HttpResponse again = http_post(auth_port(), "/login", "name=ed&password=" + http_form(kEditorPassword),
                                 cookie_header(vi.token));
  EXPECT_EQ(again.status, 303);
  EXPECT_NE(token_of(again), vi.token);
  EXPECT_EQ(http_get(auth_port(), "/api/events", cookie_header(vi.token)).status, 401);
}

TEST_F(AuthTest, LoginGoesBackOnlyToALocalPath) {
  // A browser drops tabs and newlines from a URL before reading it, so "/<TAB>/evil.example" would lead to
  // another site (found by the fuzz target `auth`). Every such `next` goes back to "/" instead.
  for (const std::string next :
       {"%2F%09%2Fevil.example", "%2F%0A%2Fevil.example", "%2F%0D%2Fevil.example", "%2F%2Fevil.example",
        "%2F%5Cevil.example", "https%3A%2F%2Fevil.example", "%2F%7F%2Fevil.example"}) {
    SCOPED_TRACE(next);
    HttpResponse r = http_post(auth_port(), "/login",
                               "name=ed&password=" + http_form(kEditorPassword) + "&next=" + next);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/");
  }
  HttpResponse ok = http_post(auth_port(), "/login",
                              "name=ed&password=" + http_form(kEditorPassword) + "&next=%2Fsearch%3Fq%3Dhoa");
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/search?q=hoa");
}

TEST_F(AuthTest, ALoggedOutCookieIsDead) {
  Login ed = login("ed", kEditorPassword);
  ASSERT_FALSE(ed.csrf.empty());
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(ed.token)).status, 200);
  EXPECT_EQ(http_post(auth_port(), "/logout", "", cookie_header(ed.token)).status, 403);  // no CSRF token
  HttpResponse out = http_post(auth_port(), "/logout", "csrf=" + ed.csrf, cookie_header(ed.token));
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(ed.token)).status, 303);
  EXPECT_EQ(http_get(auth_port(), "/api/events", cookie_header(ed.token)).status, 401);
  EXPECT_EQ(
      http_post(auth_port(), photo_edit(archive_.p1), "caption=z&csrf=" + ed.csrf, cookie_header(ed.token)).status,
      401);
  // Gone from the archive too, not only from this server's memory.
  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(find_session(**snap, ed.token, g_clock.load()).status().is_not_found());
}

TEST_F(AuthTest, SessionsExpireWhenIdleAndAtTheirEnd) {
  Login ed = login("ed", kEditorPassword);
  g_clock += 3600;
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(ed.token)).status, 200);
  g_clock += 2 * 3600 + 1;  // idle longer than 2 h
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(ed.token)).status, 303);
  // Busy all day: the absolute end (12 h) still comes.
  Login busy = login("ed", kEditorPassword);
  for (int h = 0; h < 11; ++h) {
    g_clock += 3600;
    EXPECT_EQ(http_get(auth_port(), "/", cookie_header(busy.token)).status, 200) << h;
  }
  g_clock += 3601;
  EXPECT_EQ(http_get(auth_port(), "/", cookie_header(busy.token)).status, 303);
}

TEST_F(AuthTest, TwentyWrongPasswordsSlowTheNextAttempts) {
  int refused_before = 0, checked = 0;
  std::int64_t first_delay = 0;
  while (checked < 20) {
    HttpResponse r = http_post(auth_port(), "/login", "name=ed&password=wrong-password-" + std::to_string(checked));
    if (r.status == 429) {  // wait as told (on the injected clock), then try again
      ++refused_before;
      std::int64_t wait = std::stoll(r.header("retry-after"));
      if (first_delay == 0) first_delay = wait;
      g_clock += wait;
      continue;
    }
    ASSERT_EQ(r.status, 401);
    ++checked;
  }
  EXPECT_GT(refused_before, 0);
  EXPECT_EQ(first_delay, 1);
  // After 20 failures even the right password is refused, for much longer than after the first ones.
  HttpResponse slowed = http_post(auth_port(), "/login", "name=ed&password=" + http_form(kEditorPassword));
  EXPECT_EQ(slowed.status, 429);
  EXPECT_TRUE(token_of(slowed).empty());
  const std::int64_t delay = std::stoll(slowed.header("retry-after"));
  EXPECT_GE(delay, 600);
  EXPECT_NE(slowed.body.find("Quá nhiều lần đăng nhập sai"), std::string::npos);
  g_clock += delay;
  EXPECT_EQ(http_post(auth_port(), "/login", "name=ed&password=" + http_form(kEditorPassword)).status, 303);
  g_clock += 4000;  // the address's failures are forgotten for the next tests
}

TEST_F(AuthTest, OneAddressTryingManyAccountsIsSlowedToo) {
  for (int i = 0; i < 21; ++i) {
    HttpResponse r = http_post(auth_port(), "/login",
                               "name=nobody" + std::to_string(i) + "&password=whatever-password");
    if (r.status == 429) g_clock += std::stoll(r.header("retry-after"));
    else EXPECT_EQ(r.status, 401) << i;
  }
  HttpResponse r = http_post(auth_port(), "/login", "name=vi&password=" + http_form(kViewerPassword));
  EXPECT_EQ(r.status, 429);
  EXPECT_GE(std::stoll(r.header("retry-after")), 1);
  g_clock += 4000;
  EXPECT_EQ(http_post(auth_port(), "/login", "name=vi&password=" + http_form(kViewerPassword)).status, 303);
}

TEST_F(AuthTest, PasswordHashIsArgon2idWithItsParameters) {
  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  for (const char* name : {"ed", "vi"}) {
    Result<User> u = find_user(**snap, name);
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(std::regex_search(u->password_hash, std::regex(R"(^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$)")))
        << u->password_hash;
    EXPECT_EQ(u->password_hash.find(kEditorPassword), std::string::npos);
  }
}

TEST_F(AuthTest, NoPageSetsACookieWithoutHttpOnly) {
  std::vector<HttpResponse> seen;
  seen.push_back(http_get(auth_port(), "/login"));
  seen.push_back(http_post(auth_port(), "/login", "name=ed&password=wrong-password"));
  HttpResponse in = http_post(auth_port(), "/login", "name=ed&password=" + http_form(kEditorPassword));
  seen.push_back(in);
  const std::string token = token_of(in);
  const std::string csrf = csrf_of(http_get(auth_port(), "/", cookie_header(token)).body);
  for (const std::string& path : {std::string("/"), "/photo/" + archive_.p1.hex(), "/event/" + archive_.event_id,
                                  std::string("/workbench"), std::string("/api/events"), std::string("/nowhere")})
    seen.push_back(http_get(auth_port(), path, cookie_header(token)));
  seen.push_back(http_post(auth_port(), "/logout", "csrf=" + csrf, cookie_header(token)));
  int cookies = 0;
  for (const HttpResponse& r : seen) {
    const std::string c = r.header("set-cookie");
    if (c.empty()) continue;
    ++cookies;
    EXPECT_NE(c.find("; HttpOnly"), std::string::npos) << c;
    EXPECT_NE(c.find("; SameSite=Strict"), std::string::npos) << c;
    EXPECT_NE(c.find("; Path=/"), std::string::npos) << c;
  }
  EXPECT_EQ(cookies, 2);  // the login's and the logout's
  g_clock += 4000;
}

TEST_F(AuthTest, SecurityHeadersOnEveryResponseAndNoInlineScript) {
  Login ed = login("ed", kEditorPassword);
  const std::string c = cookie_header(ed.token);
  std::vector<std::pair<std::string, HttpResponse>> seen = {
      {"/login", http_get(auth_port(), "/login")},
      {"/ anonymous", http_get(auth_port(), "/")},
      {"/api anonymous", http_get(auth_port(), "/api/events")},
      {"/", http_get(auth_port(), "/", c)},
      {"/photo", http_get(auth_port(), "/photo/" + archive_.p1.hex(), c)},
      {"/event", http_get(auth_port(), "/event/" + archive_.event_id, c)},
      {"/workbench", http_get(auth_port(), "/workbench", c)},
      {"/dups", http_get(auth_port(), "/dups", c)},
      {"/search", http_get(auth_port(), "/search?q=thanh", c)},
      {"/static/team.js", http_get(auth_port(), "/static/team.js", c)},
      {"/thumb", http_get(auth_port(), "/thumb/" + archive_.p1.hex() + "/320", c)},
      {"404", http_get(auth_port(), "/nowhere", c)},
      {"POST 403", http_post(auth_port(), photo_edit(archive_.p1), "caption=a", c)},
      {"POST 401", http_post(auth_port(), photo_edit(archive_.p1), "caption=a")},
  };
  const std::regex inline_script(R"(<script(?![^>]*\bsrc=)[^>]*>)", std::regex::icase);
  const std::regex handler_attr(R"(<[^>]*\son[a-z]+\s*=)", std::regex::icase);
  for (const auto& [what, r] : seen) {
    EXPECT_NE(r.status, 0) << what;
    const std::string csp = r.header("content-security-policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << what;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << what;
    EXPECT_FALSE(r.header("referrer-policy").empty()) << what;
    if (r.header("content-type").find("text/html") != std::string::npos) {
      EXPECT_FALSE(std::regex_search(r.body, inline_script)) << what;
      EXPECT_FALSE(std::regex_search(r.body, handler_attr)) << what;
    }
  }
  // The editor sees the forms and the workbench link; each form that writes carries the token.
  const std::string& photo = seen[4].second.body;
  EXPECT_NE(photo.find("action=\"/photo/" + archive_.p1.hex() + "/edit\""), std::string::npos);
  EXPECT_NE(photo.find("href=\"/workbench\""), std::string::npos);
  EXPECT_NE(photo.find("/static/team.js"), std::string::npos);
  std::size_t forms = 0, tokens = 0;
  for (std::size_t at = photo.find("method=\"post\""); at != std::string::npos;
       at = photo.find("method=\"post\"", at + 1))
    ++forms;
  for (std::size_t at = photo.find("name=\"csrf\" value=\"" + ed.csrf); at != std::string::npos;
       at = photo.find("name=\"csrf\" value=\"" + ed.csrf, at + 1))
    ++tokens;
  EXPECT_GE(forms, 2u);
  EXPECT_EQ(forms, tokens);
}

TEST_F(AuthTest, EditorCorrectsRevertsAndRelinksThroughTheGallery) {
  Login ed = login("ed", kEditorPassword);
  const std::string c = cookie_header(ed.token);
  const Archive& a = archive_;
  // Caption, credit and headline; only what changed is recorded.
  HttpResponse r = http_post(auth_port(), photo_edit(a.p1),
                             "csrf=" + ed.csrf + "&caption=" + http_form("Lãnh đạo tỉnh phát biểu") +
                                 "&credit=" + http_form("Ảnh: Minh Anh") + "&headline=",
                             c + "Accept: application/json\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body)["recorded"].size(), 2u);  // headline was empty and stays empty
  EXPECT_EQ(shown_caption(a.p1), "Lãnh đạo tỉnh phát biểu");
  HttpResponse page = http_get(auth_port(), "/photo/" + a.p1.hex(), c);
  EXPECT_NE(page.body.find("Lãnh đạo tỉnh phát biểu"), std::string::npos);
  EXPECT_NE(page.body.find("Lịch sử sửa"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>ed</strong>"), std::string::npos);
  // Revert the caption: the machine's caption is back, and the revert is itself in the history.
  std::uint64_t seq = Json::parse(r.body)["recorded"][0].get<std::uint64_t>();
  HttpResponse rv = http_post(auth_port(), "/correction/" + std::to_string(seq) + "/revert",
                              "csrf=" + ed.csrf + "&back=%2Fphoto%2F" + a.p1.hex(), c);
  EXPECT_EQ(rv.status, 303);
  EXPECT_EQ(rv.header("location"), "/photo/" + a.p1.hex());
  EXPECT_NE(shown_caption(a.p1).find("<script>"), std::string::npos);  // the machine's (hostile) caption
  page = http_get(auth_port(), "/photo/" + a.p1.hex(), c);
  EXPECT_NE(page.body.find("hoàn tác #" + std::to_string(seq)), std::string::npos);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);  // still escaped
  // An open redirect is not possible through `back`.
  rv = http_post(auth_port(), "/dups/best", "csrf=" + ed.csrf + "&photo=" + a.p1.hex() + "&back=%2F%2Fevil.example", c);
  EXPECT_EQ(rv.status, 303);
  EXPECT_EQ(rv.header("location"), "/");

  // The workbench lists the unresolved reference, with the orphan as its first near-miss.
  HttpResponse wb = http_get(auth_port(), "/api/workbench", c);
  ASSERT_EQ(wb.status, 200);
  Json w = Json::parse(wb.body);
  ASSERT_EQ(w["unresolved_count"], 1);
  EXPECT_EQ(w["unresolved"][0]["ref"], "mat tich.jpg");
  // The linker's near-misses, in its order, each with why it was not taken.
  ASSERT_EQ(w["unresolved"][0]["candidates"].size(), 2u) << w.dump(1);
  EXPECT_EQ(w["unresolved"][0]["candidates"][0]["digest"], a.p3.hex()) << w.dump(1);
  EXPECT_EQ(w["unresolved"][0]["candidates"][0]["reason"], "too_far");
  EXPECT_EQ(w["unresolved"][0]["candidates"][1]["digest"], a.p1.hex());
  EXPECT_EQ(w["unresolved"][0]["candidates"][1]["reason"], "taken");
  EXPECT_NE(w["unresolved"][0]["candidates"][1]["why"].get<std::string>().find("lanh dao phat bieu.jpg"),
            std::string::npos)
      << "a taken file names the reference that took it";
  HttpResponse wb_page = http_get(auth_port(), "/workbench", c);
  EXPECT_NE(wb_page.body.find("tên khác xa"), std::string::npos) << "the page shows the reason";
  EXPECT_EQ(w["orphan_count"], 1);
  // One click links it: the list empties, the orphan is no longer one, and the chosen photo's page shows
  // the article (a relink is not in photo_links).
  r = http_post(auth_port(), "/article/" + a.article_id + "/link",
                "csrf=" + ed.csrf + "&ref=%232&photo=" + a.p3.hex() + "&back=%2Fworkbench", c);
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/workbench");
  w = Json::parse(http_get(auth_port(), "/api/workbench", c).body);
  EXPECT_EQ(w["unresolved_count"], 0);
  EXPECT_EQ(w["orphan_count"], 0);
  Json p3 = Json::parse(http_get(auth_port(), "/api/photo/" + a.p3.hex(), c).body);
  ASSERT_EQ(p3["links"].size(), 1u);
  EXPECT_EQ(p3["links"][0]["article_title"], "Đoàn công tác thăm Thanh Hóa");

  // Not duplicates, and an event's title.
  r = http_post(auth_port(), "/dups/not-duplicate", "csrf=" + ed.csrf + "&a=" + a.p1.hex() + "&b=" + a.p2.hex(), c);
  EXPECT_EQ(r.status, 303);
  r = http_post(auth_port(), "/event/" + a.event_id + "/edit",
                "csrf=" + ed.csrf + "&title=" + http_form("Thăm Thanh Hóa 2020") + "&date=2020-07-16", c);
  EXPECT_EQ(r.status, 303);
  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  Result<DuplicateDecisions> dd = duplicate_decisions(**snap);
  ASSERT_TRUE(dd.ok());
  ASSERT_EQ(dd->not_duplicates.size(), 1u);
  Result<Event> ev = (*snap)->event(a.event_id);
  ASSERT_TRUE(ev.ok());
  ASSERT_TRUE(apply_corrections(**snap, *ev).ok());
  EXPECT_EQ(ev->title, "Thăm Thanh Hóa 2020");
  EXPECT_EQ(ev->date.value_or(""), "2020-07-16");
  // Bad input is a clear 400/404, never a write.
  EXPECT_EQ(http_post(auth_port(), "/event/" + a.event_id + "/edit", "csrf=" + ed.csrf + "&date=16/07/2020", c).status,
            400);
  EXPECT_EQ(http_post(auth_port(), "/dups/best", "csrf=" + ed.csrf + "&photo=" + std::string(64, 'f'), c).status, 404);
  EXPECT_EQ(http_post(auth_port(), "/correction/999999/revert", "csrf=" + ed.csrf, c).status, 404);
}

TEST_F(AuthTest, ArticleChangedUnderACorrectionShowsBothAndTheEditorChooses) {
  Login ed = login("ed", kEditorPassword);
  const std::string c = cookie_header(ed.token);
  const Archive& a = archive_;
  ASSERT_EQ(http_post(auth_port(), photo_edit(a.p2), "csrf=" + ed.csrf + "&caption=" + http_form("Bản của biên tập"), c)
                .status,
            303);
  EXPECT_EQ(http_get(auth_port(), "/photo/" + a.p2.hex(), c).body.find("class=\"conflict\""), std::string::npos);
  // The article file changes its caption and is re-ingested (here: its links rewritten).
  {
    auto snap = catalog_->snapshot();
    ASSERT_TRUE(snap.ok());
    Result<std::vector<Link>> links = (*snap)->article_links(a.article_id);
    ASSERT_TRUE(links.ok());
    snap->reset();
    (*links)[1].caption = "Chú thích mới trong bài";
    WriteBatch batch;
    batch.put_links(a.article_id, *links);
    ASSERT_TRUE(catalog_->write(batch).ok());
  }
  HttpResponse page = http_get(auth_port(), "/photo/" + a.p2.hex(), c);
  EXPECT_NE(page.body.find("class=\"conflict\""), std::string::npos);
  EXPECT_NE(page.body.find("Chú thích mới trong bài"), std::string::npos);
  EXPECT_EQ(shown_caption(a.p2), "Bản của biên tập");  // the person's value stays until someone chooses
  // Keep the editor's: no conflict any more, the value stays.
  EXPECT_EQ(
      http_post(auth_port(), "/photo/" + a.p2.hex() + "/choose", "csrf=" + ed.csrf + "&field=caption&choice=mine", c)
          .status,
      303);
  EXPECT_EQ(http_get(auth_port(), "/photo/" + a.p2.hex(), c).body.find("class=\"conflict\""), std::string::npos);
  EXPECT_EQ(shown_caption(a.p2), "Bản của biên tập");
  // Nothing left to choose.
  EXPECT_EQ(
      http_post(auth_port(), "/photo/" + a.p2.hex() + "/choose", "csrf=" + ed.csrf + "&field=caption&choice=machine", c)
          .status,
      400);
}

TEST(WebAuthPublic, PublicModeReadsWithoutLoginButNeverWrites) {
  testing::TempDir dir;
  auto cat = Catalog::open((dir.path() / "archive").string());
  ASSERT_TRUE(cat.ok());
  ASSERT_TRUE(add_user(**cat, "ed", Role::kEditor, kEditorPassword).ok());
  web::ServerOptions opts;
  opts.port = 0;
  opts.threads = 2;
  opts.public_read = true;
  auto server = web::Server::create(**cat, opts);
  ASSERT_TRUE(server->bind().ok());
  std::thread t([&] { (void)server->run(); });
  for (int i = 0; i < 200 && http_get(server->port(), "/favicon.svg").status != 200; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(http_get(server->port(), "/").status, 200);
  EXPECT_EQ(http_get(server->port(), "/api/events").status, 200);
  EXPECT_EQ(http_get(server->port(), "/workbench").status, 401);
  EXPECT_EQ(http_post(server->port(), "/dups/best", "photo=" + std::string(64, 'a')).status, 401);
  server->stop();
  t.join();
}

}  // namespace
}  // namespace kho::webtest
