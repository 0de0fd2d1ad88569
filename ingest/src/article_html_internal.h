// Private pieces of the HTML article reader (article_html*.cc): the character set step and the small text
// helpers the tree walk shares. See ingest/README.md, "HTML articles".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/status.h"

namespace kho::ingest::detail {

// The largest HTML page read; larger files are refused (a page is < 1 MB; the limit bounds the parser's
// memory, about 10× the input in gumbo's tree).
inline constexpr std::size_t kMaxHtmlBytes = 16u * 1024 * 1024;

// The encoding a page declares: a BOM, else the first `<meta charset>` / `http-equiv` content
// `charset=` in the first 4 KiB. Lower case, e.g. "utf-8", "windows-1258"; empty when none.
std::string declared_charset(std::string_view bytes);

// The page's bytes as UTF-8 (not yet NFC). A BOM wins; a declared legacy charset is converted with iconv
// (CP1258's combining tones are composed later, by NFC); a declaration that the bytes contradict (valid,
// non-ASCII UTF-8 declared as a legacy charset) is overridden with a warning. An encoding iconv does not
// know is an InvalidArgument naming it. Undeclared bytes that are not UTF-8 go through the legacy
// Vietnamese detector of kho::text (windows-1258, VNI, TCVN3); invalid UTF-8 left over becomes U+FFFD.
kho::Result<std::string> html_to_utf8(std::string_view bytes, std::string_view source,
                                      std::vector<std::string>& warnings);

// Converts `bytes` from `charset` to UTF-8 with iconv; nullopt when iconv does not know the charset or
// the bytes are not valid in it.
std::optional<std::string> iconv_to_utf8(std::string_view bytes, const std::string& charset);

// The page with the bodies of its <script> and <style> elements left out (the tags stay), except JSON-LD
// scripts, which the date and byline rules read. Comments are copied as they are, so a "<script" inside
// one is not taken for a tag. Nothing the reader looks at is lost, and gumbo, which tokenizes script
// text byte by byte, gets about a third of a portal page's bytes (70% of them are inline JS and CSS).
std::string drop_script_bodies(std::string_view html);

// The page without the DOCTYPE declarations that come after its first tag or text (one before them is kept).
// The parser ignores a late DOCTYPE anyway (a parse error), so the tree is the same; but gumbo 0.10.1 does
// not free one met inside a <noscript> in the head (handle_in_head_noscript returns without ignore_token),
// which leaked a few bytes per such page (found by fuzzing: "<noscript><!DOCTYPE").
std::string drop_late_doctypes(std::string_view html);

// Collapses every run of white space (ASCII blanks, NBSP, Unicode spaces, zero-width) to one space,
// trims, and makes the result NFC.
std::string clean_text(std::string_view s);

// The credit inside a caption: the name after the last "Ảnh:" / "(Ảnh: X)" / "Photo:" / "Nguồn ảnh:",
// without a closing parenthesis or trailing period. nullopt when there is none.
std::optional<std::string> caption_credit(std::string_view caption);

// "2026-03-07T08:52:11.000 +07:00", "2022-01-21T08:12:40+07:00", "2022-01-25" → ISO 8601
// ("2026-03-07T08:52:11+07:00"); nullopt unless it starts with a valid YYYY-MM-DD.
std::optional<std::string> normalize_iso_date(std::string_view s);

// A byline cleaned: a leading "Theo"/"Nguồn:"/"Tác giả:", a trailing " -" and a trailing "(…)" removed.
// nullopt when what is left does not look like a name or source (empty, too long, a URL, a sentence).
std::optional<std::string> clean_byline(std::string_view s);

}  // namespace kho::ingest::detail
