// Issue 15, the gallery's events: the home page's by-date index, year and month filters and last page; the
// event grid's pages, sort orders and natural names; gzip through the browser's Accept-Encoding; Vietnamese
// error messages.
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "web_fixture.h"
#include "webui/src/compress.h"
#include "webui/src/views.h"

namespace kho::webtest {
namespace {

using nlohmann::json;

constexpr const char* kChromium = "Accept-Encoding: gzip, deflate, br, zstd\r\n";
constexpr std::size_t kBigPhotos = 450;  // three grid pages of 200

std::string gunzip(const std::string& data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return "";
  std::string out;
  char buf[16384];
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END ? out : "<not a whole gzip stream>";
}

Digest digest_n(std::uint32_t n, std::uint8_t kind) {
  Digest d;
  for (int i = 0; i < 4; ++i) d.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  d.bytes[31] = kind;
  return d;
}

class EventsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto cat = Catalog::open((dir_->path() / "archive").string());
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    catalog_ = std::move(*cat);
    WriteBatch batch;
    // 30 small events: 2019-01 … 2021-06 (one a month), and one undated.
    for (int i = 0; i < 30; ++i) {
      Event ev;
      ev.folder = "/events/e" + std::to_string(i);
      ev.id = event_id_for_folder(ev.folder);
      ev.title = "Sự kiện " + std::to_string(i);
      const int year = 2019 + i / 12, month = 1 + i % 12;
      char date[32];
      std::snprintf(date, sizeof date, "%04d-%02d-10T09:00:00+07:00", year, month);
      ev.date = date;
      batch.put_event(ev);
    }
    Event undated;
    undated.folder = "/events/undated";
    undated.id = event_id_for_folder(undated.folder);
    undated.title = "Không ngày";
    batch.put_event(undated);
    // The big event: IMG_1.JPG … IMG_450.JPG; capture times run backwards for the first 300, and the rest
    // have none (they go last, by name).
    Event big;
    big.folder = "/events/2020-05-05 Lớn";
    big.id = event_id_for_folder(big.folder);
    big.title = "Sự kiện lớn";
    big.date = "2020-05-05";
    big.photo_count = kBigPhotos;
    for (std::uint32_t i = 1; i <= kBigPhotos; ++i) {
      Photo p;
      p.digest = digest_n(i, 7);
      p.width = 640;
      p.height = 480;
      p.first_path = big.folder + "/IMG_" + std::to_string(i) + ".JPG";
      if (i <= 300) {
        char when[32];
        std::snprintf(when, sizeof when, "2020-05-05T10:%02u:%02u", (300 - i) / 60, (300 - i) % 60);
        p.meta.datetime_original = when;
      }
      batch.put_photo(p);
      File f;
      f.path = p.first_path;
      f.digest = p.digest;
      f.event_id = big.id;
      batch.put_file(f);
    }
    batch.put_event(big);
    big_id_ = big.id;
    ASSERT_TRUE(catalog_->write(batch).ok());

