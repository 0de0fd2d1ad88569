// `kho ingest` of HEIC/AVIF and of files it does not take (issue 14): HEIF photos come out upright with the
// size libheif shows, their format names the content type, and every skipped file is counted by extension
// (`skipped_types`) and named (`skipped_files`).
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
namespace fs = std::filesystem;
using kho::testing::run_kho;
using kho::testing::TempDir;
using kho::testing::write_file;
using nlohmann::json;

TEST(AppFormats, HeifAndAvifIngestUprightAndSkippedTypesAreNamed) {
  TempDir dir;
  const fs::path in = dir / "in" / "2024-06-01 Điện thoại";
  fs::create_directories(in);
  const fs::path heif = kho::testing::test_data_dir() / "heif";
  fs::copy_file(heif / "irot_6.heic", in / "IMG_0006.HEIC");
  fs::copy_file(heif / "upright.avif", in / "IMG_0007.avif");
  write_file(in / "clip.MOV", "not a photo");
  write_file(in / "notes.md", "# notes");
  write_file(in / "Makefile", "all:");
  const std::string archive = (dir / "archive").string();
  auto r = run_kho({"--archive", archive, "ingest", (dir / "in").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["photos_added"], 2);
  EXPECT_EQ(j["errors"].size(), 0u) << j["errors"].dump();
  EXPECT_EQ(j["skipped_types"], json({{"mov", 1}, {"md", 1}, {"", 1}})) << j["skipped_types"].dump();
  ASSERT_EQ(j["skipped_files"].size(), 3u);
  EXPECT_NE(j["skipped_files"][0].get<std::string>().find("Makefile"), std::string::npos) << j["skipped_files"];

  auto cat = Catalog::open(archive, {.read_only = true});
  ASSERT_TRUE(cat.ok());
  auto snap = (*cat)->snapshot().value();
  auto heic = snap->file(fs::absolute(in / "IMG_0006.HEIC").lexically_normal().string());
  ASSERT_TRUE(heic.ok());
  auto photo = snap->photo(heic->digest);
  ASSERT_TRUE(photo.ok());
  EXPECT_EQ(photo->meta.format, "heic");  // served as image/heic
  EXPECT_EQ(photo->meta.orientation, 6);  // reported as stored…
  EXPECT_EQ(photo->width, 360u);          // …but not applied on top of irot: landscape, as libheif shows it
  EXPECT_EQ(photo->height, 240u);
  EXPECT_TRUE(photo->has_thumbs);
  EXPECT_TRUE(photo->has_signatures);
  auto avif = snap->photo(snap->file(fs::absolute(in / "IMG_0007.avif").lexically_normal().string())->digest);
  ASSERT_TRUE(avif.ok());
  EXPECT_EQ(avif->meta.format, "avif");
}

}  // namespace
}  // namespace kho
