// Issue 15, "search that finds what editors type": all the words anywhere in one article or photo, long
// pasted captions, slips ("did you mean"), abbreviations both ways, event names and photo details, date and
// event filters, one hit per photo, anchors of body hits, and the rebuild of an index of the older format.
#include <gtest/gtest.h>

#include <algorithm>

#include "kho/catalog.h"
#include "kho/search.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho {
namespace {

Article article(const std::string& id, const std::string& title, std::vector<std::string> captions,
                std::vector<std::string> paragraphs, const std::string& event_id = "e000000000000001") {
  Article a;
  a.id = id;
  a.title = title;
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

Digest digest_of(std::uint8_t b) {
  Digest d;
  d.bytes.fill(b);
  return d;
}

class SearchFindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cat = Catalog::open(dir_.path().string());
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    catalog_ = std::move(*cat);
  }

  // Writes what `fill` puts in a batch, given the current snapshot.
  void write(const std::function<void(const Snapshot*, WriteBatch&)>& fill) {
    auto snap = catalog_->snapshot();
    ASSERT_TRUE(snap.ok());
    WriteBatch batch;
    fill(snap->get(), batch);
    snap->reset();
    ASSERT_TRUE(catalog_->write(batch).ok());
  }

  void index(const std::vector<Article>& articles) {
    write([&](const Snapshot* cur, WriteBatch& batch) {
      for (const Article& a : articles) {
        batch.put_article(a);
        ASSERT_TRUE(index_article(cur, batch, a).ok());
      }
    });
  }

  Result<SearchResults> try_find(const std::string& q, std::size_t limit = 50) {
    auto snap = catalog_->snapshot();
    if (!snap.ok()) return snap.status();
    return search(**snap, q, limit);
  }

  SearchResults find(const std::string& q, std::size_t limit = 50) {
    Result<SearchResults> r = try_find(q, limit);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().to_string();
    return r.ok() ? *r : SearchResults{};
  }

  static std::string marked(const SearchHit& h, std::size_t i = 0) {
    if (i >= h.highlights.size()) return "";
    return h.snippet.substr(h.highlights[i].begin, h.highlights[i].end - h.highlights[i].begin);
  }

  testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(SearchFindTest, AllTheWordsNotOnlyAPhrase) {
  index({article("a000000000000001", "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA", {}, {}),
         article("a000000000000002", "Sơn La mùa hoa ban", {"Thiếu nữ Sơn La"}, {}),
         article("a000000000000003", "Tin Thanh Hóa", {}, {})});
  SearchResults r = find("son la thanh hoa");
  ASSERT_EQ(r.hits.size(), 1u);  // one title holds both names; the others hold only one
  EXPECT_EQ(r.hits[0].article_id, "a000000000000001");
  EXPECT_TRUE(r.hits[0].all_words);
  EXPECT_EQ(r.hits[0].matched, 4u);
  // Every occurrence of a query word is marked (THÀNH folds to "thanh" too); the two names are runs.
  std::vector<std::string> marks;
  for (std::size_t i = 0; i < r.hits[0].highlights.size(); ++i) marks.push_back(marked(r.hits[0], i));
  EXPECT_EQ(marks, (std::vector<std::string>{"SƠN LA", "THÀNH", "THANH HÓA"}));
}

TEST_F(SearchFindTest, WordsAnywhereInTheSameArticleAndAdjacentFirst) {
  index({article("a000000000000001", "Lễ hội ở Sơn La", {"Đoàn khách Thanh Hóa xem hội"}, {}),
         article("a000000000000002", "Sơn La, Thanh Hóa hợp tác", {}, {}),
         article("a000000000000003", "Chỉ Sơn La", {}, {})});
  SearchResults r = find("son la thanh hoa");
  ASSERT_EQ(r.hits.size(), 2u);
  // In one text, together and in order, first; then the article that holds them in two texts.
  EXPECT_EQ(r.hits[0].article_id, "a000000000000002");
  EXPECT_TRUE(r.hits[0].all_words);
  EXPECT_TRUE(r.hits[0].adjacent);
  EXPECT_EQ(r.hits[1].article_id, "a000000000000001");
  EXPECT_FALSE(r.hits[1].all_words);
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

TEST_F(SearchFindTest, AbbreviationsBothWays) {
  index({article("a000000000000001", "Họp báo", {"Lãnh đạo UBND tỉnh tiếp đoàn"}, {}),
         article("a000000000000002", "Hội nghị", {"Chủ tịch Ủy ban nhân dân huyện phát biểu"}, {}),
         article("a000000000000003", "Đô thị", {"Toàn cảnh TP.Thanh Hóa"}, {})});
  SearchResults uy = find("uy ban");
  ASSERT_EQ(uy.hits.size(), 2u);
  for (const SearchHit& h : uy.hits) EXPECT_TRUE(h.all_words);
  SearchResults abbr = find("UBND");
  ASSERT_EQ(abbr.hits.size(), 2u);
  std::vector<std::string> marks;
  for (const SearchHit& h : abbr.hits) marks.push_back(marked(h));
  std::sort(marks.begin(), marks.end());
  EXPECT_EQ(marks, (std::vector<std::string>{"UBND", "Ủy ban nhân dân"}));
  SearchResults tp = find("thanh pho thanh hoa");
  ASSERT_EQ(tp.hits.size(), 1u);
  EXPECT_EQ(tp.hits[0].article_id, "a000000000000003");
  EXPECT_EQ(find("uy ban nhan dan tinh").hits.size(), 1u);  // "UBND tỉnh"
  for (const auto& [abbr_key, expansion] : search_abbreviations()) {
    EXPECT_EQ(search_key(abbr_key), abbr_key);
    EXPECT_EQ(search_key(expansion), expansion);
    EXPECT_NE(expansion.find(' '), std::string::npos) << abbr_key;
  }
}

TEST_F(SearchFindTest, LongPastedCaptionFindsItsPhoto) {
  const std::string caption =
      "Đồng chí Lê Anh Xuân, Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Thành ủy Thanh Hóa tiếp và làm việc với đoàn "
      "công tác của tỉnh Sơn La sáng 18/11/2020";
  std::vector<Article> arts;
  for (int i = 0; i < 20; ++i) {
    char id[17];
    std::snprintf(id, sizeof id, "c%015d", i);
    arts.push_back(article(id, "Bài " + std::to_string(i),
                           {"Đoàn công tác tỉnh Sơn La làm việc tại Thanh Hóa, ảnh " + std::to_string(i),
                            "Bí thư Thành ủy tiếp đoàn năm " + std::to_string(2000 + i)},
                           {}));
  }
  arts.push_back(article("a000000000000001", "Sơn La thăm Thanh Hóa", {"Quang cảnh", caption}, {}));
  index(arts);
  ASSERT_GT(search_terms(caption).size(), 16u);  // more words than the old limit
  SearchResults r = find(caption);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].article_id, "a000000000000001");
  EXPECT_EQ(r.hits[0].ref_index, 1u);
  EXPECT_TRUE(r.hits[0].all_words);
  // A word mistyped and one left out still find it first.
  std::string slipped = caption;
  slipped.replace(slipped.find("Xuân"), 5, "Xuan9");
  slipped.erase(slipped.find(" sáng 18/11/2020"));
  SearchResults s = find(slipped);
  ASSERT_FALSE(s.hits.empty());
  EXPECT_EQ(s.hits[0].article_id, "a000000000000001");
  EXPECT_EQ(s.hits[0].ref_index, 1u);
}

TEST_F(SearchFindTest, PastedCaptionWinsOverManyTextsWithItsRareWordsElsewhere) {
  // 600 captions (more than the long query looks at further) hold every word of the pasted caption too, but
  // in the reverse order; the pasted caption itself is in the last article of the owners' order.
  const std::string caption =
      "Nghệ nhân Quách Văn Tuyển bên khung cửi dệt thổ cẩm của bản Lác trong buổi sáng đầu năm mới ở thung "
      "lũng Mai Châu";
  std::vector<Article> arts;
  for (int i = 0; i < 30; ++i) {
    std::vector<std::string> captions;
    for (int k = 0; k < 20; ++k)
      captions.push_back(
          "Châu Mai lũng thung ở mới năm đầu sáng buổi trong Lác bản của cẩm thổ dệt cửi khung bên "
          "Tuyển Văn Quách nhân Nghệ, ảnh " +
          std::to_string(i * 20 + k));
    char id[17];
    std::snprintf(id, sizeof id, "b%015d", i);
    arts.push_back(article(id, "Mai Châu " + std::to_string(i), captions, {}));
  }
  arts.push_back(article("ffffffffffffffff", "Làng dệt", {caption}, {}));
  index(arts);
  SearchResults r = find(caption);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].article_id, "ffffffffffffffff");
  EXPECT_TRUE(r.hits[0].all_words);
  EXPECT_TRUE(r.hits[0].adjacent);
  EXPECT_FALSE(r.hits[1].adjacent);  // the texts holding the words in another order follow
  EXPECT_TRUE(r.more);
}

