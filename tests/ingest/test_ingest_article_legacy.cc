// Article exports in legacy Vietnamese encodings (issue 17 item 8): converted, with their date and links,
// or refused with the encoding named, never turned into U+FFFD silently.
#include <gtest/gtest.h>

#include <string>

#include "kho/ingest/article_parser.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

std::string fixture(const std::string& name) {
  return kho::testing::read_file(kho::testing::test_data_dir() / "text" / "legacy" / name);
}

bool mentions(const std::vector<std::string>& v, const std::string& what) {
  for (const auto& s : v) {
    if (s.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(ArticleLegacy, EachEncodingParsesLikeTheUtf8Export) {
  auto want = parse_articles(fixture("article.utf8.txt"), "utf8.txt");
  ASSERT_TRUE(want.ok());
  ASSERT_EQ(want->articles.size(), 1u);
  const Article& w = want->articles[0];
  ASSERT_EQ(w.date, "2020-11-18");
  ASSERT_EQ(w.refs.size(), 1u);
  for (const char* f : {"article.cp1258.txt", "article.vni.txt", "article.tcvn3.txt"}) {
    auto r = parse_articles(fixture(f), f);
    ASSERT_TRUE(r.ok()) << f << ": " << r.status().message();
    ASSERT_EQ(r->articles.size(), 1u) << f;
    const Article& a = r->articles[0];
    EXPECT_EQ(a.date, w.date) << f;
    EXPECT_EQ(kho::search_key(a.title), kho::search_key(w.title)) << f;  // TCVN3 has no toned capitals
    ASSERT_EQ(a.refs.size(), 1u) << f;
    EXPECT_EQ(a.refs[0].ref, w.refs[0].ref) << f;
    ASSERT_TRUE(a.refs[0].caption.has_value()) << f;
    if (std::string(f) == "article.tcvn3.txt") {
      EXPECT_EQ(kho::fold_case(*a.refs[0].caption), kho::fold_case(*w.refs[0].caption)) << f;
    } else {
      EXPECT_EQ(a.refs[0].caption, w.refs[0].caption) << f;
    }
    EXPECT_EQ(a.author, w.author) << f;
    EXPECT_TRUE(mentions(r->warnings, "read as")) << f;
    EXPECT_FALSE(mentions(r->warnings, "U+FFFD")) << f;
  }
}

TEST(ArticleLegacy, UncertainLegacyBytesAreRefusedWithTheEncodingNamed) {
  // High bytes that no Vietnamese table reads as syllables: refused, naming the likeliest encoding.
  const std::string mixed = "Ti\x8Au \x9F\x83\n18/11/2020\n\x90\x8D\x81 \x9D\x8F\x80 \x8E\x9E\x84 \x88\x89\n";
  auto r = parse_articles(mixed, "mixed.txt");
  ASSERT_FALSE(r.ok()) << (r.ok() && !r->articles.empty() ? r->articles[0].title : "") << " "
                       << (r.ok() && !r->warnings.empty() ? r->warnings[0] : "");
  EXPECT_NE(r.status().message().find("mixed.txt"), std::string::npos);
  EXPECT_NE(r.status().message().find("legacy Vietnamese encoding"), std::string::npos) << r.status().message();
}

TEST(ArticleLegacy, HtmlWithoutCharsetInTcvn3) {
  const std::string body = fixture("article.tcvn3.txt");
  std::string html = "<html><head><title>x</title></head><body><h1>";
  html += body.substr(0, body.find('\n'));
  html += "</h1><div class=\"content\"><p>" + body.substr(body.find('\n') + 1) + "</p></div></body></html>";
  auto r = parse_html_article(html, "old.html");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_EQ(kho::search_key(r->articles[0].title),
            "doan cong tac tinh son la tham va lam viec tai thanh pho thanh hoa");
  EXPECT_TRUE(mentions(r->warnings, "TCVN3"));
}

}  // namespace
}  // namespace kho::ingest