    web::ServerOptions opts;
    opts.port = 0;
    opts.threads = 4;
    opts.page_size = 10;
    server_ = web::Server::create(*catalog_, opts);
    ASSERT_TRUE(server_->bind().ok());
    thread_ = new std::thread([] { (void)server_->run(); });
    for (int tries = 0; tries < 200 && http_get(port(), "/favicon.svg").status != 200; ++tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  static void TearDownTestSuite() {
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
  static int port() { return server_->port(); }
  static json api(const std::string& target, int status = 200) {
    HttpResponse r = http_get(port(), target);
    EXPECT_EQ(r.status, status) << target << "\n" << r.body;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body;
    return j;
  }
  static std::vector<std::string> names(const json& photos) {
    std::vector<std::string> out;
    for (const json& p : photos) out.push_back(p["name"].get<std::string>());
    return out;
  }

  static testing::TempDir* dir_;
  static std::unique_ptr<Catalog> catalog_;
  static std::unique_ptr<web::Server> server_;
  static std::thread* thread_;
  static std::string big_id_;
};
testing::TempDir* EventsTest::dir_ = nullptr;
std::unique_ptr<Catalog> EventsTest::catalog_;
std::unique_ptr<web::Server> EventsTest::server_;
std::thread* EventsTest::thread_ = nullptr;
std::string EventsTest::big_id_;

TEST(NaturalSort, NumbersCompareAsNumbers) {
  EXPECT_TRUE(web::natural_less("IMG_2.JPG", "IMG_10.JPG"));
  EXPECT_FALSE(web::natural_less("IMG_10.JPG", "IMG_2.JPG"));
  EXPECT_TRUE(web::natural_less("img_9.jpg", "IMG_10.JPG"));  // case does not split the run
  EXPECT_TRUE(web::natural_less("DSC_0099.JPG", "DSC_100.JPG"));
  EXPECT_TRUE(web::natural_less("a", "a1"));
  EXPECT_FALSE(web::natural_less("x", "x"));
  std::vector<std::string> v = {"IMG_10", "IMG_1", "IMG_2", "IMG_0002", "b", "A"};
  std::sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) { return web::natural_less(a, b); });
  EXPECT_EQ(v, (std::vector<std::string>{"A", "b", "IMG_1", "IMG_0002", "IMG_2", "IMG_10"}));
}

TEST(Compression, AcceptEncodingIsReadAsBrowsersSendIt) {
  auto req = [](const std::string& v) {
    web::http::Request r;
    r.headers.emplace("Accept-Encoding", v);
    return r;
  };
  EXPECT_TRUE(web::accepts_gzip(req("gzip, deflate, br, zstd")));
  EXPECT_TRUE(web::accepts_gzip(req("br;q=1.0, GZIP;q=0.5")));
  EXPECT_FALSE(web::accepts_gzip(req("gzip;q=0, br")));
  EXPECT_FALSE(web::accepts_gzip(req("br, zstd")));
  EXPECT_TRUE(web::accepts_gzip(req("*")));
  EXPECT_FALSE(web::accepts_gzip(web::http::Request{}));
  std::string text(10000, 'a');
  auto packed = web::gzip(text, 1);
  ASSERT_TRUE(packed.has_value());
  EXPECT_LT(packed->size(), 200u);
  EXPECT_TRUE(gunzip(*packed) == text);
}

TEST_F(EventsTest, HomePagesComeFromTheDateIndexNewestFirst) {
  json p1 = api("/api/events");
  EXPECT_EQ(p1["total"], 32);
  EXPECT_EQ(p1["pages"], 4);
  ASSERT_EQ(p1["events"].size(), 10u);
  EXPECT_EQ(p1["events"][0]["title"], "Sự kiện 29");  // 2021-06
  EXPECT_EQ(p1["events"][1]["title"], "Sự kiện 28");
  json last = api("/api/events?page=4");
  ASSERT_EQ(last["events"].size(), 2u);
  EXPECT_EQ(last["events"][1]["title"], "Không ngày");  // undated last
  // A page past the end answers the last page (200), not an empty one.
  json past = api("/api/events?page=99");
  EXPECT_EQ(past["page"], 4);
  EXPECT_EQ(past["events"].size(), 2u);
  HttpResponse html = http_get(port(), "/?page=99");
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("trang 4/4"), std::string::npos);
}

TEST_F(EventsTest, YearAndMonthFiltersAndTimeline) {
  json y = api("/api/events?date=2020");
  EXPECT_EQ(y["total"], 13);  // twelve months and the big event
  for (const json& e : y["events"]) EXPECT_EQ(e["date"].get<std::string>().substr(0, 4), "2020");
  std::vector<std::string> years;
  for (const json& e : y["years"]) years.push_back(e["label"]);
  EXPECT_EQ(years, (std::vector<std::string>{"2021", "2020", "2019"}));
  ASSERT_EQ(y["months"].size(), 12u);
  EXPECT_EQ(y["months"][0]["label"], "Tháng 1");
  EXPECT_EQ(y["months"][4]["url"], "/?date=2020-05");
  json m = api("/api/events?date=2020-05");
  EXPECT_EQ(m["total"], 2);
  json none = api("/api/events?date=1999");
  EXPECT_EQ(none["total"], 0);
  EXPECT_FALSE(none["has_events"]);
  json bad = api("/api/events?date=2020-13", 400);
  EXPECT_EQ(bad["error"], "InvalidArgument");
  EXPECT_NE(bad["message"].get<std::string>().find("không hợp lệ"), std::string::npos);
  HttpResponse html = http_get(port(), "/?date=2020");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("class=\"timeline\""), std::string::npos);
  EXPECT_NE(html.body.find("href=\"/?date=2020\" aria-current=\"true\""), std::string::npos);
  EXPECT_NE(html.body.find("/?date=2020&amp;page=2"), std::string::npos);
}

TEST_F(EventsTest, EventGridIsPagedAndSortedByCaptureTimeThenName) {
  json p1 = api("/api/event/" + big_id_);
  EXPECT_EQ(p1["photo_total"], kBigPhotos);
  EXPECT_EQ(p1["pages"], 3);
  EXPECT_EQ(p1["sort"], "time");
  ASSERT_EQ(p1["photos"].size(), 200u);
  // Times run backwards with the number, so IMG_300 is the oldest.
  EXPECT_EQ(p1["photos"][0]["name"], "IMG_300.JPG");
  EXPECT_EQ(p1["photos"][199]["name"], "IMG_101.JPG");
  EXPECT_EQ(p1["photos"][0]["index"], 0);
  json p3 = api("/api/event/" + big_id_ + "?page=3");
  ASSERT_EQ(p3["photos"].size(), 50u);
  // The undated ones come after, in natural name order.
  EXPECT_EQ(p3["photos"][0]["name"], "IMG_401.JPG");
  EXPECT_EQ(p3["photos"][49]["name"], "IMG_450.JPG");
  EXPECT_EQ(p3["photos"][0]["index"], 400);
  json p2 = api("/api/event/" + big_id_ + "?page=2");
  EXPECT_EQ(p2["photos"][100]["name"], "IMG_301.JPG");
  EXPECT_EQ(p2["photos"][99]["name"], "IMG_1.JPG");

  json by_name = api("/api/event/" + big_id_ + "?sort=name");
  std::vector<std::string> n = names(by_name["photos"]);
  ASSERT_GE(n.size(), 11u);
  EXPECT_EQ(n[0], "IMG_1.JPG");
  EXPECT_EQ(n[1], "IMG_2.JPG");
  EXPECT_EQ(n[9], "IMG_10.JPG");  // not IMG_100
  json past = api("/api/event/" + big_id_ + "?page=50&sort=name");
  EXPECT_EQ(past["page"], 3);
  EXPECT_EQ(past["photos"][49]["name"], "IMG_450.JPG");
}

