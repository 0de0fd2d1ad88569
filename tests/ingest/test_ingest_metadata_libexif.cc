// libexif as an independent cross-check of the Exiv2 reading, and read_metadata from several
// threads at once (the ingest pipeline's use).
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "kho/ingest/metadata.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

namespace fs = std::filesystem;

// The fixtures and ../shared/photos (when present): JPEG only, or every image file.
std::vector<fs::path> images(bool jpeg_only) {
  std::vector<fs::path> files;
  auto wanted = [&](const fs::path& p) {
    auto ext = p.extension().string();
    bool jpeg = ext == ".jpg" || ext == ".JPG" || ext == ".jpeg";
    bool other = ext == ".png" || ext == ".webp" || ext == ".tif" || ext == ".tiff" || ext == ".heic" ||
                 ext == ".HEIC" || ext == ".heif" || ext == ".avif" || ext == ".fuzzed";
    return jpeg || (!jpeg_only && other);
  };
  for (const auto& e : fs::directory_iterator(kho::testing::test_data_dir() / "metadata")) {
    if (wanted(e.path())) files.push_back(e.path());
  }
  if (auto shared = kho::testing::shared_dir()) {
    for (const auto& e : fs::recursive_directory_iterator(*shared / "photos")) {
      if (e.is_regular_file() && wanted(e.path())) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(MetadataCrossCheck, LibexifAgreesWithExiv2OnExifFields) {
  int compared = 0;
  std::vector<std::string> disagreements;
  for (const auto& path : images(true)) {
    std::string bytes = kho::testing::read_file(path);
    auto full = read_metadata(as_bytes(bytes));
    auto lx = read_exif_libexif(as_bytes(bytes));
    if (!full.ok() || !lx.ok()) continue;
    // Compare only fields both parsers found: the maker-note and XMP fallbacks are Exiv2's alone.
    auto same = [&](const char* field, const auto& a, const auto& b, auto eq) {
      if (!a || !b) return;
      ++compared;
      if (!eq(*a, *b)) disagreements.push_back(path.filename().string() + ": " + field);
    };
    auto exact = [](const auto& x, const auto& y) { return x == y; };
    auto close = [](double x, double y) { return std::abs(x - y) <= 1e-9 * std::max(1.0, std::abs(x)); };
    same("make", full->make, lx->make, exact);
    same("model", full->model, lx->model, exact);
    same("orientation", full->orientation, lx->orientation, exact);
    same("datetime_original", full->datetime_original, lx->datetime_original, exact);
    same("exposure_time", full->exposure_time, lx->exposure_time, close);
    same("f_number", full->f_number, lx->f_number, close);
    same("focal_length", full->focal_length, lx->focal_length, close);
    same("gps_lat", full->gps_lat, lx->gps_lat, close);
    same("gps_lon", full->gps_lon, lx->gps_lon, close);
  }
  EXPECT_GT(compared, 20);
  std::string list;
  for (const auto& d : disagreements) list += "\n  " + d;
  // Two independent parsers of hostile files may differ on a few damaged ones; never on most.
  EXPECT_LE(disagreements.size(), static_cast<std::size_t>(compared / 100 + 2)) << list;
  std::printf("[ libexif  ] %d field values compared, %zu differ%s\n", compared, disagreements.size(), list.c_str());
}

TEST(MetadataThreads, ParallelReadsGiveTheSameRecordsAsSerialOnes) {
  auto files = images(false);
  std::vector<std::string> contents;
  std::vector<std::optional<kho::Metadata>> serial;
  for (const auto& f : files) {
    contents.push_back(kho::testing::read_file(f));
    auto r = read_metadata(as_bytes(contents.back()));
    serial.push_back(r.ok() ? std::optional<kho::Metadata>(*r) : std::nullopt);
  }
  constexpr int kThreads = 4;
  using Column = std::vector<std::optional<kho::Metadata>>;
  std::vector<Column> got(kThreads, Column(contents.size()));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread walks the files in its own order, so that files with and without warnings
      // are read at the same moment on different threads.
      for (std::size_t k = 0; k < contents.size(); ++k) {
        std::size_t i = (k * (t + 1) + static_cast<std::size_t>(t) * 7) % contents.size();
        auto r = read_metadata(as_bytes(contents[i]));
        got[t][i] = r.ok() ? std::optional<kho::Metadata>(*r) : std::nullopt;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (got[t][i].has_value() || serial[i].has_value()) {
        // Index visited by this thread only if its permutation reached it.
        if (!got[t][i] && serial[i]) continue;
        if (got[t][i] != serial[i]) {
          std::string a, b;
          for (const auto& w : got[t][i]->warnings) a += w + " | ";
          for (const auto& w : serial[i]->warnings) b += w + " | ";
          ADD_FAILURE() << files[i] << " on thread " << t << "\n  parallel warnings: " << a
                        << "\n  serial warnings:   " << b;
        }
      }
    }
  }
}

}  // namespace
}  // namespace kho::ingest
