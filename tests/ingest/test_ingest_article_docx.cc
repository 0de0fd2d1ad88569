// The DOCX reader: the python-docx fixture (tests/data/docx/make_docx.py) and hostile zips.
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdint>
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

// A zip whose one part, word/document.xml, expands to 1 GiB of blanks: a deflate stream written bit by bit
// (fixed Huffman codes: one literal, then back-references of 258 bytes at distance 1, 13 bits each), so
// the test never holds the gigabyte. `declared` is the expanded size the headers claim.
std::string gigabyte_bomb(std::uint32_t declared) {
  std::string data;
  std::uint32_t acc = 0;
  int nbits = 0;
  auto put = [&](std::uint32_t value, int count) {  // LSB first
    acc |= value << nbits;
    nbits += count;
    while (nbits >= 8) {
      data.push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      nbits -= 8;
    }
  };
  auto huff = [&](std::uint32_t code, int len) {  // Huffman codes go MSB first
    for (int i = len - 1; i >= 0; --i) put((code >> i) & 1u, 1);
  };
  constexpr std::uint64_t kSize = 1ull << 30;
  put(1, 1);  // BFINAL
  put(1, 2);  // BTYPE = 01, fixed codes
  std::uint64_t out = 0;
  while (out < kSize && (kSize - out) % 258 != 0) {
    huff(0x30 + ' ', 8);  // literal ' '
    ++out;
  }
  for (; out < kSize; out += 258) {
    huff(0xC5, 8);  // length code 285 = 258 bytes
    huff(0, 5);     // distance code 0 = 1 byte back
  }
  huff(0, 7);  // end of block
  if (nbits > 0) put(0, 8 - nbits);

  const std::string name = "word/document.xml";
  std::string z;
  auto u16 = [&](std::uint32_t v) {
    z.push_back(static_cast<char>(v & 0xFF));
    z.push_back(static_cast<char>((v >> 8) & 0xFF));
  };
  auto u32 = [&](std::uint32_t v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  };
  const auto csize = static_cast<std::uint32_t>(data.size());
  u32(0x04034b50), u16(20), u16(0), u16(8), u16(0), u16(0x21), u32(0), u32(csize), u32(declared);
  u16(static_cast<std::uint32_t>(name.size())), u16(0);
  z += name;
  z += data;
  const auto cd = static_cast<std::uint32_t>(z.size());
  u32(0x02014b50), u16(20), u16(20), u16(0), u16(8), u16(0), u16(0x21), u32(0), u32(csize), u32(declared);
  u16(static_cast<std::uint32_t>(name.size())), u16(0), u16(0), u16(0), u16(0), u32(0), u32(0);
  z += name;
  const auto cd_size = static_cast<std::uint32_t>(z.size()) - cd;
  u32(0x06054b50), u16(0), u16(0), u16(1), u16(1), u32(cd_size), u32(cd), u16(0);
  return z;
}

TEST(DocxArticle, GigabyteZipBombIsAClearErrorEvenWhenItsSizeLies) {
  // Honest headers: refused by the declared size, before inflating anything.
  const std::string honest = gigabyte_bomb(1u << 30);
  ASSERT_LT(honest.size(), 8u << 20);
  auto r = parse_docx_article(honest, "bomb-1g.docx");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bomb-1g.docx"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("limit"), std::string::npos) << r.status().message();
  // Headers that claim 4 KB: the read stops at the bound (or at libzip's size check), never at 1 GB.
  auto lying = parse_docx_article(gigabyte_bomb(4096), "bomb-lies.docx");
  ASSERT_FALSE(lying.ok());
  EXPECT_NE(lying.status().message().find("bomb-lies.docx"), std::string::npos) << lying.status().message();
  // The same bytes in a folder with a good article: ingest reports the bomb and goes on (see
  // test_app_parse_formats.cc for `kho parse`); here, the good file still parses after the bad one.
  EXPECT_TRUE(parse_docx_article(fixture(), "bai.docx").ok());
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
