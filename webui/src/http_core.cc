// The event-driven HTTP/1.1 core (http.h): epoll I/O threads own the connections, a worker pool runs
// the routes. Deadlines are checked by each I/O thread every 200 ms.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>

#include "http.h"

namespace kho::web::http {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxHead = 16 * 1024;
constexpr std::size_t kMaxBody = 64 * 1024;
constexpr int kMaxRequestsPerConnection = 10000;

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 421: return "Misdirected Request";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

// "Date:" value, formatted once a second per thread.
const std::string& http_date() {
  thread_local std::time_t last = 0;
  thread_local std::string value;
  std::time_t now = std::time(nullptr);
  if (now != last) {
    last = now;
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    value = buf;
  }
  return value;
}

// One piece of output: bytes, or a span of an open file (sendfile).
struct Chunk {
  std::string bytes;
  std::size_t done = 0;
  std::shared_ptr<FileBody> file;
  std::uint64_t offset = 0, left = 0;
  std::size_t credit = 0;  // bytes of a Stream's buffer this piece holds: given back once it is sent
};

// A produced body on its way (BodyProducer): the worker appends pieces, the I/O thread sends them. Every
// byte counts in `buffered` until it has left through the socket, so a connection holds at most
// CoreOptions::stream_buffer (plus one piece) of it however slow its client.
struct Stream {
  std::mutex mu;
  std::condition_variable cv;  // the producer waits here for room
  std::deque<std::string> pieces;
  std::size_t buffered = 0;
  bool done = false;       // the producer returned
  bool complete = false;   // … true (the terminating chunk is in `pieces`)
  bool cancelled = false;  // the connection closed: the sink returns false from now on
  bool waiting = false;    // the I/O thread has nothing to send and wants a wake-up for the next piece

  void cancel() {
    {
      std::lock_guard lock(mu);
      cancelled = true;
    }
    cv.notify_all();
  }
};

struct Reply {
  std::deque<Chunk> chunks;
  bool close = false;
  bool chunked = false;            // a produced body goes out in HTTP/1.1 chunks
  std::shared_ptr<Stream> stream;  // set when a producer writes the body
};

std::string host_name_of(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    std::size_t end = host.find(']');
    return std::string(end == std::string_view::npos ? host : host.substr(0, end + 1));
  }
  return std::string(host.substr(0, host.find(':')));
}

}  // namespace

struct Conn {
  int fd = -1;
  std::uint64_t id = 0;
  std::string addr;
  std::string in;
  std::size_t scanned = 0;  // bytes of `in` already searched for the end of the head
  enum class State { kReading, kBody, kProcessing, kWriting } state = State::kReading;
  Clock::time_point deadline;
  Clock::time_point last_active;
  bool head_started = false;
  bool peer_closed = false;  // the client shut down its side: answer what came, then close
  std::deque<Chunk> out;
  bool close_after = false;
  int requests = 0;
  std::uint32_t events = 0;  // epoll interest
  Request pending;           // a request waiting for its body
  std::size_t body_length = 0;
  std::shared_ptr<Stream> stream;  // a produced body still being written (state kWriting)
};

// Event data: connection ids start above these.
constexpr std::uint64_t kListenId = 0, kWakeId = 1;

struct Loop {
  int ep = -1;
  int wake = -1;
  std::unordered_map<std::uint64_t, std::unique_ptr<Conn>> conns;
  std::unordered_map<std::string, int> per_addr;
  std::mutex done_mu;
  std::vector<std::pair<std::uint64_t, Reply>> done;
  std::vector<std::uint64_t> stream_ready;  // connections whose producer added a piece (or finished)
};

struct Job {
  Loop* loop = nullptr;
  std::uint64_t id = 0;
  Request req;
};

struct Core::Impl {
  Impl(const Router& r, CoreOptions o) : router(r), options(std::move(o)) {}
  const Router& router;
  CoreOptions options;
  int listen_fd = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::atomic<bool> is_running{false};
  std::atomic<int> open_connections{0};
  std::atomic<std::uint64_t> next_id{2};
  std::atomic<int> active_streams{0};
  int max_connections = 0;
  std::vector<std::unique_ptr<Loop>> loops;
  std::mutex jobs_mu;
  std::condition_variable jobs_cv;
  std::deque<Job> jobs;

