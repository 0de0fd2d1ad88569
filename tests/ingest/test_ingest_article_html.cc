// The HTML reader's rules, one small page each, and its behaviour on bad input.
#include <gtest/gtest.h>

#include <iconv.h>

#include <string>

#include "ingest/src/article_html_internal.h"
#include "kho/ingest/article_parser.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

std::string page(const std::string& body, const std::string& head = "<meta charset=\"utf-8\">") {
  return "<!DOCTYPE html><html><head>" + head + "<title>Tiêu đề bài - Báo Mẫu</title></head><body>" +
         "<nav class=\"menu\"><img src=\"/logo.png\" alt=\"Báo Mẫu\"><a href=\"/\">Trang chủ</a></nav>" +
         "<h1 class=\"title\">Tiêu đề bài</h1><div class=\"date\">Thứ hai, 06/09/2022 - 06:57</div>" +
         "<div class=\"article-content\">" + body + "</div>" +
         "<div class=\"related\"><a href=\"/bai-khac.html\"><img src=\"/thumb/khac.jpg\"></a>"
         "<a href=\"/bai-khac.html\">Tin liên quan khác rất dài để có chữ</a></div></body></html>";
}

const std::string kPara =
    "<p>Đoàn công tác đã đến thăm và làm việc tại tỉnh, trao đổi kinh nghiệm về nhiều nội dung, "
    "trong đó có công tác tuyên truyền, chuyển đổi số, phát triển du lịch cộng đồng.</p>";

Article parse_one(const std::string& html) {
  auto r = parse_html_article(html, "t.html");
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok() || r->articles.size() != 1) {
    ADD_FAILURE() << "no article";
    return {};
  }
  return r->articles[0];
}

TEST(HtmlArticle, TitleDateAndChromeLeftOut) {
  const Article a = parse_one(page(kPara +
                                   "<figure><img src=\"a.jpg\"><figcaption>Đoàn thăm nhà máy. "
                                   "(Ảnh: Thu Hiền)</figcaption></figure>" +
                                   kPara));
  EXPECT_EQ(a.title, "Tiêu đề bài");
  EXPECT_EQ(a.date, "2022-09-06T06:57:00");
  ASSERT_EQ(a.refs.size(), 1u);  // no logo, no related thumbnail
  EXPECT_EQ(a.refs[0].ref, "a.jpg");
  EXPECT_EQ(a.refs[0].caption, "Đoàn thăm nhà máy. (Ảnh: Thu Hiền)");
  EXPECT_EQ(a.refs[0].credit, "Thu Hiền");
  EXPECT_FALSE(a.refs[0].caption_weak);
}

TEST(HtmlArticle, LazySourcesAndEntities) {
  const Article a = parse_one(
      page(kPara +
           "<figure><img src=\"data:image/gif;base64,R0lGOD\" data-src=\"https://x.vn/a.jpg?w=1&amp;h=2\">"
           "<figcaption>Một</figcaption></figure>" +
           kPara +
           "<figure><img src=\"data:image/gif;base64,R0lGOD\" data-original=\"https://x.vn/b.jpg\">"
           "<figcaption>Hai</figcaption></figure>" +
           kPara +
           "<figure><img srcset=\"https://x.vn/c.jpg 1x, https://x.vn/c2.jpg 2x\">"
           "<figcaption>Ba</figcaption></figure>"));
  ASSERT_EQ(a.refs.size(), 3u);
  EXPECT_EQ(a.refs[0].ref, "https://x.vn/a.jpg?w=1&h=2");
  EXPECT_EQ(a.refs[1].ref, "https://x.vn/b.jpg");
  EXPECT_EQ(a.refs[2].ref, "https://x.vn/c.jpg");
  // A saved page's local copy wins over the remote data-src.
  const Article saved = parse_one(page(kPara + "<figure><img src=\"bai_files/a.jpg\" data-src=\"https://x.vn/a.jpg\">"
                                               "<figcaption>Một</figcaption></figure>"));
  ASSERT_EQ(saved.refs.size(), 1u);
  EXPECT_EQ(saved.refs[0].ref, "bai_files/a.jpg");
}

