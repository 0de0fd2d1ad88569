// The article parser: the seed (acceptance), each date form, each layout rule, encodings, copies.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kho/ingest/article_parser.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

const char* const kGroup =
    "Một số hình ảnh đoàn công tác thăm phòng truyền thống "
    "Thành uỷ và bộ phận một cửa UBND thành phố.";

std::string seed_bytes() {
  return kho::testing::read_file(kho::testing::test_data_dir() / "articles" / "seed_thanh_hoa.txt");
}

ParseResult parse_ok(const std::string& text) {
  auto r = parse_articles(text, "test.txt");
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? std::move(r).value() : ParseResult{};
}

void expect_seed_article(const kho::Article& a) {
  EXPECT_EQ(a.title, "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA");
  ASSERT_TRUE(a.date);
  EXPECT_EQ(a.date->substr(0, 10), "2020-11-18");
  ASSERT_TRUE(a.author);
  EXPECT_NE(a.author->find("Thu Hiền"), std::string::npos);
  EXPECT_EQ(a.copies, 2u);
  const std::vector<std::string> refs = {"ảnh anh xuân tiếp và làm việc với sơn la.jpg",
                                         "toanf cảnh sơn la làm việc tại điện biên.jpg",
                                         "tặng sơn la tranh.jpg",
                                         "thăm bộ phân một cửa.jpg",
                                         "tham bộ phận một cửa.jpg",
                                         "phòng truyền thống 2.jpg",
                                         "thăm phòng truyền thống.jpg",
                                         "tham phòng truyền thống 1.jpg"};
  ASSERT_EQ(a.refs.size(), refs.size());
  for (std::size_t i = 0; i < refs.size(); ++i) EXPECT_EQ(a.refs[i].ref, refs[i]) << i;
  ASSERT_TRUE(a.refs[0].caption);
  EXPECT_EQ(a.refs[0].caption->rfind("Đồng chí Lê Anh Xuân – ", 0), 0u);
  ASSERT_TRUE(a.refs[1].caption);
  EXPECT_EQ(a.refs[1].caption->rfind("Toàn cảnh đoàn công tác ", 0), 0u);
  ASSERT_TRUE(a.refs[2].caption);
  EXPECT_EQ(a.refs[2].caption->rfind("Lãnh đạo thành phố Thanh Hoá tặng ", 0), 0u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_FALSE(a.refs[i].group_caption) << i;
  for (std::size_t i = 3; i < 8; ++i) {
    EXPECT_FALSE(a.refs[i].caption) << i;
    EXPECT_EQ(a.refs[i].group_caption.value_or(""), kGroup) << i;
  }
  // The body keeps its paragraphs; the captions and the author are not paragraphs.
  std::size_t paragraphs = 0;
  for (const auto& b : a.blocks) {
    if (b.kind != kho::ArticleBlock::Kind::kParagraph) continue;
    ++paragraphs;
    EXPECT_NE(b.text, *a.refs[0].caption);
    EXPECT_NE(b.text, *a.author);
  }
  EXPECT_EQ(paragraphs, 4u);
}

TEST(ArticleParser, SeedIsOneArticleWithTwoCopies) {
  const ParseResult r = parse_ok(seed_bytes());
  ASSERT_EQ(r.articles.size(), 1u);
  expect_seed_article(r.articles[0]);
  // The copy with "(GMT+7)" gives the zone.
  EXPECT_EQ(r.articles[0].date.value_or(""), "2020-11-18T00:00:00+07:00");
  EXPECT_EQ(r.articles[0].sources, std::vector<std::string>{"test.txt"});
  EXPECT_EQ(r.articles[0].id, article_id(r.articles[0].title, r.articles[0].date));
  EXPECT_TRUE(r.articles[0].event_id.empty());
}

TEST(ArticleParser, SeedFromSharedDirParsesTheSame) {
  const auto shared = kho::testing::shared_dir();
  if (!shared) GTEST_SKIP() << "../shared is not beside the checkout";
  auto r = parse_article_file((*shared / "seed" / "000_b3632f37396194da.txt").string());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->articles.size(), 1u);
  expect_seed_article(r->articles[0]);
}

TEST(ArticleParser, SeedSurvivesCrlfBomAndNfd) {
  std::string text = seed_bytes();
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  for (const std::string& variant : {crlf, kho::to_nfd(text)}) {
    const ParseResult r = parse_ok(variant);
    ASSERT_EQ(r.articles.size(), 1u);
    expect_seed_article(r.articles[0]);
    EXPECT_TRUE(kho::is_valid_utf8(r.articles[0].title));
    EXPECT_EQ(r.articles[0].title, kho::to_nfc(r.articles[0].title));
  }
}

