// The 640 px srcset size (issue 15): made from the preview in the same call, upright, never upscaled, absent
// when the preview is no larger, and without any effect on the grid thumbnail or the signatures.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// Smooth gradients and a disc: a photo-like picture whose downscales are easy to compare.
std::vector<std::uint8_t> gradient_jpeg(int w, int h) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const double u = static_cast<double>(x) / w, v = static_cast<double>(y) / h;
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<std::uint8_t>(220 * u + 20),
                                          static_cast<std::uint8_t>(200 * v + 30),
                                          static_cast<std::uint8_t>(127 + 120 * std::sin(9 * u + 4 * v)));
    }
  cv::circle(img, {w / 3, h / 2}, std::min(w, h) / 5, cv::Scalar(20, 200, 240), -1, cv::LINE_AA);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, 92});
  return jpeg;
}

struct MidCase {
  int w, h, orientation;
  cv::Size mid;  // 0x0: no 640 px image (the preview is no larger)
};

class MidSizeTest : public ::testing::TestWithParam<MidCase> {};

TEST_P(MidSizeTest, LongEdgeIs640WhenThePreviewIsLarger) {
  const MidCase c = GetParam();
  auto out = Thumbnailer().process(gradient_jpeg(c.w, c.h), c.orientation);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  if (c.mid.area() == 0) {
    EXPECT_TRUE(out->mid_jpeg.empty()) << "the preview is the 640 px image";
    return;
  }
  ASSERT_FALSE(out->mid_jpeg.empty());
  const cv::Mat mid = decode(out->mid_jpeg);
  EXPECT_EQ(mid.size(), c.mid);
  // Between the grid and the preview in bytes, as a 4x-area image must be.
  EXPECT_GT(out->mid_jpeg.size(), out->grid_jpeg.size());
  EXPECT_LT(out->mid_jpeg.size(), out->preview_jpeg.size());
}

INSTANTIATE_TEST_SUITE_P(Sizes, MidSizeTest,
                         ::testing::Values(MidCase{4000, 3000, 1, {640, 480}},  // 12 MP
                                           MidCase{3000, 4000, 1, {480, 640}},  // portrait
                                           MidCase{4000, 3000, 6, {480, 640}},  // EXIF 6: upright, turned
                                           MidCase{2592, 1456, 1, {640, 360}},  // 16:9 (1280x719 halved)
                                           MidCase{1281, 100, 1, {640, 50}},    // very wide
                                           MidCase{800, 600, 1, {640, 480}},    // preview 800: still larger
                                           MidCase{640, 480, 1, {0, 0}},        // exactly 640: none
                                           MidCase{300, 200, 1, {0, 0}}));      // tiny: none, never upscaled

TEST(MidSizeTest, LooksLikeTheOriginalAndTheOtherSizes) {
  const auto jpeg = gradient_jpeg(4000, 3000);
  auto out = Thumbnailer().process(jpeg, 1);
  ASSERT_TRUE(out.ok());
  const cv::Mat mid = decode(out->mid_jpeg);
  const cv::Mat original = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  cv::Mat ref, diff;
  cv::resize(original, ref, mid.size(), 0, 0, cv::INTER_AREA);
  cv::absdiff(mid, ref, diff);
  const cv::Scalar m = cv::mean(diff);
  EXPECT_LT((m[0] + m[1] + m[2]) / 3, 5.0);
  // The same pixels as the preview, halved.
  cv::Mat preview_half;
  cv::resize(decode(out->preview_jpeg), preview_half, mid.size(), 0, 0, cv::INTER_AREA);
  cv::absdiff(mid, preview_half, diff);
  const cv::Scalar p = cv::mean(diff);
  EXPECT_LT((p[0] + p[1] + p[2]) / 3, 2.5);
}

TEST(MidSizeTest, GridAndSignaturesAreThoseOfABuildWithoutIt) {
  // mid_px is clamped to at most the preview: 1280 turns the 640 px size off, as before it existed. The grid
  // and the signatures must not change, or old and new ingests would stop matching as duplicates.
  ThumbnailOptions without;
  without.mid_px = 1280;
  for (int orientation : {1, 6}) {
    const auto jpeg = gradient_jpeg(3000, 2000);
    auto with_mid = Thumbnailer().process(jpeg, orientation);
    auto no_mid = Thumbnailer(without).process(jpeg, orientation);
    ASSERT_TRUE(with_mid.ok() && no_mid.ok());
    EXPECT_FALSE(with_mid->mid_jpeg.empty());
    EXPECT_TRUE(no_mid->mid_jpeg.empty());
    EXPECT_EQ(with_mid->grid_jpeg, no_mid->grid_jpeg);
    EXPECT_EQ(with_mid->preview_jpeg, no_mid->preview_jpeg);
    EXPECT_EQ(with_mid->sig, no_mid->sig);
  }
}

TEST(MidSizeTest, OptionsAreClampedBetweenGridAndPreview) {
  ThumbnailOptions o;
  o.mid_px = 10;
  EXPECT_EQ(Thumbnailer(o).options().mid_px, 320);
  o.mid_px = 5000;
  EXPECT_EQ(Thumbnailer(o).options().mid_px, 1280);
}

}  // namespace
}  // namespace kho::thumb
