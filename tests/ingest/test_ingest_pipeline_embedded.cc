// Photos carried by articles: a saved page's _files/ folder and a .docx's embedded images are ingested
// as photos of the article's event and linked with the method `embedded`.
#include <gtest/gtest.h>

#include <filesystem>

#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"
#include "pipeline_fixtures.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
using kho::testing::ingest_jpeg;
using kho::testing::TempDir;
using kho::testing::write_file;

const char* kPage = R"(<!DOCTYPE html><html><head><meta charset="utf-8"><title>Hội chợ - Báo Mẫu</title></head>
<body><h1>Khai mạc hội chợ xuân</h1><div class="content">
<p>Sáng nay, hội chợ xuân khai mạc tại quảng trường trung tâm, với hàng trăm gian hàng của các tỉnh thành.</p>
<figure><img src="bai_files/khai-mac.jpg"><figcaption>Cắt băng khai mạc. Ảnh: Minh Anh</figcaption></figure>
<p>Hội chợ mở cửa đến hết tuần, có nhiều hoạt động văn hóa, văn nghệ và ẩm thực đặc sắc.</p>
<figure><img src="bai_files/gian%20hang.jpg"><figcaption>Gian hàng thủ công</figcaption></figure>
<figure><img src="https://cdn.example.vn/khong-luu.jpg"><figcaption>Ảnh không được lưu</figcaption></figure>
</div></body></html>)";

struct EmbeddedRun {
  TempDir tree, archive_dir;
  std::unique_ptr<Catalog> catalog;
  testing::FakeProcessor proc;
  EmbeddedRun() { catalog = Catalog::open((archive_dir / "a").string()).value(); }
  IngestSummary ingest_tree() {
    auto r = ingest(*catalog, proc, {tree.path().string()});
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : IngestSummary{};
  }
};

TEST(IngestEmbedded, SavedPageFilesFolderIsThePagesEventAndLinksAsEmbedded) {
  EmbeddedRun f;
  write_file(f.tree / "ev/bai.html", kPage);
  write_file(f.tree / "ev/bai_files/khai-mac.jpg", ingest_jpeg(1));
  write_file(f.tree / "ev/bai_files/gian hang.jpg", ingest_jpeg(2));
  const IngestSummary r = f.ingest_tree();
  EXPECT_EQ(r.events, 1u) << "bai_files/ is no event of its own";
  EXPECT_EQ(r.photos_added, 2u);
  EXPECT_EQ(r.articles, 1u);
  EXPECT_EQ(r.links, 2u);
  ASSERT_EQ(r.link_report.size(), 2u);
  for (const auto& l : r.link_report) EXPECT_EQ(l.method, LinkMethod::kEmbedded) << l.ref;
  ASSERT_EQ(r.unresolved.size(), 1u);  // the remote image stays a reference
  EXPECT_EQ(r.unresolved[0].ref, "https://cdn.example.vn/khong-luu.jpg");
  EXPECT_TRUE(r.orphans.empty());
  auto snap = f.catalog->snapshot().value();
  auto ev = snap->event(event_id_for_folder((f.tree / "ev").string()));
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->title, "Khai mạc hội chợ xuân");
  auto links = snap->article_links(ev->article_ids.at(0)).value();
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0].path, (f.tree / "ev/bai_files/khai-mac.jpg").string());
  EXPECT_EQ(links[0].caption, "Cắt băng khai mạc. Ảnh: Minh Anh");
  EXPECT_EQ(links[1].path, (f.tree / "ev/bai_files/gian hang.jpg").string());
  EXPECT_EQ(links[2].method, LinkMethod::kUnresolved);
}

TEST(IngestEmbedded, DocxImagesAreIngestedFromTheZipWithTheirCaptions) {
  EmbeddedRun f;
  write_file(f.tree / "ev/bai.docx",
             kho::testing::read_file(kho::testing::test_data_dir() / "docx" / "bai-3-anh.docx"));
  const IngestSummary r = f.ingest_tree();
  EXPECT_TRUE(r.errors.empty()) << r.errors.at(0).path << ": " << r.errors.at(0).reason;
  EXPECT_EQ(r.photos_added, 3u);
  EXPECT_EQ(r.links, 3u);
  auto snap = f.catalog->snapshot().value();
  auto ev = snap->event(event_id_for_folder((f.tree / "ev").string()));
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->photo_count, 3u);
  auto links = snap->article_links(ev->article_ids.at(0)).value();
  ASSERT_EQ(links.size(), 3u);
  const std::string docx = (f.tree / "ev/bai.docx").string();
  EXPECT_EQ(links[0].path, docx + "#word/media/image1.jpg");
  EXPECT_EQ(links[0].method, LinkMethod::kEmbedded);
  EXPECT_EQ(links[0].caption, "Đồng chí Bí thư Tỉnh ủy phát biểu tại buổi làm việc.");
  EXPECT_EQ(links[2].caption, "Đoàn công tác thăm phòng truyền thống Thành ủy.");
  for (const Link& l : links) ASSERT_TRUE(l.digest.has_value());
  // A second run reads nothing: the parts' records match by path, size and the document's mtime.
  const IngestSummary again = f.ingest_tree();
  EXPECT_EQ(again.photos_added, 0u);
  EXPECT_EQ(again.links, 3u);
}

TEST(IngestEmbedded, DocThatIsARenamedJpegIsReportedAndTheRunGoesOn) {
  EmbeddedRun f;
  write_file(f.tree / "ev/anh.docx", ingest_jpeg(3));
  write_file(f.tree / "ev/p.jpg", ingest_jpeg(4));
  const IngestSummary r = f.ingest_tree();
  EXPECT_EQ(r.photos_added, 1u);
  ASSERT_EQ(r.errors.size(), 1u) << "the broken .docx is a per-file error";
  EXPECT_NE(r.errors[0].path.find("anh.docx"), std::string::npos);
  EXPECT_NE(r.errors[0].reason.find("JPEG"), std::string::npos) << r.errors[0].reason;
}

}  // namespace
}  // namespace kho::ingest
