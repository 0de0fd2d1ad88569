// Shared by the webui tests: see web_fixture.h.
#include "web_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cstring>

#include "kho/search.h"

namespace kho::webtest {

testing::TempDir* WebServerTest::dir_ = nullptr;
std::unique_ptr<Catalog> WebServerTest::catalog_;
std::unique_ptr<web::Server> WebServerTest::server_;
std::thread* WebServerTest::thread_ = nullptr;
Archive WebServerTest::archive_;

namespace {

// True once `raw` holds a whole response (headers, and Content-Length bytes of body), so a kept-alive
// connection does not make the client wait for a close that will not come.
bool response_complete(const std::string& raw) {
  std::size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = raw.substr(0, end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (head.rfind("http/1.1 304", 0) == 0 || head.rfind("http/1.1 204", 0) == 0) return true;
  std::size_t cl = head.find("\r\ncontent-length:");
  if (cl == std::string::npos) return false;
  std::size_t len = std::strtoull(head.c_str() + cl + 17, nullptr, 10);
  return raw.size() - end - 4 >= len;
}

}  // namespace

std::string raw_exchange(int port, const std::string& bytes, int timeout_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "";
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (response_complete(out)) break;
  }
  ::close(fd);
  return out;
}

HttpResponse parse_response(const std::string& raw) {
  HttpResponse r;
  std::size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return r;
  r.status = std::atoi(raw.c_str() + 9);
  std::size_t pos = raw.find("\r\n") + 2;
  while (pos < end) {
    std::size_t eol = raw.find("\r\n", pos);
    std::string line = raw.substr(pos, eol - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::size_t v = line.find_first_not_of(' ', colon + 1);
      r.headers[name] = v == std::string::npos ? "" : line.substr(v);
    }
    pos = eol + 2;
  }
  r.body = raw.substr(end + 4);
  return r;
}

HttpResponse http_get(int port, const std::string& target, const std::string& extra_headers) {
  return parse_response(raw_exchange(
      port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers + "\r\n"));
}

namespace {

Digest digest_of(std::uint8_t n) {
  Digest d;
  for (std::size_t i = 0; i < d.bytes.size(); ++i) d.bytes[i] = static_cast<std::uint8_t>(n * 17 + i);
  return d;
}

Photo photo(const Digest& d, const std::string& path, std::uint64_t size) {
  Photo p;
  p.digest = d;
  p.size = size;
  p.width = 64;
  p.height = 48;
  p.has_thumbs = true;
  p.first_path = path;
  p.meta.format = "jpeg";
  p.meta.make = "Canon";
  p.meta.model = "EOS 80D";
  p.meta.datetime_original = "2020-07-15T08:15:02+07:00";
  p.meta.gps_lat = 19.8067;
  p.meta.gps_lon = 105.7852;
  return p;
}

}  // namespace

nlohmann::json view_json(Catalog& catalog, const std::function<Result<std::string>(const Snapshot&)>& view) {
  auto snap = catalog.snapshot();
  EXPECT_TRUE(snap.ok());
  if (!snap.ok()) return nlohmann::json();
  Result<std::string> text = view(**snap);
  EXPECT_TRUE(text.ok()) << text.status().to_string();
  return text.ok() ? nlohmann::json::parse(*text) : nlohmann::json();
}

Digest sha256_of(const std::string& bytes) {
  Digest d;
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), d.bytes.data(), &len, EVP_sha256(), nullptr);
  return d;
}

