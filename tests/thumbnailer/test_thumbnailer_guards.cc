// Guards (issue 5): bad input becomes a clear error, never a crash and never a decoder allocating a bomb's
// frame. Fixtures in tests/data/images (README.md there says how each was made).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "kho/thumbnailer/thumbnailer.h"
#include "test_support.h"
#include "thumbnailer_fixtures.h"

namespace kho::thumb {
namespace {
using testing::decode;
using testing::image;



bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(GuardTest, BombJpegHeaderIsRefusedBeforeDecoding) {
  auto out = Thumbnailer().process(image("bomb.jpg"), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_unsupported()) << out.status().to_string();
  EXPECT_TRUE(contains(out.status().message(), "30000x30000")) << out.status().message();
  EXPECT_TRUE(contains(out.status().message(), "200.0 MP")) << out.status().message();
}

TEST(GuardTest, BombPngHeaderIsRefusedBeforeDecoding) {
  auto out = Thumbnailer().process(image("bomb.png"), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_unsupported()) << out.status().to_string();
  EXPECT_TRUE(contains(out.status().message(), "30000x30000")) << out.status().message();
}

TEST(GuardTest, PixelLimitIsASetting) {
  ThumbnailOptions options;
  options.max_pixels = 640 * 480 - 1;
  auto refused = Thumbnailer(options).process(image("whole.jpg"), 1);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().is_unsupported());
  EXPECT_TRUE(contains(refused.status().message(), "640x480")) << refused.status().message();
  options.max_pixels = 640 * 480;
  EXPECT_TRUE(Thumbnailer(options).process(image("whole.jpg"), 1).ok());
}

TEST(GuardTest, TruncatedJpegIsInvalidArgument) {
  auto out = Thumbnailer().process(image("truncated.jpg"), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_invalid_argument()) << out.status().to_string();
  EXPECT_TRUE(contains(out.status().message(), "truncated")) << out.status().message();
}

TEST(GuardTest, JpegCutInsideItsHeaderIsInvalidArgument) {
  auto bytes = image("whole.jpg");
  for (std::size_t keep : {3u, 20u, 200u, 600u}) {
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(keep));
    auto out = Thumbnailer().process(cut, 1);
    ASSERT_FALSE(out.ok()) << keep;
    EXPECT_TRUE(out.status().is_invalid_argument()) << keep << ": " << out.status().to_string();
    EXPECT_FALSE(out.status().message().empty());
  }
}

TEST(GuardTest, TextNamedJpgIsInvalidArgument) {
  auto out = Thumbnailer().process(image("text.jpg"), 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_invalid_argument()) << out.status().to_string();
  EXPECT_TRUE(contains(out.status().message(), "not an image")) << out.status().message();
  EXPECT_TRUE(contains(out.status().message(), "text")) << out.status().message();
}

TEST(GuardTest, KnownButUndecodedFormatsAreUnsupportedAndNamed) {
  // The first bytes of a GIF and of a Canon CR3 (HEIF and AVIF are decoded now: test_thumbnailer_heif.cc).
  const std::string cr3(
      "\0\0\0\x18"
      "ftypcrx \0\0\0\x01"
      "crx isom",
      24);
  const std::string gif = "GIF89a\x10\0\x10\0\x80\0\0";
  // A JPEG 2000 file's signature box and the start of its file-type box.
  const std::string jp2(
      "\0\0\0\x0CjP  \r\n\x87\n\0\0\0\x14"
      "ftypjp2 ",
      24);
  for (const auto& [bytes, name] : {std::pair{cr3, "CR3"}, std::pair{gif, "GIF"}, std::pair{jp2, "JPEG 2000"}}) {
    auto out = Thumbnailer().process(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 1);
    ASSERT_FALSE(out.ok());
    EXPECT_TRUE(out.status().is_unsupported()) << out.status().to_string();
    EXPECT_TRUE(contains(out.status().message(), name)) << out.status().message();
  }
}

TEST(GuardTest, ZeroBytesIsInvalidArgument) {
  auto out = Thumbnailer().process({}, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_invalid_argument());
  EXPECT_TRUE(contains(out.status().message(), "zero bytes")) << out.status().message();
}

