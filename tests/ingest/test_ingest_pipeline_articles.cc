// The events phase of the pipeline: articles parsed per folder, links with digests and full paths,
// unresolved references, orphans, collapsed copies, and text files that are not articles.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "kho/catalog.h"
#include "kho/ingest/digest.h"
#include "kho/ingest/pipeline.h"
#include "pipeline_fixtures.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
namespace fs = std::filesystem;
using kho::testing::read_file;
using kho::testing::TempDir;
using kho::testing::write_file;
using kho::testing::ingest_jpeg;



Digest digest_of(const std::string& bytes) {
  return sha256({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

const char* kArticle =
    "KHAI MẠC TRIỂN LÃM ẢNH THÀNH PHỐ\n"
    "\n"
    "Ngày 05/03/2021 08:30:00\n"
    "\n"
    "Sáng 05/03/2021, thành phố khai mạc triển lãm ảnh nghệ thuật "
    "với hơn 100 tác phẩm của các nhiếp ảnh gia.\n"
    "\n"
    "cắt băng khai mạc.jpg\n"
    "\n"
    "Các đại biểu cắt băng khai mạc triển lãm.\n"
    "\n"
    "Triển lãm mở cửa tự do cho người dân và du khách "
    "đến hết ngày 12/3, tại nhà văn hóa trung tâm.\n"
    "\n"
    "khach tham quan.jpg\n"
    "\n"
    "Khách tham quan triển lãm.\n"
    "\n"
    "ảnh không có trên đĩa.jpg\n"
    "\n"
    "Một bức ảnh mà thư mục không có.\n"
    "\n"
    "Minh Anh (Trung tâm Văn hóa)\n";

struct Fixture {
  TempDir tree;
  TempDir archive_dir;
  std::unique_ptr<Catalog> catalog;
  testing::FakeProcessor proc;
  Fixture() {
    write_file(tree / "ev/bai-viet.txt", kArticle);
    write_file(tree / "ev/bai-viet (ban sao).txt", kArticle);  // the same article in a second export
    write_file(tree / "ev/cắt băng khai mạc.jpg", ingest_jpeg(1));
    write_file(tree / "ev/khách tham quan.jpg", ingest_jpeg(2));  // the reference lacks the diacritics
    write_file(tree / "ev/hậu trường.jpg", ingest_jpeg(3));       // no article mentions it: an orphan
    write_file(tree / "ev/ghi chú.txt", "\x01\x02\x03 not an article \xff\xfe");
    catalog = Catalog::open((archive_dir / "a").string()).value();
  }
  IngestSummary run() {
    auto r = ingest(*catalog, proc, {tree.path().string()});
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : IngestSummary{};
  }
};

TEST(IngestPipelineArticles, LinksUnresolvedOrphansAndEvent) {
  Fixture f;
  auto r = f.run();
  EXPECT_EQ(r.files_seen, 6u);
  EXPECT_EQ(r.photos_added, 3u);
  EXPECT_EQ(r.articles, 1u) << "the same article in two exports is stored once";
  EXPECT_EQ(r.links, 2u);
  ASSERT_EQ(r.unresolved.size(), 1u);
  EXPECT_EQ(r.unresolved[0].ref, "ảnh không có trên đĩa.jpg");
  EXPECT_EQ(r.unresolved[0].article, "KHAI MẠC TRIỂN LÃM ẢNH THÀNH PHỐ");
  ASSERT_EQ(r.orphans.size(), 1u);
  EXPECT_EQ(r.orphans[0], (f.tree / "ev/hậu trường.jpg").string());
  EXPECT_TRUE(r.errors.empty()) << "a text file that is not an article is a warning, not an error";
  ASSERT_EQ(r.link_report.size(), 2u);
  EXPECT_EQ(r.link_report[0].method, LinkMethod::kExact);
  EXPECT_EQ(r.link_report[1].path, (f.tree / "ev/khách tham quan.jpg").string());
  EXPECT_NE(r.link_report[1].method, LinkMethod::kExact);

  auto snap = f.catalog->snapshot().value();
  auto ev = snap->event(event_id_for_folder((f.tree / "ev").string()));
  ASSERT_TRUE(ev.ok()) << ev.status().to_string();
  EXPECT_EQ(ev->title, "KHAI MẠC TRIỂN LÃM ẢNH THÀNH PHỐ");
  ASSERT_TRUE(ev->date.has_value());
  EXPECT_TRUE(ev->date->starts_with("2021-03-05")) << *ev->date;
  EXPECT_EQ(ev->photo_count, 3u);
  ASSERT_EQ(ev->article_ids.size(), 1u);
  EXPECT_EQ(ev->cover, digest_of(ingest_jpeg(1))) << "the first linked photo is the cover";

  auto article = snap->article(ev->article_ids[0]);
  ASSERT_TRUE(article.ok());
  EXPECT_EQ(article->copies, 2u);
  EXPECT_EQ(article->sources.size(), 2u);
  EXPECT_EQ(article->event_id, ev->id);

  auto links = snap->article_links(ev->article_ids[0]);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 3u) << "unresolved references are stored too";
  EXPECT_EQ((*links)[0].path, (f.tree / "ev/cắt băng khai mạc.jpg").string());
  EXPECT_EQ((*links)[0].digest, digest_of(ingest_jpeg(1)));
  EXPECT_EQ((*links)[0].caption, "Các đại biểu cắt băng khai mạc triển lãm.");
  EXPECT_EQ((*links)[1].digest, digest_of(ingest_jpeg(2)));
  EXPECT_EQ((*links)[2].method, LinkMethod::kUnresolved);
  EXPECT_FALSE((*links)[2].digest.has_value());
  auto photo_links = snap->photo_links(digest_of(ingest_jpeg(2)));
  ASSERT_TRUE(photo_links.ok());
  EXPECT_EQ(photo_links->size(), 1u);
  snap.reset();

  auto verify = verify_catalog(*f.catalog);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->problems.empty()) << verify->problems.front();
}

TEST(IngestPipelineArticles, UnresolvedReferenceKeepsTheLinkersNearMissesAcrossReingest) {
  Fixture f;
  f.run();
  const std::string article_id = [&] {
    auto snap = f.catalog->snapshot().value();
    return snap->event(event_id_for_folder((f.tree / "ev").string()))->article_ids.at(0);
  }();
  auto stored = [&] {
    auto snap = f.catalog->snapshot().value();
    return snap->article_links(article_id).value();
  };
  const std::vector<Link> first = stored();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_TRUE(first[0].near_misses.empty()) << "an exact link keeps none";
  const std::vector<NearMiss>& m = first[2].near_misses;
  ASSERT_EQ(m.size(), 3u) << "every photo of the folder, the orphan first";
  EXPECT_EQ(m[0].path, (f.tree / "ev/hậu trường.jpg").string()) << "stored with its full path";
  EXPECT_EQ(m[0].digest, digest_of(ingest_jpeg(3))) << "and its photo";
  EXPECT_EQ(m[0].reason, NearMissReason::kTooFar);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(m[i].reason, NearMissReason::kTaken) << m[i].path;
    ASSERT_TRUE(m[i].digest.has_value());
    EXPECT_EQ(first.at(m[i].taken_by).digest, m[i].digest) << "taken by the reference that links it";
  }
  auto verify = verify_catalog(*f.catalog);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->problems.empty()) << verify->problems.front();

  f.run();
  EXPECT_EQ(stored(), first) << "a re-ingest writes the same link records, near-misses included";
}

