// Large PNGs (issue #17, item 7): decoded row by row into the reduced size, never as a full frame. A PNG
// claiming 14,100 x 14,100 (just under max_pixels) took 825 MB whole; the fixtures are flat quadrants
// (tests/data/images/make_large_png.py), so each quadrant's colour can be checked in the preview.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <opencv2/imgproc.hpp>

#include "kho/thumbnailer/thumbnailer.h"
#include "thumbnailer/src/decode.h"
#include "thumbnailer_fixtures.h"

namespace kho::thumb {
namespace {
using testing::decode;
using testing::image;

// The mean BGR of the centre of one quadrant (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right).
cv::Scalar quadrant(const cv::Mat& m, int q) {
  const int w = m.cols / 2, h = m.rows / 2;
  const cv::Rect r((q % 2) * w + w / 4, (q / 2) * h + h / 4, w / 2, h / 2);
  return cv::mean(m(r));
}

void expect_colour(const cv::Scalar& got, double b, double g, double r, const char* what) {
  EXPECT_NEAR(got[0], b, 6) << what;
  EXPECT_NEAR(got[1], g, 6) << what;
  EXPECT_NEAR(got[2], r, 6) << what;
}

// One decode of the near-cap PNG (5–7 s of inflating 600 MB of rows) in a child process, so that its own
// ru_maxrss is the peak memory of process(); it sends back the growth and what the preview shows.
struct ChildReport {
  long grown_kb = -1;  // -1: process() failed
  std::uint32_t width = 0, height = 0;
  int preview_cols = 0, preview_rows = 0;
  double quads[4][3] = {};
};

TEST(LargePng, NearTheCapDecodesInLittleMemoryWithTheRightQuadrants) {
  const auto bytes = image("near_cap.png");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    ChildReport rep;
    rusage before{}, after{};
    ::getrusage(RUSAGE_SELF, &before);
    auto out = Thumbnailer().process(bytes, 1);
    ::getrusage(RUSAGE_SELF, &after);
    if (out.ok()) {
      rep.grown_kb = after.ru_maxrss - before.ru_maxrss;
      rep.width = out->width;
      rep.height = out->height;
      cv::Mat preview = decode(out->preview_jpeg);
      rep.preview_cols = preview.cols;
      rep.preview_rows = preview.rows;
      for (int q = 0; q < 4; ++q)
        for (int c = 0; c < 3; ++c) rep.quads[q][c] = quadrant(preview, q)[c];
    }
    ssize_t n = ::write(fds[1], &rep, sizeof rep);
    ::_exit(n == sizeof rep ? 0 : 1);
  }
  ::close(fds[1]);
  ChildReport rep;
  rep.grown_kb = -2;
  ASSERT_EQ(::read(fds[0], &rep, sizeof rep), static_cast<ssize_t>(sizeof rep));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_GE(rep.grown_kb, 0) << "process() failed in the child";
  // The whole frame alone is 14100 x 14100 x 3 = 596 MB; the row path holds a ~1282 x 1282 frame.
  EXPECT_LT(rep.grown_kb, 100 * 1024) << "peak RSS grew by " << rep.grown_kb / 1024 << " MB";
  EXPECT_EQ(rep.width, 14100u);
  EXPECT_EQ(rep.height, 14100u);
  ASSERT_EQ(rep.preview_cols, 1280);
  ASSERT_EQ(rep.preview_rows, 1280);
  auto q = [&](int i) { return cv::Scalar(rep.quads[i][0], rep.quads[i][1], rep.quads[i][2]); };
  expect_colour(q(0), 0, 0, 255, "top-left red");
  expect_colour(q(1), 0, 255, 0, "top-right green");
  expect_colour(q(2), 255, 0, 0, "bottom-left blue");
  expect_colour(q(3), 255, 255, 255, "bottom-right white");
}

TEST(LargePng, InterlacedIsSampledFromItsLastPass) {
  auto out = Thumbnailer().process(image("large_interlaced.png"), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, 6000u);
  cv::Mat preview = decode(out->preview_jpeg);
  ASSERT_EQ(preview.cols, 1280);
  expect_colour(quadrant(preview, 0), 0, 0, 255, "top-left red");
  expect_colour(quadrant(preview, 1), 0, 255, 0, "top-right green");
  expect_colour(quadrant(preview, 2), 255, 0, 0, "bottom-left blue");
  expect_colour(quadrant(preview, 3), 255, 255, 255, "bottom-right white");
}

TEST(LargePng, RowPathAgreesWithTheWholeDecode) {
  const auto bytes = image("large_rgba.png");
  auto rows = decode_png_rows(bytes, 1280);
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  EXPECT_EQ(rows->full_width, 5000u);
  EXPECT_EQ(rows->full_height, 3000u);
  EXPECT_EQ(rows->bgr.cols, 1667);  // factor 3
  EXPECT_EQ(rows->bgr.rows, 1000);
  auto whole = decode_png(bytes, 0);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->bgr.cols, 5000);
  // The opaque quadrants agree exactly; the half-transparent black one is composited onto white by both.
  for (int q = 0; q < 3; ++q) {
    cv::Scalar a = quadrant(rows->bgr, q), b = quadrant(whole->bgr, q);
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(a[c], b[c], 0.5) << "quadrant " << q;
  }
  cv::Scalar a = quadrant(rows->bgr, 3), b = quadrant(whole->bgr, 3);
  for (int c = 0; c < 3; ++c) {
    EXPECT_GT(a[c], 100) << "composited onto white, not black";
    EXPECT_NEAR(a[c], b[c], 70) << "row path " << a[c] << ", simplified API " << b[c];
  }
  auto via_process = Thumbnailer().process(bytes, 1);
  ASSERT_TRUE(via_process.ok()) << via_process.status().to_string();
}

TEST(LargePng, DamagedRowsAreInvalidArgumentNotACrash) {
  auto bytes = image("large_interlaced.png");
  // Corrupt the compressed data in the middle (CRC and zlib both notice); keep the chunk chain intact.
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] ^= 0x5A;
  auto out = Thumbnailer().process(bytes, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_invalid_argument()) << out.status().to_string();
  EXPECT_NE(out.status().message().find("PNG"), std::string::npos) << out.status().message();
}

}  // namespace
}  // namespace kho::thumb
