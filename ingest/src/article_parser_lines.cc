// Line-level rules of the article parser: trimming, photo lines, credits, group leads, author lines.

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

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

std::vector<std::string_view> split_lines(std::string_view text, std::vector<bool>* blank_before) {
  std::vector<std::string_view> out;
  if (blank_before) blank_before->clear();
  bool blank = true;  // the start of the text counts as a blank line
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n' || text[i] == '\r') {
      const std::string_view line = trim(text.substr(begin, i - begin));
      if (line.empty()) {
        blank = true;
      } else {
        out.push_back(line);
        if (blank_before) blank_before->push_back(blank);
        blank = false;
      }
      // One line break: \n, \r\n, a lone \r, and \r\r\n (a CRLF translated twice, not a blank line).
      if (i + 2 < text.size() && text[i] == '\r' && text[i + 1] == '\r' && text[i + 2] == '\n') {
        i += 2;
      } else if (i < text.size() && text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      begin = i + 1;
    }
  }
  if (blank_before) blank_before->push_back(true);  // the end of the text counts as a blank line
  return out;
}

std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::optional<std::string> credit_line(std::string_view line) {
  if (line.size() > 160) return std::nullopt;
  const std::string key = folded_prefix(line, 24);
  std::size_t skip = 0;
  if (starts_with_any(key, {"anh:", "anh :", "(anh:", "(anh :", "photo:", "(photo:", "nguon anh:", "(nguon anh:"})) {
    skip = line.find(':') + 1;
  } else {
    return std::nullopt;
  }
  std::string_view rest = trim(line.substr(skip));
  if (!rest.empty() && rest.back() == ')' && line.front() == '(')
    rest = trim(rest.substr(0, rest.size() - 1));
  if (rest.empty()) return std::nullopt;
  // A credit names someone: a few words ("PV", "tư liệu", "TTXVN"), a run of names ("Minh Anh - Hoàng
  // Long", "Minh Anh (TTXVN)"), or "… cung cấp". Anything else is a caption written after an "Ảnh:" label
  // ("Ảnh: Đoàn công tác thăm trường"). "Ảnh: minh họa" credits no one.
  const std::string who = search_key(rest);
  if (who == "minh hoa" || who == "minh hoa." || who == "minh hoa)") return std::nullopt;
  std::string_view names = rest;
  if (names.back() == '.') names.remove_suffix(1);
  if (names.empty()) return std::nullopt;
  const std::size_t open = names.find('(');
  if (open != std::string_view::npos && open > 0 && names.back() == ')') names = trim(names.substr(0, open));
  const bool few_words = std::count(rest.begin(), rest.end(), ' ') <= 2;
  const bool supplied = who.find("cung cap") != std::string::npos || who.rfind("tu lieu", 0) == 0;
  if (!few_words && !supplied && !is_name_run(names)) return std::nullopt;
  return std::string(rest);
}

std::optional<std::string> trailing_credit(std::string_view caption) {
  if (caption.empty()) return std::nullopt;
  if (caption.back() == ')') {
    const std::size_t open = caption.rfind('(');
    if (open == std::string_view::npos) return std::nullopt;
    return credit_line(caption.substr(open));
  }
  // "… lúa chín. Ảnh: Hoàng Châu" / "… - Ảnh: TTXVN": the last "Ảnh:" after the caption's text, when what
  // follows names someone (credit_line's test). A caption that starts with "Ảnh:" is a label, not a credit.
  static constexpr std::array<std::string_view, 4> kWords = {"\u1EA2nh:", "\u1EA3nh:", "\u1EA2NH:", "Photo:"};
  std::size_t best = std::string_view::npos;
  for (std::string_view w : kWords) {
    const std::size_t pos = caption.rfind(w);
    if (pos != std::string_view::npos && pos > 0 && caption[pos - 1] == ' ' &&
        (best == std::string_view::npos || pos > best)) {
      best = pos;
    }
  }
  if (best == std::string_view::npos) return std::nullopt;
  std::string_view rest = trim(caption.substr(caption.find(':', best) + 1));
  while (!rest.empty() && rest.back() == '.') rest.remove_suffix(1);
  if (rest.empty()) return std::nullopt;
  return credit_line("\u1EA2nh: " + std::string(rest));
}