TEST_F(SearchFindTest, SlipsOfferOrSearchTheCorrection) {
  index({article("a000000000000001", "Thanh Hóa đón Tết", {"Phố Thanh Hóa về đêm", "Chợ hoa Thanh Hóa"}, {}),
         article("a000000000000002", "Mường Phăng, Điện Biên", {}, {})});
  // Nothing found as typed: the correction is searched instead, and said.
  SearchResults telex = find("thanh hoas");
  EXPECT_TRUE(telex.corrected);
  ASSERT_TRUE(telex.suggestion.has_value());
  EXPECT_EQ(search_key(*telex.suggestion), "thanh hoa");
  EXPECT_EQ(telex.hits.size(), 3u);
  SearchResults swapped = find("dien bein");
  EXPECT_TRUE(swapped.corrected);
  ASSERT_EQ(swapped.hits.size(), 1u);
  EXPECT_EQ(swapped.hits[0].article_id, "a000000000000002");
  // "thanh hao": both words exist apart (nowhere together here): the correction is searched.
  index({article("a000000000000003", "Nhà hảo tâm", {"Anh Thanh, một nhà hảo tâm"}, {})});
  SearchResults hao = find("thanh hao");
  ASSERT_TRUE(hao.suggestion.has_value());
  EXPECT_EQ(search_key(*hao.suggestion), "thanh hoa");
  EXPECT_FALSE(hao.hits.empty());
  // Found as typed, words together: no suggestion.
  EXPECT_FALSE(find("thanh hoa").suggestion.has_value());
  EXPECT_FALSE(find("\"thanh hoas\"").corrected);  // a quoted phrase is taken as typed
}

TEST_F(SearchFindTest, EventNamesFoldersFileNamesPeopleAndCameras) {
  Event ev;
  ev.id = "e000000000000002";
  ev.folder = "/srv/anh/2021-01-05 Hội nghị Tỉnh ủy";
  ev.title = "Hội nghị Tỉnh ủy mở rộng";
  ev.date = "2021-01-05";
  Photo p;
  p.digest = digest_of(0x11);
  p.first_path = "/srv/anh/2021-01-05 Hội nghị Tỉnh ủy/DSC_2041.JPG";
  p.meta.creator = "Nguyễn Văn Toàn";
  p.meta.credit = "Báo Thanh Hóa";
  p.meta.make = "NIKON CORPORATION";
  p.meta.model = "NIKON D850";
  write([&](const Snapshot* cur, WriteBatch& batch) {
    batch.put_event(ev);
    ASSERT_TRUE(index_event(cur, batch, ev).ok());
    ASSERT_TRUE(index_photo_text(cur, batch, p, ev.id).ok());
  });
  SearchResults folder = find("2021 01 05 hoi nghi");
  ASSERT_EQ(folder.hits.size(), 1u);
  EXPECT_EQ(folder.hits[0].field, SearchField::kEvent);
  EXPECT_EQ(folder.hits[0].event_id, ev.id);
  EXPECT_EQ(folder.hits[0].event_title, ev.title);
  for (const char* q : {"DSC_2041", "dsc 2041.jpg", "nguyen van toan", "nikon d850", "bao thanh hoa"}) {
    SearchResults r = find(q);
    ASSERT_EQ(r.hits.size(), 1u) << q;
    EXPECT_EQ(r.hits[0].field, SearchField::kDetails) << q;
    EXPECT_EQ(r.hits[0].digest, p.digest) << q;
    EXPECT_EQ(r.hits[0].event_id, ev.id) << q;
  }
  // Re-indexing replaces the event's text.
  ev.title = "Tổng kết năm";
  ev.folder = "/srv/anh/tong-ket";
  write([&](const Snapshot* cur, WriteBatch& batch) { ASSERT_TRUE(index_event(cur, batch, ev).ok()); });
  EXPECT_TRUE(find("hoi nghi").hits.empty());
  EXPECT_EQ(find("tong ket").hits.size(), 1u);
}

TEST_F(SearchFindTest, DateAndEventFilters) {
  Event e1, e2;
  e1.id = "e000000000000001";
  e1.title = "Mùa lúa 2020";
  e1.date = "2020-07-15T09:00:00+07:00";
  e2.id = "e000000000000002";
  e2.title = "Mùa lúa 2021";
  e2.date = "2021-03-02";
  write([&](const Snapshot*, WriteBatch& batch) {
    batch.put_event(e1);
    batch.put_event(e2);
  });
  index({article("a000000000000001", "Gặt lúa", {"Nông dân gặt lúa chín"}, {}, e1.id),
         article("a000000000000002", "Gặt lúa sớm", {"Nông dân gặt lúa sớm"}, {}, e2.id)});
  EXPECT_EQ(find("gat lua").hits.size(), 4u);
  auto events_of = [&](const std::string& q) {
    std::set<std::string> ids;
    for (const SearchHit& h : find(q).hits) ids.insert(h.event_id);
    return ids;
  };
  EXPECT_EQ(events_of("gat lua date:2020"), std::set<std::string>{e1.id});
  EXPECT_EQ(events_of("date:2021-03 gat lua"), std::set<std::string>{e2.id});
  EXPECT_EQ(events_of("gat lua date:2020-07..2021-12"), (std::set<std::string>{e1.id, e2.id}));
  EXPECT_EQ(events_of("gat lua date:..2020-12"), std::set<std::string>{e1.id});
  EXPECT_EQ(events_of("gat lua date:2021-01.."), std::set<std::string>{e2.id});
  EXPECT_TRUE(events_of("gat lua date:2019").empty());
  EXPECT_EQ(events_of("gat lua event:e000000000000002"), std::set<std::string>{e2.id});
  SearchResults f = find("gat lua date:2020");
  EXPECT_EQ(f.date_from, "2020");
  EXPECT_EQ(f.date_to, "2020");
  for (const char* bad : {"gat lua date:20", "gat lua date:2020-1", "gat lua date:..", "gat lua event:xyz"}) {
    Result<SearchResults> r = try_find(bad);
    EXPECT_TRUE(r.status().is_invalid_argument()) << bad;
  }
  EXPECT_TRUE(try_find("date:2020").status().is_invalid_argument());  // a filter alone has no words
}

