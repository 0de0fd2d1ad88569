// OpenCvPairVerifier: copies pass, another moment of the same scene and far-apart crops do not.
#include <gtest/gtest.h>
#include "test_support.h"

#include <opencv2/features2d.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <limits>
#include <random>
#include <thread>

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

// kho::nearest_two_hamming (the verifier's matcher) finds what OpenCV's brute-force k = 2 matcher finds: the
// same nearest and second-nearest distances for every descriptor, and the same nearest row where it is unique.
TEST(PairVerifier, NearestTwoHammingEqualsOpenCvsBruteForceMatcher) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  cv::Mat train(300, 32, CV_8U), query(200, 32, CV_8U);
  for (int r = 0; r < train.rows; ++r)
    for (int c = 0; c < 32; ++c) train.at<uchar>(r, c) = static_cast<uchar>(byte(rng));
  for (int r = 0; r < query.rows; ++r) {
    // Half the queries are a train row with a few bits flipped (a close match), some rows are repeated (ties).
    if (r % 2 == 0) {
      train.row(r).copyTo(query.row(r));
      for (int k = 0; k < r % 7; ++k) query.at<uchar>(r, k * 3) ^= static_cast<uchar>(1 << (k % 8));
    } else {
      for (int c = 0; c < 32; ++c) query.at<uchar>(r, c) = static_cast<uchar>(byte(rng));
    }
  }
  train.row(10).copyTo(train.row(11));  // query 10 has two nearest rows at the same distance
  auto mine = kho::nearest_two_hamming(query.ptr<std::uint8_t>(), static_cast<std::size_t>(query.rows),
                                       train.ptr<std::uint8_t>(), static_cast<std::size_t>(train.rows));
  cv::BFMatcher matcher(cv::NORM_HAMMING);
  std::vector<std::vector<cv::DMatch>> knn;
  matcher.knnMatch(query, train, knn, 2);
  ASSERT_EQ(mine.size(), knn.size());
  int unique = 0;
  for (std::size_t i = 0; i < knn.size(); ++i) {
    ASSERT_EQ(knn[i].size(), 2u);
    EXPECT_EQ(mine[i].d1, static_cast<int>(knn[i][0].distance)) << i;
    EXPECT_EQ(mine[i].d2, static_cast<int>(knn[i][1].distance)) << i;
    if (mine[i].d1 < mine[i].d2) {
      EXPECT_EQ(mine[i].train_row, knn[i][0].trainIdx) << i;
      ++unique;
    }
  }
  EXPECT_GT(unique, 150);
  EXPECT_EQ(mine[10].d1, mine[10].d2);  // the tie is reported as one
  // Too few rows: no second neighbour, or none at all.
  auto one = kho::nearest_two_hamming(query.ptr<std::uint8_t>(), 1, train.ptr<std::uint8_t>(), 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].train_row, 0);
  EXPECT_EQ(one[0].d2, std::numeric_limits<int>::max());
  auto none = kho::nearest_two_hamming(query.ptr<std::uint8_t>(), 1, nullptr, 0);
  EXPECT_EQ(none[0].train_row, -1);
}

// The AVX-512 path (eight train rows at a time, where the CPU has it) and the portable loop name the same row
// and distances for every query, over train sizes around its blocks of eight, with tied nearest rows placed in one
// lane, in two lanes, and in the last, partial block.
TEST(PairVerifier, NearestTwoHammingPathsAgreeRowForRow) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int rows : {1, 2, 7, 8, 9, 15, 16, 17, 31, 64, 300, 601}) {
    cv::Mat train(rows, 32, CV_8U), query(64, 32, CV_8U);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < 32; ++c) train.at<uchar>(r, c) = static_cast<uchar>(byte(rng));
    // Ties: row 0 repeated 8 rows on (the same lane) and 3 rows on (another lane), the last row repeated once.
    if (rows > 8) train.row(0).copyTo(train.row(8));
    if (rows > 3) train.row(0).copyTo(train.row(3));
    if (rows > 2) train.row(rows - 1).copyTo(train.row(rows - 2));
    for (int r = 0; r < query.rows; ++r) {
      train.row(r % rows).copyTo(query.row(r));
      for (int k = 0; k < r % 5; ++k) query.at<uchar>(r, (k * 7) % 32) ^= static_cast<uchar>(1 << (k % 8));
      if (r % 9 == 8) {
        for (int c = 0; c < 32; ++c) query.at<uchar>(r, c) = static_cast<uchar>(byte(rng));
      }
    }
    const auto fast = kho::nearest_two_hamming(query.ptr<std::uint8_t>(), static_cast<std::size_t>(query.rows),
                                               train.ptr<std::uint8_t>(), static_cast<std::size_t>(rows));
    const auto slow = kho::nearest_two_hamming_portable(query.ptr<std::uint8_t>(), static_cast<std::size_t>(query.rows),
                                                        train.ptr<std::uint8_t>(), static_cast<std::size_t>(rows));
    ASSERT_EQ(fast.size(), slow.size());
    for (std::size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].train_row, slow[i].train_row) << rows << " rows, query " << i;
      EXPECT_EQ(fast[i].d1, slow[i].d1) << rows << " rows, query " << i;
      EXPECT_EQ(fast[i].d2, slow[i].d2) << rows << " rows, query " << i;
    }
    EXPECT_EQ(slow[0].d1, 0);
    if (rows > 3) {
      EXPECT_EQ(slow[0].d2, 0);  // row 0 and its copies: the tie is reported as one
    }
  }
}

