// An event's date when it has no article: the date its folder's name starts with ("2021-01-05 Lũ…"), else
// the photos' earliest EXIF capture time (issue 15).
#include <gtest/gtest.h>

#include "ingest/src/event_builder.h"
#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"
#include "pipeline_fixtures.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
using detail::folder_name_date;
using kho::testing::ingest_jpeg;
using kho::testing::TempDir;
using kho::testing::write_file;

TEST(FolderNameDate, TheUsualSpellings) {
  EXPECT_EQ(folder_name_date("2021-01-05 Lũ ở Quảng Bình"), "2021-01-05");
  EXPECT_EQ(folder_name_date("2021.01.05 Họp báo"), "2021-01-05");
  EXPECT_EQ(folder_name_date("2021_01_05"), "2021-01-05");
  EXPECT_EQ(folder_name_date("20210105-hop-bao"), "2021-01-05");
  EXPECT_EQ(folder_name_date("2024-02-29 nhuận"), "2024-02-29");
}

TEST(FolderNameDate, NotADate) {
  EXPECT_EQ(folder_name_date("Lũ ở Quảng Bình 2021-01-05"), std::nullopt);  // only at the start
  EXPECT_EQ(folder_name_date("2021-13-05 x"), std::nullopt);
  EXPECT_EQ(folder_name_date("2021-02-30"), std::nullopt);
  EXPECT_EQ(folder_name_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(folder_name_date("2021-01-051"), std::nullopt);
  EXPECT_EQ(folder_name_date("2021-01.05"), std::nullopt);  // mixed separators
  EXPECT_EQ(folder_name_date("202101051"), std::nullopt);
  EXPECT_EQ(folder_name_date("2021"), std::nullopt);
  EXPECT_EQ(folder_name_date("0000-01-01"), std::nullopt);
  EXPECT_EQ(folder_name_date(""), std::nullopt);
}

TEST(FolderNameDate, IngestDatesAnEventWithoutArticleByItsFolder) {
  TempDir tree, archive;
  write_file(tree / "2021-01-05 Lũ ở Quảng Bình/IMG_1.jpg", ingest_jpeg(1));  // EXIF 2021-03-04 09:10:11
  write_file(tree / "không ngày/IMG_2.jpg", ingest_jpeg(2));                  // EXIF 2021-03-04 08:00:00
  auto cat = Catalog::open((archive / "a").string());
  ASSERT_TRUE(cat.ok());
  testing::FakeProcessor proc;
  auto r = ingest(**cat, proc, {tree.path().string()});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  auto snap = (*cat)->snapshot();
  ASSERT_TRUE(snap.ok());
  auto dated = (*snap)->event(event_id_for_folder((tree / "2021-01-05 Lũ ở Quảng Bình").string()));
  ASSERT_TRUE(dated.ok()) << dated.status().to_string();
  EXPECT_EQ(dated->date, "2021-01-05");
  EXPECT_EQ(dated->title, "2021-01-05 Lũ ở Quảng Bình");
  // The folder's date wins over the photo's own EXIF date (2021-03-04 09:10:11): editors name folders on purpose.
  auto by_exif = (*snap)->event(event_id_for_folder((tree / "không ngày").string()));
  ASSERT_TRUE(by_exif.ok());
  ASSERT_TRUE(by_exif->date.has_value());
  EXPECT_EQ(by_exif->date->substr(0, 10), "2021-03-04");  // no date in its name: the EXIF capture time
  // The home page's index has both, newest first.
  auto first = (*snap)->events_newest_first(0, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, by_exif->id);
  EXPECT_EQ((*first)[1].id, dated->id);
}

}  // namespace
}  // namespace kho::ingest
