// The DOCX reader: the python-docx fixture (tests/data/docx/make_docx.py) and hostile zips.
#include <gtest/gtest.h>
#include <zip.h>

#include <string>

#include "kho/ingest/article_parser.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

std::string fixture() { return kho::testing::read_file(kho::testing::test_data_dir() / "docx" / "bai-3-anh.docx"); }

// A zip made in memory with the given parts.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_source_keep(buf);
  zip_t* z = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  for (const auto& [name, bytes] : parts) {
    zip_source_t* s = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
    zip_file_add(z, name.c_str(), s, ZIP_FL_OVERWRITE);
  }
  zip_close(z);
  zip_source_open(buf);
  zip_source_seek(buf, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(buf);
  zip_source_seek(buf, 0, SEEK_SET);
  std::string out(static_cast<std::size_t>(size), '\0');
  zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size));
  zip_source_close(buf);
  zip_source_free(buf);
  return out;
}

TEST(DocxArticle, ThreePhotosWithTheirCaptions) {
  auto r = parse_docx_article(fixture(), "bai-3-anh.docx");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->articles.size(), 1u);
  const Article& a = r->articles[0];
  EXPECT_EQ(a.title, "Đoàn công tác tỉnh Sơn La thăm và làm việc tại Thanh Hóa");
  EXPECT_EQ(a.date, "2020-11-18");
  EXPECT_EQ(a.author, "Thu Hiền (Văn phòng Thành ủy)");
  ASSERT_EQ(a.refs.size(), 3u);
  EXPECT_EQ(a.refs[0].ref, "word/media/image1.jpg");
  EXPECT_EQ(a.refs[1].ref, "word/media/image2.jpg");
  EXPECT_EQ(a.refs[2].ref, "word/media/image3.jpg");
  EXPECT_EQ(a.refs[0].caption, "Đồng chí Bí thư Tỉnh ủy phát biểu tại buổi làm việc.");
  EXPECT_EQ(a.refs[0].credit, "Minh Anh");  // the "Ảnh: …" line under the caption
  EXPECT_EQ(a.refs[1].caption, "Toàn cảnh buổi làm việc tại phòng họp UBND thành phố. (Ảnh: Thu Hiền)");
  EXPECT_EQ(a.refs[1].credit, "Thu Hiền");
  EXPECT_EQ(a.refs[2].caption, "Đoàn công tác thăm phòng truyền thống Thành ủy.");
  EXPECT_EQ(a.refs[2].credit, std::nullopt);
  // Captions, credit, date and author are not body paragraphs.
  for (const ArticleBlock& b : a.blocks) {
    EXPECT_EQ(b.text.find("Ảnh: Minh Anh"), std::string::npos);
    EXPECT_EQ(b.text.find("phát biểu tại buổi"), std::string::npos);
  }
  // The embedded bytes are readable by their part name: a JPEG.
  auto bytes = read_docx_part(fixture(), "word/media/image2.jpg", "bai-3-anh.docx");
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  ASSERT_GT(bytes->size(), 100u);
  EXPECT_EQ(bytes->substr(0, 3), "\xFF\xD8\xFF");
}

TEST(DocxArticle, BadZipsAreClearErrors) {
  const std::string good = fixture();
  auto truncated = parse_docx_article(std::string_view(good).substr(0, good.size() / 2), "cut.docx");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("cut.docx"), std::string::npos);

  auto jpeg = parse_docx_article("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 and the rest of a photo", "anh.docx");
  ASSERT_FALSE(jpeg.ok());
  EXPECT_NE(jpeg.status().message().find("not a zip"), std::string::npos) << jpeg.status().message();
  EXPECT_NE(jpeg.status().message().find("JPEG"), std::string::npos);

  auto doc = parse_docx_article(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0'), "o.docx");
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("unsupported"), std::string::npos);

  auto no_doc = parse_docx_article(make_zip({{"hello.txt", "hi"}}), "z.docx");
  ASSERT_FALSE(no_doc.ok());
  EXPECT_NE(no_doc.status().message().find("word/document.xml"), std::string::npos);

  auto bad_xml = parse_docx_article(make_zip({{"word/document.xml", "<w:document><w:body>"}}), "x.docx");
  ASSERT_FALSE(bad_xml.ok());
  EXPECT_NE(bad_xml.status().message().find("XML"), std::string::npos);
}

TEST(DocxArticle, ZipBombIsRefusedWithoutExpandingIt) {
  // 100 MB of blanks compresses to ~100 KB; the document part limit is 64 MB.
  const std::string bomb = make_zip({{"word/document.xml", std::string(100u << 20, ' ')}});
  ASSERT_LT(bomb.size(), 1u << 20);
  auto r = parse_docx_article(bomb, "bomb.docx");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("limit"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("bomb.docx"), std::string::npos);
}

TEST(DocxArticle, ParseArticleFileDispatchesByExtension) {
  kho::testing::TempDir dir;
  kho::testing::write_file(dir.path() / "bai.docx", fixture());
  auto r = parse_article_file((dir.path() / "bai.docx").string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->articles.at(0).refs.size(), 3u);
  kho::testing::write_file(dir.path() / "old.doc", "whatever");
  auto d = parse_article_file((dir.path() / "old.doc").string());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("unsupported"), std::string::npos);
  EXPECT_EQ(resolve_embedded_ref((dir.path() / "bai.docx").string(), "word/media/image1.jpg"),
            (dir.path() / "bai.docx").string() + "#word/media/image1.jpg");
}

}  // namespace
}  // namespace kho::ingest