TEST(IngestPipelineArticles, ReingestGivesTheSameCounts) {
  Fixture f;
  auto first = f.run();
  auto second = f.run();
  EXPECT_EQ(second.photos_added, 0u);
  EXPECT_EQ(second.photos_unchanged, first.photos_added);
  EXPECT_EQ(second.files_seen, first.files_seen);
  EXPECT_EQ(second.articles, first.articles);
  EXPECT_EQ(second.links, first.links);
  EXPECT_EQ(second.unresolved.size(), first.unresolved.size());
  EXPECT_EQ(second.orphans, first.orphans);
  auto snap = f.catalog->snapshot().value();
  auto count = snap->event_count();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
}

TEST(IngestPipelineArticles, EditedArticleReplacesTheOldOne) {
  Fixture f;
  f.run();
  std::string event_id = event_id_for_folder((f.tree / "ev").string());
  std::string old_id = f.catalog->snapshot().value()->event(event_id)->article_ids.at(0);
  // The office fixes the title in both exports: a new article identity (title and date).
  std::string edited = kArticle;
  edited.replace(0, edited.find('\n'), "KHAI MẠC TRIỂN LÃM ẢNH NGHỆ THUẬT THÀNH PHỐ");
  write_file(f.tree / "ev/bai-viet.txt", edited);
  write_file(f.tree / "ev/bai-viet (ban sao).txt", edited);
  auto r = f.run();
  EXPECT_EQ(r.articles, 1u);
  auto snap = f.catalog->snapshot().value();
  auto ev = snap->event(event_id);
  ASSERT_TRUE(ev.ok());
  ASSERT_EQ(ev->article_ids.size(), 1u);
  EXPECT_NE(ev->article_ids[0], old_id);
  EXPECT_EQ(ev->title, "KHAI MẠC TRIỂN LÃM ẢNH NGHỆ THUẬT THÀNH PHỐ");
  EXPECT_TRUE(snap->article(old_id).status().is_not_found()) << "the old version is gone";
  EXPECT_TRUE(snap->article_links(old_id)->empty());
  EXPECT_EQ(snap->photo_links(digest_of(ingest_jpeg(1)))->size(), 1u) << "one link, from the new version";
  snap.reset();
  auto verify = verify_catalog(*f.catalog);
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->problems.empty()) << verify->problems.front();
}

TEST(IngestPipelineArticles, ArticleWithoutPhotosIsAWarning) {
  TempDir tree, archive_dir;
  write_file(tree / "ev/tin.txt",
             "THÔNG BÁO LỊCH TIẾP CÔNG DÂN\n\nNgày 02/02/2021 07:00:00\n\n"
             "Lãnh đạo thành phố tiếp công dân định kỳ vào sáng thứ năm "
             "hằng tuần tại trụ sở tiếp dân.\n\nPV\n");
  write_file(tree / "ev/a.jpg", ingest_jpeg(1));
  auto catalog = Catalog::open((archive_dir / "a").string()).value();
  testing::FakeProcessor proc;
  auto r = ingest(*catalog, proc, {tree.path().string()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(r->articles, 1u);
  bool warned = false;
  for (const auto& w : r->warnings) warned |= w.find("names no photos") != std::string::npos;
  EXPECT_TRUE(warned);
  EXPECT_EQ(r->orphans.size(), 1u);
}

}  // namespace
}  // namespace kho::ingest