  // Functions returning bool return false when they closed the connection (`c` is then gone).
  void run_loop(Loop& loop);
  void accept_all(Loop& loop);
  bool on_readable(Loop& loop, Conn& c);
  bool process_input(Loop& loop, Conn& c);
  bool dispatch(Loop& loop, Conn& c, Request req);
  bool send_reply(Loop& loop, Conn& c, Reply reply);
  bool send_error(Loop& loop, Conn& c, Request& req, int status);
  bool flush(Loop& loop, Conn& c);
  void close_conn(Loop& loop, Conn& c);
  void set_interest(Loop& loop, Conn& c, std::uint32_t events);
  bool evict_idle(Loop& loop, const std::string* addr);
  void check_deadlines(Loop& loop);
  void drain_done(Loop& loop);
  void worker();
  Reply finish(const Request& req, Response& res) const;
  bool host_allowed(const Request& req) const;
  bool push_piece(Loop& loop, std::uint64_t id, Stream& s, std::string_view bytes, bool chunked);
  void wake_stream(Loop& loop, std::uint64_t id);
  bool take_pieces(Loop& loop, Conn& c);
};

namespace {

void append_header(std::string& h, std::string_view name, std::string_view value) {
  h.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

bool Core::Impl::host_allowed(const Request& req) const {
  if (options.allowed_hosts.empty()) return true;
  auto it = req.headers.find("Host");
  if (it == req.headers.end()) return req.version == 10;  // HTTP/1.1 requires Host
  if (req.headers.count("Host") > 1) return false;
  std::string name = host_name_of(it->second);
  for (const std::string& allowed : options.allowed_hosts)
    if (::strcasecmp(allowed.c_str(), name.c_str()) == 0) return true;
  return false;
}

// The response as bytes: status line, headers, and the body cut by Range when the route allows it.
Reply Core::Impl::finish(const Request& req, Response& res) const {
  if (res.status >= 400) router.fill_error(req, res);
  Reply reply;
  const bool head_only = req.method == "HEAD";
  if (res.status != 200) res.producer = nullptr;
  const bool produced = static_cast<bool>(res.producer);
  if (produced) {  // the body comes later, from the producer: no length, no ranges
    res.body.clear();
    res.file.reset();
    res.ranges_allowed = false;
  }
  const std::uint64_t total = res.content_length();
  std::vector<Chunk> body;
  std::uint64_t length = total;
  bool cut = false;
  if (res.status == 200 && res.ranges_allowed && (req.method == "GET" || head_only) && req.has_header("Range")) {
    bool if_range_ok = true;
    if (req.has_header("If-Range")) if_range_ok = req.get_header_value("If-Range") == res.get_header_value("ETag");
    RangePlan plan = if_range_ok ? plan_ranges(req.get_header_value("Range"), total) : RangePlan{};
    if (plan.verdict == RangeVerdict::kUnsatisfiable) {
      res.status = 416;
      res.body.clear();
      res.file.reset();
      res.set_header("Content-Range", "bytes */" + std::to_string(total));
      router.fill_error(req, res);
      length = res.body.size();
    } else if (plan.verdict == RangeVerdict::kPartial) {
      res.status = 206;
      cut = true;
      auto part = [&](const ByteRange& r) {
        Chunk c;
        if (res.file) {
          c.file = res.file;
          c.offset = res.file_offset + r.first;
          c.left = r.last - r.first + 1;
        } else {
          c.bytes = res.body.substr(r.first, r.last - r.first + 1);
        }
        return c;
      };
      if (plan.ranges.size() == 1) {
        const ByteRange& r = plan.ranges[0];
        res.set_header("Content-Range",
                       "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(total));
        body.push_back(part(r));
        length = r.last - r.first + 1;
      } else {
        const std::string boundary = "kho-" + std::to_string(Clock::now().time_since_epoch().count());
        const std::string type = res.get_header_value("Content-Type");
        length = 0;
        for (const ByteRange& r : plan.ranges) {
          Chunk h;
          h.bytes = "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: bytes " +
                    std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(total) + "\r\n\r\n";
          length += h.bytes.size() + (r.last - r.first + 1);
          body.push_back(std::move(h));
          body.push_back(part(r));
        }
        Chunk end;
        end.bytes = "\r\n--" + boundary + "--\r\n";
        length += end.bytes.size();
        body.push_back(std::move(end));
        res.set_header("Content-Type", "multipart/byteranges; boundary=" + boundary);
      }
    }
  }
  if (!cut) {
    Chunk c;
    if (res.file) {
      c.file = res.file;
      c.offset = res.file_offset;
      c.left = res.file_size;
    } else {
      c.bytes = std::move(res.body);
    }
    if (c.left > 0 || !c.bytes.empty()) body.push_back(std::move(c));
  }

  std::string h;
  h.reserve(512);
  h.append("HTTP/1.1 ").append(std::to_string(res.status)).append(" ").append(reason(res.status)).append("\r\n");
  append_header(h, "Date", http_date());
  for (const auto& [k, v] : res.headers) append_header(h, k, v);
  const bool no_body = res.status == 304 || res.status == 204;
  if (produced && req.version >= 11) {
    append_header(h, "Transfer-Encoding", "chunked");
    reply.chunked = true;
  } else if (!no_body && !produced) {
    append_header(h, "Content-Length", std::to_string(length));
  }
  std::string conn = req.get_header_value("Connection");
  bool close = res.close || ::strcasecmp(conn.c_str(), "close") == 0 ||
               (req.version == 10 && ::strcasecmp(conn.c_str(), "keep-alive") != 0) ||
               (produced && req.version < 11);  // an HTTP/1.0 client reads a produced body until the close
  if (close) {
    append_header(h, "Connection", "close");
  } else if (req.version == 10) {
    append_header(h, "Connection", "keep-alive");
  }
  h.append("\r\n");
  reply.close = close;
  Chunk head;
  head.bytes = std::move(h);
  reply.chunks.push_back(std::move(head));
  if (!head_only && !no_body)
    for (Chunk& c : body) reply.chunks.push_back(std::move(c));
  return reply;
}

void Core::Impl::set_interest(Loop& loop, Conn& c, std::uint32_t events) {
  if (c.events == events) return;
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = c.id;
  ::epoll_ctl(loop.ep, EPOLL_CTL_MOD, c.fd, &ev);
  c.events = events;
}

void Core::Impl::close_conn(Loop& loop, Conn& c) {
  if (c.stream) c.stream->cancel();  // its producer stops at its next piece
  auto pa = loop.per_addr.find(c.addr);
  if (pa != loop.per_addr.end() && --pa->second <= 0) loop.per_addr.erase(pa);
  ::epoll_ctl(loop.ep, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  open_connections.fetch_sub(1);
  loop.conns.erase(c.id);  // destroys c
}

// Closes the least recently active connection that is waiting for a request (idle, or with a partial
// head) — of `addr` when given. False when every such connection has a request in progress.
bool Core::Impl::evict_idle(Loop& loop, const std::string* addr) {
  Conn* victim = nullptr;
  for (auto& [id, c] : loop.conns) {
    if (c->state != Conn::State::kReading) continue;
    if (addr && c->addr != *addr) continue;
    if (!victim || c->last_active < victim->last_active) victim = c.get();
  }
  if (!victim) return false;
  close_conn(loop, *victim);
  return true;
}

void Core::Impl::accept_all(Loop& loop) {
  const int nloops = static_cast<int>(loops.size());
  const int per_loop_cap = std::max(1, (options.max_connections_per_address + nloops - 1) / nloops);
  for (int i = 0; i < 64; ++i) {
    sockaddr_storage sa{};
    socklen_t len = sizeof sa;
    int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&sa), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) evict_idle(loop, nullptr);
      return;
    }
    char host[INET6_ADDRSTRLEN] = "?";
    if (sa.ss_family == AF_INET) {
      ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&sa)->sin_addr, host, sizeof host);
    } else if (sa.ss_family == AF_INET6) {
      ::inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&sa)->sin6_addr, host, sizeof host);
    }
    std::string addr = host;
    if (open_connections.load() >= max_connections && !evict_idle(loop, nullptr)) {
      ::close(fd);
      continue;
    }
    auto pa = loop.per_addr.find(addr);
    if (pa != loop.per_addr.end() && pa->second >= per_loop_cap && !evict_idle(loop, &addr)) {
      ::close(fd);
      continue;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Conn>();
    c->fd = fd;
    c->id = next_id.fetch_add(1);
    c->addr = std::move(addr);
    c->last_active = Clock::now();
    c->deadline = c->last_active + std::chrono::seconds(options.header_timeout_s);
    c->events = EPOLLIN;
    epoll_event ev{};
    ev.events = c->events;
    ev.data.u64 = c->id;
    if (::epoll_ctl(loop.ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      continue;
    }
    ++loop.per_addr[c->addr];
    open_connections.fetch_add(1);
    loop.conns.emplace(c->id, std::move(c));
  }
}