void WebServerTest::SetUpTestSuite() {
  dir_ = new testing::TempDir();
  auto cat = Catalog::open((dir_->path() / "archive").string());
  ASSERT_TRUE(cat.ok()) << cat.status().to_string();
  catalog_ = std::move(*cat);

  Archive& a = archive_;
  a.jpeg = testing::read_file(testing::source_dir() / "tests/webui/data/tiny.jpg");
  ASSERT_FALSE(a.jpeg.empty());
  const std::string folder = (dir_->path() / "Thanh Hoa 2020").string();
  std::filesystem::create_directories(folder);
  a.event_id = event_id_for_folder(folder);
  a.original_bytes = "ORIGINAL-BYTES-0123456789-" + std::string(5000, 'x') + "-END";
  a.p1 = sha256_of(a.original_bytes);  // the server checks an original's bytes before sending them
  a.p2 = digest_of(2);
  a.p3 = digest_of(3);
  const std::string path1 = folder + "/lanh dao phat bieu.jpg";
  testing::write_file(path1, a.original_bytes);

  WriteBatch batch;
  batch.put_photo(photo(a.p1, path1, a.original_bytes.size()));
  batch.put_photo(photo(a.p2, folder + "/toan canh.jpg", 1234));
  Photo orphan = photo(a.p3, folder + "/IMG_0003.jpg", 999);
  orphan.meta.description = "Ảnh ngoài bài: bến thuyền";
  batch.put_photo(orphan);
  int i = 0;
  for (const auto& [d, name] : {std::pair{a.p1, "lanh dao phat bieu.jpg"}, std::pair{a.p2, "toan canh.jpg"},
                                std::pair{a.p3, "IMG_0003.jpg"}}) {
    File f;
    f.path = folder + "/" + name;
    f.digest = d;
    f.size = 100 + static_cast<std::uint64_t>(i++);
    f.event_id = a.event_id;
    batch.put_file(f);
    batch.put_thumb(d, ThumbSize::kGrid, a.jpeg);
    batch.put_thumb(d, ThumbSize::kPreview, a.jpeg);
  }

  Article art;
  art.id = a.article_id;
  art.title = "Đoàn công tác thăm Thanh Hóa";
  art.date = "2020-07-15T09:30:00+07:00";
  art.author = "Minh Anh";
  art.event_id = a.event_id;
  const std::string hostile = "Lãnh đạo <script>alert(1)</script> phát biểu tại Thanh Hoá";
  const std::string group = "Một số hình ảnh của hội nghị:";
  art.refs = {PhotoRef{"lanh dao phat bieu.jpg", hostile, {}, {}},
              PhotoRef{"toan canh.jpg", "Toàn cảnh hội nghị Ủy ban", group, {}},
              PhotoRef{"mat tich.jpg", "Ảnh này không có tệp", {}, {}}};
  art.blocks = {{ArticleBlock::Kind::kParagraph, "Sáng 15/7, đoàn công tác đến Điện Biên & Thanh Hóa.", 0},
                {ArticleBlock::Kind::kPhoto, "", 0},
                {ArticleBlock::Kind::kGroupCaption, "Một số hình ảnh của hội nghị:", 0},
                {ArticleBlock::Kind::kPhoto, "", 1},
                {ArticleBlock::Kind::kPhoto, "", 2}};
  batch.put_article(art);
  std::vector<Link> links(3);
  for (std::uint32_t pos = 0; pos < 3; ++pos) {
    links[pos].article_id = art.id;
    links[pos].position = pos;
    links[pos].ref = art.refs[pos].ref;
    links[pos].caption = art.refs[pos].caption;
    links[pos].group_caption = art.refs[pos].group_caption;
  }
  links[0].digest = a.p1;
  links[0].path = path1;
  links[0].method = LinkMethod::kExact;
  links[0].confidence = 1;
  links[1].digest = a.p2;
  links[1].path = folder + "/toan canh.jpg";
  links[1].method = LinkMethod::kSearchKey;
  links[1].confidence = 0.9f;
  // The unresolved reference's near-misses, as the linker records them: the orphan (too far), then a file
  // another reference took.
  links[2].near_misses = {NearMiss{folder + "/IMG_0003.jpg", a.p3, LinkMethod::kFuzzy, 7, NearMissReason::kTooFar, 0},
                          NearMiss{path1, a.p1, LinkMethod::kFuzzy, 14, NearMissReason::kTaken, 0}};
  batch.put_links(art.id, links);

  Event ev;
  ev.id = a.event_id;
  ev.folder = folder;
  ev.title = art.title;
  ev.date = art.date;
  ev.article_ids = {art.id};
  ev.cover = a.p1;
  ev.photo_count = 3;
  batch.put_event(ev);
  ASSERT_TRUE(index_article(nullptr, batch, art).ok());
  ASSERT_TRUE(catalog_->write(batch).ok());

  web::ServerOptions opts;
  opts.port = 0;
  opts.threads = 8;
  server_ = web::Server::create(*catalog_, opts);
  ASSERT_TRUE(server_->bind().ok());
  thread_ = new std::thread([] { (void)server_->run(); });
  // Wait until it answers.
  for (int tries = 0; tries < 200 && http_get(port(), "/favicon.svg").status != 200; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void WebServerTest::TearDownTestSuite() {
  if (server_) server_->stop();
  if (thread_) {
    thread_->join();
    delete thread_;
    thread_ = nullptr;
  }
  server_.reset();
  catalog_.reset();
  delete dir_;
  dir_ = nullptr;
}

}  // namespace kho::webtest
