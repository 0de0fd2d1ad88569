// Private pieces of the article parser (kho/ingest/article_parser.h), shared by its .cc files:
// line classification (article_parser_lines.cc) and the layout of one article (article_parser_layout.cc).
// All functions take NFC, valid UTF-8 lines that are already trimmed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/model.h"
#include "kho/status.h"

namespace kho::ingest::detail {

// Removes spaces from both ends: ASCII blanks, no-break space, BOM/zero-width space, the Unicode spaces
// U+2000–U+200A, U+202F, U+205F, U+3000.
std::string_view trim(std::string_view s);

// Splits on \n, \r\n, \r\r\n (a CRLF translated twice) and lone \r; each line trimmed; blank lines dropped.
// With `blank_before`, keeps the blank-line structure: (*blank_before)[i] says whether a blank line (one
// that is empty after trim(), e.g. only NBSPs) or the start of the text comes right before line i, and one
// more entry at the end says the text ends after the last line (always true).
std::vector<std::string_view> split_lines(std::string_view text, std::vector<bool>* blank_before = nullptr);

std::size_t count_code_points(std::string_view s);

// "Ảnh: Thu Hiền", "(Ảnh: …)", "Photo: …": a photo credit line. Returns the credit text.
std::optional<std::string> credit_line(std::string_view line);
// A credit at the end of a caption: "… (Ảnh: Thu Hiền)" or "… lúa chín. Ảnh: Thu Hiền" → "Thu Hiền".
std::optional<std::string> trailing_credit(std::string_view caption);

// "Một số hình ảnh …", "Hình ảnh …", "Chùm ảnh …", or any line ending in ':' — a group caption
// when a photo line follows it (the caller checks that).
bool looks_like_group_lead(std::string_view line);

// The author/source line: "Name (Organisation)", "Theo …", "Nguồn: …", "PV", "Tin, ảnh: …", or a short
// run of capitalised words with no full stop ("Thu Hiền", "Minh Anh - Hoàng Long").
bool looks_like_author(std::string_view line);

// Page chrome that a paste from a portal carries and that is never article text:
// - kAdSlot: the label or identifier of an ad slot ("Quảng cáo", "Advertisement", "ads-top",
//   "banner_300x250", "div-gpt-ad-1234");
// - kBreadcrumb: "Trang chủ > Văn hóa > …", "Trang chủ / Tin tức", "Home » Thời sự", or any three steps
//   split by '>' '»' '›' whose steps before the last are short labels (the last may be the title:
//   breadcrumb_tail());
// - kMenu: three or more short entries split by '|' '•' '·' ("Trang chủ | Thời sự | Kinh tế"), or two
//   when the first is "Trang chủ"/"Home"; a date line with a category or view counter is not a menu.
// - kShareBar: share buttons and reader tools ("Chia sẻ", "Facebook | Zalo | Email", "In bài", "Lượt xem:
//   1.234", "Theo dõi … trên Google News").
enum class Chrome { kNone, kAdSlot, kBreadcrumb, kMenu, kShareBar };
Chrome page_chrome(std::string_view line);
// The last step of a breadcrumb ("Trang chủ > Văn hóa > Lễ hội hoa ban" → "Lễ hội hoa ban").
std::string_view breadcrumb_tail(std::string_view line);
// "Tin liên quan", "Bài viết liên quan", "Tin cùng chuyên mục", "Xem thêm", "Bình luận"…: the heading of the
// list that follows an article on its page. The article ends there.
bool is_related_heading(std::string_view line);
// A page clock: a date line that starts with the time ("08:15 | Thứ Tư, 02/12/2026"). It is never the
// date of an article printed below it.
bool is_clock_line(std::string_view line);

// The number of a numbered caption label: "Ảnh 2: …", "Hình 3 - …", "Ảnh 1. …" → 2, 3, 1; else 0.
int caption_number(std::string_view line);

// Short enough to be a caption: at most kMaxCaptionChars code points and fewer than two sentence breaks
// inside. Longer text is "clearly a body paragraph".
inline constexpr std::size_t kMaxCaptionChars = 300;
bool caption_sized(std::string_view line);

// Bytes that are not valid UTF-8 as text: a few stray bytes in UTF-8 become U+FFFD (with a warning);
// a whole file in Windows-1258, VNI or TCVN3 is recognised and converted (with a warning naming it); a
// legacy-looking file whose encoding is uncertain is an InvalidArgument naming the likeliest one.
kho::Result<std::string> read_legacy_text(std::string_view bytes, const std::string& source,
                                          std::vector<std::string>& warnings);

// The longest line that can be a title.
inline constexpr std::size_t kMaxTitleBytes = 600;

// Builds one article from its lines: lines[0] is the title, the rest is header, body and last line.
// `date_before` is the date of a layout that puts the date line above the title, used when no date
// follows the title. `blank_before` is split_lines()'s blank-line structure for these lines (one entry
// more than `lines`: the last says whether a blank line follows the last line); empty means unknown.
// Fills everything but id, sources and copies. Appends warnings prefixed with `source`.
kho::Article build_article(const std::vector<std::string_view>& lines, std::string_view source,
                           std::vector<std::string>& warnings, std::optional<std::string> date_before = std::nullopt,
                           const std::vector<bool>& blank_before = {});

}  // namespace kho::ingest::detail
