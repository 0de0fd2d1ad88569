// More .txt layouts (issue 11): a date line with a category and a view counter, a byline under the date,
// captions placed by blank lines, page chrome before the title, a title twice, and the usual variants.
// Whole real-looking articles per layout are in tests/data/articles-text (test_ingest_article_corpus.cc).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ingest/src/article_parser_internal.h"
#include "kho/ingest/article_parser.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

TEST(ArticleLayouts, DateLineWithCategoryAndViewCounter) {
  EXPECT_EQ(parse_date_line("Thời sự | Thứ Hai, 06/09/2022 - 06:57 | Lượt xem: 9.3k"), "2022-09-06T06:57:00");
  EXPECT_EQ(parse_date_line("06/09/2022 | Lượt xem: 1.234"), "2022-09-06");
  EXPECT_EQ(parse_date_line("Xã hội | 18/11/2020"), "2020-11-18");
  // Still not a date line: a sentence, even with a bar in it.
  EXPECT_EQ(parse_date_line("Ngày 06/09/2022 đoàn đã đến thăm | Lượt xem: 9"), std::nullopt);
  // The known form with the time after a bar keeps working.
  EXPECT_EQ(parse_date_line("Thứ 4, 22.12.2021 | 20:42:03"), "2021-12-22T20:42:03");

  const std::string text =
      "Khai mạc hội chợ xuân\n"
      "Kinh tế | Thứ Hai, 06/09/2022 - 06:57 | Lượt xem: 9.3k\n"
      "Sáng nay hội chợ xuân khai mạc tại quảng trường trung tâm thành phố.\n"
      "khai mac.jpg\n"
      "Cắt băng khai mạc hội chợ.\n"
      "Minh Anh\n";
  auto r = parse_articles(text, "a.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  EXPECT_EQ(r->articles[0].title, "Khai mạc hội chợ xuân");
  EXPECT_EQ(r->articles[0].date, "2022-09-06T06:57:00");
  ASSERT_EQ(r->articles[0].refs.size(), 1u);
  EXPECT_EQ(r->articles[0].refs[0].caption, "Cắt băng khai mạc hội chợ.");
}

TEST(ArticleLayouts, BylineDirectlyUnderTheDate) {
  const std::string text =
      "Khai mạc hội chợ xuân\n"
      "Ngày 06/09/2022\n"
      "Minh Anh\n"
      "Sáng nay hội chợ xuân khai mạc tại quảng trường trung tâm thành phố, với hàng trăm gian hàng.\n"
      "khai mac.jpg\n"
      "Cắt băng khai mạc hội chợ.\n"
      "Hội chợ kéo dài đến hết tuần với nhiều hoạt động văn hóa, văn nghệ đặc sắc và ẩm thực.\n";
  auto r = parse_articles(text, "b.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  const Article& a = r->articles[0];
  EXPECT_EQ(a.author, "Minh Anh");
  ASSERT_EQ(a.refs.size(), 1u);
  EXPECT_EQ(a.refs[0].caption, "Cắt băng khai mạc hội chợ.");
  for (const ArticleBlock& b : a.blocks) EXPECT_NE(b.text, "Minh Anh");
}

TEST(ArticleLayouts, ParagraphAfterAGroupRunIsBodyAndATitleTwiceIsOneTitle) {
  const std::string text =
      "Khai mạc hội chợ xuân\n"
      "Khai mạc hội chợ xuân\n"
      "Ngày 06/09/2022\n"
      "Sáng nay hội chợ xuân khai mạc tại quảng trường trung tâm thành phố, với hàng trăm gian hàng.\n"
      "Một số hình ảnh tại hội chợ:\n"
      "a1.jpg\n"
      "a2.jpg\n"
      "a3.jpg\n"
      "Hội chợ kéo dài đến hết tuần với nhiều hoạt động văn hóa.\n"
      "Minh Anh (Báo Mẫu)\n";
  auto r = parse_articles(text, "g.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  const Article& a = r->articles[0];
  EXPECT_EQ(a.title, "Khai mạc hội chợ xuân");
  EXPECT_EQ(a.date, "2022-09-06");
  EXPECT_EQ(a.author, "Minh Anh (Báo Mẫu)");
  ASSERT_EQ(a.refs.size(), 3u);
  for (const PhotoRef& p : a.refs) {
    EXPECT_EQ(p.caption, std::nullopt) << p.ref;
    EXPECT_EQ(p.group_caption, "Một số hình ảnh tại hội chợ:") << p.ref;
  }
  bool body = false;
  for (const ArticleBlock& b : a.blocks) body |= b.text == "Hội chợ kéo dài đến hết tuần với nhiều hoạt động văn hóa.";
  EXPECT_TRUE(body);
}

// The blocks of an article that are text (paragraphs and group captions).
std::vector<std::string> texts(const Article& a) {
  std::vector<std::string> out;
  for (const ArticleBlock& b : a.blocks) {
    if (b.kind != ArticleBlock::Kind::kPhoto) out.push_back(b.text);
  }
  return out;
}

Article one_article(const std::string& text, const char* name) {
  auto r = parse_articles(text, name);
  EXPECT_TRUE(r.ok()) << r.status().message();
  if (!r.ok() || r->articles.size() != 1) {
    ADD_FAILURE() << name << ": " << (r.ok() ? r->articles.size() : 0) << " articles";
    return {};
  }
  return r->articles[0];
}

TEST(ArticleLayouts, SplitLinesKeepsTheBlankLineStructure) {
  std::vector<bool> blank;
  const auto lines = detail::split_lines("a\nb\n\nc\r\n\u00A0\u00A0\r\nd\re\r\r\nf", &blank);
  ASSERT_EQ(lines, (std::vector<std::string_view>{"a", "b", "c", "d", "e", "f"}));
  // Start of text, glued, blank, NBSP-only line = blank, a lone CR glues, CR CR LF (CRLF translated twice)
  // is one line break; the end of the text counts as blank.
  EXPECT_EQ(blank, (std::vector<bool>{true, false, true, true, false, false, true}));
}

// The paragraph after each photo is one short sentence: alone, the vote takes it as the caption.
TEST(ArticleLayouts, CaptionAboveItsPhotoByBlankLines) {
  const std::string nb = "\u00A0\u00A0";
  const std::string text =
      "Khai mạc Lễ hội Hoa Ban\n\nNgày 02/12/2026\n\n"
      "Tối 1/12, tại quảng trường 7/5, Ủy ban nhân dân tỉnh khai mạc lễ hội.\n\n"
      "Phó Chủ tịch UBND tỉnh đánh trống khai mạc.\n" +
      nb +
      "trong.JPG\n\n"
      "Lễ hội kéo dài 4 ngày.\n\n"
      "Múa xòe của đội văn nghệ huyện Tuần Giáo.\n" +
      nb +
      "xoe.jpg\n\n"
      "Lễ hội khép lại vào tối 4/12.\n";
  const Article a = one_article(text, "above.txt");
  ASSERT_EQ(a.refs.size(), 2u);
  EXPECT_EQ(a.refs[0].caption, "Phó Chủ tịch UBND tỉnh đánh trống khai mạc.");
  EXPECT_EQ(a.refs[1].caption, "Múa xòe của đội văn nghệ huyện Tuần Giáo.");
  const auto body = texts(a);
  EXPECT_NE(std::find(body.begin(), body.end(), "Lễ hội kéo dài 4 ngày."), body.end());
  EXPECT_NE(std::find(body.begin(), body.end(), "Lễ hội khép lại vào tối 4/12."), body.end());
  // The same article without blank lines: the vote (after) stays.
  std::string flat;
  for (char c : text) {
    if (c != '\n' || flat.empty() || flat.back() != '\n') flat.push_back(c);
  }
  const Article f = one_article(flat, "flat.txt");
  ASSERT_EQ(f.refs.size(), 2u);
  EXPECT_EQ(f.refs[0].caption, "Lễ hội kéo dài 4 ngày.");
  EXPECT_EQ(f.refs[1].caption, "Lễ hội khép lại vào tối 4/12.");
}

// Captions glued below their photos, CRLF line ends, NBSP indents; the short line before each photo (after a
// blank line) stays body text.
TEST(ArticleLayouts, CaptionBelowItsPhotoByBlankLinesAndCrlf) {
  const std::string text =
      "Thông xe cầu Nậm Rốm 2\r\n\r\nThứ Tư, 02/12/2026 - 08:15\r\n\r\n"
      "Cây cầu nối hai bờ sông.\r\n\r\n\u00A0cau.jpg\r\nToàn cảnh cầu nhìn từ trên cao.\r\n(Ảnh: Minh Đức)\r\n\r\n"
      "Theo chủ đầu tư, cầu được thiết kế với tải trọng lớn. Hai đầu cầu đã được lắp đèn. Cây xanh đã trồng xong.\r\n"
      "\r\nNgười dân phấn khởi.\r\n\r\n\u00A0dan.png\r\nNgười dân đi qua cầu.\r\n\r\n"
      "Dự kiến năm 2027 tỉnh khởi công thêm hai cầu. Nguồn vốn từ ngân sách tỉnh. Công trình sẽ xong năm 2029.\r\n";
  const Article a = one_article(text, "below.txt");
  EXPECT_EQ(a.date, "2026-12-02T08:15:00");
  ASSERT_EQ(a.refs.size(), 2u);
  EXPECT_EQ(a.refs[0].caption, "Toàn cảnh cầu nhìn từ trên cao.");
  EXPECT_EQ(a.refs[0].credit, "Minh Đức");
  EXPECT_EQ(a.refs[1].caption, "Người dân đi qua cầu.");
  const auto body = texts(a);
  EXPECT_NE(std::find(body.begin(), body.end(), "Người dân phấn khởi."), body.end());
}

TEST(ArticleLayouts, MixedSidesAndPairsThatTellNothing) {
  const std::string text =
      "Ngày hội Đại đoàn kết\n\nCập nhật: 18/11/2026 16:40\n\nChiều 17/11, bản Phiêng Lơi tổ chức ngày hội.\n\n"
      "Lãnh đạo huyện tặng quà.\ntang qua.jpg\n\n"  // above
      "Các đại biểu xem văn nghệ.\n\n"
      "van nghe.jpg\nThanh niên bản múa.\n\n"                          // below
      "Trước giờ khai mạc.\nbong da.jpg\nĐội bóng xã Thanh Minh.\n\n"  // three lines glued: the vote (after)
      "Kết thúc ngày hội.\n";
  const Article a = one_article(text, "mixed.txt");
  ASSERT_EQ(a.refs.size(), 3u);
  EXPECT_EQ(a.refs[0].caption, "Lãnh đạo huyện tặng quà.");
  EXPECT_EQ(a.refs[1].caption, "Thanh niên bản múa.");
  EXPECT_EQ(a.refs[2].caption, "Đội bóng xã Thanh Minh.");
  const auto body = texts(a);
  EXPECT_NE(std::find(body.begin(), body.end(), "Các đại biểu xem văn nghệ."), body.end());
  EXPECT_NE(std::find(body.begin(), body.end(), "Trước giờ khai mạc."), body.end());
}

TEST(ArticleLayouts, PageChromeIsRecognised) {
  using detail::Chrome;
  using detail::page_chrome;
  EXPECT_EQ(page_chrome("Quảng cáo"), Chrome::kAdSlot);
  EXPECT_EQ(page_chrome("QUẢNG CÁO"), Chrome::kAdSlot);
  EXPECT_EQ(page_chrome("ads-top"), Chrome::kAdSlot);
  EXPECT_EQ(page_chrome("banner_300x250"), Chrome::kAdSlot);
  EXPECT_EQ(page_chrome("div-gpt-ad-1234567"), Chrome::kAdSlot);
  EXPECT_EQ(page_chrome("Trang chủ | Thời sự | Kinh tế | Văn hóa"), Chrome::kMenu);
  EXPECT_EQ(page_chrome("Trang chủ | Liên hệ"), Chrome::kMenu);
  EXPECT_EQ(page_chrome("Giới thiệu\tTin tức\tHoạt động\tLiên hệ"), Chrome::kMenu);
  EXPECT_EQ(page_chrome("Trang chủ > Văn hóa > Lễ hội hoa ban năm nay"), Chrome::kBreadcrumb);
  EXPECT_EQ(page_chrome("Trang chủ / Tin tức"), Chrome::kBreadcrumb);
  EXPECT_EQ(page_chrome("Home » Thời sự"), Chrome::kBreadcrumb);
  EXPECT_EQ(detail::breadcrumb_tail("Trang chủ > Văn hóa > Lễ hội hoa ban"), "Lễ hội hoa ban");
  // Not chrome: article text, a date line with a category and counter, photo names, a title with a bar.
  EXPECT_EQ(page_chrome("Thời sự | Thứ Hai, 06/09/2022 - 06:57 | Lượt xem: 9.3k"), Chrome::kNone);
  EXPECT_EQ(page_chrome("Lễ hội hoa ban | Điện Biên"), Chrome::kNone);
  EXPECT_EQ(page_chrome("Covid-19"), Chrome::kNone);
  EXPECT_EQ(page_chrome("quang-cao_ads.jpg"), Chrome::kNone);
  EXPECT_EQ(page_chrome("Nhiệt độ ngoài trời > 40 độ C"), Chrome::kNone);
  EXPECT_EQ(page_chrome("Quảng cáo sản phẩm OCOP của tỉnh tại hội chợ."), Chrome::kNone);
  EXPECT_TRUE(detail::is_clock_line("08:15 | Thứ Tư, 02/12/2026"));
  EXPECT_FALSE(detail::is_clock_line("Thứ Tư, 02/12/2026 - 08:15"));
  EXPECT_FALSE(detail::is_clock_line("Thứ 4, 22.12.2021 | 20:42:03"));
}

TEST(ArticleLayouts, PageChromeBeforeTheTitleIsNeverText) {
  const std::vector<std::string> chrome = {"08:15 | Thứ Tư, 02/12/2026",
                                           "Trang chủ | Thời sự | Kinh tế | Văn hóa",
                                           "ads-top",
                                           "Quảng cáo",
                                           "banner_300x250",
                                           "Trang chủ > Văn hóa > Phục dựng lễ cúng bản"};
  std::string text;
  for (const std::string& c : chrome) text += c + "\n";
  text +=
      "Phục dựng lễ cúng bản\nThứ Ba, 01/12/2026 - 15:30\nQuảng cáo\n"
      "Ngày 30/11, Bảo tàng tỉnh phục dựng lễ cúng bản của đồng bào Thái trắng.\nle cung.jpg\nQuảng cáo\n"
      "Thầy mo thực hiện nghi lễ.\nLễ cúng bản tổ chức hằng năm vào đầu mùa khô.\nads-bottom\nMai Phương\n"
      "Trang chủ | Giới thiệu | Liên hệ\n";
  const Article a = one_article(text, "chrome.txt");
  EXPECT_EQ(a.title, "Phục dựng lễ cúng bản");
  EXPECT_EQ(a.date, "2026-12-01T15:30:00");
  EXPECT_EQ(a.author, "Mai Phương");
  ASSERT_EQ(a.refs.size(), 1u);
  EXPECT_EQ(a.refs[0].caption, "Thầy mo thực hiện nghi lễ.");
  for (const std::string& t : texts(a)) {
    for (const std::string& c : chrome) EXPECT_NE(t, c);
    EXPECT_NE(t, "Quảng cáo");
    EXPECT_NE(t, "ads-bottom");
  }
  EXPECT_EQ(texts(a).size(), 2u);
}

TEST(ArticleLayouts, BreadcrumbThatEndsInTheTitle) {
  // The breadcrumb is the only place the title is printed, right above the date.
  const Article a = one_article(
      "Trang chủ / Tin tức\nTrang chủ » Tin tức sự kiện » Hội nghị tổng kết công tác dân tộc\n"
      "Thứ Sáu, 27/11/2026 | 09:00\nSáng 27/11, Ban Dân tộc tỉnh tổng kết công tác năm.\nhn.jpg\nQuang cảnh hội "
      "nghị.\n",
      "crumb.txt");
  EXPECT_EQ(a.title, "Hội nghị tổng kết công tác dân tộc");
  EXPECT_EQ(a.date, "2026-11-27T09:00:00");
  // No date anywhere: the breadcrumb still gives the title when a sentence follows it.
  const Article b = one_article(
      "Trang chủ > Tin tức > Hội nghị tổng kết công tác dân tộc\nSáng 27/11, Ban Dân tộc tỉnh tổng kết công tác năm.\n"
      "hn.jpg\nQuang cảnh hội nghị.\n",
      "crumb2.txt");
  EXPECT_EQ(b.title, "Hội nghị tổng kết công tác dân tộc");
  EXPECT_EQ(b.date, std::nullopt);
  ASSERT_EQ(b.refs.size(), 1u);
  EXPECT_EQ(b.refs[0].caption, "Quang cảnh hội nghị.");
  // Breadcrumb and heading: one title, and the breadcrumb is no body text.
  const Article c = one_article(
      "Trang chủ > Tin tức > Hội nghị tổng kết công tác dân tộc\nHội nghị tổng kết công tác dân tộc\n"
      "Sáng 27/11, Ban Dân tộc tỉnh tổng kết công tác năm.\nhn.jpg\nQuang cảnh hội nghị.\n",
      "crumb3.txt");
  EXPECT_EQ(c.title, "Hội nghị tổng kết công tác dân tộc");
  EXPECT_EQ(texts(c), (std::vector<std::string>{"Sáng 27/11, Ban Dân tộc tỉnh tổng kết công tác năm."}));
}

TEST(ArticleLayouts, ClockAboveATitleWithoutDateIsNotTheDate) {
  const Article a = one_article(
      "09:42 | Thứ Năm, 03/12/2026\nTuyên truyền phòng chống cháy rừng\n"
      "Hạt Kiểm lâm huyện tuyên truyền phòng chống cháy rừng tới từng thôn, bản.\nkl.jpg\nCán bộ kiểm lâm tuyên "
      "truyền.\n",
      "clock.txt");
  EXPECT_EQ(a.title, "Tuyên truyền phòng chống cháy rừng");
  EXPECT_EQ(a.date, std::nullopt);
  // A date line (date first) above the title still dates it.
  const Article b = one_article(
      "Thứ Năm, 03/12/2026 - 09:42\nTuyên truyền phòng chống cháy rừng\n"
      "Hạt Kiểm lâm huyện tuyên truyền phòng chống cháy rừng tới từng thôn, bản.\nkl.jpg\nCán bộ kiểm lâm tuyên "
      "truyền.\n",
      "above.txt");
  EXPECT_EQ(b.date, "2026-12-03T09:42:00");
}

TEST(ArticleLayouts, TitlePrintedTwiceWithoutADate) {
  const Article a = one_article(
      "Học sinh vùng cao đến trường trong giá rét\nHỌC SINH VÙNG CAO ĐẾN TRƯỜNG TRONG GIÁ RÉT\n"
      "Nhiệt độ xuống dưới 10 độ C, học sinh vẫn đến trường đầy đủ.\nhs.jpg\nCác em sưởi ấm trước giờ học.\n",
      "twice.txt");
  EXPECT_EQ(a.title, "Học sinh vùng cao đến trường trong giá rét");
  EXPECT_EQ(texts(a), (std::vector<std::string>{"Nhiệt độ xuống dưới 10 độ C, học sinh vẫn đến trường đầy đủ."}));
}

TEST(ArticleLayouts, DateForms) {
  EXPECT_EQ(parse_date_line("Thứ Tư, 02/12/2026 - 08:15"), "2026-12-02T08:15:00");
  EXPECT_EQ(parse_date_line("02/12/2026 08:15:00"), "2026-12-02T08:15:00");
  EXPECT_EQ(parse_date_line("2 tháng 12, 2026"), "2026-12-02");
  EXPECT_EQ(parse_date_line("Thứ Tư, ngày 2 tháng 12 năm 2026"), "2026-12-02");
  EXPECT_EQ(parse_date_line("02 tháng 12 2026 08:15"), "2026-12-02T08:15:00");
  EXPECT_EQ(parse_date_line("Cập nhật: 02/12/2026 08:15"), "2026-12-02T08:15:00");
  EXPECT_EQ(parse_date_line("Cập nhật lúc 08:15 ngày 02/12/2026"), "2026-12-02T08:15:00");
  EXPECT_EQ(parse_date_line("Thời gian đăng: 02/12/2026"), "2026-12-02");
  EXPECT_EQ(parse_date_line("02/12/2026 08:15 SA"), "2026-12-02T08:15:00");
  EXPECT_EQ(parse_date_line("2/12/2026 3:05:00 CH"), "2026-12-02T15:05:00");
  EXPECT_EQ(parse_date_line("Ngày 2 tháng 12, 2026 đoàn đến thăm"), std::nullopt);
}

TEST(ArticleLayouts, CreditLinesAndCaptionsWithAnAnhLabel) {
  EXPECT_EQ(detail::credit_line("Ảnh: Thu Hiền"), "Thu Hiền");
  EXPECT_EQ(detail::credit_line("(Ảnh: Minh Anh - Hoàng Long)"), "Minh Anh - Hoàng Long");
  EXPECT_EQ(detail::credit_line("Ảnh: Minh Anh (TTXVN)"), "Minh Anh (TTXVN)");
  EXPECT_EQ(detail::credit_line("Ảnh: tư liệu"), "tư liệu");
  EXPECT_EQ(detail::credit_line("Ảnh: nhân vật cung cấp"), "nhân vật cung cấp");
  EXPECT_EQ(detail::credit_line("Ảnh: Bệnh viện cung cấp"), "Bệnh viện cung cấp");
  EXPECT_EQ(detail::credit_line("Nguồn ảnh: Báo Điện Biên Phủ"), "Báo Điện Biên Phủ");
  EXPECT_EQ(detail::credit_line("Ảnh: minh họa"), std::nullopt);
  EXPECT_EQ(detail::credit_line("Ảnh: Đoàn công tác thăm hỏi gia đình chính sách"), std::nullopt);
  EXPECT_EQ(detail::trailing_credit("Quang cảnh hội nghị (Ảnh minh họa)"), std::nullopt);

  const Article a = one_article(
      "Hội thi nấu ăn\nNgày 20/11/2026\nCông đoàn trường tổ chức hội thi nấu ăn.\n"
      "1.jpg\nẢnh: Các đội thi trang trí món ăn.\n2.JPEG\nẢnh: Hà Linh\n3.png\nẢnh minh họa\n"
      "4.jpg\n(Ban giám khảo chấm điểm)\nKết quả, tổ Toán đoạt giải nhất.\nNhóm PV\n",
      "variants.txt");
  ASSERT_EQ(a.refs.size(), 4u);
  EXPECT_EQ(a.refs[0].caption, "Ảnh: Các đội thi trang trí món ăn.");
  EXPECT_EQ(a.refs[0].credit, std::nullopt);
  EXPECT_EQ(a.refs[1].caption, std::nullopt);
  EXPECT_EQ(a.refs[1].credit, "Hà Linh");
  EXPECT_EQ(a.refs[2].caption, "Ảnh minh họa");
  EXPECT_EQ(a.refs[2].credit, std::nullopt);
  EXPECT_EQ(a.refs[3].caption, "(Ban giám khảo chấm điểm)");
  EXPECT_EQ(a.author, "Nhóm PV");
}

TEST(ArticleLayouts, ShareBarsAndTheListAfterTheArticleAreNotText) {
  EXPECT_EQ(detail::page_chrome("Chia sẻ"), detail::Chrome::kShareBar);
  EXPECT_EQ(detail::page_chrome("Facebook | Zalo | Email"), detail::Chrome::kShareBar);
  EXPECT_EQ(detail::page_chrome("Lượt xem: 1.234"), detail::Chrome::kShareBar);
  EXPECT_EQ(detail::page_chrome("Theo dõi Báo Điện Biên Phủ trên Google News"), detail::Chrome::kShareBar);
  EXPECT_EQ(detail::page_chrome("In bài"), detail::Chrome::kShareBar);
  EXPECT_EQ(detail::page_chrome("Chia sẻ kinh nghiệm trồng lúa"), detail::Chrome::kNone);
  EXPECT_EQ(detail::page_chrome("Bình luận"), detail::Chrome::kNone);  // a list heading: it ends the article
  EXPECT_TRUE(detail::is_related_heading("Tin liên quan:"));
  EXPECT_TRUE(detail::is_related_heading("BÀI VIẾT LIÊN QUAN"));
  EXPECT_FALSE(detail::is_related_heading("Tin liên quan đến vụ việc đã được gửi tới cơ quan chức năng."));
  EXPECT_FALSE(detail::looks_like_author("Theo dõi Báo Điện Biên Phủ trên Google News"));
  EXPECT_TRUE(detail::looks_like_author("(Theo TTXVN)"));

  const Article a = one_article(
      "Khai mạc hội chợ xuân\nThứ Hai, 30/11/2026 - 14:02\nChia sẻ\nFacebook | Zalo | Email\n"
      "Sáng nay hội chợ xuân khai mạc tại quảng trường trung tâm thành phố.\nkhai mac.jpg\nCắt băng khai mạc.\n"
      "Hội chợ kéo dài đến hết tuần.\nMinh Anh\nTheo dõi Báo Mẫu trên Google News\nTin liên quan\n"
      "Khai mạc lễ hội hoa ban\nGiải bóng chuyền công nhân viên chức\nHội thi nấu ăn ngon\n",
      "share.txt");
  EXPECT_EQ(a.author, "Minh Anh");
  ASSERT_EQ(a.refs.size(), 1u);
  EXPECT_EQ(a.refs[0].caption, "Cắt băng khai mạc.");
  EXPECT_EQ(texts(a), (std::vector<std::string>{"Sáng nay hội chợ xuân khai mạc tại quảng trường trung tâm thành phố.",
                                                "Hội chợ kéo dài đến hết tuần."}));
}

TEST(ArticleLayouts, SiteNameOverTheClockIsNoArticle) {
  auto r = parse_articles(
      "Báo Điện Biên Phủ điện tử\nThứ Tư, 02/12/2026\nĐăng nhập | Đăng ký\n"
      "Mùa vàng trên ruộng bậc thang\nCập nhật lúc: 07:45, 02/12/2026\n"
      "(BĐP) - Những ngày này, ruộng bậc thang ở Mường Nhé vào mùa lúa chín, thu hút đông đảo du khách.\n"
      "ruong.JPG\nRuộng bậc thang xã Chung Chải mùa lúa chín. Ảnh: Hoàng Châu\nThu Hằng\n",
      "site.txt");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->articles.size(), 1u);
  const Article& a = r->articles[0];
  EXPECT_EQ(a.title, "Mùa vàng trên ruộng bậc thang");
  EXPECT_EQ(a.date, "2026-12-02T07:45:00");
  EXPECT_EQ(a.author, "Thu Hằng");
  ASSERT_EQ(a.refs.size(), 1u);
  EXPECT_EQ(a.refs[0].credit, "Hoàng Châu");  // "… . Ảnh: X" at the end of the caption
  EXPECT_EQ(detail::trailing_credit("Người dân thu hoạch lúa - Ảnh: TTXVN"), "TTXVN");
  EXPECT_EQ(detail::trailing_credit("Ảnh: Quang cảnh hội nghị"), std::nullopt);
  EXPECT_EQ(detail::trailing_credit("Quang cảnh. Ảnh: đoàn công tác thăm hỏi các gia đình chính sách"), std::nullopt);
}

TEST(ArticleLayouts, NumberedCaptionLabelsTellTheSide) {
  EXPECT_EQ(detail::caption_number("Ảnh 2: Ban chấp hành ra mắt"), 2);
  EXPECT_EQ(detail::caption_number("Hình 13 - Quang cảnh"), 13);
  EXPECT_EQ(detail::caption_number("Ảnh: Quang cảnh"), 0);
  EXPECT_EQ(detail::caption_number("Ảnh 2026 đẹp"), 0);
  // Caption above, no blank lines, the last photo followed by a long paragraph: the labels decide.
  const Article a = one_article(
      "Đại hội Đoàn xã nhiệm kỳ 2026 - 2031\n02/12/2026 08:15\nNgày 1/12, Đoàn xã Thanh Hưng tổ chức Đại hội.\n"
      "Ảnh 1: Quang cảnh đại hội\ndai hoi 1.jpg\nẢnh 2: Ban chấp hành khóa mới ra mắt đại hội\ndai hoi 2.jpg\n"
      "Đại hội đã bầu Ban chấp hành gồm 15 đồng chí. Đồng chí Lò Văn A được bầu làm Bí thư. Đại hội thông qua "
      "nghị quyết.\nBan Biên tập\n",
      "numbered.txt");
  ASSERT_EQ(a.refs.size(), 2u);
  EXPECT_EQ(a.refs[0].caption, "Ảnh 1: Quang cảnh đại hội");
  EXPECT_EQ(a.refs[1].caption, "Ảnh 2: Ban chấp hành khóa mới ra mắt đại hội");
  EXPECT_EQ(a.author, "Ban Biên tập");
}

}  // namespace
}  // namespace kho::ingest