TEST(ArticleParser, ArticleIdIgnoresCaseMarksAndTime) {
  EXPECT_EQ(article_id("Thanh Hóa", std::string("2020-11-18T00:00:00")),
            article_id("THANH HOA", std::string("2020-11-18T00:00:00+07:00")));
  EXPECT_NE(article_id("Thanh Hóa", std::string("2020-11-18")),
            article_id("Thanh Hóa", std::string("2020-11-19")));
  EXPECT_EQ(article_id("x", std::nullopt).size(), 16u);
}

struct DateCase {
  const char* line;
  const char* iso;
};

TEST(DateParse, EveryFormOfTheIssue) {
  const DateCase cases[] = {
      {"Ngày 18/11/2020 00:00:00", "2020-11-18T00:00:00"},
      {"Đăng lúc: 18/11/2020 00:00:00 (GMT+7)", "2020-11-18T00:00:00+07:00"},
      {"Thứ Tư, 18/11/2020 - 09:15", "2020-11-18T09:15:00"},
      {"18-11-2020", "2020-11-18"},
      {"Thứ 4, 22.12.2021 | 20:42:03", "2021-12-22T20:42:03"},
      {"06:57 | 06/09/2022 GMT+7", "2022-09-06T06:57:00+07:00"},
      {"Ngày đăng: 06:03 AM, 29/03/2018", "2018-03-29T06:03:00"},
      {"Ngày đăng: 06:03 PM, 29/03/2018", "2018-03-29T18:03:00"},
      {"Đăng ngày 11 - 11 - 2023", "2023-11-11"},
      {"Chủ nhật, 5/1/2020", "2020-01-05"},
      {"Thứ Tư, 18/11/2020 – 09:15 (GMT+07:00)", "2020-11-18T09:15:00+07:00"},
      {"2020-11-18 09:15", "2020-11-18T09:15:00"},
      {"Thứ Năm, ngày 19 tháng 11 năm 2020", "2020-11-19"},
      {"Cập nhật: 09h15, 18/11/2020", "2020-11-18T09:15:00"},
  };
  for (const DateCase& c : cases) {
    const auto d = parse_date_line(c.line);
    ASSERT_TRUE(d) << c.line;
    EXPECT_EQ(*d, c.iso) << c.line;
  }
  // NFD spelling of the label words changes nothing.
  EXPECT_EQ(parse_date_line(kho::to_nfd("Đăng lúc: 18/11/2020 00:00:00 (GMT+7)")).value_or(""),
            "2020-11-18T00:00:00+07:00");
}

TEST(DateParse, SentencesAndImpossibleDatesAreNotDates) {
  const char* not_dates[] = {
      "Sáng 18/11/2020, Đoàn công tác của tỉnh Sơn La đến thăm",
      "Nghị quyết 41-NQ/ĐU ngày 01/2/2018",
      "31/02/2020",
      "18/13/2020",
      "Ngày 18/11/2020 25:00",
      "15/11/1945 – 15/11/2020",  // two dates: a span in the body
      "2020",
      "",
      "ảnh 18-11-2020.jpg",
  };
  for (const char* line : not_dates) EXPECT_FALSE(parse_date_line(line)) << line;
}

TEST(PhotoLine, ExtensionsAnyCaseAndNotSentences) {
  for (const char* yes :
       {"a.jpg", "ẢNH 1.JPG", "x.jpeg", "x.Png", "x.gif", "x.webp", "x.HEIC", "x.tif", "x.tiff"}) {
    EXPECT_TRUE(is_photo_line(yes)) << yes;
  }
  for (const char* no : {"a.txt", ".jpg", "jpg", "x.jpg.", "Xem ảnh tại đây", "báo cáo.pdf", "abc.jpgx"}) {
    EXPECT_FALSE(is_photo_line(no)) << no;
  }
}

TEST(ArticleParser, PhotoLinesIndentedWithNoBreakSpaces) {
  const ParseResult r =
      parse_ok("Tiêu đề\n18-11-2020\n\xC2\xA0\xC2\xA0 \tảnh một.JPG  \xC2\xA0\nChú thích một\n");
  ASSERT_EQ(r.articles.size(), 1u);
  ASSERT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_EQ(r.articles[0].refs[0].ref, "ảnh một.JPG");
  EXPECT_EQ(r.articles[0].refs[0].caption.value_or(""), "Chú thích một");
}

