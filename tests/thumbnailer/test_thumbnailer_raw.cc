// Camera raw without a usable preview (issue 14): LibRaw's embedded thumbnail, else a half-size decode with a
// warning; files whose sensor data was cut off fail with a reason instead of a black "photo".
// Fixtures: ../shared/photos/raw (CRW.CRW is the one complete raw; the others have their sensor data cut).
#include <gtest/gtest.h>

#include <string>

#include "kho/thumbnailer/thumbnailer.h"
#include "test_support.h"
#include "thumbnailer_fixtures.h"

namespace kho::thumb {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> raw_file(const char* name) {
  const auto shared = kho::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "photos" / "raw" / name)) return std::nullopt;
  return kho::testing::read_file(*shared / "photos" / "raw" / name);
}

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(RawThumbnailer, HalfSizeDecodeOfACompleteRawWarns) {
  auto crw = raw_file("CRW.CRW");
  if (!crw) GTEST_SKIP() << "../shared/photos/raw is not there";
  ThumbnailOptions opt;
  opt.raw_embedded_thumbnail = false;
  auto out = Thumbnailer(opt).process_raw(as_bytes(*crw), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  // The D30's 2160x1440 image at half size is about 1080x720 (LibRaw keeps the sensor's margins).
  EXPECT_GT(out->width, 1000u);
  EXPECT_LT(out->width, 1200u);
  ASSERT_EQ(out->warnings.size(), 1u);
  EXPECT_NE(out->warnings[0].find("half size"), std::string::npos) << out->warnings[0];
  const cv::Mat grid = testing::decode(out->grid_jpeg);
  ASSERT_FALSE(grid.empty());
  EXPECT_EQ(grid.cols, 320);
  // A real picture, not the zeros LibRaw gives for missing data.
  EXPECT_GT(cv::mean(grid)[1], 20.0);
}

TEST(RawThumbnailer, EmbeddedThumbnailIsPreferredWithoutAWarning) {
  auto crw = raw_file("CRW.CRW");
  if (!crw) GTEST_SKIP() << "../shared/photos/raw is not there";
  auto out = Thumbnailer().process_raw(as_bytes(*crw), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, 1440u);  // the 1440x960 JpgFromRaw
  EXPECT_EQ(out->height, 960u);
  EXPECT_TRUE(out->warnings.empty());
}

TEST(RawThumbnailer, CutSensorDataFailsWithAReason) {
  ThumbnailOptions opt;
  opt.raw_embedded_thumbnail = false;
  int missing = 0;
  for (const char* name : {"CR2.exif", "NEF.exif", "ARW.exif", "Canon-R6-pruned.CR3", "canon-r6.cr3"}) {
    auto bytes = raw_file(name);
    if (!bytes) GTEST_SKIP() << "../shared/photos/raw is not there";
    auto out = Thumbnailer(opt).process_raw(as_bytes(*bytes), 1);
    ASSERT_FALSE(out.ok()) << name;
    EXPECT_NE(out.status().message().find("camera raw"), std::string::npos) << out.status().message();
    if (out.status().message().find("sensor data missing") != std::string::npos) ++missing;
  }
  // LibRaw opens some of them and would "decode" zeros: the size check names the missing data instead.
  EXPECT_GE(missing, 1);
}

TEST(RawThumbnailer, GarbageIsRefused) {
  const std::string junk(4096, 'x');
  auto out = Thumbnailer().process_raw(as_bytes(junk), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_FALSE(out.status().message().empty());
}

}  // namespace
}  // namespace kho::thumb
