// Hostile text and hostile requests: escaping, traversal, malformed HTTP.
#include <random>

#include "web_fixture.h"

namespace kho::webtest {
namespace {

TEST_F(WebServerTest, CaptionWithScriptIsRenderedAsText) {
  for (const std::string& target : {"/event/" + archive_.event_id, "/photo/" + archive_.p1.hex(),
                                    std::string("/search?q=lanh+dao")}) {
    HttpResponse r = http_get(port(), target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body.find("<script>alert(1)</script>"), std::string::npos) << target;
    EXPECT_NE(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << target;
  }
  // The query itself is user text too.
  HttpResponse q = http_get(port(), "/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
  EXPECT_EQ(q.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(q.body.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(q.header("content-security-policy").find("script-src 'self'"), std::string::npos);
}

TEST_F(WebServerTest, TraversalAttemptsGet4xx) {
  const std::vector<std::string> attempts = {
      "/thumb/../../etc/passwd",
      "/thumb/%2e%2e/%2e%2e/etc/passwd",
      "/thumb/..%2f..%2fetc%2fpasswd",
      "/thumb/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd/320",
      "/thumb/....//....//etc/passwd",
      "/thumb/%252e%252e/%252e%252e/etc/passwd",
      "/thumb/..\\..\\etc\\passwd",
      "/original/../../../../etc/passwd",
      "/original/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/static/../../../etc/passwd",
      "/../../../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/event/..%2f..%2f..%2fetc%2fpasswd",
      "/photo/%00",
      "/thumb/" + std::string(64, 'a') + "%00/320",
  };
  for (const std::string& a : attempts) {
    HttpResponse r = http_get(port(), a);
    EXPECT_GE(r.status, 400) << a;
    EXPECT_LT(r.status, 500) << a;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << a;
  }
}

// 1,000 malformed requests of many kinds; the server must answer normally afterwards.
TEST_F(WebServerTest, SurvivesAThousandMalformedRequests) {
  std::mt19937 rng(12345);
  auto random_bytes = [&](std::size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng() & 0xff);
    return s;
  };
  const std::vector<std::string> fixed = {
      "",
      "\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET /\r\n\r\n",
      "BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST /api/events HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
      "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /search?q=%zz%e0%80 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /search?q=%C3%28%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /thumb/" + std::string(64, 'a') + "/320 HTTP/1.1\r\nHost: x\r\nRange: bytes=5-1\r\n\r\n",
      "GET /original/" + std::string(64, 'a') + " HTTP/1.1\r\nRange: bytes=--\r\n\r\n",
      "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\n" + std::string(9000, 'X') + ": y\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nNoColonHeader\r\n\r\n",
      "GET /?page=99999999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /api/search?q=" + std::string(5000, 'a') + " HTTP/1.1\r\n\r\n",
      "GET /api/search?q=a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a%20a HTTP/1.1\r\n\r\n",
  };
  int answered_4xx = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string req;
    if (i % 3 == 0) {
      req = fixed[static_cast<std::size_t>(i / 3) % fixed.size()];
    } else if (i % 3 == 1) {
      req = random_bytes(1 + rng() % 300);
    } else {  // a valid request with a few bytes flipped
      req = "GET /event/" + archive_.event_id + "?page=2 HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-9\r\n\r\n";
      for (int k = 0; k < 3; ++k) req[rng() % req.size()] = static_cast<char>(rng() & 0xff);
    }
    // Every request ends its header block, so the server answers instead of waiting for more bytes; a
    // request that still waits (a body shorter than its Content-Length) is dropped after 300 ms.
    req += "\r\n\r\n";
    HttpResponse r = parse_response(raw_exchange(port(), req, 300));
    EXPECT_TRUE(r.status == 0 || r.status < 500) << "request " << i << " got " << r.status;
    if (r.status >= 400) ++answered_4xx;
  }
  EXPECT_GT(answered_4xx, 300);  // most are refused with a 4xx rather than dropped
  HttpResponse ok = http_get(port(), "/");
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("Đoàn công tác thăm Thanh Hóa"), std::string::npos);
}

}  // namespace
}  // namespace kho::webtest
