// Fuzz target: HTTP request handling in the server's own core, without sockets (webui/src/http_message.cc):
// request head parsing (request line, target, query parameters, header fields and their bounds), routing
// through a Router with the server's route patterns, byte ranges (Range against the reply's size), percent
// coding. The input is what a client sends: a head, "\r\n\r\n", then a body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_check.h"
#include "webui/src/http.h"

namespace http = kho::web::http;

namespace {

// The reply size the Range header is planned against: taken from the request so that small and large files
// are both tried ("size" query parameter), else a thumbnail-like 40 KB.
std::uint64_t reply_size(const http::Request& req) {
  std::string v = req.get_param_value("size");
  std::uint64_t n = 0;
  for (char c : v.substr(0, 19)) {
    if (c < '0' || c > '9') return 40'000;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v.empty() ? 40'000 : n;
}

void check_ranges(const http::Request& req) {
  const std::uint64_t size = reply_size(req);
  http::RangePlan plan = http::plan_ranges(req.get_header_value("Range"), size);
  if (plan.verdict != http::RangeVerdict::kPartial) {
    FUZZ_CHECK(plan.ranges.empty());
    return;
  }
  // Sorted, disjoint, not adjacent, inside the body; a few parts; together smaller than the body.
  FUZZ_CHECK(!plan.ranges.empty() && plan.ranges.size() <= http::kMaxRangeParts);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < plan.ranges.size(); ++i) {
    const http::ByteRange& r = plan.ranges[i];
    FUZZ_CHECK(r.first <= r.last && r.last < size);
    if (i > 0) FUZZ_CHECK(plan.ranges[i - 1].last + 1 < r.first);
    total += r.last - r.first + 1;
  }
  FUZZ_CHECK(total <= size);
  if (plan.ranges.size() > 1) FUZZ_CHECK(total < size);
}

const http::Router& router() {
  static const http::Router r = [] {
    http::Router router;
    auto ok = [](const http::Request& req, http::Response& res) {
      res.set_content(req.path + "|" + (req.matches.size() > 1 ? req.matches[1].str() : std::string()), "text/plain");
    };
    // The server's patterns (webui/src/server.cc, media.cc, views_export.cc).
    for (const char* p : {"/", "/dups", "/search", "/api/events", "/api/dups", "/api/search"}) router.Get(p, ok);
    for (const char* p : {R"(/event/([^/]+))", R"(/photo/([^/]+))", R"(/api/event/([^/]+))", R"(/api/photo/([^/]+))",
                          R"(/original/([0-9a-f]{64}))", R"(/photo/([0-9a-f]{64})/download)",
                          R"(/event/([^/]+)/download)", R"(/thumb/([0-9a-f]{64})/(320|1280))"}) {
      router.Get(p, ok);
    }
    router.set_error_handler([](const http::Request&, http::Response& res) {
      res.set_content("{\"error\":" + std::to_string(res.status) + "}", "application/json");
    });
    return router;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = kho::fuzz::as_text(data, size);
  const std::size_t end = in.find("\r\n\r\n");
  http::Request req;
  const int status = http::parse_request_head(in.substr(0, end), req);
  FUZZ_CHECK(status == 0 || status == 400 || status == 414 || status == 431);
  if (status != 0) {
    http::Response res;
    res.status = status;
    router().fill_error(req, res);
    return 0;
  }
  FUZZ_CHECK(req.version == 10 || req.version == 11);
  FUZZ_CHECK(!req.target.empty() && req.target.front() == '/');
  if (end != std::string_view::npos) req.body.assign(in.substr(end + 4));
  http::Response res;
  router().route(req, res);
  router().fill_error(req, res);
  FUZZ_CHECK(res.status == 200 || res.status == 404 || res.status == 405);
  check_ranges(req);
  // Form-style bodies and cookie values go through the same percent decoding; encoding round-trips.
  const std::string decoded = http::percent_decode(req.body, true);
  FUZZ_CHECK(http::percent_decode(http::query_encode(decoded), false) == decoded);
  (void)http::percent_decode(req.get_header_value("Cookie"), false);
  return 0;
}
