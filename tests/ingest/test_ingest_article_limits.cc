// Article files and ingest's memory (issue #17, item 6): files above the limit are refused with an error
// naming them, and an article too long for one batch is indexed in parts and still found, first word to last.
#include <gtest/gtest.h>

#include <algorithm>

#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"
#include "kho/search.h"
#include "pipeline_fixtures.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
using kho::testing::ingest_jpeg;
using kho::testing::TempDir;
using kho::testing::write_file;

// An article of about `bytes` bytes: title, date, a photo, then numbered paragraphs; `last` ends it.
std::string long_article(std::size_t bytes, const std::string& last) {
  std::string s =
      "BÀI VIẾT RẤT DÀI VỀ HỘI CHỢ ẢNH\n\nNgày 20/11/2020 08:00:00\n\nĐoạn mở đầu firstword về hội chợ.\n\n"
      "a.jpg\n\nKhách tham quan hội chợ ảnh.\n\n";
  for (int i = 0; s.size() < bytes; ++i)
    s += "Đoạn thứ " + std::to_string(i) + " kể tiếp chuyện hội chợ ảnh ở Thanh Hóa với khách số " +
         std::to_string(i * 7919 % 100000) + " đến từ Sơn La.\n\n";
  return s + "Đoạn cuối " + last + ".\n\nPV\n";
}

std::size_t hits(Catalog& catalog, const std::string& query) {
  auto snap = catalog.snapshot().value();
  auto r = search(*snap, query, 10);
  EXPECT_TRUE(r.ok());
  return r.ok() ? r->hits.size() : 0;
}

TEST(IngestArticleLimits, TheDefaultLimitIs16MiB) { EXPECT_EQ(IngestOptions{}.max_article_bytes, 16u << 20); }

TEST(IngestArticleLimits, ArticleAboveTheLimitIsAnErrorNamingIt) {
  TempDir tree, archive;
  write_file(tree / "ev/a.jpg", ingest_jpeg(1));
  write_file(tree / "ev/huge.txt", long_article(200'000, "lastword"));
  write_file(tree / "ev/small.txt", "TIN NGẮN\n\nNgày 20/11/2020 08:00:00\n\nMột đoạn ngắn.\n\na.jpg\n\nẢnh.\n\nPV\n");
  auto catalog = Catalog::open(archive.path().string()).value();
  testing::FakeProcessor proc;
  IngestOptions options;
  options.max_article_bytes = 100'000;
  auto r = ingest(*catalog, proc, {tree.path().string()}, options);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].path, (tree / "ev/huge.txt").string());
  EXPECT_NE(r->errors[0].reason.find("too large"), std::string::npos) << r->errors[0].reason;
  EXPECT_NE(r->errors[0].reason.find("100000"), std::string::npos) << r->errors[0].reason;
  EXPECT_EQ(r->articles, 1u) << "the other article of the folder is still read";
  EXPECT_EQ(hits(*catalog, "firstword"), 0u);
}

TEST(IngestArticleLimits, ALongArticleIsIndexedInPartsAndFoundEndToEnd) {
  TempDir tree, archive;
  write_file(tree / "ev/a.jpg", ingest_jpeg(1));
  write_file(tree / "ev/dai.txt", long_article(1'300'000, "oldlastword"));
  auto catalog = Catalog::open(archive.path().string()).value();
  testing::FakeProcessor proc;
  auto r = ingest(*catalog, proc, {tree.path().string()});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(r->articles, 1u);
  EXPECT_EQ(r->links, 1u);
  EXPECT_EQ(hits(*catalog, "firstword"), 1u);
  EXPECT_EQ(hits(*catalog, "oldlastword"), 1u);
  EXPECT_EQ(hits(*catalog, "khach tham quan hoi cho"), 1u);

  // Edited in place: the next run replaces every posting, in parts too.
  write_file(tree / "ev/dai.txt", long_article(1'300'000, "newlastword"));
  auto again = ingest(*catalog, proc, {tree.path().string()});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(hits(*catalog, "oldlastword"), 0u);
  EXPECT_EQ(hits(*catalog, "newlastword"), 1u);
  EXPECT_EQ(hits(*catalog, "firstword"), 1u);
}

}  // namespace
}  // namespace kho::ingest
