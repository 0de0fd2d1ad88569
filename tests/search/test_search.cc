// The `terms` index: folding, all-words queries and phrases, ranking, re-indexing, snippets. Archives are
// built with WriteBatch in a fresh directory; nothing here depends on ingest. Issue 15's new behaviour (long
// queries, slips, abbreviations, more fields, filters, one hit per photo, rebuild) is in test_search_find.cc.
#include <gtest/gtest.h>

#include <algorithm>

#include "kho/catalog.h"
#include "kho/search.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho {
namespace {

Article make_article(const std::string& id, const std::string& title, std::vector<std::string> captions,
                     std::vector<std::string> paragraphs, const std::string& event_id = "e000000000000001") {
  Article a;
  a.id = id;
  a.title = title;
  a.date = "2020-07-15T09:00:00+07:00";
  a.event_id = event_id;
  for (const std::string& p : paragraphs) a.blocks.push_back({ArticleBlock::Kind::kParagraph, p, 0});
  for (std::size_t i = 0; i < captions.size(); ++i) {
    PhotoRef r;
    r.ref = "photo" + std::to_string(i) + ".jpg";
    r.caption = captions[i];
    a.refs.push_back(r);
    a.blocks.push_back({ArticleBlock::Kind::kPhoto, "", static_cast<std::uint32_t>(i)});
  }
  return a;
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cat = Catalog::open(dir_.path().string());
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    catalog_ = std::move(*cat);
  }

  void index(const std::vector<Article>& articles) {
    auto snap = catalog_->snapshot();
    ASSERT_TRUE(snap.ok());
    WriteBatch batch;
    for (const Article& a : articles) {
      batch.put_article(a);
      ASSERT_TRUE(index_article(snap->get(), batch, a).ok());
    }
    snap->reset();
    ASSERT_TRUE(catalog_->write(batch).ok());
  }

  SearchResults find(const std::string& q, std::size_t limit = 50) {
    auto snap = catalog_->snapshot();
    EXPECT_TRUE(snap.ok());
    Result<SearchResults> r = search(**snap, q, limit);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : SearchResults{};
  }

