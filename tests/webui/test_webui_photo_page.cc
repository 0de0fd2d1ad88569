// Issue 15's photo page and images: the 640 px size in every srcset (with the right sizes, falling back on old
// archives, never larger in bytes than the original), paths below the ingest root, and the photo page's metadata
// in Vietnamese with EXIF codes in words. Over a small catalog written with WriteBatch; the /thumb route is
// checked through the shared test server (web_fixture.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "kho/webui/api.h"
#include "test_support.h"
#include "tests/catalog/catalog_fixtures.h"
#include "web_fixture.h"
#include "webui/src/views.h"

namespace kho {
namespace {

using json = nlohmann::json;

using kho::testing::digest_of;

constexpr const char* kEvent = "00000000000000f5";
constexpr const char* kFolder = "/srv/kho-anh/2020-11-18 Sơn La";

struct Spec {
  int n;
  const char* name;
  std::uint32_t w, h;
  std::uint64_t size;  // the original's bytes
  const char* format;
  bool mid;  // a 640 px thumbnail was made (ingested since it exists, and larger than 640 px)
};
// 1: a 12 MP photo; 2: the same from an archive made before the 640 px size; 3: a small, well-compressed JPEG
// (300 bytes, less than its 640 px thumbnail); 4: a 500 px photo (no 640: the preview is that image);
// 5: a HEIC smaller in bytes than its thumbnails (browsers cannot show it: the thumbnails stay).
const Spec kSpecs[] = {{1, "IMG_0001.jpg", 4000, 3000, 5000000, "jpeg", true},
                       {2, "IMG_0002.jpg", 4000, 3000, 5000000, "jpeg", false},
                       {3, "nho.jpg", 900, 600, 300, "jpeg", true},
                       {4, "rat_nho.jpg", 500, 400, 90000, "jpeg", false},
                       {5, "iphone.heic", 3024, 4032, 200, "heic", true}};

class PhotoPage : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalog::open((dir_.path() / "archive").string());
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    catalog_ = std::move(*c);
    WriteBatch b;
    for (const Spec& s : kSpecs) {
      Photo p;
      p.digest = digest_of(s.n);
      p.width = s.w;
      p.height = s.h;
      p.size = s.size;
      p.first_path = std::string(kFolder) + "/" + s.name;
      p.has_thumbs = true;
      p.has_mid_thumb = s.mid;
      p.meta.format = s.format;
      if (s.n == 1) {
        p.meta.orientation = 6;
        p.meta.flash = 0x19;  // fired, auto mode
        p.meta.exposure_program = 3;
        p.meta.metering_mode = 5;
        p.meta.white_balance = 0;
        p.meta.exposure_bias = -2.0 / 3;
        p.meta.exposure_time = 1.0 / 250;
        p.meta.make = "Canon";
        p.meta.model = "Canon EOS 80D";
      }
      b.put_photo(p);
      b.put_thumb(p.digest, ThumbSize::kGrid, std::string(100, 'g'));
      if (s.mid) b.put_thumb(p.digest, ThumbSize::kMid, std::string(400, 'm'));
      b.put_thumb(p.digest, ThumbSize::kPreview, std::string(1600, 'p'));
      b.put_file(File{p.first_path, p.digest, s.size, 1, kEvent});
    }
    Event ev;
    ev.id = kEvent;
    ev.folder = kFolder;
    ev.title = "Sơn La thăm Thanh Hóa";
    ev.photo_count = 5;
    b.put_event(ev);
    ASSERT_TRUE(catalog_->write(b).ok());
  }

  json get(const std::function<Result<std::string>(const Snapshot&)>& fn) { return webtest::view_json(*catalog_, fn); }
  json photo(int n) {
    return get([&](const Snapshot& s) { return web::api_photo(s, digest_of(n).hex()); });
  }
  std::map<std::string, json> grid() {
    json ev = get([](const Snapshot& s) { return web::api_event(s, kEvent); });
    std::map<std::string, json> by;
    for (const json& p : ev["photos"]) by[p["digest"]] = p;
    return by;
  }
  static std::string thumb(int n, int px) { return "/thumb/" + digest_of(n).hex() + "/" + std::to_string(px); }
  static std::string original(int n) { return "/original/" + digest_of(n).hex(); }

  testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(PhotoPage, SrcsetListsThe640SizeWithItsWidth) {
  auto g = grid();
  ASSERT_EQ(g.size(), 5u);
  EXPECT_EQ(g[digest_of(1).hex()]["srcset"],
            thumb(1, 320) + " 320w, " + thumb(1, 640) + " 640w, " + thumb(1, 1280) + " 1280w");
  EXPECT_EQ(g[digest_of(1).hex()]["preview"], thumb(1, 1280));
  // The photo page lists the same set.
  EXPECT_EQ(photo(1)["srcset"], g[digest_of(1).hex()]["srcset"]);
  // Portrait HEIC: widths are the upright widths in each box; its small original is not a browser format.
  EXPECT_EQ(g[digest_of(5).hex()]["srcset"],
            thumb(5, 320) + " 240w, " + thumb(5, 640) + " 480w, " + thumb(5, 1280) + " 960w");
  EXPECT_EQ(g[digest_of(5).hex()]["preview"], thumb(5, 1280));
}

TEST_F(PhotoPage, OldArchivesWithout640FallBackToTheNextSize) {
  auto g = grid();
  EXPECT_EQ(g[digest_of(2).hex()]["srcset"], thumb(2, 320) + " 320w, " + thumb(2, 1280) + " 1280w");
  // A photo no larger than 640 px has no 640 entry: its preview is that image, listed once at its width.
  EXPECT_EQ(g[digest_of(4).hex()]["srcset"], thumb(4, 320) + " 320w, " + thumb(4, 1280) + " 500w");
}

TEST_F(PhotoPage, NeverAPreviewLargerInBytesThanTheOriginal) {
  // 300 bytes of original against a 400-byte 640 px and a 1600-byte 1280 px thumbnail: the original replaces
  // both, listed once at its own width.
  auto g = grid();
  EXPECT_EQ(g[digest_of(3).hex()]["srcset"], thumb(3, 320) + " 320w, " + original(3) + " 900w");
  EXPECT_EQ(g[digest_of(3).hex()]["preview"], original(3));
  EXPECT_EQ(photo(3)["preview"], original(3));
  EXPECT_EQ(photo(3)["srcset"], g[digest_of(3).hex()]["srcset"]);
}

TEST_F(PhotoPage, GridSizesAccountForTheSquareTileCover) {
  auto g = grid();
  // 4:3 landscape covers the square tile at its height: it needs 1.33 times the tile's width.
  EXPECT_EQ(g[digest_of(1).hex()]["sizes"], "(max-width: 40rem) calc((50vw - 1.25rem) * 1.33), calc(13rem * 1.33)");
  // Portrait: the width is the tile's.
  EXPECT_EQ(g[digest_of(5).hex()]["sizes"], "(max-width: 40rem) calc(50vw - 1.25rem), 13rem");
  EXPECT_EQ(web::grid_sizes(0, 0), "(max-width: 40rem) calc(50vw - 1.25rem), 13rem");
}

TEST_F(PhotoPage, PathsShowBelowTheIngestRoot) {
  // No root recorded (an archive from before roots): absolute paths, as before.
  EXPECT_EQ(photo(1)["files"][0]["path_display"], std::string(kFolder) + "/IMG_0001.jpg");
  WriteBatch b;
  put_ingest_root(b, "/srv/kho-anh", 1700000000);
  ASSERT_TRUE(catalog_->write(b).ok());
  json p = photo(1);
  EXPECT_EQ(p["files"][0]["path_display"], "kho-anh/2020-11-18 Sơn La/IMG_0001.jpg");
  EXPECT_EQ(p["files"][0]["path"], std::string(kFolder) + "/IMG_0001.jpg");  // the model field keeps it
  EXPECT_EQ(p["photo"]["path"], std::string(kFolder) + "/IMG_0001.jpg");
  json ev = get([](const Snapshot& s) { return web::api_event(s, kEvent); });
  EXPECT_EQ(ev["event"]["folder_display"], "kho-anh/2020-11-18 Sơn La");
  EXPECT_EQ(ev["event"]["folder"], kFolder);
  for (const json& item : ev["photos"])
    EXPECT_EQ(item["path"].get<std::string>().rfind("kho-anh/2020-11-18 Sơn La/", 0), 0u);
}

std::map<std::string, std::string> rows_of(const json& photo) {
  std::map<std::string, std::string> rows;
  for (const json& r : photo["meta_rows"]) rows[r["label"]] = r["value"];
  return rows;
}

TEST_F(PhotoPage, MetadataIsInVietnameseWithCodesInWords) {
  json p = photo(1);
  auto rows = rows_of(p);
  EXPECT_EQ(rows["Hướng ảnh"], "Xoay 90° theo chiều kim đồng hồ");
  EXPECT_EQ(rows["Đèn flash"], "Có đánh đèn (chế độ tự động)");
  EXPECT_EQ(rows["Chế độ chụp"], "Ưu tiên khẩu độ (A/Av)");
  EXPECT_EQ(rows["Đo sáng"], "Ma trận (đa vùng)");
  EXPECT_EQ(rows["Cân bằng trắng"], "Tự động");
  EXPECT_EQ(rows["Bù phơi sáng"], "−0.7 EV");
  EXPECT_EQ(rows["Tốc độ màn trập"], "1/250 giây");
  EXPECT_EQ(rows["Định dạng"], "JPEG");
  EXPECT_EQ(rows["Kích thước"], "4000 × 3000 điểm ảnh");
  // The raw codes stay in the JSON for tools.
  for (const json& r : p["meta_rows"]) {
    if (r["label"] == "Hướng ảnh") {
      EXPECT_EQ(r["code"], 6);
    }
  }
  // One language: no "Vietnamese · English" pairs, no English labels.
  for (const json& r : p["meta_rows"]) {
    const std::string label = r["label"];
    EXPECT_EQ(label.find(" · "), std::string::npos) << label;
    for (const char* english : {"Format", "Pixels", "Taken", "Camera", "Exposure", "Orientation", "Credit"})
      EXPECT_EQ(label.find(english), std::string::npos) << label;
  }
}

TEST(ExifWords, OrientationFlashAndTheOtherCodes) {
  using namespace web;
  EXPECT_EQ(orientation_display(1), "Bình thường (không xoay)");
  EXPECT_EQ(orientation_display(3), "Xoay 180°");
  EXPECT_EQ(orientation_display(8), "Xoay 90° ngược chiều kim đồng hồ");
  EXPECT_EQ(orientation_display(2), "Lật ngang (ảnh gương)");
  EXPECT_EQ(orientation_display(9), "Không rõ (mã 9)");
  EXPECT_EQ(flash_display(0x00), "Không đánh đèn");
  EXPECT_EQ(flash_display(0x10), "Không đánh đèn (đèn tắt bắt buộc)");
  EXPECT_EQ(flash_display(0x18), "Không đánh đèn (chế độ tự động)");
  EXPECT_EQ(flash_display(0x01), "Có đánh đèn");
  EXPECT_EQ(flash_display(0x09), "Có đánh đèn (đèn bật bắt buộc)");
  EXPECT_EQ(flash_display(0x59), "Có đánh đèn (chế độ tự động, giảm mắt đỏ)");
  EXPECT_EQ(flash_display(0x0F), "Có đánh đèn (đèn bật bắt buộc, có ánh sáng phản hồi)");
  EXPECT_EQ(flash_display(0x05), "Có đánh đèn (không nhận được ánh sáng phản hồi)");
  EXPECT_EQ(flash_display(0x20), "Máy không có đèn flash");
  EXPECT_EQ(exposure_program_display(1), "Chỉnh tay (M)");
  EXPECT_EQ(exposure_program_display(4), "Ưu tiên tốc độ (S/Tv)");
  EXPECT_EQ(metering_display(2), "Trung bình ưu tiên trung tâm");
  EXPECT_EQ(metering_display(3), "Đo điểm");
  EXPECT_EQ(white_balance_display(1), "Chỉnh tay");
  EXPECT_EQ(white_balance_display(7), "Không rõ (mã 7)");
}

}  // namespace