TEST(HtmlArticle, CaptionElementTableRowAndItalicParagraph) {
  const Article a = parse_one(page(
      kPara +
      "<div type=\"Photo\"><div><img src=\"1.jpg\"></div><div class=\"PhotoCMS_Caption\">Chú thích một</div></div>" +
      kPara + "<table class=\"image\"><tr><td><img src=\"2.jpg\"></td></tr><tr><td>Chú thích hai</td></tr></table>" +
      kPara + "<p><img src=\"3.jpg\"></p><p><em>Chú thích ba. Ảnh: PV</em></p>" + kPara +
      "<p><img src=\"4.jpg\"></p><p style=\"text-align:center\">Chú thích bốn</p>" + kPara +
      "<p><img src=\"5.jpg\" alt=\"Ảnh chụp quang cảnh buổi lễ\"></p>" + kPara));
  ASSERT_EQ(a.refs.size(), 5u);
  EXPECT_EQ(a.refs[0].caption, "Chú thích một");
  EXPECT_EQ(a.refs[1].caption, "Chú thích hai");
  EXPECT_EQ(a.refs[2].caption, "Chú thích ba. Ảnh: PV");
  EXPECT_EQ(a.refs[2].credit, "PV");
  EXPECT_EQ(a.refs[3].caption, "Chú thích bốn");
  EXPECT_EQ(a.refs[4].caption, "Ảnh chụp quang cảnh buổi lễ");  // alt, marked weaker
  EXPECT_TRUE(a.refs[4].caption_weak);
  // Captions are not body paragraphs.
  for (const ArticleBlock& b : a.blocks) EXPECT_EQ(b.text.find("Chú thích"), std::string::npos) << b.text;
}

TEST(HtmlArticle, RunOfImagesSharesTheCaptionAfterIt) {
  const Article a = parse_one(page(kPara +
                                   "<p><img src=\"1.jpg\"></p><p><img src=\"2.jpg\"></p>"
                                   "<p><em>Quang cảnh buổi lễ</em></p>" +
                                   kPara));
  ASSERT_EQ(a.refs.size(), 2u);
  EXPECT_EQ(a.refs[0].caption, "Quang cảnh buổi lễ");
  EXPECT_EQ(a.refs[1].caption, "Quang cảnh buổi lễ");
}

TEST(HtmlArticle, GroupLeadBeforeARunOfImages) {
  const Article a = parse_one(page(kPara +
                                   "<p>Một số hình ảnh tại buổi lễ:</p><p><img src=\"1.jpg\"></p>"
                                   "<p><img src=\"2.jpg\"></p>" +
                                   kPara));
  ASSERT_EQ(a.refs.size(), 2u);
  for (const PhotoRef& r : a.refs) {
    EXPECT_EQ(r.group_caption, "Một số hình ảnh tại buổi lễ:") << r.ref;
    EXPECT_EQ(r.caption, std::nullopt) << r.ref;
  }
  bool as_group = false;
  for (const ArticleBlock& b : a.blocks) {
    EXPECT_NE(b.kind == ArticleBlock::Kind::kParagraph && b.text == "Một số hình ảnh tại buổi lễ:", true);
    as_group |= b.kind == ArticleBlock::Kind::kGroupCaption;
  }
  EXPECT_TRUE(as_group);
}

TEST(HtmlArticle, ClosingBylineEndsThePhotosAndIsTheAuthor) {
  const Article a = parse_one(page(kPara + "<figure><img src=\"1.jpg\"><figcaption>Một</figcaption></figure>" + kPara +
                                   "<p style=\"text-align:right\"><strong>Thảo Trần</strong></p>"
                                   "<div><img src=\"promo.gif\"></div>"));
  EXPECT_EQ(a.author, "Thảo Trần");
  ASSERT_EQ(a.refs.size(), 1u);
}

