// HEIF/HEIC/AVIF through libheif (issue 14): the primary image decodes, the HEIF transforms (irot/imir)
// make it upright, and the EXIF Orientation the caller passes is NOT applied a second time.
// Fixtures: tests/data/heif (README.md there says how they were made).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "kho/thumbnailer/thumbnailer.h"
#include "test_support.h"
#include "thumbnailer_fixtures.h"

namespace kho::thumb {
namespace {
using testing::decode;

std::vector<std::uint8_t> heif(const std::string& name) {
  const std::string bytes = kho::testing::read_file(kho::testing::test_data_dir() / "heif" / name);
  return {bytes.begin(), bytes.end()};
}

cv::Mat reference_at(cv::Size size) {
  static const cv::Mat full = [] {
    const std::string bytes = kho::testing::read_file(kho::testing::test_data_dir() / "orientation" /
                                                      "Landscape_1.jpg");
    return cv::imdecode(std::vector<std::uint8_t>(bytes.begin(), bytes.end()),
                        cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  }();
  cv::Mat out;
  cv::resize(full, out, size, 0, 0, cv::INTER_AREA);
  return out;
}

double mean_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const cv::Scalar m = cv::mean(diff);
  return (m[0] + m[1] + m[2]) / 3.0;
}

class HeifTransformTest : public ::testing::TestWithParam<std::string> {};

TEST_P(HeifTransformTest, TransformsMakeItUprightAndExifOrientationIsNotAppliedTwice) {
  const std::string name = GetParam();
  const Thumbnailer thumbnailer;
  auto info = probe_image(heif(name));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->format, ImageFormat::kHeif);
  // The caller passes the EXIF Orientation it read (the fixtures' EXIF repeats the transform); every
  // value must give the same upright picture.
  for (int orientation : {1, 6, 8, 3}) {
    auto out = thumbnailer.process(heif(name), orientation);
    ASSERT_TRUE(out.ok()) << name << ": " << out.status().to_string();
    EXPECT_EQ(out->width, 360u) << name;
    EXPECT_EQ(out->height, 240u) << name;
    const cv::Mat grid = decode(out->grid_jpeg);
    ASSERT_EQ(grid.size(), cv::Size(320, 213)) << name;
    // HEVC at q70 of a 360 px picture: ~4 levels from the reference; a turned or mirrored one, tens.
    EXPECT_LT(mean_abs_diff(grid, reference_at(grid.size())), 10.0) << name << " orientation " << orientation;
  }
}

INSTANTIATE_TEST_SUITE_P(AllTransforms, HeifTransformTest,
                         ::testing::Values("irot_2.heic", "irot_3.heic", "irot_4.heic", "irot_5.heic", "irot_6.heic",
                                           "irot_7.heic", "irot_8.heic", "irot_6_exif_1.heic"),
                         [](const auto& param_info) {
                           std::string n = param_info.param.substr(0, param_info.param.find('.'));
                           return n;
                         });

TEST(HeifTest, WrongTurnIsDetectedByTheComparison) {
  // The check above would catch a second rotation: the reference turned by 90° is far from it.
  auto out = Thumbnailer().process(heif("irot_6.heic"), 1);
  ASSERT_TRUE(out.ok());
  cv::Mat grid = decode(out->grid_jpeg), flipped;
  cv::flip(grid, flipped, -1);
  EXPECT_GT(mean_abs_diff(flipped, reference_at(grid.size())), 20.0);
}

TEST(HeifTest, AvifDecodes) {
  auto info = probe_image(heif("upright.avif"));
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->format, ImageFormat::kAvif);
  EXPECT_STREQ(image_format_name(info->format), "avif");
  auto out = Thumbnailer().process(heif("upright.avif"), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, 360u);
  EXPECT_EQ(out->height, 240u);
  const cv::Mat grid = decode(out->grid_jpeg);
  EXPECT_LT(mean_abs_diff(grid, reference_at(grid.size())), 10.0);
  EXPECT_EQ(out->sig.color_moment.size(), 42u);
}

TEST(HeifTest, CameraHeicMakesBothSizesAndSignatures) {
  auto out = Thumbnailer().process(heif("cheers_1440x960.heic"), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, 1440u);
  EXPECT_EQ(out->height, 960u);
  EXPECT_EQ(decode(out->preview_jpeg).size(), cv::Size(1280, 853));
  EXPECT_EQ(decode(out->grid_jpeg).size(), cv::Size(320, 213));
  EXPECT_NE(out->sig.phash, 0u);
}

TEST(HeifTest, TruncatedOrHeaderOnlyFilesFailWithANamedReason) {
  auto whole = heif("cheers_1440x960.heic");
  const std::string header(
      "\0\0\0\x18"
      "ftypheic\0\0\0\0mif1heic",
      24);
  auto only_header = Thumbnailer().process(
      std::span(reinterpret_cast<const std::uint8_t*>(header.data()), header.size()), 1);
  ASSERT_FALSE(only_header.ok());
  EXPECT_TRUE(only_header.status().is_invalid_argument()) << only_header.status().to_string();
  EXPECT_NE(only_header.status().message().find("HEIF"), std::string::npos) << only_header.status().message();
  for (std::size_t keep : {whole.size() / 2, whole.size() - 100, std::size_t{400}}) {
    std::vector<std::uint8_t> cut(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(keep));
    auto out = Thumbnailer().process(cut, 1);
    ASSERT_FALSE(out.ok()) << keep;
    EXPECT_NE(out.status().message().find("HEIF"), std::string::npos) << out.status().message();
  }
}

TEST(HeifTest, SharedPhonePhotosAreUprightAsLibheifShowsThem) {
  const auto shared = kho::testing::shared_dir();
  if (!shared) GTEST_SKIP() << "../shared is not there";
  const auto dir = *shared / "photos" / "exif-samples" / "heic" / "mobile";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << dir << " is not there";
  // iPhone 13: ispe 4032x3024, irot 270 and EXIF Orientation 6 (the same turn twice): portrait once.
  // Nokia 8.3: ispe 4608x3456, irot 270 and EXIF Orientation 1: portrait, as heif-convert shows it.
  struct Case {
    const char* name;
    int exif;
    std::uint32_t w, h;
  };
  for (const Case& c : {Case{"iphone_13_pro_max.HEIC", 6, 3024, 4032}, Case{"HMD_Nokia_8.3_5G.heif", 1, 3456, 4608}}) {
    const std::string bytes = kho::testing::read_file(dir / c.name);
    auto out = Thumbnailer().process(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
                                     c.exif);
    ASSERT_TRUE(out.ok()) << c.name << ": " << out.status().to_string();
    EXPECT_EQ(out->width, c.w) << c.name;
    EXPECT_EQ(out->height, c.h) << c.name;
  }
}

}  // namespace
}  // namespace kho::thumb