// Threads that verify pairs sharing a thumbnail at the same moment wait for one another's features (the cache
// holds a shared future) and reach the verdict a lone verifier reaches, score for score.
TEST(PairVerifier, ConcurrentChecksSharingAThumbnailAgreeWithALoneCheck) {
  const cv::Mat base = scene(1200, 800, 3);
  cv::Mat shifted;
  cv::Mat t = (cv::Mat_<double>(2, 3) << 1, 0, 12, 0, 1, 8);
  cv::warpAffine(base, shifted, t, base.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  const std::string copy = grid(base(cv::Rect(30, 20, 1140, 760)).clone());
  const std::vector<std::string> frames = {grid(base), grid(shifted), grid(scene(1200, 800, 4))};
  PairVerifierOptions options;
  options.score_by_coverage = true;
  std::vector<PairVerdict> alone;
  for (const auto& f : frames) {
    OpenCvPairVerifier lone(options);
    auto r = lone.verify(Photo{}, copy, Photo{}, f);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    alone.push_back(*r);
  }
  OpenCvPairVerifier shared(options);
  std::vector<PairVerdict> together(12);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < together.size(); ++k) {
    threads.emplace_back([&, k] {
      auto r = shared.verify(Photo{}, copy, Photo{}, frames[k % frames.size()]);
      if (r.ok()) together[k] = *r;
    });
  }
  for (auto& th : threads) th.join();
  for (std::size_t k = 0; k < together.size(); ++k) {
    const PairVerdict& want = alone[k % frames.size()];
    EXPECT_EQ(together[k].duplicate, want.duplicate) << k;
    EXPECT_EQ(together[k].score, want.score) << k;
    EXPECT_EQ(together[k].reason, want.reason) << k;
  }
  EXPECT_TRUE(alone[0].duplicate) << alone[0].reason;
  EXPECT_FALSE(alone[2].duplicate) << alone[2].reason;
}

// Tracing's fine verifier detects keypoints on one ORB level (rule version 5): a copy and a frame are compared at
// one thumbnail size, so their scales differ only by the copy's crop, and every crop that the coverage check lets
// through (down to ~83 % of each side, 1.2 times larger at that size) still registers by its keypoints. Checked on
// the eight real photos of tests/data/trace, cropped about their middle.
TEST(PairVerifier, OneOrbLevelRegistersEveryCropTheCoverageCheckLetsThrough) {
  PairVerifierOptions one;
  one.score_by_coverage = true;
  one.orb_levels = 1;
  int registered = 0, too_small = 0;
  for (int k = 1; k <= 8; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "trace/base%02d.jpg", k);
    const cv::Mat photo = cv::imread((kho::testing::test_data_dir() / name).string());
    ASSERT_FALSE(photo.empty()) << name;
    for (double c : {0.80, 0.83, 0.86, 0.90, 0.95, 0.98}) {
      const int w = static_cast<int>(photo.cols * c), h = static_cast<int>(photo.rows * c);
      const std::string copy = grid(photo(cv::Rect((photo.cols - w) / 2, (photo.rows - h) / 2, w, h)).clone());
      OpenCvPairVerifier v(one);
      auto r = v.verify(Photo{}, copy, Photo{}, grid(photo));
      ASSERT_TRUE(r.ok()) << r.status().to_string();
      if (r->reason.rfind("overlap covers", 0) == 0) {
        ++too_small;
        continue;
      }
      EXPECT_EQ(r->reason.rfind("orb", 0), 0u) << name << " cropped to " << c << ": " << r->reason;
      EXPECT_TRUE(r->duplicate) << name << " cropped to " << c << ": " << r->reason;
      ++registered;
    }
  }
  EXPECT_GE(registered, 38);  // 0.86 and above for every photo, 0.83 for most
  EXPECT_GE(too_small, 8);    // 0.80 is below the coverage check for every photo
}

}  // namespace
}  // namespace kho::thumb
