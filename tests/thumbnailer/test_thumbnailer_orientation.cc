// Orientation acceptance (issue 5): the same picture stored with EXIF orientations 0–8 comes out upright,
// with exact derivative sizes, and close in pixels to a reference rotated by hand.
// Fixtures: tests/data/orientation (MIT, Dave Perrett's exif-orientation-examples, LICENSE beside them).
// Landscape_N stores the picture so that applying orientation N shows it upright: 1800x1200 for N<=4,
// 1200x1800 (transposed) for N>=5.
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

std::vector<std::uint8_t> fixture(int n) {
  const std::string bytes = kho::testing::read_file(kho::testing::test_data_dir() / "orientation" /
                                                     ("Landscape_" + std::to_string(n) + ".jpg"));
  return {bytes.begin(), bytes.end()};
}


// The upright picture, decoded at full size by OpenCV (orientation ignored: Landscape_1 is stored upright).
const cv::Mat& upright_reference() {
  static const cv::Mat ref = [] {
    auto bytes = fixture(1);
    return cv::imdecode(bytes, cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
  }();
  return ref;
}

double mean_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const cv::Scalar m = cv::mean(diff);
  return (m[0] + m[1] + m[2]) / 3.0;
}

cv::Mat reference_at(cv::Size size) {
  cv::Mat out;
  cv::resize(upright_reference(), out, size, 0, 0, cv::INTER_AREA);
  return out;
}

class OrientationTest : public ::testing::TestWithParam<int> {};

TEST_P(OrientationTest, DerivativesAreUprightWithExactSizes) {
  const int n = GetParam();
  const Thumbnailer thumbnailer;
  // Landscape_0 has no orientation tag; the caller passes 0 and it must be treated as 1.
  auto out = thumbnailer.process(fixture(n), n);
  ASSERT_TRUE(out.ok()) << out.status().to_string();

  EXPECT_EQ(out->width, 1800u);
  EXPECT_EQ(out->height, 1200u);
  const cv::Mat preview = decode(out->preview_jpeg);
  const cv::Mat grid = decode(out->grid_jpeg);
  ASSERT_FALSE(preview.empty());
  ASSERT_FALSE(grid.empty());
  // 1800x1200 → long edge 1280: 1200 * 1280 / 1800 = 853.3 → 853; grid 1200 * 320 / 1800 = 213.3 → 213.
  EXPECT_EQ(preview.size(), cv::Size(1280, 853));
  EXPECT_EQ(grid.size(), cv::Size(320, 213));

  // Upright pixels: the hand-made reference differs only by resampling and JPEG (mean |diff| ~2 levels);
  // a wrongly turned or mirrored picture differs by tens of levels (see WrongOrientationIsDetected).
  EXPECT_LT(mean_abs_diff(preview, reference_at(preview.size())), 6.0) << "Landscape_" << n;
  EXPECT_LT(mean_abs_diff(grid, reference_at(grid.size())), 6.0) << "Landscape_" << n;
}

INSTANTIATE_TEST_SUITE_P(AllOrientations, OrientationTest, ::testing::Range(0, 9),
                         [](const auto& param_info) { return "Landscape_" + std::to_string(param_info.param); });

// The comparison has teeth: applying the wrong orientation to the stored pixels is caught.
TEST(OrientationTest, WrongOrientationIsDetected) {
  const Thumbnailer thumbnailer;
  for (int n : {2, 3, 4}) {
    auto out = thumbnailer.process(fixture(n), 1);  // pretend the tag is missing
    ASSERT_TRUE(out.ok());
    const cv::Mat preview = decode(out->preview_jpeg);
    ASSERT_EQ(preview.size(), cv::Size(1280, 853));
    EXPECT_GT(mean_abs_diff(preview, reference_at(preview.size())), 15.0) << "Landscape_" << n;
  }
  auto turned = thumbnailer.process(fixture(6), 1);
  ASSERT_TRUE(turned.ok());
  EXPECT_EQ(turned->width, 1200u);
  EXPECT_EQ(decode(turned->preview_jpeg).size(), cv::Size(853, 1280));
}

// Hand-rotated references: rotating the upright picture with cv::rotate/flip and feeding the result as a
// JPEG with the matching orientation gives back the upright picture (independent of the fixture files).
TEST(OrientationTest, HandRotatedInputsComeBackUpright) {
  const cv::Mat up = reference_at(cv::Size(1500, 1000));
  // The stored image that orientation n turns upright: the inverse transform of the upright one.
  auto stored_for = [&](int n) {
    cv::Mat s;
    switch (n) {
      case 2: cv::flip(up, s, 1); break;
      case 3: cv::rotate(up, s, cv::ROTATE_180); break;
      case 4: cv::flip(up, s, 0); break;
      case 5: cv::transpose(up, s); break;
      case 6: cv::rotate(up, s, cv::ROTATE_90_COUNTERCLOCKWISE); break;
      case 7: {
        cv::Mat t;
        cv::rotate(up, t, cv::ROTATE_180);
        cv::transpose(t, s);
        break;
      }
      case 8: cv::rotate(up, s, cv::ROTATE_90_CLOCKWISE); break;
      default: s = up;
    }
    return s;
  };
  const Thumbnailer thumbnailer;
  for (int n = 1; n <= 8; ++n) {
    std::vector<std::uint8_t> jpeg;
    ASSERT_TRUE(cv::imencode(".jpg", stored_for(n), jpeg, {cv::IMWRITE_JPEG_QUALITY, 95}));
    auto out = thumbnailer.process(jpeg, n);
    ASSERT_TRUE(out.ok()) << out.status().to_string();
    EXPECT_EQ(out->width, 1500u) << n;
    EXPECT_EQ(out->height, 1000u) << n;
    const cv::Mat preview = decode(out->preview_jpeg);
    ASSERT_EQ(preview.size(), cv::Size(1280, 853)) << n;
    EXPECT_LT(mean_abs_diff(preview, reference_at(preview.size())), 6.0) << "orientation " << n;
  }
}

// Perceptual hashes are taken after orientation, so every oriented copy hashes like the upright one.
TEST(OrientationTest, SignaturesAgreeAcrossOrientations) {
  const Thumbnailer thumbnailer;
  auto base = thumbnailer.process(fixture(1), 1);
  ASSERT_TRUE(base.ok());
  for (int n = 2; n <= 8; ++n) {
    auto out = thumbnailer.process(fixture(n), n);
    ASSERT_TRUE(out.ok());
    const int distance = __builtin_popcountll(out->sig.phash ^ base->sig.phash);
    EXPECT_LE(distance, 4) << "Landscape_" << n;
  }
}

}  // namespace
}  // namespace kho::thumb