bool Core::Impl::on_readable(Loop& loop, Conn& c) {
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      if (!c.head_started && c.state == Conn::State::kReading) {
        c.head_started = true;
        c.deadline = Clock::now() + std::chrono::seconds(options.header_timeout_s);
      }
      c.in.append(buf, static_cast<std::size_t>(n));
      c.last_active = Clock::now();
      if (c.in.size() > kMaxHead + kMaxBody) break;
      if (static_cast<std::size_t>(n) < sizeof buf) break;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close_conn(loop, c);
      return false;
    }
    c.peer_closed = true;  // EOF: answer what came, then close
    set_interest(loop, c, 0);
    break;
  }
  if (!process_input(loop, c)) return false;
  if (c.peer_closed && (c.state == Conn::State::kReading || c.state == Conn::State::kBody)) {
    close_conn(loop, c);
    return false;
  }
  return true;
}

bool Core::Impl::send_error(Loop& loop, Conn& c, Request& req, int status) {
  Response res;
  res.status = status;
  res.close = true;
  return send_reply(loop, c, finish(req, res));
}

// Parses and answers every whole request in `c.in`, one at a time, while the connection is reading.
bool Core::Impl::process_input(Loop& loop, Conn& c) {
  while (c.state == Conn::State::kReading || c.state == Conn::State::kBody) {
    if (c.state == Conn::State::kBody) {
      if (c.in.size() < c.body_length) return true;
      c.pending.body = c.in.substr(0, c.body_length);
      c.in.erase(0, c.body_length);
      c.state = Conn::State::kReading;
      Request req = std::move(c.pending);
      c.pending = Request{};
      if (!dispatch(loop, c, std::move(req))) return false;
      continue;
    }
    // Blank lines before a request are ignored (RFC 9112 §2.2).
    std::size_t skip = 0;
    while (skip + 1 < c.in.size() && c.in[skip] == '\r' && c.in[skip + 1] == '\n') skip += 2;
    if (skip) {
      c.in.erase(0, skip);
      c.scanned = 0;
    }
    if (c.in.empty()) return true;
    std::size_t from = c.scanned >= 3 ? c.scanned - 3 : 0;
    std::size_t end = c.in.find("\r\n\r\n", from);
    if (end == std::string::npos) {
      c.scanned = c.in.size();
      if (c.in.size() > kMaxHead) {
        Request req;
        bool line_done = c.in.find("\r\n") != std::string::npos;
        std::size_t sp = c.in.find(' ');
        if (sp != std::string::npos) req.path = c.in.substr(sp + 1, std::min<std::size_t>(64, c.in.size() - sp - 1));
        return send_error(loop, c, req, line_done ? 431 : 414);
      }
      return true;
    }
    Request req;
    req.remote_addr = c.addr;
    int status = parse_request_head(std::string_view(c.in).substr(0, end), req);
    c.in.erase(0, end + 4);
    c.scanned = 0;
    if (status != 0) return send_error(loop, c, req, status);
    if (!host_allowed(req)) return send_error(loop, c, req, req.has_header("Host") ? 421 : 400);
    // Chunked bodies are not read: the routes take none (411 asks for a Content-Length instead).
    if (req.has_header("Transfer-Encoding")) return send_error(loop, c, req, 411);
    if (req.has_header("Content-Length")) {
      std::string v = req.get_header_value("Content-Length");
      std::uint64_t len = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), len);
      if (ec != std::errc() || p != v.data() + v.size() || req.headers.count("Content-Length") > 1)
        return send_error(loop, c, req, 400);
      if (len > kMaxBody) return send_error(loop, c, req, 413);
      if (len > 0) {
        c.pending = std::move(req);
        c.body_length = static_cast<std::size_t>(len);
        c.state = Conn::State::kBody;
        continue;
      }
    }
    if (!dispatch(loop, c, std::move(req))) return false;
  }
  return true;
}

