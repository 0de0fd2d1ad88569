// reindex_article_in_parts (issue #17, item 6): a very long article is indexed in several transactions so
// that ingest's memory stays bounded; the `terms` database it leaves must be exactly the one index_article
// leaves in one batch, after a first index and after a re-index of changed text.
#include <gtest/gtest.h>

#include <map>

#include "kho/catalog.h"
#include "kho/search.h"
#include "test_support.h"

namespace kho {
namespace {

Article long_article(const std::string& last_word) {
  Article a;
  a.id = "a00000000000000f";
  a.event_id = "e000000000000001";
  a.title = "Bài viết rất dài về Thanh Hóa";
  for (int i = 0; i < 300; ++i) {
    std::string p = "Đoạn " + std::to_string(i) + " kể về hội chợ ảnh ở Sơn La và Thanh Hóa, số " +
                    std::to_string(i * 7919 % 1000) + ".";
    if (i == 299) p += " " + last_word;
    a.blocks.push_back({ArticleBlock::Kind::kParagraph, p, 0});
  }
  PhotoRef r;
  r.ref = "anh.jpg";
  r.caption = "Khách tham quan hội chợ";
  a.refs.push_back(r);
  a.blocks.push_back({ArticleBlock::Kind::kPhoto, "", 0});
  return a;
}

std::map<std::string, std::string> terms(const Catalog& catalog) {
  std::map<std::string, std::string> out;
  auto snap = catalog.snapshot();
  EXPECT_TRUE(snap.ok());
  EXPECT_TRUE((*snap)
                  ->raw_scan(db::kTerms, "",
                             [&](std::string_view k, std::string_view v) {
                               out.emplace(std::string(k), std::string(v));
                               return ScanStep::Continue();
                             })
                  .ok());
  return out;
}

void index_in_one_batch(Catalog& catalog, const Article& a) {
  WriteBatch batch;
  {
    auto snap = catalog.snapshot();
    ASSERT_TRUE(snap.ok());
    ASSERT_TRUE(index_article(snap->get(), batch, a).ok());
  }
  ASSERT_TRUE(catalog.write(batch).ok());
}

TEST(SearchParts, InPartsLeavesTheSameIndexAsOneBatch) {
  kho::testing::TempDir dir;
  auto one = Catalog::open((dir / "one").string()).value();
  auto parts = Catalog::open((dir / "parts").string()).value();
  Article first = long_article("xyzzy");
  index_in_one_batch(*one, first);
  ASSERT_TRUE(reindex_article_in_parts(*parts, first, 50).ok());
  auto t1 = terms(*one);
  EXPECT_GT(t1.size(), 1000u);
  EXPECT_EQ(t1, terms(*parts));

  // Changed text: the old words' postings go, in parts too.
  Article second = long_article("plugh");
  second.blocks.erase(second.blocks.begin() + 10, second.blocks.begin() + 20);
  index_in_one_batch(*one, second);
  ASSERT_TRUE(reindex_article_in_parts(*parts, second, 37).ok());
  auto t2 = terms(*one);
  EXPECT_EQ(t2, terms(*parts));
  EXPECT_NE(t1, t2);

  auto snap = parts->snapshot().value();
  auto found = search(*snap, "plugh", 10);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->hits.size(), 1u);
  auto gone = search(*snap, "xyzzy", 10);
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->hits.empty());
}

}  // namespace
}  // namespace kho