  static std::vector<std::string> snippets(const SearchResults& r) {
    std::vector<std::string> out;
    for (const SearchHit& h : r.hits) out.push_back(h.snippet);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(SearchTest, FoldedPhraseFindsBothToneMarkPlacements) {
  index({make_article("a000000000000001", "Tin trong ngày", {"Lãnh đạo tỉnh Thanh Hóa phát biểu"}, {}),
         make_article("a000000000000002", "Tin khác", {"Quang cảnh tại Thanh Hoá sáng nay"}, {}),
         make_article("a000000000000003", "Không liên quan", {"Hòa bình và thanh niên"}, {})});
  SearchResults r = find("thanh hoa");
  EXPECT_EQ(r.terms, (std::vector<std::string>{"thanh", "hoa"}));
  // All three captions hold both words; the two where they stand together, in order, come first.
  ASSERT_EQ(r.hits.size(), 3u) << ::testing::PrintToString(snippets(r));
  EXPECT_EQ(r.hits[2].article_id, "a000000000000003");
  EXPECT_FALSE(r.hits[2].adjacent);
  EXPECT_TRUE(r.hits[2].all_words);
  r.hits.pop_back();
  for (const SearchHit& h : r.hits) {
    EXPECT_TRUE(h.adjacent);
    EXPECT_EQ(h.field, SearchField::kCaption);
    ASSERT_EQ(h.highlights.size(), 1u);
    std::string marked = h.snippet.substr(h.highlights[0].begin, h.highlights[0].end - h.highlights[0].begin);
    EXPECT_EQ(search_key(marked), "thanh hoa") << marked;
  }
}

TEST_F(SearchTest, UyBanAndDienBien) {
  index({make_article("a000000000000001", "Họp Ủy ban nhân dân", {},  //
                      {"Ông Lê, Phó Chủ tịch Uỷ ban, dự họp."}),
         make_article("a000000000000002", "Về thăm Điện Biên", {}, {"Mường Phăng, Điện Biên."})});
  SearchResults uy = find("uy ban");
  ASSERT_EQ(uy.hits.size(), 2u);
  EXPECT_EQ(uy.hits[0].field, SearchField::kTitle);  // title above body
  EXPECT_EQ(uy.hits[0].article_title, "Họp Ủy ban nhân dân");
  EXPECT_EQ(uy.hits[1].field, SearchField::kBody);
  SearchResults dien = find("dien bien");
  ASSERT_EQ(dien.hits.size(), 2u);
  EXPECT_EQ(dien.hits[0].field, SearchField::kTitle);
  EXPECT_EQ(dien.hits[1].field, SearchField::kBody);
  EXPECT_EQ(find("Điện Biên").hits.size(), 2u);
}

TEST_F(SearchTest, QuotesAskForAPhraseInOrderAndAdjacent) {
  index({make_article("a000000000000001", "Hội nghị", {"Thanh niên tình nguyện ở Hóa Châu"}, {})});
  SearchResults loose = find("thanh hoa");  // both words, apart: found, but not as adjacent
  ASSERT_EQ(loose.hits.size(), 1u);
  EXPECT_FALSE(loose.hits[0].adjacent);
  EXPECT_TRUE(find("\"thanh hoa\"").hits.empty());  // not next to each other
  EXPECT_TRUE(find("\"chau hoa\"").hits.empty());   // adjacent, wrong order
  EXPECT_EQ(find("\"hoa chau\"").hits.size(), 1u);
  EXPECT_EQ(find("“hóa châu” thanh").hits.size(), 1u);  // typographic quotes, and a loose word beside
  EXPECT_TRUE(find("chau hoa").hits[0].all_words);
  EXPECT_FALSE(find("chau hoa").hits[0].adjacent);
  EXPECT_EQ(find("tình nguyện").hits.size(), 1u);
  EXPECT_EQ(find("nguyen").hits.size(), 1u);    // one word
  EXPECT_TRUE(find("nguyenxyz").hits.empty());  // no prefix matching, and too far from any word for a slip
}

TEST_F(SearchTest, RankingTitleThenCaptionThenBody) {
  // Inserted in the opposite order of the expected ranking, and with ids sorting the other way.
  index({make_article("a000000000000001", "Bài một", {}, {"Mưa lớn ở Thanh Hóa gây ngập."}),
         make_article("a000000000000002", "Bài hai", {"Đường phố Thanh Hóa sau mưa"}, {}),
         make_article("a000000000000003", "Thanh Hóa chống lũ", {}, {})});
  SearchResults r = find("thanh hoa");
  ASSERT_EQ(r.hits.size(), 3u);
  EXPECT_EQ(r.hits[0].field, SearchField::kTitle);
  EXPECT_EQ(r.hits[0].article_id, "a000000000000003");
  EXPECT_EQ(r.hits[1].field, SearchField::kCaption);
  EXPECT_EQ(r.hits[1].article_id, "a000000000000002");
  EXPECT_EQ(r.hits[2].field, SearchField::kBody);
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
  EXPECT_GT(r.hits[1].score, r.hits[2].score);
}

TEST_F(SearchTest, SameDiacriticsRankAboveFoldedOnlyWithinAField) {
  index({make_article("a000000000000001", "Một", {"Cánh đồng thanh hoa tím"}, {}),
         make_article("a000000000000002", "Hai", {"Người dân Thanh Hóa đón Tết"}, {}),
         make_article("a000000000000003", "Ba", {"Bờ biển Thanh Hoá mùa hè"}, {})});
  // The query with marks: both placements of the tone mark are the same diacritics.
  SearchResults marked = find("Thanh Hóa");
  ASSERT_EQ(marked.hits.size(), 3u);
  EXPECT_TRUE(marked.hits[0].exact);
  EXPECT_TRUE(marked.hits[1].exact);
  EXPECT_FALSE(marked.hits[2].exact);
  EXPECT_EQ(marked.hits[2].article_id, "a000000000000001");
  // Without marks, the unaccented text is the exact one.
  SearchResults plain = find("thanh hoa");
  ASSERT_EQ(plain.hits.size(), 3u);
  EXPECT_TRUE(plain.hits[0].exact);
  EXPECT_EQ(plain.hits[0].article_id, "a000000000000001");
  EXPECT_FALSE(plain.hits[1].exact);
}

TEST_F(SearchTest, TitleAboveCaptionEvenWhenTheCaptionIsExact) {
  index({make_article("a000000000000001", "Thanh Hoa ngày mới", {}, {}),
         make_article("a000000000000002", "Khác", {"Thanh Hóa ngày mới"}, {})});
  SearchResults r = find("Thanh Hóa");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].field, SearchField::kTitle);
  EXPECT_FALSE(r.hits[0].exact);
  EXPECT_EQ(r.hits[1].field, SearchField::kCaption);
  EXPECT_TRUE(r.hits[1].exact);
}