int caption_number(std::string_view line) {
  const std::string key = folded_prefix(line, 16);
  std::size_t i = 0;
  if (key.rfind("anh ", 0) == 0) {
    i = 4;
  } else if (key.rfind("hinh ", 0) == 0) {
    i = 5;
  } else {
    return 0;
  }
  int n = 0;
  std::size_t digits = 0;
  while (i < key.size() && key[i] >= '0' && key[i] <= '9' && digits < 3) {
    n = n * 10 + (key[i++] - '0');
    ++digits;
  }
  if (digits == 0) return 0;
  while (i < key.size() && key[i] == ' ') ++i;
  return i < key.size() && (key[i] == ':' || key[i] == '.' || key[i] == '-' || key[i] == ')') ? n : 0;
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
  if (key.rfind("theo doi", 0) == 0) return false;  // "Theo dõi Báo … trên Google News": a follow button
  if (starts_with_any(key, {"(theo ",   "(nguon",     "phong vien:", "tac gia:",     "theo ",      "nguon:",
                            "nguon :",  "nguon ",     "tin:",        "tin, anh",     "tin va anh", "tin - anh",
                            "bai, anh", "bai va anh", "bai:",        "bai - anh",    "nhom pv",    "nhom phong vien",
                            "pv:",      "pv ",        "ctv",         "ban bien tap", "bbt"}) ||
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

namespace {

// Splits `s` on any of `seps` (each a string); segments trimmed. Returns {} when no separator occurs.
std::vector<std::string_view> split_on(std::string_view s, std::initializer_list<std::string_view> seps) {
  std::vector<std::string_view> out;
  std::size_t begin = 0, i = 0;
  while (i < s.size()) {
    std::size_t len = 0;
    for (std::string_view sep : seps) {
      if (s.substr(i, sep.size()) == sep) {
        len = sep.size();
        break;
      }
    }
    if (len == 0) {
      ++i;
      continue;
    }
    out.push_back(trim(s.substr(begin, i - begin)));
    i += len;
    begin = i;
  }
  if (out.empty()) return out;
  out.push_back(trim(s.substr(begin)));
  return out;
}

std::size_t count_words(std::string_view s) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ';
    words += !space && !in_word;
    in_word = !space;
  }
  return words;
}

// A menu entry or a breadcrumb step: 1–4 words, no sentence punctuation.
bool short_label(std::string_view seg) {
  return !seg.empty() && seg.size() <= 48 && count_words(seg) <= 4 && seg.back() != '.' && seg.back() != ':';
}

bool is_home_label(std::string_view seg) {
  const std::string key = search_key(seg);
  return key == "trang chu" || key == "home" || key == "trang nhat" || key == "trang chinh";
}

// "ads-top", "banner_300x250", "div-gpt-ad-1234", "qc_right": a slot identifier (no spaces, ASCII letters,
// digits, '-' and '_' only, at least one separator) with an advertising word among its parts.
bool is_ad_identifier(std::string_view line) {
  if (line.size() > 64 || line.find_first_of("-_") == std::string_view::npos) return false;
  std::string part;
  bool ad = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    const char c = i < line.size() ? line[i] : '-';
    if (c == '-' || c == '_') {
      static constexpr std::array<std::string_view, 12> kAd = {
          "ad", "ads", "adv", "advert", "banner", "qc", "adsense", "gpt", "dfp", "quangcao", "sponsor", "adslot"};
      for (std::string_view w : kAd) ad = ad || part == w;
      part.clear();
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      part.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      part.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      return false;
    }
  }
  return ad;
}

}  // namespace

namespace {

// "Chia sẻ", "Facebook | Zalo | Email", "In bài", "Lượt xem: 1.234", "Cỡ chữ: A- A+", "Theo dõi … trên Google
// News": reader tools and share buttons. Every word is such a word (or a number), and one is an anchor.
bool is_share_bar(const std::string& key) {
  if (key.rfind("theo doi", 0) == 0 &&
      (key.find("google news") != std::string::npos || key.find("facebook") != std::string::npos ||
       key.find("zalo") != std::string::npos)) {
    return true;
  }
  static constexpr std::array<std::string_view, 31> kWords = {
      "chia", "se",   "facebook", "zalo", "twitter", "email", "e-mail", "in",   "bai",     "viet",      "luu",
      "copy", "link", "print",    "gui",  "binh",    "luan",  "tweet",  "like", "share",   "messenger", "nghe",
      "doc",  "co",   "chu",      "a",    "a+",      "a-",    "luot",   "xem",  "linkedin"};
  static constexpr std::array<std::string_view, 10> kAnchors = {"chia",  "facebook", "zalo", "twitter", "email",
                                                                "share", "luot",     "binh", "in",      "nghe"};
  bool anchor = false;
  std::size_t i = 0;
  while (i < key.size()) {
    while (i < key.size() && std::string_view(" |:,/()").find(key[i]) != std::string_view::npos) ++i;
    std::size_t j = i;
    while (j < key.size() && std::string_view(" |:,/()").find(key[j]) == std::string_view::npos) ++j;
    if (j == i) break;
    const std::string_view w = std::string_view(key).substr(i, j - i);
    i = j;
    if (w.find_first_not_of("0123456789.,k") == std::string_view::npos) continue;  // "1.234", "9.3k"
    bool known = false;
    for (std::string_view k : kWords) known = known || w == k;
    if (!known) return false;
    for (std::string_view k : kAnchors) anchor = anchor || w == k;
  }
  return anchor;
}

// is_related_heading() on the line's search_key.
bool related_heading_key(std::string_view key) {
  if (key.size() > 60) return false;
  while (!key.empty() && (key.back() == ':' || key.back() == ' ')) key.remove_suffix(1);
  static constexpr std::array<std::string_view, 14> kHeadings = {
      "tin lien quan",  "bai lien quan", "bai viet lien quan", "tin cung chuyen muc", "tin khac",
      "cac tin khac",   "xem them",      "doc them",           "tin moi nhat",        "tin doc nhieu",
      "y kien ban doc", "gui binh luan", "binh luan",          "cac bai viet khac"};
  for (std::string_view h : kHeadings) {
    if (key == h) return true;
  }
  return false;
}

}  // namespace

