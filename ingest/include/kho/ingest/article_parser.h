// The article parser: turns an article export (a news portal's page saved as text, like
// ../shared/seed/) into kho::Article values. See ingest/README.md, "Article parser", for every rule.
//
// Layout of an export, as the parser reads it:
//   TITLE                      the first line of an article (the line right before a date line)
//   <date line>                one of the date forms below; a date inside the body is not the date
//   paragraphs, photo lines    a photo line holds only a file name with an image extension
//   caption lines              the short line beside a photo (after it, or before it on some sites)
//   group caption              "Một số hình ảnh …" / a line ending in ":" followed by photos
//   Author (Organisation)      the last line: author/source, never a caption
// The same article twice in one file is one Article with copies = 2; different articles give several.
//
// Thread-safety: all functions are pure; call them from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/model.h"
#include "kho/status.h"

namespace kho::ingest {

struct ParseResult {
  std::vector<kho::Article> articles;  // in the order their first copy appears
  std::vector<std::string> warnings;   // "<source>: <what and where>", for people (stderr)
};

// Parses an export held in memory. `source_name` names it in warnings and errors and becomes
// Article::sources. Accepts a BOM, CRLF/CR line ends, NFD text and invalid UTF-8 (replaced by U+FFFD,
// with a warning). Output text is NFC and trimmed, otherwise exactly as written.
// Success: possibly zero articles (empty file, nothing that looks like an article), with a warning
// saying why. Failure: InvalidArgument when the bytes are binary data, not text. Never throws.
// Article::event_id is left empty (the ingest pipeline sets it).
kho::Result<ParseResult> parse_articles(std::string_view bytes, std::string_view source_name);

// The article formats, by file name extension (any case): .txt, .html/.htm, .docx. `.doc` (Word's old
// binary format) and anything else is kUnsupported.
enum class ArticleFormat { kText, kHtml, kDocx, kUnsupported };
ArticleFormat article_format(std::string_view path);

// A news page saved as HTML, or a CMS's raw article HTML: one article (see ingest/README.md, "HTML
// articles"). Each PhotoRef::ref is the image URL as written (entities decoded; data-src, data-original
// or srcset when `src` is a lazy-loading placeholder). The charset comes from the BOM or <meta>;
// InvalidArgument for an unknown charset, bytes that contradict it, binary data, or a page over 16 MB.
kho::Result<ParseResult> parse_html_article(std::string_view bytes, std::string_view source_name);

// A Word file (.docx, a zip): one article. Title = the first heading (else the first bold line), photos =
// the embedded images (word/media/…) in document order, ref = the part name ("word/media/image1.jpeg"),
// caption = the paragraph right after the image. InvalidArgument for a file that is no zip (a renamed
// JPEG), a truncated zip, no word/document.xml, or a part that expands beyond the limit (a zip bomb).
kho::Result<ParseResult> parse_docx_article(std::string_view bytes, std::string_view source_name);

// The bytes of one part of a .docx (e.g. "word/media/image1.jpeg"), bounded like the parser's reads.
kho::Result<std::string> read_docx_part(std::string_view docx_bytes, std::string_view part,
                                        std::string_view source_name);

// Reads `path` and parses it by its format (article_format; other extensions are read as text); `path` is
// the source name. IOError/NotFound name the file; a `.doc` is InvalidArgument "unsupported".
kho::Result<ParseResult> parse_article_file(const std::string& path);

// The local file a reference of the article at `article_path` resolves to, or "" when none: for HTML, a
// relative URL (percent-decoded) that exists beside the page, or the URL's file name inside the page's
// saved folder ("bai_files/"); for DOCX, "FILE.docx#word/media/…". Text exports are linked by the
// linker against their folder, not here.
std::string resolve_embedded_ref(const std::string& article_path, std::string_view ref);

// An article's identity: 16 hex digits of SHA-256 over search_key(title) + "|" + the calendar date
// (YYYY-MM-DD, empty when unknown). The time and zone are left out so that the copy with "(GMT+7)" and
// the copy without it, or a re-export, keep one identity.
std::string article_id(std::string_view title, const std::optional<std::string>& date);

// Folds `copy` into `kept`, two copies of one article (same id, e.g. met in two files): copies add up,
// sources are joined, the fuller body (more references, then more blocks) and the date that says more
// (the one with a zone) are kept. parse_articles uses it for copies inside one file.
void merge_copies(kho::Article& kept, kho::Article&& copy);

// Building blocks, public so that they are tested on their own.

// When the whole line is a publication date, its ISO 8601 form: "2020-11-18", "2020-11-18T09:15:00",
// "2020-11-18T00:00:00+07:00" (offset only when the line gives one, e.g. "GMT+7"). Forms:
//   Ngày 18/11/2020 00:00:00            Đăng lúc: 18/11/2020 00:00:00 (GMT+7)
//   Thứ Tư, 18/11/2020 - 09:15          18-11-2020            Thứ 4, 22.12.2021 | 20:42:03
//   06:57 | 06/09/2022 GMT+7            Ngày đăng: 06:03 AM, 29/03/2018     Đăng ngày 11 - 11 - 2023
//   Thời sự | Thứ Hai, 06/09/2022 - 06:57 | Lượt xem: 9.3k   (a category or view counter segment is dropped)
// nullopt when the line holds any other words (a sentence that mentions a date) or an impossible date.
std::optional<std::string> parse_date_line(std::string_view line);

// True when the trimmed line is only a file name with an image extension (jpg, jpeg, png, gif, webp,
// heic, tif, tiff; any case).
bool is_photo_line(std::string_view trimmed_line);

}  // namespace kho::ingest
