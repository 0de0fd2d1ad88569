// Every file of ../shared/photos (218 real photos and broken files from six public collections) goes
// through process(): each one either succeeds with sane derivatives or fails with a reason, nothing
// crashes, and nothing is printed on stderr (the pipeline's progress bar owns the terminal).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kho/thumbnailer/thumbnailer.h"
#include "test_support.h"

namespace kho::thumb {
namespace {

namespace fs = std::filesystem;

TEST(SharedPhotosTest, EveryFileSucceedsOrFailsWithAReason) {
  const auto shared = kho::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "photos")) GTEST_SKIP() << "../shared/photos is not there";
  std::vector<fs::path> paths;
  for (const auto& e : fs::recursive_directory_iterator(*shared / "photos")) {
    if (!e.is_regular_file()) continue;
    const std::string ext = e.path().extension().string();
    if (ext == ".md" || ext == ".tsv" || ext == ".txt" || ext == ".markdown" || e.path().stem() == "LICENSE") continue;
    paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  ASSERT_GT(paths.size(), 100u);

  const Thumbnailer thumbnailer;
  int decoded = 0;
  ::testing::internal::CaptureStderr();
  for (const auto& p : paths) {
    const std::string bytes = kho::testing::read_file(p);
    auto out = thumbnailer.process(
        std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 1);
    if (out.ok()) {
      ++decoded;
      EXPECT_GT(out->width, 0u) << p;
      EXPECT_FALSE(out->preview_jpeg.empty()) << p;
      EXPECT_FALSE(out->grid_jpeg.empty()) << p;
      EXPECT_EQ(out->sig.color_moment.size(), 42u) << p;
    } else {
      EXPECT_FALSE(out.status().message().empty()) << p;
      EXPECT_TRUE(out.status().is_invalid_argument() || out.status().is_unsupported()) << p << ": "
                                                                                       << out.status().to_string();
    }
  }
  const std::string printed = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(printed, "");
  // Most of the collection is real photos; a regression that refuses them all must not pass.
  EXPECT_GT(decoded, static_cast<int>(paths.size()) / 2);
}

}  // namespace
}  // namespace kho::thumb