bool Core::Impl::dispatch(Loop& loop, Conn& c, Request req) {
  ++c.requests;
  Response res;
  bool fast = false;
  try {
    fast = router.run_fast(req, res);
  } catch (...) {  // never on the I/O thread: answer 500 and go on
    res = Response{};
    res.status = 500;
    res.close = true;
    fast = true;
  }
  if (fast) {
    if (res.producer) {  // a producer would block the I/O thread: fast routes may not have one
      res = Response{};
      res.status = 500;
      res.close = true;
    }
    if (c.requests >= kMaxRequestsPerConnection) res.close = true;
    return send_reply(loop, c, finish(req, res));
  }
  c.state = Conn::State::kProcessing;
  set_interest(loop, c, 0);  // errors and hang-ups are still reported
  {
    std::lock_guard lock(jobs_mu);
    jobs.push_back(Job{&loop, c.id, std::move(req)});
  }
  jobs_cv.notify_one();
  return true;
}

void Core::Impl::worker() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(jobs_mu);
      jobs_cv.wait(lock, [&] { return stopping.load() || !jobs.empty(); });
      if (jobs.empty()) return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    Response res;
    try {
      router.route(job.req, res);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kho serve: internal error: %s\n", e.what());
      res = Response{};
      res.status = 500;
    } catch (...) {
      std::fprintf(stderr, "kho serve: internal error\n");
      res = Response{};
      res.status = 500;
    }
    bool produce = false;
    if (res.producer && res.status == 200 && job.req.method != "HEAD") {
      const int cap = options.max_streams > 0 ? options.max_streams : std::max(1, options.workers / 2);
      if (active_streams.fetch_add(1) >= cap) {  // keep workers for pages: come back in a moment
        active_streams.fetch_sub(1);
        res = Response{};
        res.status = 503;
        res.set_header("Retry-After", "5");
      } else {
        produce = true;
      }
    }
    Reply reply = finish(job.req, res);
    BodyProducer producer = produce ? std::move(res.producer) : BodyProducer();
    std::shared_ptr<Stream> stream;
    const bool chunked = reply.chunked;
    if (producer) {
      stream = std::make_shared<Stream>();
      reply.stream = stream;
    }
    {
      std::lock_guard lock(job.loop->done_mu);
      job.loop->done.emplace_back(job.id, std::move(reply));
    }
    std::uint64_t one = 1;
    (void)!::write(job.loop->wake, &one, sizeof one);
    if (!producer) continue;
    // The body: produced here, sent by the I/O thread as it goes.
    bool ok = false;
    const BodySink sink = [&](std::string_view bytes) {
      return push_piece(*job.loop, job.id, *stream, bytes, chunked);
    };
    try {
      ok = producer(sink);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kho serve: internal error while sending %s: %s\n", job.req.path.c_str(), e.what());
    } catch (...) {
      std::fprintf(stderr, "kho serve: internal error while sending %s\n", job.req.path.c_str());
    }
    producer = nullptr;
    {
      std::lock_guard lock(stream->mu);
      stream->done = true;
      stream->complete = ok && !stream->cancelled;
      if (stream->complete && chunked) {
        stream->pieces.emplace_back("0\r\n\r\n");
        stream->buffered += 5;
      }
      stream->waiting = false;
    }
    wake_stream(*job.loop, job.id);
    active_streams.fetch_sub(1);
  }
}

