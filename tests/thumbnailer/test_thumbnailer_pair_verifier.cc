// OpenCvPairVerifier: copies pass, another moment of the same scene and far-apart crops do not.
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <random>

#include "kho/thumbnailer/pair_verifier.h"

namespace kho::thumb {
namespace {

// A busy synthetic "photo": gradient, many shapes and texture, so ORB finds keypoints everywhere.
cv::Mat scene(int w, int h, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(x * 200 / w), static_cast<uchar>(y * 200 / h), 90);
  for (int i = 0; i < 160; ++i) {
    cv::Point c(static_cast<int>(rng() % w), static_cast<int>(rng() % h));
    cv::Scalar col(static_cast<double>(rng() % 256), static_cast<double>(rng() % 256),
                   static_cast<double>(rng() % 256));
    int r = 4 + static_cast<int>(rng() % (w / 14));
    if (i % 2) cv::circle(img, c, r, col, -1);
    else cv::rectangle(img, c, c + cv::Point(r, r * 2 / 3), col, -1);
  }
  return img;
}

std::string jpeg(const cv::Mat& img, int quality = 85) {
  std::vector<uchar> out;
  cv::imencode(".jpg", img, out, {cv::IMWRITE_JPEG_QUALITY, quality});
  return std::string(out.begin(), out.end());
}

// The 320 px grid thumbnail, as the thumbnailer makes it.
std::string grid(const cv::Mat& img) {
  cv::Mat g;
  double s = 320.0 / std::max(img.cols, img.rows);
  cv::resize(img, g, cv::Size(), s, s, cv::INTER_AREA);
  return jpeg(g);
}

PairVerdict check(const cv::Mat& a, const cv::Mat& b) {
  OpenCvPairVerifier v;
  auto r = v.verify(Photo{}, grid(a), Photo{}, grid(b));
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : PairVerdict{};
}

TEST(PairVerifier, CopiesAreDuplicates) {
  cv::Mat base = scene(1200, 800, 1);
  cv::Mat m;
  // Re-compressed hard.
  cv::imdecode(cv::Mat(static_cast<int>(jpeg(base, 35).size()), 1, CV_8U, jpeg(base, 35).data()), cv::IMREAD_COLOR)
      .copyTo(m);
  EXPECT_TRUE(check(base, m).duplicate) << check(base, m).reason;
  // Resized to a quarter.
  cv::resize(base, m, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  EXPECT_TRUE(check(base, m).duplicate) << check(base, m).reason;
  // Brighter by 15%.
  base.convertTo(m, -1, 1.0, 0.15 * 255);
  EXPECT_TRUE(check(base, m).duplicate) << check(base, m).reason;
  // Cropped by 10%.
  m = base(cv::Rect(60, 40, 1080, 720)).clone();
  EXPECT_TRUE(check(base, m).duplicate) << check(base, m).reason;
  // Rotated 2 degrees and trimmed.
  cv::Mat r = cv::getRotationMatrix2D(cv::Point2f(600, 400), 2.0, 1.0);
  cv::warpAffine(base, m, r, base.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  m = m(cv::Rect(45, 45, 1110, 710)).clone();
  EXPECT_TRUE(check(base, m).duplicate) << check(base, m).reason;
}

TEST(PairVerifier, BurstFrameWithMovedSubjectIsNotADuplicate) {
  // Two frames of one scene: the background is identical, two subjects moved.
  cv::Mat first = scene(1200, 800, 2), second = first.clone();
  cv::rectangle(first, cv::Rect(300, 250, 170, 330), cv::Scalar(20, 20, 200), -1);
  cv::rectangle(second, cv::Rect(520, 260, 170, 330), cv::Scalar(20, 20, 200), -1);
  cv::circle(first, cv::Point(900, 200), 60, cv::Scalar(240, 240, 240), -1);
  cv::circle(second, cv::Point(860, 520), 60, cv::Scalar(240, 240, 240), -1);
  PairVerdict v = check(first, second);
  EXPECT_FALSE(v.duplicate) << v.reason;
}

TEST(PairVerifier, CropsOverlappingUnderHalfAreNotDuplicates) {
  cv::Mat big = scene(2000, 1000, 3);
  cv::Mat left = big(cv::Rect(0, 0, 1160, 1000)).clone(), right = big(cv::Rect(840, 0, 1160, 1000)).clone();
  PairVerdict v = check(left, right);
  EXPECT_FALSE(v.duplicate) << v.reason;
}

TEST(PairVerifier, UnrelatedPhotosAndBlankFramesAreNotDuplicates) {
  EXPECT_FALSE(check(scene(800, 600, 4), scene(800, 600, 5)).duplicate);
  cv::Mat black(600, 800, CV_8UC3, cv::Scalar(0, 0, 0));
  EXPECT_FALSE(check(black, black).duplicate);  // nothing to compare; exact copies are found by digest
}

TEST(PairVerifier, UndecodableThumbnailIsAnError) {
  OpenCvPairVerifier v;
  auto r = v.verify(Photo{}, "not a jpeg", Photo{}, grid(scene(400, 300, 6)));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_invalid_argument());
}

}  // namespace
}  // namespace kho::thumb
