// Hostile bytes: every fixture, bit-flipped, truncated and overwritten in many deterministic ways,
// must give a record or "not an image", never a crash, an exception, or a byte on stderr (Exiv2 and
// libexif print nothing of their own).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "kho/ingest/metadata.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

namespace fs = std::filesystem;

// Sends this process's stderr to a temporary file for the lifetime of the object.
class StderrCapture {
 public:
  StderrCapture() {
    std::fflush(stderr);
    file_ = std::tmpfile();
    saved_ = dup(2);
    dup2(fileno(file_), 2);
  }
  ~StderrCapture() { restore(); }
  std::string restore() {
    if (saved_ < 0) return text_;
    std::fflush(stderr);
    dup2(saved_, 2);
    close(saved_);
    saved_ = -1;
    std::rewind(file_);
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file_)) > 0) text_.append(buf, n);
    std::fclose(file_);
    return text_;
  }

 private:
  std::FILE* file_ = nullptr;
  int saved_ = -1;
  std::string text_;
};

TEST(MetadataMutations, HostileVariantsOfEveryFixtureNeverCrashNorPrint) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kho::testing::test_data_dir() / "metadata")) {
    auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".jpg" || ext == ".png" || ext == ".webp" || ext == ".tif")) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 20u);
  std::mt19937 rng(20240417);
  int records = 0, refused = 0;
  StderrCapture capture;
  for (const auto& path : files) {
    std::string original = kho::testing::read_file(path);
    if (original.empty()) continue;
    for (int k = 0; k < 90; ++k) {
      std::string m = original;
      switch (k % 3) {
        case 0:  // scattered random bytes
          for (int j = 0; j < 8; ++j) m[rng() % m.size()] = static_cast<char>(rng());
          break;
        case 1:  // cut anywhere
          m.resize(rng() % m.size());
          break;
        default: {  // a run of 0xFF (markers, huge counts and offsets)
          std::size_t at = rng() % m.size();
          for (std::size_t j = at; j < std::min(m.size(), at + 16); ++j) m[j] = '\xff';
        }
      }
      auto r = read_metadata({reinterpret_cast<const std::uint8_t*>(m.data()), m.size()});
      if (r.ok()) {
        ++records;
      } else {
        ++refused;
        EXPECT_TRUE(r.status().is_invalid_argument()) << path << ": " << r.status().to_string();
      }
    }
  }
  std::string err = capture.restore();
  EXPECT_EQ(err, "") << "something printed on stderr";
  std::printf("[ mutate   ] %d records, %d refused as not an image\n", records, refused);
}

}  // namespace
}  // namespace kho::ingest
