// Issue 17, the server's side: what a hostile folder or client broke, each as a test that failed before.
//   2. /original/ served whatever the recorded path pointed to (a symlink to another file of that size).
//   3. Slowloris: idle and dripping connections held every worker.
//   4. Range: bytes=0-,0-,… (2,700 parts) amplified one thumbnail into a 292 MB answer.
//   5. Access-Control-Allow-Origin: * on /api/, and any Host accepted (DNS rebinding).
//   9. A 414 on /api/ in HTML; upper-case digests accepted; filename*=UTF-8 for a name that is not.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>

#include "web_fixture.h"

namespace kho::webtest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int connect_loopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True when the server closed `fd` (recv sees EOF or a reset) within `ms`.
bool closed_by_server(int fd, int ms) {
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char c;
  ssize_t n = ::recv(fd, &c, 1, 0);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// A small archive of its own (one event, three photos on disk) and a server with the given options,
// so a test can change files and options without disturbing WebServerTest's archive.
class OwnServer {
 public:
  explicit OwnServer(web::ServerOptions opts = {}) {
    folder_ = dir_.path() / "Su kien";
    fs::create_directories(folder_);
    auto cat = Catalog::open((dir_.path() / "archive").string());
    EXPECT_TRUE(cat.ok());
    catalog_ = std::move(*cat);
    event_id_ = event_id_for_folder(folder_.string());
    jpeg_ = testing::read_file(testing::source_dir() / "tests/webui/data/tiny.jpg");
    WriteBatch batch;
    // p.jpg and other.jpg have the same size and different bytes; "caf\xe9.jpg" is a Latin-1 name.
    add(batch, "p.jpg", "PHOTO-ONE-" + std::string(3000, 'a'));
    add(batch, "other.jpg", "PHOTO-TWO-" + std::string(3000, 'b'));
    add(batch, "sub/deep.jpg", "PHOTO-DEEP-" + std::string(100, 'c'));
    add(batch, "caf\xe9.jpg", "PHOTO-LATIN1");
    add(batch, "Đường phố.jpg", "PHOTO-VIETNAMESE");
    Event ev;
    ev.id = event_id_;
    ev.folder = folder_.string();
    ev.title = "Sự kiện";
    ev.photo_count = static_cast<std::uint32_t>(digests_.size());
    batch.put_event(ev);
    EXPECT_TRUE(catalog_->write(batch).ok());
    opts.port = 0;
    server_ = web::Server::create(*catalog_, opts);
    EXPECT_TRUE(server_->bind().ok());
    thread_ = std::thread([this] { (void)server_->run(); });
    for (int i = 0; i < 200 && http_get(port(), "/favicon.svg").status != 200; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~OwnServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return server_->port(); }
  const fs::path& folder() const { return folder_; }
  std::string url(const std::string& name) const { return "/original/" + digests_.at(name).hex(); }
  std::string thumb(const std::string& name) const { return "/thumb/" + digests_.at(name).hex() + "/1280"; }
  const std::string& bytes(const std::string& name) const { return bytes_.at(name); }
  const std::string& jpeg() const { return jpeg_; }

 private:
  void add(WriteBatch& batch, const std::string& name, const std::string& bytes) {
    const fs::path path = folder_ / name;
    fs::create_directories(path.parent_path());
    testing::write_file(path, bytes);
    Photo p;
    p.digest = sha256_of(bytes);
    p.size = bytes.size();
    p.first_path = path.string();
    p.meta.format = "jpeg";
    p.has_thumbs = true;
    batch.put_photo(p);
    File f;
    f.path = path.string();
    f.digest = p.digest;
    f.size = bytes.size();
    struct stat st {};
    ::stat(path.c_str(), &st);
    f.mtime_ns = st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    f.event_id = event_id_;
    batch.put_file(f);
    batch.put_thumb(p.digest, ThumbSize::kGrid, jpeg_);
    batch.put_thumb(p.digest, ThumbSize::kPreview, jpeg_);
    digests_[name] = p.digest;
    bytes_[name] = bytes;
  }

  testing::TempDir dir_;
  fs::path folder_;
  std::string event_id_;
  std::string jpeg_;
  std::map<std::string, Digest> digests_;
  std::map<std::string, std::string> bytes_;
  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<web::Server> server_;
  std::thread thread_;
};

// --- 2. /original/ ---------------------------------------------------------------------------------

TEST(WebHardeningTest, OriginalReplacedBySymlinkToAFileOfTheSameSizeIsNotServed) {
  OwnServer s;
  HttpResponse before = http_get(s.port(), s.url("p.jpg"));
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body, s.bytes("p.jpg"));

  fs::remove(s.folder() / "p.jpg");
  fs::create_symlink(s.folder() / "other.jpg", s.folder() / "p.jpg");
  HttpResponse after = http_get(s.port(), s.url("p.jpg"));
  EXPECT_EQ(after.status, 409);
  EXPECT_EQ(after.body.find("PHOTO-TWO"), std::string::npos);
  EXPECT_EQ(after.header("content-type"), "application/json");
  EXPECT_NE(after.body.find("\"Conflict\""), std::string::npos) << after.body;

  // A link to a file outside the archive, of the same size: not served either.
  const fs::path outside = s.folder().parent_path() / "secret.txt";
  testing::write_file(outside, "SECRET-FILE-" + std::string(2998, 's'));
  fs::remove(s.folder() / "p.jpg");
  fs::create_symlink(outside, s.folder() / "p.jpg");
  HttpResponse secret = http_get(s.port(), s.url("p.jpg"));
  EXPECT_EQ(secret.status, 409);
  EXPECT_EQ(secret.body.find("SECRET"), std::string::npos);
}

TEST(WebHardeningTest, OriginalReplacedInPlaceOrMovedAwayIsNotServed) {
  OwnServer s;
  ASSERT_EQ(http_get(s.port(), s.url("p.jpg")).status, 200);
  // The same size, other bytes, written in place (size and name unchanged): the digest check catches it.
  testing::write_file(s.folder() / "p.jpg", "PHOTO-XXX-" + std::string(3000, 'a'));
  EXPECT_EQ(http_get(s.port(), s.url("p.jpg")).status, 409);
  // Another file renamed over it.
  fs::copy_file(s.folder() / "other.jpg", s.folder() / "tmp.jpg");
  fs::rename(s.folder() / "tmp.jpg", s.folder() / "p.jpg");
  EXPECT_EQ(http_get(s.port(), s.url("p.jpg")).status, 409);
  // The right bytes again (a restore from backup, new inode and mtime): served.
  testing::write_file(s.folder() / "p.jpg", s.bytes("p.jpg"));
  HttpResponse restored = http_get(s.port(), s.url("p.jpg"));
  EXPECT_EQ(restored.status, 200);
  EXPECT_EQ(restored.body, s.bytes("p.jpg"));
  // Gone: 404.
  fs::remove(s.folder() / "p.jpg");
  EXPECT_EQ(http_get(s.port(), s.url("p.jpg")).status, 404);
}

TEST(WebHardeningTest, OriginalBehindASymlinkedFolderIsNotServed) {
  OwnServer s;
  ASSERT_EQ(http_get(s.port(), s.url("sub/deep.jpg")).status, 200);
  // sub/ becomes a link to a folder holding a file of that name and the same bytes: still refused,
  // because the path now leaves the event's folder through a link.
  const fs::path elsewhere = s.folder().parent_path() / "elsewhere";
  fs::create_directories(elsewhere);
  fs::copy_file(s.folder() / "sub/deep.jpg", elsewhere / "deep.jpg");
  fs::remove_all(s.folder() / "sub");
  fs::create_directory_symlink(elsewhere, s.folder() / "sub");
  EXPECT_EQ(http_get(s.port(), s.url("sub/deep.jpg")).status, 409);
}

// --- 3. Slowloris ------------------------------------------------------------------------------------

TEST(WebHardeningTest, IdleAndDrippingConnectionsDoNotBlockOtherClients) {
  // 500 idle + 64 dripping sockets here, as many again in the server: within the descriptor limit.
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &rl);
  ::getrlimit(RLIMIT_NOFILE, &rl);
  const int idle_n = rl.rlim_cur >= 2000 ? 500 : 150, drip_n = 64;

  web::ServerOptions opts;  // the defaults of `kho serve`
  OwnServer s(opts);
  std::vector<int> idle, drip;
  for (int i = 0; i < idle_n; ++i)
    if (int fd = connect_loopback(s.port()); fd >= 0) idle.push_back(fd);
  for (int i = 0; i < drip_n; ++i) {
    int fd = connect_loopback(s.port());
    if (fd < 0) continue;
    ::send(fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n", 33, MSG_NOSIGNAL);
    drip.push_back(fd);
  }
  ASSERT_EQ(idle.size() + drip.size(), static_cast<std::size_t>(idle_n + drip_n));
  // Keep dripping one header line per connection every second for 2.5 s, while timing normal requests.
  std::atomic<bool> done{false};
  std::thread dripper([&] {
    for (int round = 0; round < 3 && !done; ++round) {
      for (int fd : drip) ::send(fd, "X-Drip: 1\r\n", 11, MSG_NOSIGNAL);
      std::this_thread::sleep_for(std::chrono::milliseconds(800));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  double worst_ms = 0;
  for (int i = 0; i < 5; ++i) {
    Clock::time_point t0 = Clock::now();
    HttpResponse r = http_get(s.port(), i % 2 ? "/api/events" : s.thumb("p.jpg"));
    worst_ms = std::max(worst_ms, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    EXPECT_EQ(r.status, 200) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  done = true;
  dripper.join();
  EXPECT_LT(worst_ms, 1000) << "a normal request waited " << worst_ms << " ms";
  std::printf("normal request under %d idle + %d dripping connections: worst %.1f ms\n", idle_n, drip_n, worst_ms);
  for (int fd : idle) ::close(fd);
  for (int fd : drip) ::close(fd);
}

TEST(WebHardeningTest, ARequestHeadMustArriveWithinTheDeadline) {
  web::ServerOptions opts;
  opts.header_timeout_s = 1;
  OwnServer s(opts);
  int fd = connect_loopback(s.port());
  ASSERT_GE(fd, 0);
  ::send(fd, "GET / HTTP/1.1\r\n", 16, MSG_NOSIGNAL);
  // One header line every 300 ms: each would reset a per-read timeout, but not the head's deadline.
  Clock::time_point t0 = Clock::now();
  bool closed = false;
  for (int i = 0; i < 10 && !closed; ++i) {
    ::send(fd, "X-Drip: 1\r\n", 11, MSG_NOSIGNAL);
    closed = closed_by_server(fd, 300);
  }
  double s_taken = std::chrono::duration<double>(Clock::now() - t0).count();
  EXPECT_TRUE(closed);
  EXPECT_LT(s_taken, 2.5);
  ::close(fd);
}

TEST(WebHardeningTest, ConnectionsPerAddressAreCappedByClosingTheOldestIdle) {
  web::ServerOptions opts;
  opts.max_connections_per_address = 4;
  opts.io_threads = 1;
  OwnServer s(opts);
  std::vector<int> fds;
  for (int i = 0; i < 8; ++i) {
    fds.push_back(connect_loopback(s.port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // The newest four are kept, the oldest four were closed to make room; a new client is answered.
  EXPECT_EQ(http_get(s.port(), "/api/events").status, 200);
  int closed = 0;
  for (int fd : fds) closed += closed_by_server(fd, 100) ? 1 : 0;
  EXPECT_GE(closed, 4);
  for (int fd : fds) ::close(fd);
}

// --- 4. Multi-range -------------------------------------------------------------------------------

TEST(WebHardeningTest, ManyOverlappingRangesDoNotAmplify) {
  OwnServer s;
  std::string ranges = "bytes=0-";
  for (int i = 1; i < 2700; ++i) ranges += ",0-";
  for (const std::string& target : {s.thumb("p.jpg"), s.url("p.jpg")}) {
    const std::string whole = target.rfind("/thumb/", 0) == 0 ? s.jpeg() : s.bytes("p.jpg");
    HttpResponse r = http_get(s.port(), target, "Range: " + ranges + "\r\n");
    ASSERT_TRUE(r.status == 200 || r.status == 206) << target << " " << r.status;
    EXPECT_EQ(r.body, whole) << target;  // merged into one part: the whole file, once
    EXPECT_LE(r.body.size(), whole.size());
  }
}

TEST(WebHardeningTest, RangesAreMergedAndCapped) {
  OwnServer s;
  const std::string url = s.url("p.jpg");
  const std::string& bytes = s.bytes("p.jpg");
  // Overlapping and adjacent ranges become one.
  HttpResponse merged = http_get(s.port(), url, "Range: bytes=0-3,2-5,6-9\r\n");
  ASSERT_EQ(merged.status, 206);
  EXPECT_EQ(merged.header("content-range"), "bytes 0-9/" + std::to_string(bytes.size()));
  EXPECT_EQ(merged.body, bytes.substr(0, 10));
  // Two disjoint ranges: multipart, each part once.
  HttpResponse two = http_get(s.port(), url, "Range: bytes=0-4,20-24\r\n");
  ASSERT_EQ(two.status, 206);
  EXPECT_NE(two.header("content-type").find("multipart/byteranges"), std::string::npos);
  EXPECT_NE(two.body.find(bytes.substr(0, 5)), std::string::npos);
  EXPECT_NE(two.body.find("Content-Range: bytes 20-24/"), std::string::npos);
  // Many small disjoint ranges: the whole file, once (200), not hundreds of parts.
  std::string many = "bytes=0-0";
  for (int i = 1; i < 500; ++i)
    many.append(",").append(std::to_string(i * 2)).append("-").append(std::to_string(i * 2));
  HttpResponse whole = http_get(s.port(), url, "Range: " + many + "\r\n");
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, bytes);
  // Thumbnails take ranges too, with the same rules.
  HttpResponse part = http_get(s.port(), s.thumb("p.jpg"), "Range: bytes=2-5\r\n");
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, s.jpeg().substr(2, 4));
}

// --- 5. CORS and Host ---------------------------------------------------------------------------

TEST(WebHardeningTest, NoCorsHeaderUnlessConfigured) {
  OwnServer s;
  HttpResponse r = http_get(s.port(), "/api/events", "Origin: https://evil.example\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.count("access-control-allow-origin"), 0u);

  web::ServerOptions opts;
  opts.cors_origin = "https://tools.example";
  OwnServer with(opts);
  HttpResponse c = http_get(with.port(), "/api/events", "Origin: https://tools.example\r\n");
  EXPECT_EQ(c.header("access-control-allow-origin"), "https://tools.example");
}

HttpResponse get_with_host(int port, const std::string& target, const std::string& host) {
  return parse_response(
      raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
}

TEST(WebHardeningTest, OnlyConfiguredHostNamesAreAnswered) {
  OwnServer s;
  const std::string p = std::to_string(s.port());
  for (const std::string& ok :
       std::vector<std::string>{"127.0.0.1", "127.0.0.1:" + p, "localhost:" + p, "LOCALHOST", "[::1]:" + p})
    EXPECT_EQ(get_with_host(s.port(), "/api/events", ok).status, 200) << ok;
  // DNS rebinding: the attacker's name resolving to 127.0.0.1.
  for (const std::string& bad :
       std::vector<std::string>{"evil.example", "evil.example:" + p, "127.0.0.1.evil.example", "localhost.evil", ""}) {
    HttpResponse r = get_with_host(s.port(), "/api/events", bad);
    EXPECT_TRUE(r.status == 421 || r.status == 400) << bad << " " << r.status;
    EXPECT_EQ(r.body.find("\"events\""), std::string::npos) << bad;
  }
  EXPECT_EQ(get_with_host(s.port(), s.thumb("p.jpg"), "evil.example").status, 421);
  // HTTP/1.1 without Host is malformed.
  EXPECT_EQ(parse_response(raw_exchange(s.port(), "GET /api/events HTTP/1.1\r\nConnection: close\r\n\r\n")).status,
            400);

  web::ServerOptions opts;
  opts.allowed_hosts = {"kho.toasoan.lan"};
  OwnServer named(opts);
  EXPECT_EQ(get_with_host(named.port(), "/api/events", "kho.toasoan.lan:8080").status, 200);
  EXPECT_EQ(get_with_host(named.port(), "/api/events", "evil.example").status, 421);
}

// --- 9. Smaller items -------------------------------------------------------------------------------

TEST(WebHardeningTest, UriTooLongOnApiAnswersJson) {
  OwnServer s;
  HttpResponse r = http_get(s.port(), "/api/search?q=" + std::string(9000, 'a'));
  EXPECT_EQ(r.status, 414);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_NE(r.body.find("\"error\""), std::string::npos);
  HttpResponse page = http_get(s.port(), "/search?q=" + std::string(9000, 'a'));
  EXPECT_EQ(page.status, 414);
  EXPECT_NE(page.header("content-type").find("text/html"), std::string::npos);
}

TEST(WebHardeningTest, UpperCaseDigestsAreNotFound) {
  OwnServer s;
  std::string upper = s.url("p.jpg");
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  upper.replace(0, 10, "/original/");
  EXPECT_EQ(http_get(s.port(), s.url("p.jpg")).status, 200);
  EXPECT_EQ(http_get(s.port(), upper).status, 404);
  std::string thumb = s.thumb("p.jpg");
  for (std::size_t i = 7; i < 7 + 64; ++i)
    thumb[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(thumb[i])));
  EXPECT_EQ(http_get(s.port(), s.thumb("p.jpg")).status, 200);
  EXPECT_EQ(http_get(s.port(), thumb).status, 404);
}

TEST(WebHardeningTest, ContentDispositionClaimsUtf8OnlyForUtf8Names) {
  OwnServer s;
  HttpResponse latin1 = http_get(s.port(), s.url("caf\xe9.jpg"));
  ASSERT_EQ(latin1.status, 200);
  const std::string cd = latin1.header("content-disposition");
  EXPECT_EQ(cd.find("UTF-8"), std::string::npos) << cd;
  EXPECT_NE(cd.find("filename=\"caf_.jpg\""), std::string::npos) << cd;
  for (char c : cd) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << cd;

  HttpResponse ascii = http_get(s.port(), s.url("p.jpg"));
  EXPECT_NE(ascii.header("content-disposition").find("filename*=UTF-8''p.jpg"), std::string::npos);
  HttpResponse vietnamese = http_get(s.port(), s.url("Đường phố.jpg"));
  EXPECT_EQ(vietnamese.header("content-disposition"),
            "inline; filename=\"Duong pho.jpg\"; filename*=UTF-8''%C4%90%C6%B0%E1%BB%9Dng%20ph%E1%BB%91.jpg");
}

}  // namespace
}  // namespace kho::webtest