TEST(HtmlArticle, Charsets) {
  // Windows-1258 declared: converted by iconv, then NFC (CP1258 writes tones as combining marks).
  const std::string utf8 = page(kPara + "<figure><img src=\"a.jpg\"><figcaption>Thăm nhà máy</figcaption></figure>",
                                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">");
  iconv_t cd = iconv_open("CP1258", "UTF-8");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  iconv_close(cd);
  // glibc's CP1258 encoder splits each toned letter into base + combining tone, as Windows does.
  auto enc = [](const std::string& s) {
    std::string nfd = s;
    iconv_t c = iconv_open("CP1258", "UTF-8");
    std::string out(nfd.size() * 2, '\0');
    char* in = nfd.data();
    std::size_t il = nfd.size(), ol = out.size();
    char* o = out.data();
    iconv(c, &in, &il, &o, &ol);
    iconv_close(c);
    out.resize(out.size() - ol);
    return out;
  };
  const std::string cp1258 = enc(utf8);
  ASSERT_FALSE(kho::is_valid_utf8(cp1258));
  const Article a = parse_one(cp1258);
  EXPECT_EQ(a.title, "Tiêu đề bài");
  ASSERT_EQ(a.refs.size(), 1u);
  EXPECT_EQ(a.refs[0].caption, "Thăm nhà máy");

  // A declaration the bytes contradict: UTF-8 wins, with a warning.
  auto wrong = parse_html_article(page(kPara, "<meta charset=\"iso-8859-1\">"), "w.html");
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->articles.at(0).title, "Tiêu đề bài");
  ASSERT_FALSE(wrong->warnings.empty());
  EXPECT_NE(wrong->warnings[0].find("UTF-8"), std::string::npos);

  // An encoding nobody can convert: a clear error naming it.
  auto unknown = parse_html_article(enc(page(kPara, "<meta charset=\"x-vn-mystery\">")), "u.html");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("x-vn-mystery"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("u.html"), std::string::npos);
}

TEST(HtmlArticle, HostileInputGivesAnErrorOrAnArticleNeverACrash) {
  // 10,000 nested elements.
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "<div>";
  deep += "<img src=\"x.jpg\">";
  auto r = parse_html_article(page(kPara + deep + kPara), "deep.html");
  EXPECT_TRUE(r.ok());
  // Over the size limit: refused, naming the file and the limit.
  std::string big(detail::kMaxHtmlBytes + 1, ' ');
  auto b = parse_html_article(big, "big.html");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("big.html"), std::string::npos);
  EXPECT_NE(b.status().message().find("MB"), std::string::npos);
  // Binary, empty, no title.
  EXPECT_FALSE(parse_html_article(std::string("\x89PNG\r\n\x1a\n\0\0\0", 12), "p.html").ok());
  auto empty = parse_html_article("", "e.html");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->articles.empty());
  EXPECT_FALSE(empty->warnings.empty());
}

TEST(HtmlArticle, Helpers) {
  EXPECT_EQ(detail::normalize_iso_date("2026-03-07T08:52:11.000 +07:00"), "2026-03-07T08:52:11+07:00");
  EXPECT_EQ(detail::normalize_iso_date("2022-01-25"), "2022-01-25");
  EXPECT_EQ(detail::normalize_iso_date("1/21/2022 8:12:40 AM"), std::nullopt);
  EXPECT_EQ(detail::caption_credit("Ảnh minh hoạ - Ảnh: Reuters."), "Reuters");
  EXPECT_EQ(detail::caption_credit("Một xe tăng T-90 (Ảnh: Sputnik)."), "Sputnik");
  EXPECT_EQ(detail::caption_credit("Ảnh minh họa"), std::nullopt);
  EXPECT_EQ(detail::clean_byline("Bình Minh - "), "Bình Minh");
  EXPECT_EQ(detail::clean_byline("Hà Thu (tổng hợp)"), "Hà Thu");
  EXPECT_EQ(detail::clean_byline("Theo Forbes"), "Forbes");
  EXPECT_EQ(detail::clean_byline("https://www.facebook.com/x"), std::nullopt);
  EXPECT_EQ(detail::declared_charset("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Windows-1258\">"),
            "windows-1258");
}

