// Thumbnailer::process(): derivative sizes, never upscaling, signature determinism and thread safety.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/img_hash.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "kho/thumbnailer/thumbnailer.h"
#include "test_support.h"
#include "thumbnailer_fixtures.h"

namespace kho::thumb {
namespace {
using testing::decode;
using testing::image;


// A photo-like test image: smooth gradients, soft low-frequency waves and a disc. `seed` 2 is a clearly
// different picture (turned 180°, waves in the other direction), not a near copy.
std::vector<std::uint8_t> synthetic_jpeg(int w, int h, int seed = 1) {
  cv::Mat img(h, w, CV_8UC3);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double u = static_cast<double>(x) / w, v = static_cast<double>(y) / h;
      const double wave = seed == 1 ? std::sin(9 * u + 4 * v) : std::sin(3 * u - 11 * v);
      img.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<std::uint8_t>(220 * u + 20),
                                          static_cast<std::uint8_t>(200 * v + 30),
                                          static_cast<std::uint8_t>(127 + 120 * wave));
    }
  }
  cv::circle(img, {w / 3, h / 2}, std::min(w, h) / 5, cv::Scalar(20, 200, 240), -1, cv::LINE_AA);
  if (seed != 1) cv::rotate(img, img, cv::ROTATE_180);
  std::vector<std::uint8_t> jpeg;
  cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, 92});
  return jpeg;
}

struct SizeCase {
  int w, h;
  cv::Size preview, grid;
};

class DerivativeSizeTest : public ::testing::TestWithParam<SizeCase> {};

TEST_P(DerivativeSizeTest, LongEdgesAre1280And320) {
  const SizeCase c = GetParam();
  auto out = Thumbnailer().process(synthetic_jpeg(c.w, c.h), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, static_cast<std::uint32_t>(c.w));
  EXPECT_EQ(out->height, static_cast<std::uint32_t>(c.h));
  EXPECT_EQ(decode(out->preview_jpeg).size(), c.preview);
  EXPECT_EQ(decode(out->grid_jpeg).size(), c.grid);
}

INSTANTIATE_TEST_SUITE_P(
    Sizes, DerivativeSizeTest,
    ::testing::Values(SizeCase{4000, 3000, {1280, 960}, {320, 240}},   // 12 MP: decoded at 1/2
                      SizeCase{3000, 4000, {960, 1280}, {240, 320}},   // portrait
                      SizeCase{2592, 1456, {1280, 719}, {320, 180}},   // 16:9, odd rounding
                      SizeCase{1281, 100, {1280, 100}, {320, 25}},     // barely above, very wide
                      SizeCase{1280, 720, {1280, 720}, {320, 180}},    // exactly the preview size
                      SizeCase{800, 600, {800, 600}, {320, 240}},      // small: preview not upscaled
                      SizeCase{300, 200, {300, 200}, {300, 200}}));    // tiny: nothing upscaled

TEST(ThumbnailerTest, NeverUpscalesAndKeepsThePixels) {
  const auto jpeg = synthetic_jpeg(300, 200);
  auto out = Thumbnailer().process(jpeg, 1);
  ASSERT_TRUE(out.ok());
  const cv::Mat original = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  const cv::Mat preview = decode(out->preview_jpeg);
  ASSERT_EQ(preview.size(), original.size());
  cv::Mat diff;
  cv::absdiff(preview, original, diff);
  const cv::Scalar m = cv::mean(diff);
  EXPECT_LT((m[0] + m[1] + m[2]) / 3, 4.0);  // only one more JPEG generation
}

TEST(ThumbnailerTest, DerivativesLookLikeTheOriginal) {
  const auto jpeg = synthetic_jpeg(4000, 3000);
  auto out = Thumbnailer().process(jpeg, 1);
  ASSERT_TRUE(out.ok());
  const cv::Mat original = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  for (const std::string* d : {&out->preview_jpeg, &out->grid_jpeg}) {
    const cv::Mat got = decode(*d);
    cv::Mat ref, diff;
    cv::resize(original, ref, got.size(), 0, 0, cv::INTER_AREA);
    cv::absdiff(got, ref, diff);
    const cv::Scalar m = cv::mean(diff);
    EXPECT_LT((m[0] + m[1] + m[2]) / 3, 5.0) << got.size();
  }
}