void Core::Impl::wake_stream(Loop& loop, std::uint64_t id) {
  {
    std::lock_guard lock(loop.done_mu);
    loop.stream_ready.push_back(id);
  }
  std::uint64_t one = 1;
  (void)!::write(loop.wake, &one, sizeof one);
}

// The sink of a producer (worker thread): cuts `bytes` into pieces of at most 256 KiB, each waiting for
// room in the connection's buffer. False once the connection is gone or the server stops.
bool Core::Impl::push_piece(Loop& loop, std::uint64_t id, Stream& s, std::string_view bytes, bool chunked) {
  constexpr std::size_t kPiece = 256 * 1024;
  const std::size_t limit = std::max<std::size_t>(options.stream_buffer, 1);
  while (!bytes.empty()) {
    const std::size_t n = std::min(bytes.size(), std::min(kPiece, limit));
    std::string piece;
    if (chunked) {
      char size_line[24];
      const int len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
      piece.reserve(static_cast<std::size_t>(len) + n + 2);
      piece.append(size_line, static_cast<std::size_t>(len)).append(bytes.substr(0, n)).append("\r\n");
    } else {
      piece.assign(bytes.substr(0, n));
    }
    bool wake = false;
    {
      std::unique_lock lock(s.mu);
      // Room for the piece, or an empty buffer (a piece is never refused for its size alone).
      while (!s.cancelled && s.buffered > 0 && s.buffered + piece.size() > limit) {
        if (stopping.load()) s.cancelled = true;
        else s.cv.wait_for(lock, std::chrono::milliseconds(200));
      }
      if (s.cancelled || stopping.load()) return false;
      s.buffered += piece.size();
      s.pieces.push_back(std::move(piece));
      wake = s.waiting;
      s.waiting = false;
    }
    if (wake) wake_stream(loop, id);
    bytes.remove_prefix(n);
  }
  return !stopping.load();
}

