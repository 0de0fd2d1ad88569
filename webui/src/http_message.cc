// Requests, responses, routing and byte ranges: the parts of the HTTP core that do no I/O (http.h).
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>

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

const Capture& Captures::operator[](std::size_t i) const {
  static const Capture kNone;
  return i < groups.size() ? groups[i] : kNone;
}

namespace {

[[noreturn]] void bad_pattern(const std::string& pattern, const char* why) {
  std::fprintf(stderr, "kho: route pattern %s: %s (webui/src/http.h, Router::Get)\n", pattern.c_str(), why);
  std::abort();
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return parts;
    path.remove_prefix(slash + 1);
  }
}

// A pattern's segments: split at each '/' outside a group ("[^/]+" holds one).
std::vector<std::string_view> split_pattern(std::string_view pattern) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  int depth = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '(') ++depth;
    if (pattern[i] == ')') --depth;
    if (pattern[i] == '/' && depth == 0) {
      parts.push_back(pattern.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  parts.push_back(pattern.substr(begin));
  return parts;
}

// "{N}" or "{N,M}" or "+" after a character class: the length bounds.
void parse_bounds(std::string_view rest, const std::string& pattern, std::size_t* min, std::size_t* max) {
  if (rest == "+") return;
  if (rest.size() < 3 || rest.front() != '{' || rest.back() != '}') bad_pattern(pattern, "a class needs + or {N[,M]}");
  rest = rest.substr(1, rest.size() - 2);
  auto number = [&](std::string_view digits) {
    std::size_t n = 0;
    if (digits.empty() || digits.size() > 4) bad_pattern(pattern, "a bad length bound");
    for (char c : digits) {
      if (c < '0' || c > '9') bad_pattern(pattern, "a bad length bound");
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
  };
  const std::size_t comma = rest.find(',');
  *min = number(rest.substr(0, comma));
  *max = comma == std::string_view::npos ? *min : number(rest.substr(comma + 1));
  if (*min == 0 || *max < *min) bad_pattern(pattern, "length bounds must be 1 ≤ N ≤ M");
}

}  // namespace

bool Router::Segment::matches(std::string_view s) const {
  switch (kind) {
    case Kind::kLiteral: return s == literal;
    case Kind::kAny: return !s.empty();
    case Kind::kDigits:
    case Kind::kHex: {
      if (s.size() < min || s.size() > max) return false;
      const char* set = kind == Kind::kDigits ? "0123456789" : "0123456789abcdef";
      return s.find_first_not_of(set) == std::string_view::npos;
    }
    case Kind::kOneOf:
      for (const std::string& w : words)
        if (s == w) return true;
      return false;
  }
  return false;
}

Router::Route Router::compile(std::string method, const std::string& pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') bad_pattern(pattern, "must start with /");
  Route route{std::move(method), pattern, {}, std::move(handler)};
  for (std::string_view part : split_pattern(pattern)) {
    Segment seg;
    if (part.size() >= 2 && part.front() == '(' && part.back() == ')') {
      const std::string_view group = part.substr(1, part.size() - 2);
      if (group == "[^/]+") {
        seg.kind = Segment::Kind::kAny;
      } else if (group.rfind("[0-9]", 0) == 0) {
        seg.kind = Segment::Kind::kDigits;
        parse_bounds(group.substr(5), pattern, &seg.min, &seg.max);
      } else if (group.rfind("[0-9a-f]", 0) == 0) {
        seg.kind = Segment::Kind::kHex;
        parse_bounds(group.substr(8), pattern, &seg.min, &seg.max);
      } else {
        seg.kind = Segment::Kind::kOneOf;
        std::string_view rest = group;
        for (;;) {
          const std::size_t bar = rest.find('|');
          const std::string_view w = rest.substr(0, bar);
          if (w.empty() || w.find_first_of("()[]{}*+?\\^$.") != std::string_view::npos)
            bad_pattern(pattern, "a group must be [^/]+, [0-9]…, [0-9a-f]… or plain words joined by |");
          seg.words.emplace_back(w);
          if (bar == std::string_view::npos) break;
          rest.remove_prefix(bar + 1);
        }
      }
    } else {
      if (part.find_first_of("()[]{}*+?|\\^$.") != std::string_view::npos)
        bad_pattern(pattern, "a segment is literal text or one whole group");
      seg.literal = std::string(part);
    }
    route.segments.push_back(std::move(seg));
  }
  return route;
}

bool Router::Route::match(std::string_view path, Captures* out) const {
  // Count the segments first: a path with more of them than the pattern is no match, whatever its length.
  if (static_cast<std::size_t>(std::count(path.begin(), path.end(), '/')) + 1 != segments.size()) return false;
  const std::vector<std::string_view> parts = split_path(path);
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!segments[i].matches(parts[i])) return false;
  if (out) {
    out->groups.clear();
    out->groups.push_back(Capture{std::string(path)});
    for (std::size_t i = 0; i < parts.size(); ++i)
      if (segments[i].kind != Segment::Kind::kLiteral) out->groups.push_back(Capture{std::string(parts[i])});
  }
  return true;
}

void Router::Get(const std::string& pattern, Handler handler) {
  const bool exact = pattern.find_first_of("()[]{}*+?|\\^$.") == std::string::npos;
  if (exact) {
    exact_get_[pattern] = std::move(handler);
  } else {
    routes_.push_back(compile("GET", pattern, std::move(handler)));
  }
}

void Router::Post(const std::string& pattern, Handler handler) {
  routes_.push_back(compile("POST", pattern, std::move(handler)));
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
  for (const Route& r : routes_) {
    Captures m;
    if (!r.match(req.path, &m)) continue;
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
      if (!r.match(req.path, nullptr)) continue;
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