namespace webtest {
namespace {

// The route: /thumb/{digest}/640 is a size of its own; without its entry it sends the 1280 px one, under that
// one's ETag (so a cached copy is one entry per image, and 304 works).
TEST_F(WebServerTest, Thumb640FallsBackTo1280WithItsOwnEtag) {
  const std::string hex = archive_.p2.hex();
  HttpResponse r = http_get(port(), "/thumb/" + hex + "/640");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "image/jpeg");
  EXPECT_EQ(r.body, archive_.jpeg);  // the fixture's 1280 px thumbnail
  EXPECT_EQ(r.header("etag"), "\"" + hex + "-1280\"");
  HttpResponse again = http_get(port(), "/thumb/" + hex + "/640", "If-None-Match: \"" + hex + "-1280\"\r\n");
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(http_get(port(), "/thumb/" + hex + "/800").status, 404);
  EXPECT_EQ(http_get(port(), "/thumb/" + std::string(64, 'a') + "/640").status, 404);
}

TEST_F(WebServerTest, Thumb640IsServedWhenStored) {
  const std::string mid = "a 640 px thumbnail";
  WriteBatch b;
  b.put_thumb(archive_.p3, ThumbSize::kMid, mid);
  ASSERT_TRUE(catalog_->write(b).ok());
  const std::string hex = archive_.p3.hex();
  HttpResponse r = http_get(port(), "/thumb/" + hex + "/640");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, mid);
  EXPECT_EQ(r.header("etag"), "\"" + hex + "-640\"");
  EXPECT_NE(r.header("cache-control").find("immutable"), std::string::npos);
  EXPECT_EQ(http_get(port(), "/thumb/" + hex + "/640", "If-None-Match: \"" + hex + "-640\"\r\n").status, 304);
}

}  // namespace
}  // namespace webtest
}  // namespace kho
