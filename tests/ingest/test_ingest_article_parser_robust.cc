// Bad input never crashes the article parser: empty, binary, invalid UTF-8, UTF-16, a 20 MB line,
// no photos, unreadable files, and random mutations of the seed.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "kho/ingest/article_parser.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

std::string seed_bytes() {
  return kho::testing::read_file(kho::testing::test_data_dir() / "articles" / "seed_thanh_hoa.txt");
}

bool mentions(const std::vector<std::string>& warnings, const std::string& word) {
  for (const auto& w : warnings) {
    if (w.find(word) != std::string::npos) return true;
  }
  return false;
}

TEST(ArticleParserRobust, EmptyAndBlankFiles) {
  for (const std::string& text :
       {std::string(), std::string("\xEF\xBB\xBF"), std::string("\n\r\n \xC2\xA0\n")}) {
    auto r = parse_articles(text, "empty.txt");
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->articles.empty());
    ASSERT_FALSE(r->warnings.empty());
    EXPECT_NE(r->warnings[0].find("empty.txt"), std::string::npos);
  }
}

TEST(ArticleParserRobust, BinaryGarbageIsRefusedWithTheName) {
  std::mt19937 rng(7);
  std::string junk(4096, '\0');
  for (char& c : junk) c = static_cast<char>(rng() & 0xFF);
  auto r = parse_articles(junk, "photo.jpg");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_invalid_argument());
  EXPECT_NE(r.status().message().find("photo.jpg"), std::string::npos);
  EXPECT_NE(r.status().message().find("binary"), std::string::npos);
}

TEST(ArticleParserRobust, InvalidUtf8IsReplacedAndWarned) {
  const std::string text = "Ti\xFF\xC3u đề\n18-11-2020\nNội dung \xE1\xBA.\na\xC0.jpg\nChú thích\n";
  auto r = parse_articles(text, "bad.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_TRUE(mentions(r->warnings, "UTF-8"));
  EXPECT_TRUE(kho::is_valid_utf8(r->articles[0].title));
  EXPECT_EQ(r->articles[0].title, "Ti\uFFFD\uFFFDu đề");
  ASSERT_EQ(r->articles[0].refs.size(), 1u);
  EXPECT_EQ(r->articles[0].refs[0].ref, "a\uFFFD.jpg");
}

TEST(ArticleParserRobust, Utf16WithBomIsDecoded) {
  const std::string utf8 = "Tiêu đề\n18-11-2020\nảnh.jpg\nChú thích\n";
  std::string utf16 = "\xFF\xFE";
  // Every character here is in the BMP: encode each code point as one little-endian unit.
  std::u32string cps;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    char32_t cp = 0;
    std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : 3;
    cp = n == 1 ? b : n == 2 ? (b & 0x1F) : (b & 0x0F);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    utf16.push_back(static_cast<char>(cp & 0xFF));
    utf16.push_back(static_cast<char>(cp >> 8));
    i += n;
  }
  auto r = parse_articles(utf16, "utf16.txt");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_EQ(r->articles[0].title, "Tiêu đề");
  EXPECT_EQ(r->articles[0].refs.at(0).caption.value_or(""), "Chú thích");
}

TEST(ArticleParserRobust, TwentyMegabyteSingleLine) {
  std::string line;
  line.reserve(20u << 20);
  const std::string word = "Thanh Hóa ";
  while (line.size() < (20u << 20)) line += word;
  auto r = parse_articles(line, "huge.txt");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->articles.empty());
  EXPECT_TRUE(mentions(r->warnings, "huge.txt"));
}

TEST(ArticleParserRobust, HugeBodyLineInsideAnArticle) {
  const std::string text = "Tiêu đề\n18-11-2020\n" + std::string(5u << 20, 'x') + "\na.jpg\nChú thích\nPV\n";
  auto r = parse_articles(text, "big.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_EQ(r->articles[0].refs.at(0).caption.value_or(""), "Chú thích");
}

TEST(ArticleParserRobust, ArticleWithNoPhotos) {
  auto r = parse_articles("Thông báo\nNgày 18/11/2020 00:00:00\nChỉ có chữ.\nPV\n", "text.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_TRUE(r->articles[0].refs.empty());
  EXPECT_TRUE(mentions(r->warnings, "no photo"));
}

TEST(ArticleParserRobust, UnreadableFilesNameThePath) {
  kho::testing::TempDir dir;
  auto missing = parse_article_file((dir / "missing.txt").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().is_not_found());
  EXPECT_NE(missing.status().message().find("missing.txt"), std::string::npos);
  auto folder = parse_article_file(dir.path().string());
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find(dir.path().string()), std::string::npos);
}

// Random byte edits, deletions, duplicated slices and line shuffles of the seed: the parser returns
// a result or a clear error, its text is valid UTF-8, and every photo block points at a reference.
TEST(ArticleParserRobust, FuzzMutationsOfTheSeed) {
  const std::string seed = seed_bytes();
  std::mt19937 rng(20201118);
  for (int round = 0; round < 400; ++round) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 24);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0:
          s[at] = static_cast<char>(rng() & 0xFF);
          break;
        case 1:
          s.erase(at, 1 + rng() % 64);
          break;
        case 2:
          s.insert(at, s.substr(rng() % s.size(), rng() % 200));
          break;
        case 3:
          s.insert(at, 1, "\n\r\xC2\xA0:.()"[rng() % 8]);
          break;
        default:
          s.insert(at, ".jpg\n");
          break;
      }
    }
    auto r = parse_articles(s, "fuzz.txt");
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("fuzz.txt"), std::string::npos);
      continue;
    }
    for (const auto& a : r->articles) {
      EXPECT_TRUE(kho::is_valid_utf8(a.title));
      EXPECT_GE(a.copies, 1u);
      for (const auto& ref : a.refs) EXPECT_TRUE(kho::is_valid_utf8(ref.ref));
      for (const auto& b : a.blocks) {
        if (b.kind == kho::ArticleBlock::Kind::kPhoto) {
          EXPECT_LT(b.ref_index, a.refs.size());
        }
      }
    }
  }
}

}  // namespace
}  // namespace kho::ingest
