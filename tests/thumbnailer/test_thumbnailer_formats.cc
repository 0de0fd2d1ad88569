// JPEG variants through the fast path and its fallback: CMYK (OpenCV fallback), greyscale, progressive
// (also shrunk on load), each compared in pixels with OpenCV's own decode of the same file.
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
using testing::image;



// Mean absolute difference between our preview and OpenCV's decode of `bytes`, resized to match.
double preview_error(const std::vector<std::uint8_t>& bytes, const ProcessedPhoto& out) {
  const cv::Mat ours = decode(out.preview_jpeg);
  const cv::Mat full = cv::imdecode(bytes, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  cv::Mat ref, diff;
  cv::resize(full, ref, ours.size(), 0, 0, cv::INTER_AREA);
  cv::absdiff(ours, ref, diff);
  const cv::Scalar m = cv::mean(diff);
  return (m[0] + m[1] + m[2]) / 3;
}

struct VariantCase {
  const char* file;
  int width, height;
};

class JpegVariantTest : public ::testing::TestWithParam<VariantCase> {};

TEST_P(JpegVariantTest, DecodesWithTheRightSizeAndColours) {
  const VariantCase c = GetParam();
  const auto bytes = image(c.file);
  auto out = Thumbnailer().process(bytes, 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, static_cast<std::uint32_t>(c.width));
  EXPECT_EQ(out->height, static_cast<std::uint32_t>(c.height));
  EXPECT_EQ(decode(out->preview_jpeg).size(), cv::Size(c.width, c.height));  // under 1280: not resized
  EXPECT_LT(preview_error(bytes, *out), 5.0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, JpegVariantTest,
                         ::testing::Values(VariantCase{"cmyk.jpg", 320, 240}, VariantCase{"gray.jpg", 640, 480},
                                           VariantCase{"progressive.jpg", 640, 480}),
                         [](const auto& param_info) { return std::string(param_info.param.file).substr(0, 4); });

TEST(JpegVariantTest, LargeProgressiveJpegIsShrunkOnLoad) {
  cv::Mat img(2000, 3000, CV_8UC3);
  cv::randu(img, cv::Scalar::all(0), cv::Scalar::all(255));
  cv::GaussianBlur(img, img, cv::Size(0, 0), 6);
  std::vector<std::uint8_t> bytes;
  ASSERT_TRUE(cv::imencode(".jpg", img, bytes, {cv::IMWRITE_JPEG_PROGRESSIVE, 1, cv::IMWRITE_JPEG_QUALITY, 90}));
  auto out = Thumbnailer().process(bytes, 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(decode(out->preview_jpeg).size(), cv::Size(1280, 853));
  EXPECT_EQ(decode(out->grid_jpeg).size(), cv::Size(320, 213));
  EXPECT_LT(preview_error(bytes, *out), 5.0);
}

TEST(JpegVariantTest, DecoderMemoryCapRefusesBigProgressiveJpegs) {
  // 3000x2000 progressive: libjpeg buffers all coefficients (~18 MB); baseline at 1/2 needs far less.
  cv::Mat img(2000, 3000, CV_8UC3);
  cv::randu(img, cv::Scalar::all(0), cv::Scalar::all(255));
  std::vector<std::uint8_t> progressive, baseline;
  ASSERT_TRUE(cv::imencode(".jpg", img, progressive, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}));
  ASSERT_TRUE(cv::imencode(".jpg", img, baseline));
  ThumbnailOptions options;
  options.max_decoder_bytes = std::uint64_t{8} << 20;
  auto refused = Thumbnailer(options).process(progressive, 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().is_unsupported()) << refused.status().to_string();
  EXPECT_NE(refused.status().message().find("8 MB"), std::string::npos) << refused.status().message();
  EXPECT_TRUE(Thumbnailer(options).process(baseline, 1).ok());
  EXPECT_TRUE(Thumbnailer().process(progressive, 1).ok());
}

TEST(JpegVariantTest, TruncatedProgressiveJpegIsInvalidArgument) {
  auto bytes = image("progressive.jpg");
  bytes.resize(bytes.size() * 2 / 3);
  auto out = Thumbnailer().process(bytes, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_invalid_argument()) << out.status().to_string();
}

}  // namespace
}  // namespace kho::thumb