TEST(GuardTest, CorruptBodyNeverCrashes) {
  // Flip bytes all over the entropy-coded data (and some in the headers): any outcome but a crash is
  // fine, and failures carry a reason.
  const auto whole = image("whole.jpg");
  const Thumbnailer thumbnailer;
  for (std::size_t step : {7u, 97u, 1021u}) {
    auto bytes = whole;
    for (std::size_t i = 150; i < bytes.size(); i += step) bytes[i] = static_cast<std::uint8_t>(bytes[i] ^ 0x5A);
    auto out = thumbnailer.process(bytes, 1);
    if (!out.ok()) {
      EXPECT_FALSE(out.status().message().empty());
    }
  }
}

TEST(GuardTest, NothingIsPrintedOnStderr) {
  // The pipeline's progress bar owns the terminal: bad input is reported through Status only.
  std::vector<std::vector<std::uint8_t>> inputs;
  for (const char* name : {"bomb.jpg", "bomb.png", "truncated.jpg", "text.jpg", "small.png", "small.tiff",
                           "small.webp", "cmyk.jpg", "progressive.jpg"}) {
    inputs.push_back(image(name));
  }
  for (const char* name : {"small.png", "small.tiff", "small.webp", "progressive.jpg"}) {
    auto cut = image(name);
    cut.resize(cut.size() * 2 / 3);
    inputs.push_back(cut);
    auto flipped = image(name);
    for (std::size_t i = 40; i < flipped.size(); i += 13) flipped[i] = static_cast<std::uint8_t>(~flipped[i]);
    inputs.push_back(flipped);
  }
  const Thumbnailer thumbnailer;
  ::testing::internal::CaptureStderr();
  for (const auto& in : inputs) (void)thumbnailer.process(in, 1);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

class OtherFormatsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OtherFormatsTest, DecodesThroughTheSamePath) {
  auto out = Thumbnailer().process(image(GetParam()), 1);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->width, 64u);
  EXPECT_EQ(out->height, 48u);
  // Never upscaled: a 64x48 image gives 64x48 derivatives.
  EXPECT_EQ(decode(out->preview_jpeg).size(), cv::Size(64, 48));
  EXPECT_EQ(decode(out->grid_jpeg).size(), cv::Size(64, 48));
  EXPECT_EQ(out->sig.block_mean.size(), 32u);
  EXPECT_EQ(out->sig.color_moment.size(), 42u);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OtherFormatsTest,
                         ::testing::Values("small.png", "small.tiff", "small.webp", "small_lossless.webp"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

TEST(GuardTest, TruncatedPngIsInvalidArgument) {
  auto bytes = image("small.png");
  bytes.resize(bytes.size() / 2);
  auto out = Thumbnailer().process(bytes, 1);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().is_invalid_argument()) << out.status().to_string();
}

TEST(ProbeTest, ReadsFormatAndStoredSize) {
  struct Case {
    const char* file;
    ImageFormat format;
    std::uint32_t w, h;
  };
  for (const Case& c : {Case{"whole.jpg", ImageFormat::kJpeg, 640, 480}, Case{"small.png", ImageFormat::kPng, 64, 48},
                        Case{"small.tiff", ImageFormat::kTiff, 64, 48}, Case{"small.webp", ImageFormat::kWebp, 64, 48},
                        Case{"small_lossless.webp", ImageFormat::kWebp, 64, 48},
                        Case{"bomb.jpg", ImageFormat::kJpeg, 30000, 30000},
                        Case{"bomb.png", ImageFormat::kPng, 30000, 30000}}) {
    auto info = probe_image(image(c.file));
    ASSERT_TRUE(info.ok()) << c.file << ": " << info.status().to_string();
    EXPECT_EQ(info->format, c.format) << c.file;
    EXPECT_EQ(info->width, c.w) << c.file;
    EXPECT_EQ(info->height, c.h) << c.file;
  }
}

TEST(ProbeTest, EveryPrefixOfAHeaderFailsCleanly) {
  // Each prefix either probes to the right size or fails with InvalidArgument; no read past the end.
  for (const char* file : {"whole.jpg", "small.png", "small.tiff", "small.webp", "small_lossless.webp"}) {
    const auto bytes = image(file);
    for (std::size_t n = 0; n < std::min<std::size_t>(bytes.size(), 700); ++n) {
      auto info = probe_image(std::span(bytes.data(), n));
      if (!info.ok()) {
        EXPECT_TRUE(info.status().is_invalid_argument()) << file << " " << n;
      }
    }
  }
}

}  // namespace
}  // namespace kho::thumb