// Moves the producer's new pieces into c.out (I/O thread). Returns false when the connection was closed:
// the producer failed. With nothing to send yet, the connection waits for the producer's wake-up (no
// write interest, no deadline: the stall is the server's, not the client's).
bool Core::Impl::take_pieces(Loop& loop, Conn& c) {
  bool done = false, complete = false;
  {
    std::lock_guard lock(c.stream->mu);
    for (std::string& p : c.stream->pieces) {
      Chunk chunk;
      chunk.credit = p.size();
      chunk.bytes = std::move(p);
      c.out.push_back(std::move(chunk));
    }
    c.stream->pieces.clear();
    done = c.stream->done;
    complete = c.stream->complete;
    if (c.out.empty() && !done) c.stream->waiting = true;
  }
  if (!c.out.empty()) {
    c.deadline = Clock::now() + std::chrono::seconds(options.write_timeout_s);
    return true;
  }
  if (!done) {
    set_interest(loop, c, 0);  // hang-ups are still reported
    c.deadline = Clock::time_point::max();
    return true;
  }
  if (!complete) {  // the producer gave up (or the client left): the body cannot be finished
    close_conn(loop, c);
    return false;
  }
  c.stream.reset();
  return true;
}

void Core::Impl::drain_done(Loop& loop) {
  std::vector<std::pair<std::uint64_t, Reply>> done;
  std::vector<std::uint64_t> ready;
  {
    std::lock_guard lock(loop.done_mu);
    done.swap(loop.done);
    ready.swap(loop.stream_ready);
  }
  for (auto& [id, reply] : done) {
    auto it = loop.conns.find(id);
    if (it == loop.conns.end()) {  // the client left meanwhile
      if (reply.stream) reply.stream->cancel();
      continue;
    }
    Conn& c = *it->second;
    if (c.requests >= kMaxRequestsPerConnection) reply.close = true;
    if (send_reply(loop, c, std::move(reply)) && c.state == Conn::State::kReading) process_input(loop, c);
  }
  for (std::uint64_t id : ready) {
    auto it = loop.conns.find(id);
    if (it == loop.conns.end()) continue;
    Conn& c = *it->second;
    if (c.state != Conn::State::kWriting || !c.stream) continue;
    if (flush(loop, c) && c.state == Conn::State::kReading) process_input(loop, c);
  }
}