TEST(ThumbnailerTest, QualityOptionChangesTheSize) {
  const auto jpeg = synthetic_jpeg(2000, 1500);
  ThumbnailOptions low;
  low.jpeg_quality = 30;
  auto small = Thumbnailer(low).process(jpeg, 1);
  auto normal = Thumbnailer().process(jpeg, 1);
  ASSERT_TRUE(small.ok() && normal.ok());
  EXPECT_LT(small->preview_jpeg.size(), normal->preview_jpeg.size());
}

TEST(ThumbnailerTest, SignaturesAreDeterministicAndComplete) {
  const auto jpeg = synthetic_jpeg(2400, 1600);
  const Thumbnailer thumbnailer;
  auto a = thumbnailer.process(jpeg, 1);
  auto b = Thumbnailer().process(jpeg, 1);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->sig, b->sig);
  EXPECT_EQ(a->preview_jpeg, b->preview_jpeg);
  EXPECT_NE(a->sig.phash, 0u);
  EXPECT_EQ(a->sig.block_mean.size(), 32u);
  EXPECT_EQ(a->sig.color_moment.size(), 42u);
}

TEST(ThumbnailerTest, PhashIsOpenCvBytesLittleEndian) {
  // The packing model.h fixes: OpenCV's byte i lands in bits 8i..8i+7. A 300x200 photo is not resized,
  // so OpenCV's PHash of the same JPEG decoded by OpenCV must match ours up to decoder rounding (our
  // decoder skips fancy upsampling), and must not match the big-endian packing.
  const auto jpeg = synthetic_jpeg(300, 200);
  auto out = Thumbnailer().process(jpeg, 1);
  ASSERT_TRUE(out.ok());
  const cv::Mat pixels = cv::imdecode(jpeg, cv::IMREAD_COLOR);
  cv::Mat bytes;
  cv::img_hash::PHash::create()->compute(pixels, bytes);
  ASSERT_EQ(bytes.total(), 8u);
  std::uint64_t little = 0, big = 0;
  for (int i = 0; i < 8; ++i) {
    little |= std::uint64_t{bytes.at<std::uint8_t>(i)} << (8 * i);
    big |= std::uint64_t{bytes.at<std::uint8_t>(i)} << (8 * (7 - i));
  }
  EXPECT_LE(__builtin_popcountll(out->sig.phash ^ little), 2);
  EXPECT_GT(__builtin_popcountll(out->sig.phash ^ big), 2);
}

TEST(ThumbnailerTest, SimilarPicturesHaveClosePhashes) {
  // The same picture at two sizes (a resized copy) hashes nearly the same; a different one does not.
  auto big = Thumbnailer().process(synthetic_jpeg(3000, 2000), 1);
  auto small = Thumbnailer().process(synthetic_jpeg(900, 600), 1);
  auto other = Thumbnailer().process(synthetic_jpeg(3000, 2000, 2), 1);
  ASSERT_TRUE(big.ok() && small.ok() && other.ok());
  EXPECT_LE(__builtin_popcountll(big->sig.phash ^ small->sig.phash), 6);
  EXPECT_GT(__builtin_popcountll(big->sig.phash ^ other->sig.phash), 10);
}

TEST(ThumbnailerTest, ConcurrentCallsGiveTheSameResults) {
  const Thumbnailer thumbnailer;
  std::vector<std::vector<std::uint8_t>> inputs;
  for (int i = 0; i < 4; ++i) inputs.push_back(synthetic_jpeg(1800 + 100 * i, 1200, i));
  std::vector<ProcessedPhoto> expected;
  for (const auto& in : inputs) expected.push_back(*thumbnailer.process(in, 1 + static_cast<int>(expected.size())));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(2, 0);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          auto got = thumbnailer.process(inputs[i], 1 + static_cast<int>(i));
          if (!got.ok() || got->preview_jpeg != expected[i].preview_jpeg || got->sig != expected[i].sig) {
            ++mismatches[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches[0] + mismatches[1], 0);
}

}  // namespace
}  // namespace kho::thumb
