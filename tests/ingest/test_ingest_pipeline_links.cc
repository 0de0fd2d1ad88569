// What the scan decided about links holds for what ingest reads (issue #17, item 1): a photo or an article
// that was a plain file at the scan and is swapped for a link to a file outside before it is read is
// refused with an error, never read through the link. The swap happens from the progress callback, right
// after the scan.
#include <gtest/gtest.h>

#include <filesystem>

#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"
#include "kho/search.h"
#include "pipeline_fixtures.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
namespace fs = std::filesystem;
using kho::testing::ingest_jpeg;
using kho::testing::TempDir;
using kho::testing::write_file;

TEST(IngestPipelineLinks, FilesSwappedForLinksAfterTheScanAreRefused) {
  TempDir dir;
  fs::path ev = dir / "tree/ev";
  write_file(ev / "a.jpg", ingest_jpeg(1));
  write_file(ev / "b.jpg", ingest_jpeg(2));
  write_file(ev / "bai.txt", "TIN NGẮN\n\nNgày 20/11/2020 08:00:00\n\nMột đoạn ngắn.\n\na.jpg\n\nẢnh.\n\nPV\n");
  write_file(dir / "outside/secret.jpg", ingest_jpeg(3));
  write_file(dir / "outside/secret.txt", "MẬT XYZZYQUUX\n\nNgày 20/11/2020 08:00:00\n\nNội dung mật.\n\nPV\n");
  auto catalog = Catalog::open((dir / "archive").string()).value();
  testing::FakeProcessor proc;
  IngestOptions options;
  bool swapped = false;
  options.progress = [&](const IngestProgress& p) {
    if (p.phase != IngestProgress::Phase::kPhotos || swapped) return;
    swapped = true;
    fs::remove(ev / "b.jpg");
    fs::create_symlink(dir / "outside/secret.jpg", ev / "b.jpg");
    fs::remove(ev / "bai.txt");
    fs::create_symlink(dir / "outside/secret.txt", ev / "bai.txt");
  };
  auto r = ingest(*catalog, proc, {(dir / "tree").string()}, options);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_TRUE(swapped);
  ASSERT_EQ(r->errors.size(), 2u);
  for (const auto& e : r->errors) EXPECT_NE(e.reason.find("symbolic link"), std::string::npos) << e.reason;
  EXPECT_EQ(r->photos_added, 1u);
  EXPECT_EQ(r->articles, 0u);
  auto snap = catalog->snapshot().value();
  auto hits = search(*snap, "xyzzyquux", 10);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->hits.empty());
}

TEST(IngestPipelineLinks, LinksInsideTheRootStillRead) {
  TempDir dir;
  fs::path ev = dir / "tree/ev";
  write_file(dir / "tree/store/a.jpg", ingest_jpeg(1));
  fs::create_directories(ev);
  fs::create_symlink(dir / "tree/store/a.jpg", ev / "a.jpg");
  auto catalog = Catalog::open((dir / "archive").string()).value();
  testing::FakeProcessor proc;
  auto r = ingest(*catalog, proc, {(dir / "tree").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->errors.empty()) << r->errors[0].reason;
  EXPECT_EQ(r->photos_added, 1u);
  EXPECT_EQ(r->exact_duplicates, 1u);  // the same bytes under two names
}

}  // namespace
}  // namespace kho::ingest
