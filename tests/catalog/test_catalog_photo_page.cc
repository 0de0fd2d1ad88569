// Issue 15's catalog records: the 640 px thumbnail, the shooting settings in Metadata, and the ingest roots
// (core/FORMAT.md: thumbs size byte 2, Photo field 11, Metadata fields 23–27, the `roots` database).
#include <gtest/gtest.h>

#include "catalog_fixtures.h"
#include "core/catalog/src/record_codec.h"
#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
using testing::sample_photo;
using testing::TempDir;

using testing::mentions;

TEST(PhotoPageRecords, ShootingSettingsAndMidThumbRoundTrip) {
  Photo p = sample_photo(3);
  p.has_thumbs = true;
  p.has_mid_thumb = true;
  p.meta.flash = 0x19;  // fired (0x01) in auto mode (bits 3–4 = 3: 0x18)
  p.meta.exposure_program = 3;
  p.meta.metering_mode = 5;
  p.meta.white_balance = 0;  // 0 (auto) is a value, not an absence
  p.meta.exposure_bias = -2.0 / 3;
  Photo out;
  ASSERT_TRUE(codec::decode(codec::encode(p), &out).ok());
  EXPECT_EQ(out, p);
  EXPECT_EQ(out.meta.white_balance, 0);
  EXPECT_TRUE(out.has_mid_thumb);
  // Absent stays absent: a photo without them (every archive before them) decodes with nullopt and false.
  Photo bare = sample_photo(4);
  ASSERT_TRUE(codec::decode(codec::encode(bare), &out).ok());
  EXPECT_FALSE(out.meta.flash.has_value());
  EXPECT_FALSE(out.meta.exposure_bias.has_value());
  EXPECT_FALSE(out.has_mid_thumb);
}

TEST(PhotoPageRecords, ThumbSize640) {
  EXPECT_EQ(thumb_size_from_pixels(640), ThumbSize::kMid);
  EXPECT_EQ(thumb_size_from_pixels(320), ThumbSize::kGrid);
  EXPECT_EQ(thumb_size_from_pixels(1280), ThumbSize::kPreview);
  EXPECT_FALSE(thumb_size_from_pixels(800).has_value());
  EXPECT_EQ(thumb_size_pixels(ThumbSize::kMid), 640);
  EXPECT_EQ(static_cast<int>(ThumbSize::kMid), 2);  // the key's size byte (FORMAT.md)
}

TEST(PhotoPageRecords, MidThumbIsStoredDeletedAndVerified) {
  TempDir dir;
  auto cat = *Catalog::open((dir / "a").string());
  Photo p = sample_photo(1);
  p.has_thumbs = p.has_mid_thumb = true;
  WriteBatch b;
  b.put_photo(p);
  b.put_file(File{"/x.jpg", p.digest, p.size, 1, ""});
  b.put_thumb(p.digest, ThumbSize::kGrid, "g");
  b.put_thumb(p.digest, ThumbSize::kMid, "mid");
  b.put_thumb(p.digest, ThumbSize::kPreview, "preview");
  ASSERT_TRUE(cat->write(b).ok());
  {
    auto snap = *cat->snapshot();
    auto mid = snap->thumb_view(p.digest, ThumbSize::kMid);
    ASSERT_TRUE(mid.ok());
    EXPECT_EQ(*mid, "mid");
  }
  auto report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();

  // The record says 640 exists, but it does not: verify says so.
  WriteBatch gone;
  gone.raw_delete(db::kThumbs, std::string(p.digest.view()) + '\x02');
  ASSERT_TRUE(cat->write(gone).ok());
  report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(mentions(*report, "640 px thumbnail")) << (report->problems.empty() ? "" : report->problems.front());

  // A size byte nobody knows is reported too.
  WriteBatch odd;
  odd.put_thumb(p.digest, ThumbSize::kMid, "mid");
  odd.raw_put(db::kThumbs, std::string(p.digest.view()) + '\x07', "x");
  ASSERT_TRUE(cat->write(odd).ok());
  report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(mentions(*report, "unknown size byte 7"));

  // delete_photo takes the 640 px thumbnail with the others.
  WriteBatch del;
  del.raw_delete(db::kThumbs, std::string(p.digest.view()) + '\x07');
  del.delete_file("/x.jpg");
  del.delete_photo(p.digest);
  ASSERT_TRUE(cat->write(del).ok());
  auto snap = *cat->snapshot();
  EXPECT_TRUE(snap->thumb_view(p.digest, ThumbSize::kMid).status().is_not_found());
  EXPECT_TRUE(snap->thumb_view(p.digest, ThumbSize::kPreview).status().is_not_found());
}

TEST(IngestRoots, PathBelowTheLongestRoot) {
  const std::vector<std::string> roots = {"/srv/anh", "/srv/anh/2021", "/data"};
  EXPECT_EQ(path_below_root(roots, "/srv/anh/2020-11-18 Sơn La/IMG_1.jpg"), "anh/2020-11-18 Sơn La/IMG_1.jpg");
  EXPECT_EQ(path_below_root(roots, "/srv/anh/2021/Lũ/a.jpg"), "2021/Lũ/a.jpg");   // the longest root wins
  EXPECT_EQ(path_below_root(roots, "/srv/anh"), "anh");                           // the root itself: its name
  EXPECT_EQ(path_below_root(roots, "/srv/anhkhac/a.jpg"), "/srv/anhkhac/a.jpg");  // a prefix, not a folder
  EXPECT_EQ(path_below_root(roots, "/home/x/a.jpg"), "/home/x/a.jpg");            // under no root: unchanged
  EXPECT_EQ(path_below_root({}, "/srv/anh/a.jpg"), "/srv/anh/a.jpg");             // an archive without roots
  EXPECT_EQ(path_below_root({"/"}, "/srv/a.jpg"), "srv/a.jpg");
  // Raw bytes pass through (display_path escapes them later).
  EXPECT_EQ(path_below_root({"/srv/anh"}, std::string("/srv/anh/\xff.jpg")), std::string("anh/\xff.jpg"));
}

TEST(IngestRoots, RecordedListedAndVerified) {
  TempDir dir;
  auto cat = *Catalog::open((dir / "a").string());
  {
    auto snap = *cat->snapshot();
    auto none = ingest_roots(*snap);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
  }
  WriteBatch b;
  put_ingest_root(b, "/srv/anh", 1700000000);
  put_ingest_root(b, "/data/bao", 1700000001);
  ASSERT_TRUE(cat->write(b).ok());
  {
    auto snap = *cat->snapshot();
    auto roots = ingest_roots(*snap);
    ASSERT_TRUE(roots.ok());
    EXPECT_EQ(*roots, (std::vector<std::string>{"/data/bao", "/srv/anh"}));
  }
  auto report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();

  WriteBatch bad;
  bad.raw_put(db::kRoots, "relative/folder", seal_value("1"));
  bad.raw_put(db::kRoots, "/srv/hong", "12345678");  // no valid checksum
  ASSERT_TRUE(cat->write(bad).ok());
  report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(mentions(*report, "roots: 'relative/folder' is not an absolute path"));
  EXPECT_TRUE(mentions(*report, "roots: the entry of /srv/hong cannot be decoded"));
  auto snap = *cat->snapshot();
  EXPECT_TRUE(ingest_roots(*snap).status().is_corruption());
}

}  // namespace
}  // namespace kho