TEST(ArticleParser, CaptionBeforePhotoLayout) {
  auto r = parse_article_file((kho::testing::test_data_dir() / "articles" / "caption_before.txt").string());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->articles.size(), 1u);
  const kho::Article& a = r->articles[0];
  EXPECT_EQ(a.title, "Lễ hội hoa ban Điện Biên năm 2023");  // BOM gone
  EXPECT_EQ(a.date.value_or(""), "2021-12-22T20:42:03");
  EXPECT_EQ(a.author.value_or(""), "Theo Báo Điện Biên Phủ");
  ASSERT_EQ(a.refs.size(), 2u);
  EXPECT_EQ(a.refs[0].ref, "khai mac.JPG");
  EXPECT_EQ(a.refs[0].caption.value_or(""), "Các đại biểu bấm nút khai mạc lễ hội");
  EXPECT_EQ(a.refs[0].credit.value_or(""), "Minh Hùng");
  EXPECT_EQ(a.refs[1].caption.value_or(""), "Màn múa xoè của đồng bào Thái");
}

TEST(ArticleParser, LongParagraphAfterPhotoIsNotACaption) {
  const std::string para =
      "Đây là đoạn văn thứ nhất. Nó có nhiều câu. "
      "Câu thứ ba kết thúc đoạn văn này và không phải chú thích.";
  const ParseResult r = parse_ok("Tiêu đề\n18-11-2020\n" + para + "\nanh.jpg\n" + para + "\nPV\n");
  ASSERT_EQ(r.articles.size(), 1u);
  ASSERT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_FALSE(r.articles[0].refs[0].caption);
  EXPECT_EQ(r.articles[0].author.value_or(""), "PV");
}

TEST(ArticleParser, PhotoFollowedByPhotoHasNoCaption) {
  const ParseResult r =
      parse_ok("Tiêu đề\n18-11-2020\na.jpg\nb.jpg\nChú thích của b\nNguồn: Báo Thanh Hóa\n");
  ASSERT_EQ(r.articles[0].refs.size(), 2u);
  EXPECT_FALSE(r.articles[0].refs[0].caption);
  EXPECT_EQ(r.articles[0].refs[1].caption.value_or(""), "Chú thích của b");
  EXPECT_EQ(r.articles[0].author.value_or(""), "Nguồn: Báo Thanh Hóa");
}

TEST(ArticleParser, GroupCaptionEndingInColon) {
  const ParseResult r = parse_ok(
      "Tiêu đề\n18-11-2020\nMở đầu bài viết.\nCác đại biểu dự hội nghị:\na.jpg\nb.jpg\n"
      "Đoạn kết thúc bài viết, dài hơn một chút. Có hai câu. Và ba câu nữa là đoạn văn.\n"
      "c.jpg\nChú thích c\nTheo TTXVN\n");
  const kho::Article& a = r.articles[0];
  ASSERT_EQ(a.refs.size(), 3u);
  EXPECT_EQ(a.refs[0].group_caption.value_or(""), "Các đại biểu dự hội nghị:");
  EXPECT_EQ(a.refs[1].group_caption.value_or(""), "Các đại biểu dự hội nghị:");
  EXPECT_FALSE(a.refs[2].group_caption);  // the paragraph ended the group
  EXPECT_EQ(a.refs[2].caption.value_or(""), "Chú thích c");
  // Blocks keep the published order: paragraph, group caption, photo, photo, paragraph, photo.
  ASSERT_EQ(a.blocks.size(), 6u);
  EXPECT_EQ(a.blocks[1].kind, kho::ArticleBlock::Kind::kGroupCaption);
  EXPECT_EQ(a.blocks[2].kind, kho::ArticleBlock::Kind::kPhoto);
  EXPECT_EQ(a.blocks[5].ref_index, 2u);
}

TEST(ArticleParser, LongParagraphOpeningWithHinhAnhIsNotAGroupCaption) {
  const std::string para =
      "Hình ảnh này cho thấy quy mô của lễ hội. Hàng nghìn người đã đến dự. "
      "Ban tổ chức cho biết sẽ tổ chức hằng năm.";
  const ParseResult r = parse_ok("Tiêu đề\n18-11-2020\n" + para + "\na.jpg\nChú thích a\nPV\n");
  ASSERT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_FALSE(r.articles[0].refs[0].group_caption);
  EXPECT_EQ(r.articles[0].refs[0].caption.value_or(""), "Chú thích a");
}

TEST(ArticleParser, GroupCaptionCoversOnlyPhotosWithoutTheirOwn) {
  const ParseResult r = parse_ok(
      "Tiêu đề\n18-11-2020\nMột số hình ảnh tại lễ hội\n"
      "a.jpg\nb.jpg\nRiêng ảnh b\nc.jpg\nPV\n");
  const kho::Article& a = r.articles[0];
  ASSERT_EQ(a.refs.size(), 3u);
  EXPECT_EQ(a.refs[0].group_caption.value_or(""), "Một số hình ảnh tại lễ hội");
  EXPECT_FALSE(a.refs[1].group_caption);
  EXPECT_EQ(a.refs[1].caption.value_or(""), "Riêng ảnh b");
  EXPECT_EQ(a.refs[2].group_caption.value_or(""), "Một số hình ảnh tại lễ hội");
}

