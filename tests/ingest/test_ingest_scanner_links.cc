// The scanner and symbolic links (issue #17, item 1) and special files (item 9): a link that leads
// outside the roots is not followed but reported, unless asked; a link to a folder that holds a root is a
// loop and never followed; a FIFO, socket or device with a photo's name is reported, never opened.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "kho/ingest/scanner.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
namespace fs = std::filesystem;
using kho::testing::TempDir;
using kho::testing::write_file;

std::vector<std::string> all_paths(const ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.folders) {
    for (const auto& p : f.photos) out.push_back(p.path);
    for (const auto& a : f.articles) out.push_back(a.path);
  }
  return out;
}

bool mentions(const std::vector<ScanProblem>& list, const fs::path& path, std::string_view words) {
  return std::any_of(list.begin(), list.end(), [&](const ScanProblem& p) {
    return p.path == path.string() && p.reason.find(words) != std::string::npos;
  });
}

// tree/ev holds a photo and an article of its own, and links to a file, a folder and the parent outside.
struct HostileTree {
  TempDir dir;
  fs::path root = dir / "tree/ev";
  HostileTree() {
    write_file(dir / "tree/ev/own.jpg", "x");
    write_file(dir / "tree/ev/own.txt", "article");
    write_file(dir / "tree/other/neighbour.jpg", "x");  // beside the root: only the loop could reach it
    write_file(dir / "outside/secret.txt", "root:$6$hash:19000:0:99999:7:::\n");
    write_file(dir / "outside/private/photo.jpg", "x");
    fs::create_symlink(dir / "outside/secret.txt", root / "shadow.txt");
    fs::create_directory_symlink(dir / "outside/private", root / "etc");
    fs::create_directory_symlink("..", root / "loop");
  }
};

TEST(IngestScannerLinks, LinksOutsideTheRootsAreReportedNotFollowed) {
  HostileTree t;
  auto r = scan_tree({t.root.string()});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(all_paths(*r), (std::vector<std::string>{(t.root / "own.jpg").string(), (t.root / "own.txt").string()}));
  ASSERT_EQ(r->folders.size(), 1u) << "the loop must not pull in the parent tree";
  ASSERT_EQ(r->skipped_links.size(), 3u);
  EXPECT_TRUE(mentions(r->skipped_links, t.root / "shadow.txt", "outside"));
  EXPECT_TRUE(mentions(r->skipped_links, t.root / "etc", "outside"));
  EXPECT_TRUE(mentions(r->skipped_links, t.root / "loop", "loop"));
  EXPECT_TRUE(mentions(r->skipped_links, t.root / "shadow.txt", "--follow-links"));
  EXPECT_TRUE(r->problems.empty());
}

TEST(IngestScannerLinks, FollowLinksOptsInButNeverFollowsALoop) {
  HostileTree t;
  ScanOptions options;
  options.follow_outside_links = true;
  auto r = scan_tree({t.root.string()}, options);
  ASSERT_TRUE(r.ok());
  auto paths = all_paths(*r);
  std::sort(paths.begin(), paths.end());
  EXPECT_EQ(paths, (std::vector<std::string>{(t.root / "etc/photo.jpg").string(), (t.root / "own.jpg").string(),
                                             (t.root / "own.txt").string(), (t.root / "shadow.txt").string()}));
  ASSERT_EQ(r->skipped_links.size(), 1u);
  EXPECT_TRUE(mentions(r->skipped_links, t.root / "loop", "loop"));
}

TEST(IngestScannerLinks, LinksInsideTheRootsAreFollowedOnce) {
  TempDir dir;
  write_file(dir / "tree/a/p.jpg", "x");
  write_file(dir / "tree/b/q.jpg", "x");
  fs::create_directory_symlink(dir / "tree/a", dir / "tree/b/alias");  // into the same root: fine, once
  fs::create_symlink("q.jpg", dir / "tree/b/r.jpg");                   // a file link inside: fine
  fs::create_directory_symlink(dir / "tree", dir / "tree/a/up");       // to the root itself: visited once
  auto r = scan_tree({(dir / "tree").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->skipped_links.empty());
  EXPECT_EQ(r->photo_count(), 3u);  // p, q, r (a second name for q's bytes; identity dedups it later)
}

TEST(IngestScannerLinks, ALinkIntoAnotherRootIsInside) {
  TempDir dir;
  write_file(dir / "one/p.jpg", "x");
  write_file(dir / "two/q.jpg", "x");
  fs::create_symlink(dir / "two/q.jpg", dir / "one/q-link.jpg");
  auto r = scan_tree({(dir / "one").string(), (dir / "two").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->skipped_links.empty());
  EXPECT_EQ(r->photo_count(), 3u);
}

TEST(IngestScannerLinks, ARootGivenThroughALinkKeepsItsInsideLinks) {
  TempDir dir;
  write_file(dir / "real/ev/p.jpg", "x");
  fs::create_symlink(dir / "real/ev/p.jpg", dir / "real/ev/again.jpg");
  fs::create_directory_symlink(dir / "real", dir / "via");
  auto r = scan_tree({(dir / "via").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->skipped_links.empty());
  EXPECT_EQ(r->photo_count(), 2u);
}

TEST(IngestScannerLinks, ASelfLoopIsReportedAsALoop) {
  TempDir dir;
  write_file(dir / "ev/p.jpg", "x");
  fs::create_symlink("self.jpg", dir / "ev/self.jpg");  // ELOOP
  auto r = scan_tree({(dir / "ev").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->photo_count(), 1u);
  EXPECT_TRUE(mentions(r->problems, dir / "ev/self.jpg", "loop"));
}

TEST(IngestScannerLinks, SpecialFilesWithAPhotoNameAreReported) {
  TempDir dir;
  write_file(dir / "ev/p.jpg", "x");
  ASSERT_EQ(::mkfifo((dir / "ev/fifo.jpg").c_str(), 0600), 0);
  ASSERT_EQ(::mkfifo((dir / "ev/pipe.bin").c_str(), 0600), 0);  // not a photo name: ignored quietly
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock = (dir / "ev/sock.txt").string();
  ASSERT_LT(sock.size(), sizeof addr.sun_path);
  std::copy(sock.begin(), sock.end(), addr.sun_path);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  fs::create_symlink(dir / "ev/fifo.jpg", dir / "ev/to-fifo.jpg");
  auto r = scan_tree({(dir / "ev").string()});
  ::close(s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->photo_count(), 1u);
  ASSERT_EQ(r->not_regular.size(), 3u);
  EXPECT_TRUE(mentions(r->not_regular, dir / "ev/fifo.jpg", "FIFO"));
  EXPECT_TRUE(mentions(r->not_regular, dir / "ev/to-fifo.jpg", "FIFO"));
  EXPECT_TRUE(mentions(r->not_regular, dir / "ev/sock.txt", "socket"));
}

}  // namespace
}  // namespace kho::ingest
