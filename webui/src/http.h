// Private to webui: the HTTP/1.1 core under `kho serve` (webui/README.md, "Limits").
//
// Event-driven: a few I/O threads (epoll) own every connection, so an idle or slow client costs a
// buffer, never a thread. A request head must arrive whole within a deadline; each address may hold a
// bounded number of connections (beyond it, its least recently active idle one is closed). Routes run
// on a small worker pool; routes marked fast (thumbnails, assets: no disk, no rendering) run on the I/O
// thread. Names follow cpp-httplib's (Request::matches, get_param_value, Response::set_content, Router::
// Get), so a handler written for httplib needs only its types renamed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kho/status.h"

namespace kho::web::http {

struct CaseLess {
  bool operator()(const std::string& a, const std::string& b) const;
};
using Headers = std::multimap<std::string, std::string, CaseLess>;

// The captures of a route's pattern (Router::Get): [0] is the whole path, [1]… each group, as std::smatch
// numbers them; .str() as std::smatch's sub-matches have.
struct Capture {
  std::string text;
  const std::string& str() const { return text; }
};
struct Captures {
  std::vector<Capture> groups;
  std::size_t size() const { return groups.size(); }
  const Capture& operator[](std::size_t i) const;  // an empty capture past the end
};

struct Request {
  std::string method;
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded
  std::string query;   // raw, after '?'
  int version = 11;    // 10 or 11
  Headers headers;
  std::multimap<std::string, std::string> params;  // decoded query parameters
  Captures matches;                                // captures of the route's pattern, over `path`
  std::string remote_addr;
  std::string body;  // only with a Content-Length (GET/HEAD have none)
  // Who sent it, filled by the router's guard (Router::set_guard; webui/src/session.h): empty user when
  // anonymous. role: -1 anonymous, else kho::Role's value.
  struct Identity {
    std::string user;
    int role = -1;
    std::string csrf;      // the session's CSRF token
    std::string token;     // the session cookie's value
    bool checked = false;  // the guard ran (on the I/O thread): the worker need not look the session up again
  } identity;

  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  std::string get_header_value(const std::string& name) const;
  bool has_param(const std::string& name) const { return params.count(name) > 0; }
  std::string get_param_value(const std::string& name) const;
};

// An open file to send (sendfile), shared by the parts of a range reply.
struct FileBody {
  explicit FileBody(int descriptor) : fd(descriptor) {}
  ~FileBody();
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;
  int fd;
};

// A body written after the head, piece by piece, by a producer (the event ZIP: issue 13). The producer runs
// on the worker that ran the route, once the route returned; each call of the sink hands over bytes (any
// size; copied). The sink blocks while the connection's buffer (CoreOptions::stream_buffer) is full and
// returns false once the client is gone, the send deadline passed or the server stops: the producer should
// then return at once. The producer returns true when the body is complete; false ends the reply
// unfinished (the connection is closed without the last chunk, so the client sees a truncated download).
// Sent with `Transfer-Encoding: chunked` (HTTP/1.1) or closed-delimited (HTTP/1.0); HEAD runs no producer.
using BodySink = std::function<bool(std::string_view)>;
using BodyProducer = std::function<bool(const BodySink&)>;

struct Response {
  int status = 200;
  Headers headers;
  std::string body;                // the body, unless `file` is set
  std::shared_ptr<FileBody> file;  // else bytes [file_offset, file_offset + file_size) of this file
  std::uint64_t file_offset = 0;
  std::uint64_t file_size = 0;
  BodyProducer producer;        // with a 200: the body is produced after the head (no Range, no length)
  bool ranges_allowed = false;  // a 200 GET with a body may then be cut by the Range header
  bool close = false;           // close the connection after this response

