// parse_articles (kho/ingest/article_parser.h): bytes → text → articles → copies collapsed.
//
// Article boundaries: an article starts at a title, a line directly followed by a date line.
// That is how the seed repeats itself (title, "Ngày …", body, author, title, "Đăng lúc: …", …) and how
// several different articles sit in one file. Without any date line the whole file is one article whose
// title is its first line. Lines before the first title (a page clock, a menu) are skipped with a warning.
#include "kho/ingest/article_parser.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "article_parser_internal.h"
#include "kho/ingest/digest.h"
#include "kho/text.h"

namespace kho::ingest {
namespace {

// Binary data: a NUL byte, or many control characters, in the first 64 KiB.
bool looks_binary(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 64 * 1024);
  std::size_t controls = 0;
  for (char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') ++controls;
  }
  return controls * 20 > head.size();
}

// A title is the line right before a date line. (Allowing a line in between would make the previous
// article's author line a title whenever the next article's title sits between them.) Page chrome (a
// menu, a breadcrumb) is no title; a breadcrumb's last step is, with `allow_breadcrumb`.
bool is_article_start(const std::vector<std::string_view>& lines, std::size_t i, bool allow_breadcrumb = false) {
  std::string_view l = lines[i];
  if (i + 1 >= lines.size() || l.size() > detail::kMaxTitleBytes || is_photo_line(l)) return false;
  const detail::Chrome chrome = detail::page_chrome(l);
  if (chrome == detail::Chrome::kBreadcrumb && allow_breadcrumb) {
    l = detail::breadcrumb_tail(l);
    if (std::count(l.begin(), l.end(), ' ') < 3) return false;  // "Trang chủ / Tin tức": a section, not a title
  } else if (chrome != detail::Chrome::kNone) {
    return false;
  }
  // A title is not a sentence: a body line ending in '.' before a date-only line does not start one.
  if (l.back() == '.' && !(l.size() >= 3 && l.substr(l.size() - 3) == "...")) return false;
  return parse_date_line(lines[i + 1]).has_value() && !parse_date_line(l);
}

// Counts what decides between "a few bad bytes in UTF-8" and "a whole file in a legacy encoding".
struct HighBytes {
  std::size_t utf8_sequences = 0;  // well-formed multi-byte UTF-8 sequences
  std::size_t invalid = 0;         // bytes ≥ 0x80 that start no well-formed sequence
};
HighBytes count_high_bytes(std::string_view s) {
  HighBytes h;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t n = next_code_point(s, i, &cp);
    if (n > 0) {
      ++h.utf8_sequences;
      i += n;
    } else {
      ++h.invalid;
      ++i;
    }
  }
  return h;
}

std::string identity_key(const kho::Article& a) {
  return search_key(a.title) + "|" + (a.date ? a.date->substr(0, 10) : std::string());
}

}  // namespace

namespace detail {
kho::Result<std::string> read_legacy_text(std::string_view bytes, const std::string& source,
                                          std::vector<std::string>& warnings) {
  const HighBytes h = count_high_bytes(bytes);
  // UTF-8 with stray bytes: keep the text, mark the bytes. (A legacy file holds next to no well-formed
  // UTF-8 sequences by accident.)
  if (h.utf8_sequences * 4 >= h.invalid) {
    warnings.push_back(source + ": invalid UTF-8 bytes replaced by U+FFFD");
    return sanitize_utf8(bytes);
  }
  const LegacyDecode legacy = decode_legacy_vietnamese(bytes);
  if (legacy.encoding != LegacyEncoding::kUnknown) {
    warnings.push_back(source + ": not UTF-8; read as " + legacy_encoding_name(legacy.encoding) +
                       " (a legacy Vietnamese encoding)");
    return legacy.text;
  }
  if (legacy.guess != LegacyEncoding::kUnknown && h.invalid >= 3) {
    return Status::InvalidArgument(source + ": not UTF-8, and the legacy Vietnamese encoding is uncertain (most like " +
                                   legacy_encoding_name(legacy.guess) +
                                   "; also tried windows-1258, VNI, TCVN3): convert the file to UTF-8");
  }
  warnings.push_back(source + ": invalid UTF-8 bytes replaced by U+FFFD");
  return sanitize_utf8(bytes);
}
}  // namespace detail