TEST_F(SearchFindTest, OnePhotoShowsOnceAndBodyHitsHaveTheirBlock) {
  Article a = article("a000000000000001", "Lễ hội", {"Múa lân ở phố cổ"}, {"Đêm qua, múa lân rộn ràng phố cổ."});
  Article b = article("a000000000000002", "Phố cổ", {"Múa lân phố cổ Hội An"}, {});
  Photo p;
  p.digest = digest_of(0x22);
  p.meta.description = "Múa lân, phố cổ";
  Link la, lb;
  la.article_id = a.id;
  la.position = 0;
  la.digest = p.digest;
  lb.article_id = b.id;
  lb.position = 0;
  lb.digest = p.digest;
  index({a, b});
  write([&](const Snapshot* cur, WriteBatch& batch) {
    batch.put_links(a.id, {la});
    batch.put_links(b.id, {lb});
    ASSERT_TRUE(index_photo_text(cur, batch, p, "e000000000000001").ok());
  });
  SearchResults r = find("mua lan pho co");
  std::size_t with_photo = 0;
  for (const SearchHit& h : r.hits) {
    if (h.digest) {
      ++with_photo;
      EXPECT_EQ(*h.digest, p.digest);
    } else {
      EXPECT_EQ(h.field, SearchField::kBody);
      EXPECT_EQ(h.block, 0u);  // the paragraph is block 0 of article a
    }
  }
  EXPECT_EQ(with_photo, 1u);  // three texts describe the photo; it shows once
  EXPECT_EQ(r.hits.size(), 2u);
}

TEST_F(SearchFindTest, AnOlderIndexIsRefusedUntilRebuilt) {
  Article a = article("a000000000000001", "Cầu Long Biên", {"Cầu Long Biên lúc sáng sớm"}, {});
  Event ev;
  ev.id = "e000000000000001";
  ev.title = "Hà Nội mùa thu";
  ev.folder = "/srv/ha-noi";
  Photo p;
  p.digest = digest_of(0x33);
  p.first_path = "/srv/ha-noi/IMG_0007.JPG";
  File f;
  f.path = p.first_path;
  f.digest = p.digest;
  f.event_id = ev.id;
  write([&](const Snapshot*, WriteBatch& batch) {
    batch.put_article(a);
    batch.put_event(ev);
    batch.put_photo(p);
    batch.put_file(f);
    // What format 1 wrote: 'f' postings and 'o' owner entries.
    batch.raw_put(db::kTerms, std::string("fcau") + '\0' + "x", "");
    batch.raw_put(db::kTerms,
                  "oa\x10"
                  "a000000000000001",
                  "");
  });
  Result<SearchResults> old = try_find("long bien");
  EXPECT_EQ(old.status().code(), Status::Code::kUnsupported);
  EXPECT_NE(old.status().message().find("kho reindex"), std::string::npos);
  {
    auto snap = catalog_->snapshot();
    ASSERT_TRUE(snap.ok());
    EXPECT_FALSE(*search_index_current(**snap));
  }
  Result<RebuildStats> rebuilt = rebuild_search_index(*catalog_, 7);  // small parts: several transactions
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().to_string();
  EXPECT_EQ(rebuilt->articles, 1u);
  EXPECT_EQ(rebuilt->events, 1u);
  EXPECT_EQ(rebuilt->photos, 1u);
  EXPECT_EQ(find("long bien").hits.size(), 2u);
  EXPECT_EQ(find("ha noi mua thu").hits.size(), 1u);
  SearchResults file = find("img 0007");
  ASSERT_EQ(file.hits.size(), 1u);
  EXPECT_EQ(file.hits[0].event_id, ev.id);
}

}  // namespace
}  // namespace kho
