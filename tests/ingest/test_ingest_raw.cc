// Camera raw on the ingest side (issue 14): `kho meta` width/height are the full image's size and agree with
// exiftool on ../shared/photos/raw/expected.tsv; TIFF-based raws are named by their sensor-data directory; the
// largest embedded JPEG preview is found (Exiv2's PreviewManager) and is a whole JPEG.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/src/raw_preview.h"
#include "kho/ingest/metadata.h"
#include "kho/ingest/scanner.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

namespace fs = std::filesystem;

std::optional<fs::path> raw_dir() {
  const auto shared = kho::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "photos" / "raw" / "expected.tsv")) return std::nullopt;
  return *shared / "photos" / "raw";
}

std::vector<std::map<std::string, std::string>> expected_rows(const fs::path& dir) {
  std::ifstream in(dir / "expected.tsv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string f; std::getline(hs, f, '\t');) header.push_back(f);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::map<std::string, std::string> row;
    std::size_t i = 0;
    for (std::string f; std::getline(ls, f, '\t') && i < header.size(); ++i) row[header[i]] = f;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(RawMetadata, FullImageSizeAgreesWithExiftool) {
  auto dir = raw_dir();
  if (!dir) GTEST_SKIP() << "../shared/photos/raw is not there";
  auto rows = expected_rows(*dir);
  ASSERT_EQ(rows.size(), 6u);
  for (const auto& row : rows) {
    const std::string path = row.at("path");
    auto meta = read_metadata_file((*dir / path).string());
    ASSERT_TRUE(meta.ok()) << path << ": " << meta.status().to_string();
    EXPECT_EQ(meta->width, std::stoll(row.at("width"))) << path;
    EXPECT_EQ(meta->height, std::stoll(row.at("height"))) << path;
    EXPECT_EQ(meta->make, row.at("make")) << path;
    EXPECT_EQ(meta->model, row.at("model")) << path;
    EXPECT_TRUE(detail::is_raw_format(meta->format.value_or(""))) << path << " read as " << meta->format.value_or("?");
  }
}

TEST(RawMetadata, TiffBasedRawsAreNamedBySensorDirectory) {
  auto dir = raw_dir();
  if (!dir) GTEST_SKIP() << "../shared/photos/raw is not there";
  for (const auto& [file, format] :
       {std::pair{"NEF.exif", "nef"}, std::pair{"ARW.exif", "arw"}, std::pair{"CR2.exif", "cr2"},
        std::pair{"CRW.CRW", "crw"}, std::pair{"Canon-R6-pruned.CR3", "cr3"}}) {
    auto meta = read_metadata_file((*dir / file).string());
    ASSERT_TRUE(meta.ok()) << file;
    EXPECT_EQ(meta->format, format) << file;
  }
}

TEST(RawPreview, LargestEmbeddedJpegIsFound) {
  auto dir = raw_dir();
  if (!dir) GTEST_SKIP() << "../shared/photos/raw is not there";
  // largest_preview of expected.tsv (exiftool): every file but canon-r6.cr3, which Exiv2 0.27 rejects.
  for (const auto& row : expected_rows(*dir)) {
    const std::string bytes = kho::testing::read_file(*dir / row.at("path"));
    std::vector<std::string> notes;
    auto preview = detail::largest_raw_preview(as_bytes(bytes), &notes);
    if (row.at("path") == "canon-r6.cr3") continue;  // either way is fine; the pipeline falls back to LibRaw
    ASSERT_TRUE(preview.has_value()) << row.at("path");
    EXPECT_EQ(std::to_string(preview->width) + "x" + std::to_string(preview->height), row.at("largest_preview"))
        << row.at("path");
    ASSERT_GE(preview->jpeg.size(), 4u);
    EXPECT_EQ(preview->jpeg[0], 0xFF);
    EXPECT_EQ(preview->jpeg[1], 0xD8);
  }
}

TEST(RawPreview, NoPreviewInAJpegOrGarbage) {
  std::vector<std::string> notes;
  const std::string text = "not a raw file at all";
  EXPECT_FALSE(detail::largest_raw_preview(as_bytes(text), &notes).has_value());
}

TEST(RawScanner, RawExtensionsArePhotos) {
  for (const char* name : {"a.NEF", "a.cr2", "a.CR3", "a.arw", "a.raf", "a.rw2", "a.orf", "a.pef", "a.dng"}) {
    EXPECT_EQ(classify_name(name), ScanKind::kPhoto) << name;
  }
  EXPECT_EQ(classify_name("a.avif"), ScanKind::kPhoto);
  EXPECT_EQ(classify_name("clip.mov"), ScanKind::kOther);
  EXPECT_EQ(skipped_type_key("clip.MOV"), "mov");
  EXPECT_EQ(skipped_type_key("Makefile"), "");
}

}  // namespace
}  // namespace kho::ingest
