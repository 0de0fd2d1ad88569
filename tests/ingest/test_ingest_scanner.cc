// The scanner: event folders, hidden files, symlink loops, names that are not UTF-8.
#include "kho/ingest/scanner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "test_support.h"

namespace kho::ingest {
namespace {
namespace fs = std::filesystem;
using kho::testing::TempDir;
using kho::testing::write_file;

std::vector<std::string> names(const std::vector<ScannedFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(fs::path(f.path).filename().string());
  return out;
}

TEST(IngestScanner, ClassifiesByExtensionIgnoringCase) {
  EXPECT_EQ(classify_name("a.jpg"), ScanKind::kPhoto);
  EXPECT_EQ(classify_name("A.JPEG"), ScanKind::kPhoto);
  EXPECT_EQ(classify_name("x.TiF"), ScanKind::kPhoto);
  EXPECT_EQ(classify_name("x.heic"), ScanKind::kPhoto);
  EXPECT_EQ(classify_name("bài viết.TXT"), ScanKind::kArticle);
  EXPECT_EQ(classify_name("notes.md"), ScanKind::kOther);
  EXPECT_EQ(classify_name("CMakeLists.txt"), ScanKind::kOther);
  EXPECT_EQ(classify_name("README.txt"), ScanKind::kOther);
  EXPECT_EQ(classify_name("LICENSE-photos.txt"), ScanKind::kOther);
  EXPECT_EQ(classify_name("readme tin bài.txt"), ScanKind::kArticle);
  EXPECT_EQ(classify_name("jpg"), ScanKind::kOther);
  EXPECT_EQ(classify_name("photo.jpg.part"), ScanKind::kOther);
}

TEST(IngestScanner, GroupsPhotosAndArticlesByEventFolder) {
  TempDir dir;
  write_file(dir / "2020/ev1/b.jpg", "x");
  write_file(dir / "2020/ev1/a.JPG", "xy");
  write_file(dir / "2020/ev1/bai.txt", "article");
  write_file(dir / "2020/ev1/notes.pdf", "ignored");
  write_file(dir / "2020/ev2/c.png", "png");
  write_file(dir / "2020/readme.md", "not an event");
  auto r = scan_tree({(dir / "2020").string()});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->folders.size(), 2u);
  EXPECT_EQ(r->folders[0].path, (dir / "2020/ev1").string());
  EXPECT_EQ(names(r->folders[0].photos), (std::vector<std::string>{"a.JPG", "b.jpg"}));
  EXPECT_EQ(names(r->folders[0].articles), (std::vector<std::string>{"bai.txt"}));
  EXPECT_EQ(r->folders[0].photos[0].size, 2u);
  EXPECT_GT(r->folders[0].photos[0].mtime_ns, 0);
  EXPECT_EQ(r->folders[1].path, (dir / "2020/ev2").string());
  EXPECT_EQ(r->ignored_files, 2u);
  EXPECT_EQ(r->photo_count(), 3u);
  EXPECT_EQ(r->article_count(), 1u);
}

TEST(IngestScanner, SkipsHiddenAndSystemFiles) {
  TempDir dir;
  write_file(dir / "ev/keep.jpg", "x");
  write_file(dir / "ev/.DS_Store", "x");
  write_file(dir / "ev/._keep.jpg", "resource fork");
  write_file(dir / "ev/Thumbs.db", "x");
  write_file(dir / "ev/@eaDir/keep.jpg/SYNOPHOTO_THUMB_XL.jpg", "x");
  write_file(dir / "ev/.hidden/secret.jpg", "x");
  auto r = scan_tree({dir.path().string()});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->folders.size(), 1u);
  EXPECT_EQ(names(r->folders[0].photos), (std::vector<std::string>{"keep.jpg"}));
  EXPECT_EQ(r->skipped_hidden, 5u);
  EXPECT_TRUE(is_hidden_or_system("desktop.ini"));
  EXPECT_TRUE(is_hidden_or_system("$RECYCLE.BIN"));
  EXPECT_FALSE(is_hidden_or_system("ảnh.jpg"));
}

TEST(IngestScanner, SymlinkLoopIsVisitedOnce) {
  TempDir dir;
  write_file(dir / "ev/a.jpg", "x");
  fs::create_directory_symlink(dir.path(), dir / "ev/loop");       // ev/loop → root: a cycle
  fs::create_directory_symlink(dir / "ev", dir / "alias");          // a second way into ev
  fs::create_symlink(dir / "nowhere.jpg", dir / "ev/dangling.jpg");  // reported, not fatal
  auto r = scan_tree({dir.path().string()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->photo_count(), 1u);
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_NE(r->problems[0].reason.find("dangling"), std::string::npos);
}

TEST(IngestScanner, KeepsNamesThatAreNotUtf8) {
  TempDir dir;
  std::string bad = (dir / "ev").string() + "/caf\xe9.jpg";  // Latin-1 é: not UTF-8
  write_file(dir / "ev/phố.jpg", "x");
  write_file(bad, "y");
  auto r = scan_tree({dir.path().string()});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->photo_count(), 2u);
  const auto& photos = r->folders[0].photos;
  auto it = std::find_if(photos.begin(), photos.end(), [&](const ScannedFile& f) { return f.path == bad; });
  ASSERT_NE(it, photos.end()) << "the raw bytes of the name are kept";
  EXPECT_FALSE(it->name_is_utf8);
  auto ok = std::find_if(photos.begin(), photos.end(), [&](const ScannedFile& f) { return f.path != bad; });
  EXPECT_TRUE(ok->name_is_utf8);
}

TEST(IngestScanner, SingleFileRootAndMissingRoot) {
  TempDir dir;
  write_file(dir / "ev/one.jpg", "x");
  write_file(dir / "ev/two.jpg", "x");
  auto r = scan_tree({(dir / "ev/one.jpg").string(), (dir / "missing").string()});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->folders.size(), 1u);
  EXPECT_EQ(r->folders[0].path, (dir / "ev").string());
  EXPECT_EQ(names(r->folders[0].photos), (std::vector<std::string>{"one.jpg"}));
  ASSERT_EQ(r->problems.size(), 1u);
  EXPECT_EQ(r->problems[0].path, (dir / "missing").string());
  EXPECT_FALSE(scan_tree({}).ok());
}

TEST(IngestScanner, RootsAreNormalizedAndNotCountedTwice) {
  TempDir dir;
  write_file(dir / "ev/a.jpg", "x");
  auto r = scan_tree({dir.path().string() + "/./ev/", (dir / "ev").string(), dir.path().string()});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->folders.size(), 1u);
  EXPECT_EQ(r->folders[0].path, (dir / "ev").string());
  EXPECT_EQ(r->photo_count(), 1u);
}

}  // namespace
}  // namespace kho::ingest