bool Core::Impl::send_reply(Loop& loop, Conn& c, Reply reply) {
  c.out = std::move(reply.chunks);
  c.stream = std::move(reply.stream);
  c.close_after = reply.close || c.peer_closed;
  c.state = Conn::State::kWriting;
  c.deadline = Clock::now() + std::chrono::seconds(options.write_timeout_s);
  return flush(loop, c);
}

// Writes what it can without blocking; on completion the connection reads again (or closes). A produced
// body's pieces are taken from its Stream as they come, and their room given back once they are sent.
bool Core::Impl::flush(Loop& loop, Conn& c) {
  const int fd = c.fd;
  for (;;) {
    if (c.out.empty() && c.stream) {
      if (!take_pieces(loop, c)) return false;
      if (c.out.empty() && c.stream) return true;  // waiting for the producer
    }
    if (c.out.empty()) break;
    std::size_t credit = 0;  // produced bytes this write finished sending
    Chunk& front = c.out.front();
    ssize_t n;
    if (front.file) {
      off_t off = static_cast<off_t>(front.offset);
      n = ::sendfile(fd, front.file->fd, &off, static_cast<std::size_t>(std::min<std::uint64_t>(front.left, 1 << 20)));
      if (n == 0) {  // the file shrank under us: the promised length cannot be kept
        close_conn(loop, c);
        return false;
      }
      if (n > 0) {
        front.offset += static_cast<std::uint64_t>(n);
        front.left -= static_cast<std::uint64_t>(n);
        if (front.left == 0) c.out.pop_front();
      }
    } else {
      iovec iov[16];
      int cnt = 0;
      for (auto it = c.out.begin(); it != c.out.end() && cnt < 16 && !it->file; ++it, ++cnt) {
        iov[cnt].iov_base = it->bytes.data() + it->done;
        iov[cnt].iov_len = it->bytes.size() - it->done;
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = static_cast<std::size_t>(cnt);
      n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
      if (n > 0) {
        std::size_t left = static_cast<std::size_t>(n);
        while (left > 0) {
          Chunk& f = c.out.front();
          std::size_t take = std::min(left, f.bytes.size() - f.done);
          f.done += take;
          left -= take;
          if (f.done == f.bytes.size()) {
            credit += f.credit;
            c.out.pop_front();
          }
        }
      }
    }
    if (credit > 0 && c.stream) {
      {
        std::lock_guard lock(c.stream->mu);
        c.stream->buffered -= credit;
      }
      c.stream->cv.notify_all();
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        set_interest(loop, c, EPOLLOUT);
        return true;
      }
      close_conn(loop, c);
      return false;
    }
    c.deadline = Clock::now() + std::chrono::seconds(options.write_timeout_s);
  }
  if (c.close_after) {
    ::shutdown(fd, SHUT_WR);
    close_conn(loop, c);
    return false;
  }
  c.state = Conn::State::kReading;
  c.last_active = Clock::now();
  c.head_started = !c.in.empty();
  c.deadline = c.last_active +
               std::chrono::seconds(c.head_started ? options.header_timeout_s : options.keepalive_timeout_s);
  set_interest(loop, c, EPOLLIN);
  return true;
}

void Core::Impl::check_deadlines(Loop& loop) {
  const Clock::time_point now = Clock::now();
  std::vector<Conn*> expired;
  for (auto& [id, c] : loop.conns)
    if (c->state != Conn::State::kProcessing && c->deadline <= now) expired.push_back(c.get());
  for (Conn* c : expired) close_conn(loop, *c);
}

