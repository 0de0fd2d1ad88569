// The HTTP core below the routes (webui/src/http.h): request heads, byte ranges, keep-alive, pipelining.
#include "webui/src/http.h"
#include "webui/src/routes.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "web_fixture.h"

namespace kho::webtest {
namespace {

using web::http::ByteRange;
using web::http::plan_ranges;
using web::http::RangeVerdict;

std::vector<std::pair<std::uint64_t, std::uint64_t>> parts(std::string_view header, std::uint64_t size) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (const ByteRange& r : plan_ranges(header, size).ranges) out.emplace_back(r.first, r.last);
  return out;
}

TEST(HttpRangeTest, ParsesMergesAndRefuses) {
  using P = std::vector<std::pair<std::uint64_t, std::uint64_t>>;
  EXPECT_EQ(parts("bytes=0-", 10), (P{{0, 9}}));
  EXPECT_EQ(parts("bytes=2-100", 10), (P{{2, 9}}));
  EXPECT_EQ(parts("bytes=-3", 10), (P{{7, 9}}));
  EXPECT_EQ(parts("bytes=-30", 10), (P{{0, 9}}));
  EXPECT_EQ(parts("bytes=0-0,0-0,0-0", 10), (P{{0, 0}}));
  EXPECT_EQ(parts("bytes=4-6, 0-1 ,2-3", 10), (P{{0, 6}}));  // sorted, adjacent ones joined
  EXPECT_EQ(parts("bytes=0-1,5-6", 10), (P{{0, 1}, {5, 6}}));
  EXPECT_EQ(parts("bytes=0-1,20-30", 10), (P{{0, 1}}));  // the unsatisfiable part is dropped
  EXPECT_EQ(plan_ranges("bytes=10-", 10).verdict, RangeVerdict::kUnsatisfiable);
  EXPECT_EQ(plan_ranges("bytes=-0", 10).verdict, RangeVerdict::kUnsatisfiable);
  for (const char* bad : {"", "bytes=", "bytes=5-1", "bytes=a-b", "bytes=--", "items=0-1", "bytes=0-1;2-3",
                          "bytes=99999999999999999999-", "bytes=1"})
    EXPECT_EQ(plan_ranges(bad, 10).verdict, RangeVerdict::kIgnore) << bad;
  // Parts that add up to the whole body, too many parts, or too many specs: the whole body once.
  EXPECT_EQ(plan_ranges("bytes=0-4,6-9,5-5,0-9", 10).verdict, RangeVerdict::kPartial);  // merges to one part
  EXPECT_EQ(plan_ranges("bytes=0-4,6-9", 10).verdict, RangeVerdict::kPartial);
  std::string nine = "bytes=0-0";
  for (int i = 1; i < 9; ++i)
    nine.append(",").append(std::to_string(i * 10)).append("-").append(std::to_string(i * 10));
  EXPECT_EQ(plan_ranges(nine, 1000).verdict, RangeVerdict::kIgnore);
  std::string many = "bytes=0-";
  for (int i = 0; i < 100; ++i) many += ",0-";
  EXPECT_EQ(plan_ranges(many, 1000).verdict, RangeVerdict::kIgnore);
}

TEST(HttpHeadTest, ParsesAndRefuses) {
  web::http::Request req;
  ASSERT_EQ(web::http::parse_request_head("GET /search?q=Thanh+H%C3%B3a&page=2 HTTP/1.1\r\nHost: x\r\n"
                                          "If-None-Match:  \"abc\"  ",
                                          req),
            0);
  EXPECT_EQ(req.path, "/search");
  EXPECT_EQ(req.get_param_value("q"), "Thanh Hóa");
  EXPECT_EQ(req.get_param_value("page"), "2");
  EXPECT_EQ(req.get_header_value("if-none-match"), "\"abc\"");  // names case-insensitive, value trimmed
  EXPECT_EQ(req.version, 11);

  auto status = [](const std::string& head) {
    web::http::Request r;
    return web::http::parse_request_head(head, r);
  };
  EXPECT_EQ(status("GET / HTTP/1.0"), 0);
  EXPECT_EQ(status("GET / HTTP/2.0"), 400);
  EXPECT_EQ(status("GET /"), 400);
  EXPECT_EQ(status("GET  HTTP/1.1"), 400);
  EXPECT_EQ(status("G(T / HTTP/1.1"), 400);
  EXPECT_EQ(status("GET x HTTP/1.1"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nNoColon"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nA: b\r\n folded"), 400);  // obsolete line folding
  EXPECT_EQ(status("GET / HTTP/1.1\r\nBad Name: b"), 400);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nA: b\x01"), 400);
  std::string many = "GET / HTTP/1.1";
  for (int i = 0; i < 101; ++i) many += "\r\nH" + std::to_string(i) + ": v";
  EXPECT_EQ(status(many), 431);
  web::http::Request longer;
  EXPECT_EQ(web::http::parse_request_head("GET /api/search?q=" + std::string(9000, 'a') + " HTTP/1.1", longer), 414);
  EXPECT_EQ(longer.path, "/api/search");  // known, so the error can answer in the route's format
}

// Sends `bytes` and reads everything until the server closes (at most 5 s).
std::string exchange_until_close(int port, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    char buf[16384];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// The router's patterns (http.h, Router::Get): whole segments, the same captures std::regex gave, 405 for a
// known path with another method, and no recursion however long the path (an 8 KB path overflowed the stack
// under std::regex).
TEST(HttpRouterTest, MatchesWholeSegmentsWithCaptures) {
  using web::http::Request;
  using web::http::Response;
  web::http::Router router;
  auto echo = [](const Request& req, Response& res) {
    std::string out;
    for (std::size_t i = 1; i < req.matches.size(); ++i) out += (i > 1 ? "|" : "") + req.matches[i].str();
    res.set_content(out, "text/plain");
  };
  router.Get("/search", echo);
  router.Get(R"(/event/([^/]+))", echo);
  router.Get(R"(/event/([^/]+)/download)", echo);
  router.Get(R"(/original/([0-9a-f]{64})/file/([0-9]+))", echo);
  router.Get(R"(/thumb/([0-9a-f]{4})/(320|1280))", echo);
  router.Post(R"(/correction/([0-9]{1,3})/revert)", echo);
  auto run = [&](const std::string& method, const std::string& path) {
    Request req;
    req.method = method;
    req.path = path;
    Response res;
    router.route(req, res);
    return std::to_string(res.status) + " " + res.body;
  };
  EXPECT_EQ(run("GET", "/search"), "200 ");
  EXPECT_EQ(run("GET", "/event/Lễ hội 2021"), "200 Lễ hội 2021");
  EXPECT_EQ(run("GET", "/event/x/download"), "200 x");
  EXPECT_EQ(run("GET", "/event/"), "404 ");
  EXPECT_EQ(run("GET", "/event/a/b"), "404 ");
  EXPECT_EQ(run("GET", "/original/" + std::string(64, 'a') + "/file/12"), "200 " + std::string(64, 'a') + "|12");
  EXPECT_EQ(run("GET", "/original/" + std::string(64, 'A') + "/file/12"), "404 ");  // lower-case hex only
  EXPECT_EQ(run("GET", "/original/" + std::string(63, 'a') + "/file/12"), "404 ");
  EXPECT_EQ(run("GET", "/original/" + std::string(64, 'a') + "/file/"), "404 ");
  EXPECT_EQ(run("GET", "/thumb/0a9f/1280"), "200 0a9f|1280");
  EXPECT_EQ(run("GET", "/thumb/0a9f/640x"), "404 ");
  EXPECT_EQ(run("POST", "/correction/123/revert"), "200 123");
  EXPECT_EQ(run("POST", "/correction/1234/revert"), "404 ");  // {1,3}
  EXPECT_EQ(run("GET", "/correction/12/revert"), "405 ");
  EXPECT_EQ(run("POST", "/event/x"), "405 ");
  // Long paths: no stack use that grows with the length, and a long segment still matches [^/]+.
  EXPECT_EQ(run("GET", "/event/" + std::string(1 << 20, 'x')), "200 " + std::string(1 << 20, 'x'));
  EXPECT_EQ(run("GET", std::string(1 << 20, '/')), "404 ");
}

TEST(HttpRouterDeathTest, APatternOutsideTheLanguageIsAProgrammingError) {
  auto handler = [](const web::http::Request&, web::http::Response&) {};
  EXPECT_DEATH(web::http::Router().Get(R"(/a/(.*))", handler), "route pattern");
  EXPECT_DEATH(web::http::Router().Get(R"(/a/x([0-9]+))", handler), "route pattern");
  EXPECT_DEATH(web::http::Router().Post("relative", handler), "route pattern");
}

TEST_F(WebServerTest, KeepAlivePipeliningHeadAndMethods) {
  // Three requests in one write on one connection: three answers, in order; the last closes.
  const std::string thumb = "/thumb/" + archive_.p2.hex() + "/320";
  std::string raw = exchange_until_close(
      port(), "GET " + thumb +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  "HEAD " +
                  thumb +
                  " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                  "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  std::size_t first = raw.find("HTTP/1.1 200");
  std::size_t second = raw.find("HTTP/1.1 200", first + 1);
  std::size_t third = raw.find("HTTP/1.1 200", second + 1);
  ASSERT_NE(third, std::string::npos) << raw.substr(0, 300);
  HttpResponse get = parse_response(raw.substr(first, second - first));
  EXPECT_EQ(get.body, archive_.jpeg);
  HttpResponse head = parse_response(raw.substr(second, third - second));
  EXPECT_EQ(head.header("content-length"), std::to_string(archive_.jpeg.size()));
  EXPECT_TRUE(head.body.empty());
  EXPECT_NE(raw.find("\"events\"", third), std::string::npos);

  // HTTP/1.0 closes unless asked to keep alive.
  HttpResponse old = parse_response(raw_exchange(port(), "GET /api/events HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(old.status, 200);
  EXPECT_EQ(old.header("connection"), "close");

  // Other methods on a known route: 405 with Allow; a body is read and refused, not executed.
  HttpResponse post = parse_response(raw_exchange(
      port(), "POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"));
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("allow"), "GET, HEAD");
  HttpResponse chunked = parse_response(raw_exchange(
      port(), "POST /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(chunked.status, 411);
  EXPECT_EQ(parse_response(
                raw_exchange(port(), "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999\r\n\r\n"))
                .status,
            413);
}

}  // namespace
}  // namespace kho::webtest

namespace kho::web {
namespace {

// Originals serve with their registered type (issue 14): HEIC and HEIF are told apart, AVIF is an image,
// camera raw is a download.
TEST(WebMedia, OriginalsServeWithTheirRegisteredType) {
  EXPECT_EQ(mime_for(std::string("jpeg")), "image/jpeg");
  EXPECT_EQ(mime_for(std::string("heic")), "image/heic");
  EXPECT_EQ(mime_for(std::string("heif")), "image/heif");
  EXPECT_EQ(mime_for(std::string("avif")), "image/avif");
  EXPECT_EQ(mime_for(std::string("nef")), "application/octet-stream");
  EXPECT_EQ(mime_for(std::nullopt), "application/octet-stream");
}

}  // namespace
}  // namespace kho::web