TEST(ArticleParser, AuthorLineIsNeverACaption) {
  const ParseResult r = parse_ok("Tiêu đề\n18-11-2020\nMở đầu.\ncuoi.jpg\nMinh Anh - Hoàng Long\n");
  ASSERT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_FALSE(r.articles[0].refs[0].caption);
  EXPECT_EQ(r.articles[0].author.value_or(""), "Minh Anh - Hoàng Long");
}

TEST(ArticleParser, DateInsideBodyOrPageClockIsNotTheDate) {
  const ParseResult r = parse_ok(
      "09:15 | 19/11/2020\nTiêu đề bài\nNgày 18/11/2020 07:30\nSáng 17/11/2020, có sự "
      "kiện.\n20/11/2020\na.jpg\nPV\n");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title, "Tiêu đề bài");
  EXPECT_EQ(r.articles[0].date.value_or(""), "2020-11-18T07:30:00");
}

TEST(ArticleParser, DateLineAboveTheTitle) {
  const ParseResult r =
      parse_ok("Thứ Tư, 18/11/2020 - 09:15\nTiêu đề bài\nĐoạn mở đầu.\nanh.png\nChú thích\nPV\n");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title, "Tiêu đề bài");
  EXPECT_EQ(r.articles[0].date.value_or(""), "2020-11-18T09:15:00");
  EXPECT_EQ(r.articles[0].refs.at(0).caption.value_or(""), "Chú thích");
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
}

TEST(ArticleParser, ArticleWithoutDateStillParses) {
  const ParseResult r = parse_ok("Một bài không có ngày\nĐoạn mở đầu.\nanh.png\nChú thích\n");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_FALSE(r.articles[0].date);
  EXPECT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_FALSE(r.warnings.empty());
}

TEST(ArticleParser, SeveralDifferentArticlesInOneFile) {
  const ParseResult r = parse_ok(
      "Bài thứ nhất\n18-11-2020\nNội dung một.\na.jpg\nChú thích a\nPV\n"
      "Bài thứ hai\n19-11-2020\nNội dung hai.\nb.jpg\nChú thích b\nTheo VnExpress\n"
      "Bài thứ nhất\nĐăng lúc: 18/11/2020 00:00:00 (GMT+7)\nNội dung một.\na.jpg\nChú thích a\nPV\n");
  ASSERT_EQ(r.articles.size(), 2u);
  EXPECT_EQ(r.articles[0].title, "Bài thứ nhất");
  EXPECT_EQ(r.articles[0].copies, 2u);
  EXPECT_EQ(r.articles[1].title, "Bài thứ hai");
  EXPECT_EQ(r.articles[1].copies, 1u);
  EXPECT_EQ(r.articles[1].refs[0].caption.value_or(""), "Chú thích b");
  EXPECT_EQ(r.articles[1].author.value_or(""), "Theo VnExpress");
  EXPECT_NE(r.articles[0].id, r.articles[1].id);
}

TEST(ArticleParser, SameTitleOnAnotherDayIsAnotherArticle) {
  const ParseResult r = parse_ok("Tin nhanh\n18-11-2020\nMột.\nPV\nTin nhanh\n19-11-2020\nHai.\nPV\n");
  ASSERT_EQ(r.articles.size(), 2u);
}

TEST(ArticleParser, CreditUnderTheLastPhotoIsNotTheAuthor) {
  const ParseResult r = parse_ok(
      "Tiêu đề\n18-11-2020\nMở đầu bài viết dài.\n"
      "cuoi.jpg\nẢnh: Minh Hùng\n");
  ASSERT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_EQ(r.articles[0].refs[0].credit.value_or(""), "Minh Hùng");
  EXPECT_FALSE(r.articles[0].author);
}

TEST(ArticleParser, TrailingCreditInCaption) {
  const ParseResult r = parse_ok("Tiêu đề\n18-11-2020\na.jpg\nĐại biểu dự lễ (Ảnh: Hà Anh)\nPV\n");
  ASSERT_EQ(r.articles[0].refs.size(), 1u);
  EXPECT_EQ(r.articles[0].refs[0].caption.value_or(""), "Đại biểu dự lễ (Ảnh: Hà Anh)");
  EXPECT_EQ(r.articles[0].refs[0].credit.value_or(""), "Hà Anh");
}

}  // namespace
}  // namespace kho::ingest
