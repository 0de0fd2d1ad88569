// More .txt layouts (issue 11): a date line with a category and a view counter.
#include <gtest/gtest.h>

#include <string>

#include "kho/ingest/article_parser.h"

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

}  // namespace
}  // namespace kho::ingest
