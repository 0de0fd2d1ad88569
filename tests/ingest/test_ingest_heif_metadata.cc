// HEIF metadata (issue 14): the EXIF item through Exiv2 and the XMP item through libheif (Exiv2 0.27 misses
// it); the format names the content type (heic for HEVC brands, avif).
#include <gtest/gtest.h>

#include "kho/ingest/metadata.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

TEST(HeifMetadata, XmpItemAndExifItemAreRead) {
  auto meta = read_metadata_file((kho::testing::test_data_dir() / "heif" / "xmp.heic").string());
  ASSERT_TRUE(meta.ok()) << meta.status().to_string();
  EXPECT_EQ(meta->format, "heic");
  EXPECT_EQ(meta->description, "Chú thích thử HEIC");
  EXPECT_EQ(meta->credit, "TTXVN");
  ASSERT_EQ(meta->keywords.size(), 1u);
  EXPECT_EQ(meta->keywords[0], "Thanh Hóa");
  EXPECT_EQ(meta->orientation, 6);  // from the EXIF item, as stored
  EXPECT_EQ(meta->width, 360);      // the primary item's ispe
  EXPECT_EQ(meta->height, 240);
  EXPECT_TRUE(meta->warnings.empty());
}

TEST(HeifMetadata, AvifIsNamedAvif) {
  auto meta = read_metadata_file((kho::testing::test_data_dir() / "heif" / "upright.avif").string());
  ASSERT_TRUE(meta.ok()) << meta.status().to_string();
  EXPECT_EQ(meta->format, "avif");
  EXPECT_EQ(meta->width, 360);
}

}  // namespace
}  // namespace kho::ingest