void Core::Impl::run_loop(Loop& loop) {
  epoll_event events[128];
  Clock::time_point next_check = Clock::now();
  while (!stopping.load()) {
    int n = ::epoll_wait(loop.ep, events, 128, 200);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        accept_all(loop);
        continue;
      }
      if (id == kWakeId) {
        std::uint64_t v;
        (void)!::read(loop.wake, &v, sizeof v);
        drain_done(loop);
        continue;
      }
      auto it = loop.conns.find(id);
      if (it == loop.conns.end()) continue;
      Conn& c = *it->second;
      const std::uint32_t ev = events[i].events;
      if (ev & (EPOLLERR | EPOLLHUP)) {
        close_conn(loop, c);
      } else if (c.state == Conn::State::kWriting) {
        if (ev & EPOLLOUT && flush(loop, c) && c.state == Conn::State::kReading) process_input(loop, c);
      } else if (ev & EPOLLIN) {
        on_readable(loop, c);
      }
    }
    const Clock::time_point now = Clock::now();
    if (now >= next_check) {
      check_deadlines(loop);
      next_check = now + std::chrono::milliseconds(200);
    }
  }
  std::vector<Conn*> all;
  for (auto& [id, c] : loop.conns) all.push_back(c.get());
  for (Conn* c : all) close_conn(loop, *c);
}

Core::Core(const Router& router, CoreOptions options) : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Core::~Core() {
  stop();
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
  for (auto& l : impl_->loops) {
    if (l->ep >= 0) ::close(l->ep);
    if (l->wake >= 0) ::close(l->wake);
  }
}

Status Core::bind() {
  CoreOptions& o = impl_->options;
  const std::string where = o.host + ":" + (o.port == 0 ? std::string("any port") : std::to_string(o.port));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  std::string host = o.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (::getaddrinfo(host.c_str(), std::to_string(o.port).c_str(), &hints, &res) != 0 || !res)
    return Status::IOError("cannot listen on " + where + " (not an address of this machine)");
  int fd = -1;
  int err = 0;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) break;
    err = errno;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd < 0)
    return Status::IOError("cannot listen on " + where + " (" +
                           (err == EADDRINUSE ? "in use"
                            : err == EACCES   ? "no permission"
                                              : "not an address of this machine") +
                           ")");
  sockaddr_storage sa{};
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  impl_->port = ntohs(sa.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&sa)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&sa)->sin_port);
  impl_->listen_fd = fd;

  // As many connections as descriptors allow (raising the soft limit to the hard one), less a margin
  // for the archive, originals being sent and the workers.
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    if (rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      ::setrlimit(RLIMIT_NOFILE, &rl);
      ::getrlimit(RLIMIT_NOFILE, &rl);
    }
    long room = static_cast<long>(std::min<rlim_t>(rl.rlim_cur, 1 << 20)) - 128;
    impl_->max_connections = static_cast<int>(std::max(16L, std::min<long>(room / 2, o.max_connections)));
  } else {
    impl_->max_connections = std::min(o.max_connections, 400);
  }
  const int nloops = std::max(1, o.io_threads);
  for (int i = 0; i < nloops; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->ep = ::epoll_create1(EPOLL_CLOEXEC);
    loop->wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->ep < 0 || loop->wake < 0) return Status::IOError("cannot create an event queue");
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLEXCLUSIVE;
    ev.data.u64 = kListenId;
    ::epoll_ctl(loop->ep, EPOLL_CTL_ADD, fd, &ev);
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeId;
    ::epoll_ctl(loop->ep, EPOLL_CTL_ADD, loop->wake, &ev);
    impl_->loops.push_back(std::move(loop));
  }
  return Status::OK();
}

int Core::port() const { return impl_->port; }

Status Core::run() {
  if (impl_->listen_fd < 0) return Status::IOError("not bound");
  impl_->is_running = true;
  std::vector<std::thread> threads;
  for (int i = 0; i < std::max(1, impl_->options.workers); ++i) threads.emplace_back([this] { impl_->worker(); });
  for (std::size_t i = 1; i < impl_->loops.size(); ++i)
    threads.emplace_back([this, i] { impl_->run_loop(*impl_->loops[i]); });
  impl_->run_loop(*impl_->loops[0]);
  impl_->jobs_cv.notify_all();
  for (std::thread& t : threads) t.join();
  impl_->is_running = false;
  return Status::OK();
}

void Core::stop() {
  if (!impl_) return;
  impl_->stopping = true;
  impl_->jobs_cv.notify_all();
  for (auto& l : impl_->loops) {
    std::uint64_t one = 1;
    if (l->wake >= 0) (void)!::write(l->wake, &one, sizeof one);
  }
}

bool Core::running() const { return impl_->is_running.load(); }

}  // namespace kho::web::http
