// Line-level rules of the article parser: trimming, photo lines, credits, group leads, author lines.

#include <array>
#include <string>
#include <string_view>

#include "article_parser_internal.h"
#include "kho/ingest/article_parser.h"
#include "kho/ingest/scanner.h"
#include "kho/text.h"

namespace kho::ingest {
namespace detail {
namespace {

// Byte length of a space sequence at s[i] (see trim()), or 0.
std::size_t space_at(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const std::size_t left = s.size() - i;
  if (s[i] == ' ' || s[i] == '\t' || s[i] == '\v' || s[i] == '\f') return 1;
  if (left >= 2 && b(0) == 0xC2 && b(1) == 0xA0) return 2;                  // U+00A0
  if (left >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return 3;  // U+FEFF
  if (left >= 3 && b(0) == 0xE2 && b(1) == 0x80 && (b(2) <= 0x8B || b(2) == 0xAF)) return 3;
  if (left >= 3 && b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return 3;  // U+205F
  if (left >= 3 && b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return 3;  // U+3000
  return 0;
}

// search_key of the first few characters only: enough to test a prefix without folding a long line.
std::string folded_prefix(std::string_view s, std::size_t bytes) {
  std::size_t n = std::min(bytes, s.size());
  while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;  // whole characters
  return search_key(s.substr(0, n));
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (s.substr(0, p.size()) == p) return true;
  }
  return false;
}

bool starts_upper(std::string_view word) {
  std::uint32_t cp = 0;
  return next_code_point(word, 0, &cp) > 0 && char_class(cp) == CharClass::kUpper;
}

// 1–6 words, each capitalised (dashes, commas and '&' between them are fine): a person's name.
bool is_name_run(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 80) return false;
  std::size_t words = 0, i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-' || s[i] == '&')) ++i;
    if (i >= s.size()) break;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',') ++j;
    const std::string_view word = s.substr(i, j - i);
    if (word != "\u2013" && word != "\u2014") {  // en/em dash between names
      if (!starts_upper(word) || ++words > 6) return false;
    }
    i = j;
  }
  return words >= 1;
}

}  // namespace

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  while (b < s.size()) {
    const std::size_t n = space_at(s, b);
    if (n == 0) break;
    b += n;
  }
  s.remove_prefix(b);
  // From the end: step back over whole characters and test each.
  while (!s.empty()) {
    std::size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 && s.size() - start < 4) {
      --start;
    }
    const std::size_t n = space_at(s, start);
    if (n == 0 || start + n != s.size()) break;
    s.remove_suffix(n);
  }
  return s;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      const std::string_view line = trim(text.substr(begin, i - begin));
      if (!line.empty()) out.push_back(line);
      if (i < text.size() && text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      begin = i + 1;
    }
  }
  return out;
}

std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::optional<std::string> credit_line(std::string_view line) {
  if (line.size() > 160) return std::nullopt;
  const std::string key = folded_prefix(line, 16);
  std::size_t skip = 0;
  if (starts_with_any(key, {"anh:", "anh :", "(anh:", "(anh :", "photo:", "(photo:"})) {
    skip = line.find(':') + 1;
  } else {
    return std::nullopt;
  }
  std::string_view rest = trim(line.substr(skip));
  if (!rest.empty() && rest.back() == ')' && line.front() == '(')
    rest = trim(rest.substr(0, rest.size() - 1));
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

std::optional<std::string> trailing_credit(std::string_view caption) {
  if (caption.empty() || caption.back() != ')') return std::nullopt;
  const std::size_t open = caption.rfind('(');
  if (open == std::string_view::npos) return std::nullopt;
  return credit_line(caption.substr(open));
}

bool looks_like_group_lead(std::string_view line) {
  if (line.size() > 600 || is_photo_line(line)) return false;
  if (line.back() == ':' || line.substr(line.size() >= 3 ? line.size() - 3 : 0) == "\xEF\xBC\x9A") {
    return true;  // ':' or the full-width '：'
  }
  // By its words only when it is caption-sized: "Hình ảnh này cho thấy …" may open a long paragraph.
  const std::string key = folded_prefix(line, 40);
  return starts_with_any(key, {"mot so hinh anh", "mot so anh", "mot vai hinh anh", "cac hinh anh",
                               "hinh anh ", "chum anh", "mot so hinh"}) &&
         caption_sized(line);
}

bool looks_like_author(std::string_view line) {
  if (line.size() > 300 || is_photo_line(line)) return false;
  const std::string key = folded_prefix(line, 24);
  if (starts_with_any(key, {"theo ", "nguon:", "nguon :", "nguon ", "tin:", "tin, anh", "tin va anh",
                            "tin - anh", "bai, anh", "bai va anh", "bai:", "bai - anh", "nhom pv",
                            "nhom phong vien", "pv:", "pv ", "ctv"}) ||
      key == "pv" || key == "pv.") {
    return true;
  }
  if (line.back() == '.' || line.back() == ':') return false;
  // "Thu Hiền (Trung tâm Văn hóa …)": a name, then the organisation in brackets.
  const std::size_t open = line.find('(');
  if (open != std::string_view::npos && open > 0 && line.back() == ')')
    return is_name_run(line.substr(0, open));
  return is_name_run(line);
}

bool caption_sized(std::string_view line) {
  if (line.size() > kMaxCaptionChars * 4 || count_code_points(line) > kMaxCaptionChars) return false;
  int breaks = 0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const char c = line[i];
    if ((c == '.' || c == '!' || c == '?') && (line[i + 1] == ' ' || line[i + 1] == '\xC2')) ++breaks;
  }
  return breaks < 2;
}

}  // namespace detail

bool is_photo_line(std::string_view line) {
  if (line.size() < 5 || line.size() > 255) return false;
  const std::size_t dot = line.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || line.size() - dot > 5) return false;
  std::string ext(line.substr(dot + 1));
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  static constexpr std::array<std::string_view, 8> kExt = {"jpg",  "jpeg", "png", "gif",
                                                           "webp", "heic", "tif", "tiff"};
  bool image = false;
  for (std::string_view e : kExt) image = image || ext == e;
  image = image || ext == "avif" || ext == "heif" || is_raw_extension(ext);  // issue 14: HEIF, AVIF, camera raw
  if (!image) return false;
  // A name, not a sentence that ends with one: no tab, and the name is not empty.
  const std::string_view stem = detail::trim(line.substr(0, dot));
  return !stem.empty() && line.find('\t') == std::string_view::npos;
}

}  // namespace kho::ingest