  void set_header(const std::string& name, const std::string& value);
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  std::string get_header_value(const std::string& name) const;
  void set_content(std::string content, const std::string& content_type);
  void set_content(const char* data, std::size_t size, const std::string& content_type);
  // Takes ownership of `fd`; serves `size` bytes from offset 0.
  void set_file(int fd, std::uint64_t size, const std::string& content_type);
  std::uint64_t content_length() const { return file ? file_size : body.size(); }
};

using Handler = std::function<void(const Request&, Response&)>;
// Returns true when it answered; runs on an I/O thread, so it must not block (no disk, no rendering).
using FastHandler = std::function<bool(const Request&, Response&)>;

class Router {
 public:
  // `pattern`: an exact path, or a path pattern matched against the whole decoded path, segment by segment
  // (captures in Request::matches). A segment is literal text or one group, written as the regex it would
  // be: "([^/]+)" any non-empty segment, "([0-9]+)" / "([0-9]{1,19})" digits, "([0-9a-f]{64})" lower-case hex
  // of that length, "(320|1280)" one of the words. Matching is linear in the path, with no recursion and no
  // backtracking (std::regex recursed once per character: an 8 KB path overflowed the stack). A pattern
  // outside this language is a programming error and aborts at registration, naming it.
  // Handlers run on the worker pool. Registration happens before Server::run().
  void Get(const std::string& pattern, Handler handler);
  // A POST route (exact path or pattern, as Get). A known path with another method answers 405.
  void Post(const std::string& pattern, Handler handler);
  // Tried first, in order, on the I/O thread.
  void Fast(FastHandler handler) { fast_.push_back(std::move(handler)); }
  // Runs before every fast handler and route (on the thread that runs them); it may fill the request's
  // identity. Returning false means it answered (401, a redirect to the login page…) and nothing else runs.
  using Guard = std::function<bool(Request&, Response&)>;
  void set_guard(Guard guard) { guard_ = std::move(guard); }
  // Fills the body of an error the core or a route produced with no body (404, 400, 414, 431, …).
  void set_error_handler(Handler handler) { error_ = std::move(handler); }
  // Runs on the worker after each route's handler (not after fast routes or errors the core makes), e.g.
  // to compress the body for the client.
  void set_after_handler(Handler handler) { after_ = std::move(handler); }

  bool run_fast(Request& req, Response& res) const;
  // Runs the matching route, or sets 404 (405 for a known path with another method).
  void route(Request& req, Response& res) const;
  void fill_error(const Request& req, Response& res) const;

 private:
  struct Segment {
    enum class Kind { kLiteral, kAny, kDigits, kHex, kOneOf } kind = Kind::kLiteral;
    std::string literal;                  // kLiteral
    std::size_t min = 1, max = SIZE_MAX;  // kDigits, kHex: length bounds
    std::vector<std::string> words;       // kOneOf
    bool matches(std::string_view s) const;
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;  // split at '/'; the pattern's leading '/' gives an empty first segment
    Handler handler;
    // Fills `out` (when given) on a match.
    bool match(std::string_view path, Captures* out) const;
  };
  static Route compile(std::string method, const std::string& pattern, Handler handler);
  std::unordered_map<std::string, Handler> exact_get_;
  std::vector<Route> routes_;
  std::vector<FastHandler> fast_;
  Handler error_;
  Handler after_;
  Guard guard_;
};

// Byte ranges (RFC 9110 §14): a "bytes=…" header value against a body of `size` bytes.
struct ByteRange {
  std::uint64_t first = 0, last = 0;  // inclusive
};
enum class RangeVerdict {
  kIgnore,         // no header, malformed, another unit, or not worth cutting: send the whole body (200)
  kPartial,        // send `ranges` (sorted, overlaps and neighbours merged) as 206
  kUnsatisfiable,  // 416
};
struct RangePlan {
  RangeVerdict verdict = RangeVerdict::kIgnore;
  std::vector<ByteRange> ranges;
};
inline constexpr std::size_t kMaxRangeParts = 8;    // after merging; more → the whole body
inline constexpr std::size_t kMaxRangeSpecs = 100;  // before merging; more → the whole body
RangePlan plan_ranges(std::string_view header, std::uint64_t size);

// Request head parsing (for the core, and tests). Parses `head` (up to and excluding the blank line).
// Returns 0 when valid, else the status to answer (400, 414, 431).
int parse_request_head(std::string_view head, Request& req);
std::string percent_decode(std::string_view s, bool plus_is_space);
// Percent-encodes everything but unreserved characters (RFC 3986), for a query parameter value.
std::string query_encode(std::string_view s);

struct CoreOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  int io_threads = 2;
  int workers = 8;
  int header_timeout_s = 10;    // the whole request head, from its first byte (or from connect)
  int keepalive_timeout_s = 5;  // between requests on one connection
  int write_timeout_s = 30;     // without any progress while sending
  // Produced bodies (BodyProducer): bytes buffered per connection at most, and how many may run at once
  // (each holds a worker for its length; 0 = half the workers, at least 1; beyond it: 503, Retry-After).
  std::size_t stream_buffer = 1 << 20;
  int max_streams = 0;
  int max_connections_per_address = 256;
  int max_connections = 8192;
  std::vector<std::string> allowed_hosts;  // Host header names (no port); empty = any
};

class Core {
 public:
  Core(const Router& router, CoreOptions options);
  ~Core();
  Core(const Core&) = delete;
  Core& operator=(const Core&) = delete;
  Status bind();
  int port() const;
  Status run();  // until stop()
  void stop();   // thread-safe
  bool running() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace kho::web::http
