// The hot-folder watcher alone (kho/ingest/watcher.h): settled folders are returned once quiet, partial names
// wait for their rename, new subfolders are watched, and a vanished folder is reported, not fatal.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "kho/ingest/scanner.h"
#include "kho/ingest/watcher.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
namespace fs = std::filesystem;
using kho::testing::TempDir;
using kho::testing::write_file;
using Clock = std::chrono::steady_clock;

TEST(Watcher, PartialNames) {
  for (const char* n : {"a.jpg.part", "a.JPG.tmp", "x.crdownload", ".hidden.jpg", "~lock.jpg", "a.jpg~", "b.partial"}) {
    EXPECT_TRUE(is_partial_name(n)) << n;
  }
  for (const char* n : {"a.jpg", "DSC_0001.NEF", "bai viet.txt", "part.jpg", "tmp"}) {
    EXPECT_FALSE(is_partial_name(n)) << n;
  }
}

TEST(Watcher, SettledFoldersNewSubfoldersAndAVanishedFolder) {
  TempDir dir;
  const fs::path root = dir / "drop";
  fs::create_directories(root / "old");
  std::vector<std::string> reports;
  std::mutex mu;
  std::atomic<bool> stop{false};
  WatchOptions opt;
  opt.settle_s = 0.3;
  opt.stop = &stop;
  opt.report = [&](const std::string& s) {
    std::lock_guard<std::mutex> lock(mu);
    reports.push_back(s);
  };
  auto w = FolderWatcher::open({root.string(), (dir / "missing").string()}, opt);
  ASSERT_TRUE(w.ok()) << w.status().to_string();
  EXPECT_EQ((*w)->watched_folders(), 2u);
  ASSERT_EQ(reports.size(), 1u) << "a missing root is reported, not fatal";

  // A new subfolder with a file: the subfolder is due, after the settle time.
  fs::create_directories(root / "ev1");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // its watch goes in
  write_file(root / "ev1" / "a.jpg.part", "partial");
  const auto t0 = Clock::now();
  auto batch = (*w)->next_batch();
  ASSERT_TRUE(batch.ok());
  EXPECT_GE(std::chrono::duration<double>(Clock::now() - t0).count(), 0.25);
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0], normalize_path((root / "ev1").string()));

  // The rename of the partial file makes ev1 due again; nothing else is.
  fs::rename(root / "ev1" / "a.jpg.part", root / "ev1" / "a.jpg");
  batch = (*w)->next_batch();
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0], normalize_path((root / "ev1").string()));

  // A watched folder removed: reported; its parent is due (its files must be forgotten).
  fs::remove_all(root / "old");
  batch = (*w)->next_batch();
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->size(), 1u);
  EXPECT_EQ((*batch)[0], normalize_path(root.string()));
  {
    std::lock_guard<std::mutex> lock(mu);
    bool vanished = false;
    for (const auto& r : reports) vanished = vanished || r.find("vanished") != std::string::npos;
    EXPECT_TRUE(vanished);
  }

  // stop: next_batch returns an empty list promptly.
  stop = true;
  batch = (*w)->next_batch();
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->empty());
}

}  // namespace
}  // namespace kho::ingest
