// Requests, responses, routing and byte ranges: the parts of the HTTP core that do no I/O (http.h).
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "http.h"

namespace kho::web::http {
namespace {

constexpr std::size_t kMaxTarget = 8192;
constexpr std::size_t kMaxHeaders = 100;

// RFC 9110 tchar, as a table: this runs for every byte of every method and header name.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}();

bool is_token_char(unsigned char c) { return kTokenChars[c]; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void parse_query(std::string_view q, std::multimap<std::string, std::string>& out) {
  while (!q.empty()) {
    std::size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
    out.emplace(std::move(key), std::move(value));
  }
}

bool parse_u64(std::string_view s, std::uint64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

bool CaseLess::operator()(const std::string& a, const std::string& b) const {
  return ::strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string Request::get_header_value(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::get_param_value(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

FileBody::~FileBody() {
  if (fd >= 0) ::close(fd);
}

void Response::set_header(const std::string& name, const std::string& value) {
  // Header values never carry a line break into the response. (A plain loop: find_first_of calls memchr
  // once per byte, which was 7% of a thumbnail's CPU with the long Content-Security-Policy.)
  for (char c : value)
    if (c == '\r' || c == '\n') return;
  for (char c : name)
    if (c == '\r' || c == '\n' || c == ':') return;
  headers.erase(name);
  headers.emplace(name, value);
}

std::string Response::get_header_value(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

void Response::set_content(std::string content, const std::string& content_type) {
  body = std::move(content);
  file.reset();
  set_header("Content-Type", content_type);
}

void Response::set_content(const char* data, std::size_t size, const std::string& content_type) {
  set_content(std::string(data, size), content_type);
}

void Response::set_file(int fd, std::uint64_t size, const std::string& content_type) {
  body.clear();
  file = std::make_shared<FileBody>(fd);
  file_offset = 0;
  file_size = size;
  set_header("Content-Type", content_type);
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string query_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

int parse_request_head(std::string_view head, Request& req) {
  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
  // Request line: METHOD SP target SP HTTP/1.x
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return 400;
  std::size_t sp2 = line.rfind(' ');
  if (sp2 == sp1) return 400;
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  for (char c : method)
    if (!is_token_char(static_cast<unsigned char>(c))) return 400;
  req.method.assign(method);
  req.target.assign(target.substr(0, std::min(target.size(), kMaxTarget)));
  std::size_t q = req.target.find('?');
  req.path = percent_decode(std::string_view(req.target).substr(0, q), false);
  if (target.size() > kMaxTarget) return 414;
  if (version == "HTTP/1.1") {
    req.version = 11;
  } else if (version == "HTTP/1.0") {
    req.version = 10;
  } else {
    return 400;  // HTTP/2 and later never reach an HTTP/1 parser; anything else is not HTTP
  }
  if (target.empty() || target.front() != '/') return 400;
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return 400;
  if (q != std::string::npos) {
    req.query = req.target.substr(q + 1);
    parse_query(req.query, req.params);
  }
  // Header fields: name ":" OWS value OWS; no obsolete line folding.
  std::size_t count = 0;
  while (!rest.empty()) {
    std::size_t e = rest.find("\r\n");
    std::string_view h = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 2);
    if (++count > kMaxHeaders) return 431;
    std::size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0) return 400;
    for (std::size_t i = 0; i < colon; ++i)
      if (!is_token_char(static_cast<unsigned char>(h[i]))) return 400;
    std::string_view value = trim(h.substr(colon + 1));
    for (char c : value)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return 400;
    req.headers.emplace(std::string(h.substr(0, colon)), std::string(value));
  }
  return 0;
}

RangePlan plan_ranges(std::string_view header, std::uint64_t size) {
  RangePlan plan;
  header = trim(header);
  if (header.substr(0, 6) != "bytes=") return plan;
  std::string_view specs = header.substr(6);
  std::vector<ByteRange> ranges;
  bool any_valid = false;
  std::size_t n = 0;
  while (!specs.empty() || n == 0) {
    std::size_t comma = specs.find(',');
    std::string_view spec = trim(specs.substr(0, comma));
    specs = comma == std::string_view::npos ? std::string_view() : specs.substr(comma + 1);
    if (++n > kMaxRangeSpecs) return RangePlan{};
    if (spec.empty()) {
      if (comma == std::string_view::npos) break;
      continue;  // "bytes=0-1,,2-3": empty elements are allowed by the list syntax
    }
    std::size_t dash = spec.find('-');
    if (dash == std::string_view::npos) return RangePlan{};
    std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
    std::uint64_t first = 0, last = 0;
    if (a.empty()) {  // suffix: the last b bytes
      if (!parse_u64(b, last)) return RangePlan{};
      any_valid = true;
      if (last == 0 || size == 0) continue;
      first = last >= size ? 0 : size - last;
      last = size - 1;
    } else {
      if (!parse_u64(a, first)) return RangePlan{};
      if (b.empty()) {
        last = size == 0 ? 0 : size - 1;
      } else if (!parse_u64(b, last) || last < first) {
        return RangePlan{};
      }
      any_valid = true;
      if (first >= size) continue;  // unsatisfiable alone
      last = std::min(last, size - 1);
    }
    ranges.push_back({first, last});
    if (comma == std::string_view::npos) break;
  }
  if (!any_valid) return RangePlan{};
  if (ranges.empty()) {
    plan.verdict = RangeVerdict::kUnsatisfiable;
    return plan;
  }
  std::sort(ranges.begin(), ranges.end(), [](const ByteRange& x, const ByteRange& y) { return x.first < y.first; });
  std::vector<ByteRange> merged;
  for (const ByteRange& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().last + 1) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  // Many parts, or parts that together are no smaller than the body, are not worth the multipart
  // framing: the whole body is sent instead (RFC 9110 lets a server ignore Range).
  std::uint64_t total = 0;
  for (const ByteRange& r : merged) total += r.last - r.first + 1;
  if (merged.size() > kMaxRangeParts || (merged.size() > 1 && total >= size)) return RangePlan{};
  plan.verdict = RangeVerdict::kPartial;
  plan.ranges = std::move(merged);
  return plan;
}

void Router::Get(const std::string& pattern, Handler handler) {
  bool exact = pattern.find_first_of("()[]{}*+?|\\^$.") == std::string::npos;
  if (exact) {
    exact_get_[pattern] = std::move(handler);
  } else {
    routes_.push_back(
        Route{"GET", std::regex(pattern, std::regex::ECMAScript | std::regex::optimize), std::move(handler)});
  }
}

void Router::Post(const std::string& pattern, Handler handler) {
  routes_.push_back(
      Route{"POST", std::regex(pattern, std::regex::ECMAScript | std::regex::optimize), std::move(handler)});
}

bool Router::run_fast(Request& req, Response& res) const {
  if (fast_.empty()) return false;
  if (guard_ && !guard_(req, res)) return true;
  for (const FastHandler& f : fast_)
    if (f(req, res)) return true;
  return false;
}

void Router::route(Request& req, Response& res) const {
  if (guard_ && !guard_(req, res)) return;
  const bool get = req.method == "GET" || req.method == "HEAD";
  if (auto it = exact_get_.find(req.path); it != exact_get_.end()) {
    if (get) {
      it->second(req, res);
      if (after_) after_(req, res);
      return;
    }
    // A POST route may share the path (the login form): look there before answering 405.
  }
  bool known = exact_get_.count(req.path) > 0;
  // libstdc++'s std::regex recurses once per character: an 8 KB path overflowed the stack under ASan
  // (found by tests/fuzz, fuzz_http). No route's path comes near this bound.
  constexpr std::size_t kMaxRegexPath = 1024;
  for (const Route& r : routes_) {
    if (req.path.size() > kMaxRegexPath) break;
    std::smatch m;
    if (!std::regex_match(req.path, m, r.re)) continue;
    known = true;
    if (r.method == "POST" ? req.method != "POST" : !get) continue;
    req.matches = std::move(m);
    r.handler(req, res);
    if (after_) after_(req, res);
    return;
  }
  if (known) {
    res.status = 405;
    bool has_get = exact_get_.count(req.path) > 0, has_post = false;
    for (const Route& r : routes_) {
      if (req.path.size() > kMaxRegexPath) break;
      if (!std::regex_match(req.path, r.re)) continue;
      (r.method == "POST" ? has_post : has_get) = true;
    }
    res.set_header("Allow", std::string(has_get ? "GET, HEAD" : "") + (has_get && has_post ? ", " : "") +
                                (has_post ? "POST" : ""));
    return;
  }
  res.status = 404;
}

void Router::fill_error(const Request& req, Response& res) const {
  if (error_ && res.body.empty() && !res.file) error_(req, res);
}

}  // namespace kho::web::http