// A DOCTYPE after the page's first tag is dropped before parsing (the parser ignores it anyway; gumbo 0.10.1 leaks
// one inside a <noscript> in the head, which the sanitizer pass would report here); the leading one stays.
TEST(HtmlArticle, LateDoctypesAreLeftOutBeforeParsing) {
  EXPECT_EQ(detail::drop_late_doctypes("<!-- saved --> \n<!DOCTYPE html><html><noscript><!doctype x \"a>b\">"
                                       "</noscript><p>text</p><!DOCTYPE"),
            "<!-- saved --> \n<!DOCTYPE html><html><noscript>b\"></noscript><p>text</p>");
  EXPECT_EQ(detail::drop_late_doctypes("text <!DOCTYPE html><p>a</p>"), "text <p>a</p>");
  EXPECT_EQ(detail::drop_late_doctypes("<p>no doctype</p>"), "<p>no doctype</p>");
  // The fuzzer's page: parsed without a leak, no article in it.
  auto r = parse_html_article("<noscript><!DOCTYPE", "leak.html");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->articles.empty());
  const Article a = parse_one(
      "<html><head><noscript><!DOCTYPE html></noscript><title>T</title></head><body><h1>Tiêu đề</h1>"
      "<p>Đoạn một của bài viết, đủ dài để là một đoạn văn thật sự trong bài báo.</p></body></html>");
  EXPECT_EQ(a.title, "Tiêu đề");
}

TEST(HtmlArticle, ScriptAndStyleBodiesAreLeftOutBeforeParsing) {
  const std::string in =
      "<head><SCRIPT type=\"text/javascript\">var a = '<p>not text</p>'; if (a<b) {}</SCRIPT>"
      "<style media=\"x>y\">p { color: red }</style>"
      "<script type=\"application/ld+json\">{\"datePublished\": \"2022-01-25\"}</script>"
      "<!-- <script>kept inside a comment</script> --><scripts>not a script tag</scripts>"
      "<script>unclosed";
  EXPECT_EQ(detail::drop_script_bodies(in),
            "<head><SCRIPT type=\"text/javascript\"></SCRIPT><style media=\"x>y\"></style>"
            "<script type=\"application/ld+json\">{\"datePublished\": \"2022-01-25\"}</script>"
            "<!-- <script>kept inside a comment</script> --><scripts>not a script tag</scripts>"
            "<script>unclosed");
  // The JSON-LD date still reaches the article.
  const Article a = parse_one(
      "<html><head><script>var x = 1;</script><script type=\"application/ld+json\">"
      "{\"datePublished\": \"2022-01-25T06:00:00+07:00\"}</script></head><body>"
      "<h1>Tiêu đề bài</h1><div class=\"content\">" +
      kPara + "</div></body></html>");
  EXPECT_EQ(a.date, "2022-01-25T06:00:00+07:00");
}

TEST(HtmlArticle, FileFormatsByExtension) {
  EXPECT_EQ(article_format("a/b.HTM"), ArticleFormat::kHtml);
  EXPECT_EQ(article_format("b.html"), ArticleFormat::kHtml);
  EXPECT_EQ(article_format("b.docx"), ArticleFormat::kDocx);
  EXPECT_EQ(article_format("b.txt"), ArticleFormat::kText);
  EXPECT_EQ(article_format("b.doc"), ArticleFormat::kUnsupported);
}

TEST(HtmlArticle, FiftyMegabytePageFromDiskIsAClearErrorAndTheNextFileParses) {
  kho::testing::TempDir dir;
  // A real article, then 50 MB of markup (a page that inlines everything).
  std::string big = page(kPara + "<figure><img src=\"a.jpg\"><figcaption>Thăm nhà máy</figcaption></figure>");
  const std::string row = "<div class=\"x\"><span>chữ</span></div>\n";
  big.reserve(50u << 20);
  while (big.size() < (50u << 20)) big += row;
  kho::testing::write_file(dir.path() / "big.html", big);
  kho::testing::write_file(dir.path() / "ok.html", page(kPara));
  auto r = parse_article_file((dir.path() / "big.html").string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("big.html"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("MB"), std::string::npos) << r.status().message();
  auto ok = parse_article_file((dir.path() / "ok.html").string());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->articles.at(0).title, "Tiêu đề bài");
}

}  // namespace
}  // namespace kho::ingest