TEST_F(EventsTest, EventPageHasJumpLinkPagerAndSortSwitch) {
  HttpResponse r = http_get(port(), "/event/" + big_id_ + "?page=2&sort=name");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 2000);
  const std::string& b = r.body;
  EXPECT_NE(b.find("href=\"#photos\""), std::string::npos);
  EXPECT_NE(b.find("id=\"photos\""), std::string::npos);
  EXPECT_NE(b.find("Ảnh 201–400 trong 450"), std::string::npos);
  EXPECT_NE(b.find("href=\"/event/" + big_id_ + "?page=3&amp;sort=name#photos\""), std::string::npos);
  EXPECT_NE(b.find("href=\"/event/" + big_id_ + "?sort=name#photos\""), std::string::npos);  // page 1
  EXPECT_NE(b.find("href=\"/event/" + big_id_ + "#photos\""), std::string::npos);            // by time, page 1
  std::size_t tiles = 0;
  for (std::size_t at = b.find("<li class=\"tile"); at != std::string::npos; at = b.find("<li class=\"tile", at + 1))
    ++tiles;
  EXPECT_EQ(tiles, 200u);
}

TEST_F(EventsTest, PagesAndAssetsAreGzippedForTheBrowser) {
  HttpResponse plain = http_get(port(), "/event/" + big_id_);
  HttpResponse packed = http_get(port(), "/event/" + big_id_, kChromium);
  ASSERT_EQ(packed.status, 200);
  EXPECT_EQ(packed.header("content-encoding"), "gzip");
  EXPECT_NE(packed.header("vary").find("Accept-Encoding"), std::string::npos);
  EXPECT_EQ(plain.header("content-encoding"), "");
  EXPECT_LT(packed.body.size() * 5, plain.body.size());
  EXPECT_TRUE(gunzip(packed.body) == plain.body);
  HttpResponse j = http_get(port(), "/api/event/" + big_id_, kChromium);
  EXPECT_EQ(j.header("content-encoding"), "gzip");
  EXPECT_FALSE(json::parse(gunzip(j.body), nullptr, false).is_discarded());
  for (const char* asset : {"/static/kho.css", "/static/kho.js"}) {
    HttpResponse a = http_get(port(), asset, kChromium);
    HttpResponse raw = http_get(port(), asset);
    EXPECT_EQ(a.header("content-encoding"), "gzip") << asset;
    EXPECT_TRUE(gunzip(a.body) == raw.body) << asset;
    EXPECT_EQ(raw.header("content-encoding"), "") << asset;
  }
  // A client that refuses gzip gets identity.
  EXPECT_EQ(http_get(port(), "/", "Accept-Encoding: gzip;q=0, br\r\n").header("content-encoding"), "");
}

TEST_F(EventsTest, ErrorsSpeakVietnamese) {
  json j = api("/api/event/00000000000000aa", 404);
  EXPECT_EQ(j["error"], "NotFound");
  EXPECT_NE(j["message"].get<std::string>().find("Không tìm thấy"), std::string::npos);
  json route = api("/api/nothing-here", 404);
  EXPECT_EQ(route["error"], "NotFound");
  EXPECT_NE(route["message"].get<std::string>().find("Không tìm thấy"), std::string::npos);
  HttpResponse page = http_get(port(), "/event/00000000000000aa");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("Không tìm thấy mục này trong kho"), std::string::npos);
  EXPECT_EQ(page.body.find("key not found"), std::string::npos);
}

TEST_F(EventsTest, EmptyFilterAndEmptyArchiveExplainThemselves) {
  HttpResponse r = http_get(port(), "/?date=1999");
  EXPECT_NE(r.body.find("Không có sự kiện nào trong năm 1999"), std::string::npos);
  testing::TempDir empty;
  auto cat = Catalog::open((empty.path() / "a").string());
  ASSERT_TRUE(cat.ok());
  auto snap = (*cat)->snapshot();
  ASSERT_TRUE(snap.ok());
  Result<json> v = web::events_view(**snap, 1, 24);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE((*v)["has_events"]);
  EXPECT_EQ((*v)["total"], 0);
  EXPECT_EQ((*v)["pages"], 1);
}

}  // namespace
}  // namespace kho::webtest