TEST_F(SearchTest, ReindexingReplacesStalePostings) {
  Article a = make_article("a000000000000001", "Tin", {"Cầu Long Biên"}, {});
  index({a});
  EXPECT_EQ(find("long bien").hits.size(), 1u);
  a.refs[0].caption = "Cầu Thăng Long";
  index({a});
  EXPECT_TRUE(find("long bien").hits.empty());
  EXPECT_EQ(find("thang long").hits.size(), 1u);
  EXPECT_EQ(find("cau").hits.size(), 1u);  // one document, not two

  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  WriteBatch batch;
  ASSERT_TRUE(unindex_article(snap->get(), batch, a.id).ok());
  snap->reset();
  ASSERT_TRUE(catalog_->write(batch).ok());
  EXPECT_TRUE(find("thang long").hits.empty());
}

TEST_F(SearchTest, PhotoTextIsFindableWithItsDigest) {
  Photo p;
  p.digest.bytes.fill(0xab);
  p.meta.description = "Chợ nổi Cái Răng lúc bình minh";
  p.meta.keywords = {"Cần Thơ", "chợ nổi"};
  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  WriteBatch batch;
  ASSERT_TRUE(index_photo_text(snap->get(), batch, p, "e000000000000009").ok());
  snap->reset();
  ASSERT_TRUE(catalog_->write(batch).ok());
  SearchResults r = find("cai rang");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].field, SearchField::kPhoto);
  ASSERT_TRUE(r.hits[0].digest.has_value());
  EXPECT_EQ(*r.hits[0].digest, p.digest);
  EXPECT_EQ(r.hits[0].event_id, "e000000000000009");
  EXPECT_EQ(find("can tho").hits.size(), 1u);
}

TEST_F(SearchTest, LimitSetsMore) {
  std::vector<Article> many;
  for (int i = 0; i < 30; ++i) {
    char id[17];
    std::snprintf(id, sizeof id, "b%015d", i);
    const std::string n = std::to_string(i);
    many.push_back(make_article(id, "Bài " + n, {"Lễ hội đền Hùng năm " + n}, {}));
  }
  index(many);
  SearchResults r = find("den hung", 10);
  EXPECT_EQ(r.hits.size(), 10u);
  EXPECT_TRUE(r.more);
  SearchResults all = find("den hung", 100);
  EXPECT_EQ(all.hits.size(), 30u);
  EXPECT_FALSE(all.more);
}

TEST_F(SearchTest, LongBodySnippetIsCutAroundTheMatch) {
  std::string body;
  for (int i = 0; i < 60; ++i) body += "Người dân đi làm đồng từ sáng sớm. ";
  body += "Tại Quảng Trị, mưa to. ";
  for (int i = 0; i < 60; ++i) body += "Chiều về trời lại nắng. ";
  index({make_article("a000000000000001", "Thời tiết", {}, {body})});
  SearchResults r = find("quang tri");
  ASSERT_EQ(r.hits.size(), 1u);
  const SearchHit& h = r.hits[0];
  EXPECT_LT(h.snippet.size(), 400u);
  EXPECT_TRUE(is_valid_utf8(h.snippet));
  ASSERT_EQ(h.highlights.size(), 1u);
  EXPECT_EQ(h.snippet.substr(h.highlights[0].begin, h.highlights[0].end - h.highlights[0].begin), "Quảng Trị");
}

TEST_F(SearchTest, BadQueriesAndEmptyArchive) {
  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_TRUE(search(**snap, "", 10).status().is_invalid_argument());
  EXPECT_TRUE(search(**snap, " ,.;!? ", 10).status().is_invalid_argument());
  // Any length: a long query is no error (it finds nothing here).
  Result<SearchResults> longer = search(**snap, std::string(40, 'a') + " a a a a a a a a a a a a a a a a a b c d e",
                                        10);
  ASSERT_TRUE(longer.ok()) << longer.status().to_string();
  EXPECT_TRUE(longer->hits.empty());
  Result<SearchResults> none = search(**snap, "thanh hoa", 10);  // nothing indexed yet
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_TRUE(none->hits.empty());
  Result<SearchResults> junk = search(**snap, std::string("\xff\xfe thanh \xc3", 8), 10);
  EXPECT_TRUE(junk.ok());
}

TEST(SearchIndexTest, ArticleWithoutIdIsRefused) {
  WriteBatch batch;
  Article a;
  EXPECT_TRUE(index_article(nullptr, batch, a).is_invalid_argument());
}

}  // namespace
}  // namespace kho