bool is_related_heading(std::string_view line) { return line.size() <= 60 && related_heading_key(search_key(line)); }

Chrome page_chrome(std::string_view line) {
  if (line.empty() || line.size() > 400) return Chrome::kNone;
  // Cheap tests first: most lines are body text with none of the separators and are not short.
  const bool crumb_sep = line.find('>') != std::string_view::npos || line.find("\u00BB") != std::string_view::npos ||
                         line.find("\u203A") != std::string_view::npos || line.find(" / ") != std::string_view::npos;
  const bool menu_sep = line.find('|') != std::string_view::npos || line.find('\t') != std::string_view::npos ||
                        line.find("\u2022") != std::string_view::npos || line.find("\u00B7") != std::string_view::npos;
  if (line.size() > 64 && !crumb_sep && !menu_sep) return Chrome::kNone;
  if (is_photo_line(line)) return Chrome::kNone;
  // Ad slots: the label a saved page prints where an ad was, or the slot's identifier.
  const std::string key = line.size() <= 100 ? search_key(line) : std::string();  // folded once, for the tests below
  if (line.size() <= 32) {
    if (key == "quang cao" || key == "qc" || key == "advertisement" || key == "ads" || key == "ad" ||
        key == "tai tro" || key == "noi dung tai tro" || key == "sponsored" || key == "banner" ||
        key == "[quang cao]" || key == "- quang cao -" || key == "(quang cao)") {
      return Chrome::kAdSlot;
    }
  }
  if (is_ad_identifier(line)) return Chrome::kAdSlot;
  if (line.size() <= 100 && !related_heading_key(key) && is_share_bar(key)) return Chrome::kShareBar;
  // A breadcrumb: "Trang chủ > Văn hóa > …", "Trang chủ / Tin tức", "Home » Thời sự"; any three steps
  // with '>' '»' '›'. Its last step may be the title (the caller decides); the others are short labels.
  const std::vector<std::string_view> crumbs = crumb_sep ? split_on(line, {">", "\u00BB", "\u203A", " / "})
                                                         : std::vector<std::string_view>();
  if (crumbs.size() >= 2 && (is_home_label(crumbs.front()) || crumbs.size() >= 3)) {
    bool steps = true;
    for (std::size_t i = 0; i + 1 < crumbs.size(); ++i) steps = steps && short_label(crumbs[i]);
    if (steps && !crumbs.back().empty()) return Chrome::kBreadcrumb;
  }
  // A menu: three or more short entries split by '|' '•' '·' ("Trang chủ | Thời sự | Kinh tế …"), or two
  // when the first is the home link. A date line with a category and a view counter is not one.
  const std::vector<std::string_view> items = menu_sep ? split_on(line, {"|", "\t", "\u2022", "\u00B7"})
                                                       : std::vector<std::string_view>();
  if (items.size() >= 3 || (items.size() == 2 && is_home_label(items.front()))) {
    for (std::string_view item : items) {
      if (!item.empty() && !short_label(item)) return Chrome::kNone;
    }
    if (parse_date_line(line)) return Chrome::kNone;
    return Chrome::kMenu;
  }
  return Chrome::kNone;
}

std::string_view breadcrumb_tail(std::string_view line) {
  const std::vector<std::string_view> crumbs = split_on(line, {">", "\u00BB", "\u203A", " / "});
  return crumbs.empty() ? std::string_view() : crumbs.back();
}

bool is_clock_line(std::string_view line) {
  if (!parse_date_line(line)) return false;
  const std::size_t d = line.find_first_of("0123456789");
  std::size_t e = d;
  while (e < line.size() && line[e] >= '0' && line[e] <= '9') ++e;
  return e - d <= 2 && e + 1 < line.size() && (line[e] == ':' || line[e] == 'h') && line[e + 1] >= '0' &&
         line[e + 1] <= '9';
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
