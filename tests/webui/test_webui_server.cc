// Every page and /api/ route of the gallery over a WriteBatch-built archive.
#include <nlohmann/json.hpp>

#include "kho/search.h"
#include "web_fixture.h"

namespace kho::webtest {
namespace {

using nlohmann::json;

json api(int port, const std::string& target, int expected_status = 200) {
  HttpResponse r = http_get(port, target);
  EXPECT_EQ(r.status, expected_status) << target << "\n" << r.body;
  EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos) << target;
  json j = json::parse(r.body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << target << ": " << r.body;
  return j;
}

TEST_F(WebServerTest, HomeListsTheEventWithCoverCountAndExcerpt) {
  HttpResponse r = http_get(port(), "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(r.body.find("Đoàn công tác thăm Thanh Hóa"), std::string::npos);
  EXPECT_NE(r.body.find("/thumb/" + archive_.p1.hex() + "/320"), std::string::npos);
  EXPECT_NE(r.body.find("/event/" + archive_.event_id), std::string::npos);
  EXPECT_NE(r.body.find("3 ảnh"), std::string::npos);
  EXPECT_NE(r.body.find("loading=\"lazy\""), std::string::npos);
  EXPECT_NE(r.body.find("/static/kho.css"), std::string::npos);
  // Out-of-range pages fall back to a valid page rather than failing.
  EXPECT_EQ(http_get(port(), "/?page=999").status, 200);
  EXPECT_EQ(http_get(port(), "/?page=-3").status, 200);
}

TEST_F(WebServerTest, EventPageRebuildsTheArticleInOrder) {
  HttpResponse r = http_get(port(), "/event/" + archive_.event_id);
  ASSERT_EQ(r.status, 200);
  const std::string& b = r.body;
  std::size_t title = b.find("<h1>Đoàn công tác thăm Thanh Hóa</h1>");
  std::size_t para = b.find("đến Điện Biên &amp; Thanh Hóa.");
  std::size_t cap1 = b.find("phát biểu tại Thanh Hoá");
  std::size_t group = b.find("class=\"group-caption\">Một số hình ảnh của hội nghị:");
  std::size_t cap2 = b.find("Toàn cảnh hội nghị Ủy ban");
  std::size_t missing = b.find("mat tich.jpg");
  std::size_t grid = b.find("class=\"grid\"");
  ASSERT_NE(title, std::string::npos);
  ASSERT_NE(para, std::string::npos);
  ASSERT_NE(cap1, std::string::npos);
  ASSERT_NE(group, std::string::npos);
  ASSERT_NE(cap2, std::string::npos);
  ASSERT_NE(missing, std::string::npos);
  ASSERT_NE(grid, std::string::npos);
  EXPECT_LT(title, para);
  EXPECT_LT(para, cap1);
  EXPECT_LT(cap1, group);
  EXPECT_LT(group, cap2);
  EXPECT_LT(cap2, missing);
  EXPECT_LT(missing, grid);
  EXPECT_NE(b.find("unresolved"), std::string::npos);  // the missing photo is shown, marked
  // The grid holds all three photos, the orphan marked as outside the article.
  for (const Digest* d : {&archive_.p1, &archive_.p2, &archive_.p3})
    EXPECT_NE(b.find("data-digest=\"" + d->hex() + "\" data-full"), std::string::npos);
  EXPECT_NE(b.find("tile orphan"), std::string::npos);
  EXPECT_NE(b.find("Ảnh ngoài bài: bến thuyền"), std::string::npos);
  EXPECT_NE(b.find("id=\"lightbox\""), std::string::npos);
  EXPECT_NE(b.find("Minh Anh"), std::string::npos);
}

TEST_F(WebServerTest, PhotoPageShowsCaptionsMetadataGpsAndDownload) {
  HttpResponse r = http_get(port(), "/photo/" + archive_.p1.hex());
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("/thumb/" + archive_.p1.hex() + "/1280"), std::string::npos);
  EXPECT_NE(r.body.find("/original/" + archive_.p1.hex()), std::string::npos);
  EXPECT_NE(r.body.find("Đoàn công tác thăm Thanh Hóa"), std::string::npos);  // the article linking to it
  EXPECT_NE(r.body.find("Canon EOS 80D"), std::string::npos);
  EXPECT_NE(r.body.find("19.806700, 105.785200"), std::string::npos);
  EXPECT_NE(r.body.find("openstreetmap.org/?mlat=19.806700&amp;mlon=105.785200"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/photo/" + std::string(64, '0')).status, 404);
  EXPECT_EQ(http_get(port(), "/photo/xyz").status, 400);
  EXPECT_EQ(http_get(port(), "/event/" + std::string(16, '0')).status, 404);
  EXPECT_EQ(http_get(port(), "/event/not-an-id").status, 400);
}

TEST_F(WebServerTest, DupsAndSearchPages) {
  HttpResponse d = http_get(port(), "/dups");
  ASSERT_EQ(d.status, 200);
  EXPECT_NE(d.body.find("Ảnh trùng lặp"), std::string::npos);

  HttpResponse s = http_get(port(), "/search?q=thanh+hoa");
  ASSERT_EQ(s.status, 200);
  EXPECT_NE(s.body.find("<mark>Thanh Hóa</mark>"), std::string::npos);  // title first, highlighted
  EXPECT_NE(s.body.find("<mark>Thanh Hoá</mark>"), std::string::npos);  // the caption
  EXPECT_NE(s.body.find("value=\"thanh hoa\""), std::string::npos);      // the box keeps the query
  HttpResponse uy = http_get(port(), "/search?q=uy%20ban");
  EXPECT_NE(uy.body.find("<mark>Ủy ban</mark>"), std::string::npos);
  HttpResponse none = http_get(port(), "/search?q=khong+co+dau");
  EXPECT_EQ(none.status, 200);
  EXPECT_NE(none.body.find("Không tìm thấy"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/search").status, 200);  // the empty search form
}

TEST_F(WebServerTest, ApiRoutesSayWhatThePagesSay) {
  json events = api(port(), "/api/events");
  ASSERT_EQ(events["events"].size(), 1u);
  EXPECT_EQ(events["events"][0]["id"], archive_.event_id);
  EXPECT_EQ(events["events"][0]["photo_count"], 3);
  EXPECT_EQ(events["total"], 1);

  json ev = api(port(), "/api/event/" + archive_.event_id);
  EXPECT_EQ(ev["event"]["title"], "Đoàn công tác thăm Thanh Hóa");
  ASSERT_EQ(ev["articles"].size(), 1u);
  EXPECT_EQ(ev["articles"][0]["links"].size(), 3u);
  EXPECT_EQ(ev["photos"].size(), 3u);
  EXPECT_EQ(ev["orphan_count"], 1);
  EXPECT_EQ(ev["unresolved_count"], 1);

  json ph = api(port(), "/api/photo/" + archive_.p2.hex());
  EXPECT_EQ(ph["photo"]["digest"], archive_.p2.hex());
  ASSERT_EQ(ph["links"].size(), 1u);
  EXPECT_EQ(ph["links"][0]["caption"], "Toàn cảnh hội nghị Ủy ban");
  EXPECT_EQ(ph["links"][0]["group_caption"], "Một số hình ảnh của hội nghị:");

  json dups = api(port(), "/api/dups");
  EXPECT_TRUE(dups["clusters"].is_array());

  json s = api(port(), "/api/search?q=thanh%20hoa");
  ASSERT_GE(s["hits"].size(), 2u);
  EXPECT_EQ(s["hits"][0]["field"], "title");
  EXPECT_EQ(s["hits"][1]["field"], "caption");
  EXPECT_EQ(s["hits"][1]["digest"], archive_.p1.hex());  // a caption hit knows its photo
  EXPECT_EQ(s["groups"].size(), 1u);

  json bad = api(port(), "/api/search?q=", 400);
  EXPECT_EQ(bad["error"], "InvalidArgument");
  api(port(), "/api/photo/" + std::string(64, 'f'), 404);
  api(port(), "/api/event/zz", 400);
  api(port(), "/api/nothing-here", 404);
}

TEST_F(WebServerTest, NewPhotosAppearOnReloadWhileServing) {
  // Another writer (here the same process, as `kho ingest` would be another) adds an event.
  const std::string folder = (dir_->path() / "Sự kiện mới").string();
  Event ev;
  ev.id = event_id_for_folder(folder);
  ev.folder = folder;
  ev.title = "Sự kiện vừa nhập";
  ev.date = "2021-01-01T00:00:00+07:00";
  WriteBatch batch;
  batch.put_event(ev);
  ASSERT_TRUE(catalog_->write(batch).ok());
  HttpResponse r = http_get(port(), "/");
  EXPECT_NE(r.body.find("Sự kiện vừa nhập"), std::string::npos);
  // Newest first.
  EXPECT_LT(r.body.find("Sự kiện vừa nhập"), r.body.find("Đoàn công tác thăm Thanh Hóa"));
  WriteBatch undo;
  undo.raw_delete(db::kEvents, ev.id);
  ASSERT_TRUE(catalog_->write(undo).ok());
}

TEST_F(WebServerTest, StaticAssets) {
  HttpResponse css = http_get(port(), "/static/kho.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_NE(css.header("content-type").find("text/css"), std::string::npos);
  EXPECT_NE(css.body.find("@media"), std::string::npos);  // the phone-width layout
  HttpResponse js = http_get(port(), "/static/kho.js");
  ASSERT_EQ(js.status, 200);
  EXPECT_NE(js.body.find("ArrowRight"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/static/kho.js", "If-None-Match: " + js.header("etag") + "\r\n").status, 304);
}

}  // namespace
}  // namespace kho::webtest