void merge_copies(kho::Article& kept, kho::Article&& copy) {
  const std::uint32_t copies = kept.copies + copy.copies;
  std::optional<std::string> date = kept.date;
  if (copy.date && (!date || copy.date->size() > date->size())) date = copy.date;
  std::optional<std::string> author = kept.author ? kept.author : copy.author;
  std::vector<std::string> sources = kept.sources;
  for (std::string& s : copy.sources) {
    if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(std::move(s));
  }
  const std::string id = kept.id, event_id = kept.event_id;
  if (copy.refs.size() > kept.refs.size() ||
      (copy.refs.size() == kept.refs.size() && copy.blocks.size() > kept.blocks.size())) {
    kept = std::move(copy);
  }
  kept.copies = copies;
  kept.date = std::move(date);
  kept.sources = std::move(sources);
  if (!kept.author) kept.author = std::move(author);
  if (!id.empty()) kept.id = id;
  if (!event_id.empty()) kept.event_id = event_id;
}

std::string article_id(std::string_view title, const std::optional<std::string>& date) {
  const std::string key = search_key(title) + "|" + (date ? date->substr(0, 10) : std::string());
  const Digest d = sha256({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()});
  return d.hex().substr(0, 16);
}

kho::Result<ParseResult> parse_articles(std::string_view bytes, std::string_view source_name) {
  const std::string source(source_name);
  ParseResult result;
  std::string text;
  if (bytes.size() >= 2 &&
      ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    text = utf16_to_utf8(bytes, /*little_endian=*/bytes[0] == '\xFF');  // the BOM decides
  } else if (looks_binary(bytes)) {
    return Status::InvalidArgument(source + ": binary data, not an article export");
  } else {
    text.assign(bytes);
  }
  if (!is_valid_utf8(text)) {
    // Old newsroom files: Windows-1258, VNI or TCVN3. Recognised by their byte patterns and converted;
    // when the bytes look legacy but no encoding wins clearly, the file is refused (never silently U+FFFD).
    auto legacy = detail::read_legacy_text(text, source, result.warnings);
    if (!legacy.ok()) return legacy.status();
    text = std::move(*legacy);
  }
  text = to_nfc(text);  // NFD input (from a Mac) becomes NFC once, for every line

  std::vector<bool> blank;  // blank[i]: a blank line before lines[i]; one more entry for the end
  std::vector<std::string_view> lines = detail::split_lines(text, &blank);
  // Menus and ad slots are never article text: leave them out here, so that none becomes a title, a body
  // line, a caption or the author. The blank-line structure goes through them ("P / Quảng cáo / C" keeps
  // whatever separated P from C).
  {
    std::size_t kept = 0;
    bool pending_blank = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const detail::Chrome c = detail::page_chrome(lines[i]);
      if (c == detail::Chrome::kMenu || c == detail::Chrome::kAdSlot || c == detail::Chrome::kShareBar) {
        pending_blank = pending_blank || blank[i];
        continue;
      }
      blank[kept] = blank[i] || pending_blank;
      lines[kept++] = lines[i];
      pending_blank = false;
    }
    blank[kept] = true;
    lines.resize(kept);
    blank.resize(kept + 1);
  }
  if (lines.empty()) {
    result.warnings.push_back(source + ": empty, no article found");
    return result;
  }

  // A breadcrumb that ends in the title (`Trang chủ > Văn hóa > TITLE`) gives the title when no plain line
  // does: its last step replaces it.
  std::vector<std::size_t> starts, chrome_chunks;
  for (bool allow_breadcrumb : {false, true}) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (is_article_start(lines, i, allow_breadcrumb)) {
        if (detail::page_chrome(lines[i]) == detail::Chrome::kBreadcrumb) lines[i] = detail::breadcrumb_tail(lines[i]);
        starts.push_back(i);
        ++i;  // its date line
      }
    }
    if (!starts.empty()) break;
  }
  std::optional<std::string> date_before;
  if (starts.empty()) {
    // No title followed by a date: the first line that can be a title, past page chrome (a clock, a
    // breadcrumb, ad slots, menus).
    std::size_t first = 0;
    while (first < lines.size() &&
           (lines[first].size() > detail::kMaxTitleBytes || is_photo_line(lines[first]) ||
            parse_date_line(lines[first]) || detail::page_chrome(lines[first]) != detail::Chrome::kNone)) {
      ++first;
    }
    if (first == lines.size()) {
      result.warnings.push_back(
          source + ": no line can be a title (only photo names, dates or over-long lines), no article found");
      return result;
    }
    // A breadcrumb right above a sentence (not a title) that it does not repeat: its last step is the
    // title ("Trang chủ > Văn hóa > TITLE" then the body).
    if (first > 0 && detail::page_chrome(lines[first - 1]) == detail::Chrome::kBreadcrumb &&
        lines[first].back() == '.') {
      const std::string_view tail = detail::breadcrumb_tail(lines[first - 1]);
      if (detail::count_code_points(tail) >= 10 && search_key(tail) != search_key(lines[first])) {
        --first;
        lines[first] = tail;
      }
    }
    starts.push_back(first);
    // No date after any title: a date line right above the title (some portals) still dates it; a page
    // clock ("08:15 | Thứ Tư, 02/12/2026") does not.
    if (first > 0 && !detail::is_clock_line(lines[first - 1])) date_before = parse_date_line(lines[first - 1]);
  }
  if (starts.front() > (date_before ? 1u : 0u)) {
    result.warnings.push_back(source + ": skipped " + std::to_string(starts.front()) +
                              " line(s) before the first title");
  }

  // A "title" and date with nothing of an article after them (no photo line, no line of 80 bytes) before
  // the next title is page chrome: the site's name over the page clock. Left out when another title remains.
  if (starts.size() >= 2) {
    std::vector<std::size_t> kept;
    for (std::size_t s = 0; s < starts.size(); ++s) {
      const std::size_t end = s + 1 < starts.size() ? starts[s + 1] : lines.size();
      bool content = false;
      for (std::size_t k = starts[s] + 2; k < end && !content; ++k) {
        content = is_photo_line(lines[k]) || lines[k].size() >= 80;
      }
      if (content) kept.push_back(starts[s]);
    }
    if (!kept.empty() && kept.size() < starts.size()) {
      result.warnings.push_back(source + ": left out " + std::to_string(starts.size() - kept.size()) +
                                " title(s) followed by a date and nothing else (page chrome)");
      // The lines of a left-out chunk must not join the article before it: cut that article at the chunk.
      std::vector<std::size_t> cut_at;
      for (std::size_t s = 0; s < starts.size(); ++s) {
        if (std::find(kept.begin(), kept.end(), starts[s]) == kept.end()) cut_at.push_back(starts[s]);
      }
      chrome_chunks = std::move(cut_at);
      starts = std::move(kept);
    }
  }

  std::unordered_map<std::string, std::size_t> by_identity;
  for (std::size_t s = 0; s < starts.size(); ++s) {
    std::size_t end = s + 1 < starts.size() ? starts[s + 1] : lines.size();
    for (std::size_t c : chrome_chunks) {
      if (c > starts[s] && c < end) end = c;
    }
    // The list after the article ("Tin liên quan", "Bình luận" and what follows) is no part of it.
    for (std::size_t k = starts[s] + 3; k < end; ++k) {
      if (detail::is_related_heading(lines[k])) {
        end = k;
        break;
      }
    }
    const std::vector<std::string_view> chunk(lines.begin() + static_cast<std::ptrdiff_t>(starts[s]),
                                              lines.begin() + static_cast<std::ptrdiff_t>(end));
    const std::vector<bool> chunk_blank(blank.begin() + static_cast<std::ptrdiff_t>(starts[s]),
                                        blank.begin() + static_cast<std::ptrdiff_t>(end + 1));
    std::vector<std::string> warnings;
    kho::Article a = detail::build_article(chunk, source, warnings, s == 0 ? date_before : std::nullopt, chunk_blank);
    const std::string key = identity_key(a);
    auto it = by_identity.find(key);
    if (it != by_identity.end()) {
      merge_copies(result.articles[it->second], std::move(a));  // a copy: its warnings say nothing new
      continue;
    }
    result.warnings.insert(result.warnings.end(), warnings.begin(), warnings.end());
    by_identity.emplace(key, result.articles.size());
    result.articles.push_back(std::move(a));
  }
  for (kho::Article& a : result.articles) {
    a.id = article_id(a.title, a.date);
    a.sources = {source};
  }
  return result;
}

ArticleFormat article_format(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  const std::size_t slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return ArticleFormat::kUnsupported;
  std::string ext(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "txt") return ArticleFormat::kText;
  if (ext == "html" || ext == "htm") return ArticleFormat::kHtml;
  if (ext == "docx") return ArticleFormat::kDocx;
  return ArticleFormat::kUnsupported;
}

kho::Result<ParseResult> parse_article_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidArgument(path + ": is a directory");
  const ArticleFormat format = article_format(path);
  if (format == ArticleFormat::kUnsupported && path.size() > 4) {
    std::string ext = path.substr(path.size() - 4);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".doc") {
      return Status::InvalidArgument(path + ": unsupported: Word 97-2003 .doc (binary format); save it as .docx");
    }
  }
  // read(2), not a stream: `buf << in.rdbuf()` took an EIO in the middle for the end of the file, and a
  // failing disk became "empty, no article found" (issue #17, faults).
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IOError(path + ": cannot open: " + std::strerror(err));
  }
  std::string bytes;
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return Status::IOError(path + ": read error: " + std::strerror(err));
    }
    if (n == 0) break;
    bytes.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (format == ArticleFormat::kHtml) return parse_html_article(bytes, path);
  if (format == ArticleFormat::kDocx) return parse_docx_article(bytes, path);
  return parse_articles(bytes, path);
}

}  // namespace kho::ingest
