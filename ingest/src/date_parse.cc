// parse_date_line (kho/ingest/article_parser.h): is this whole line a publication date, and which?
//
// The line is folded with search_key() ("Đăng lúc" → "dang luc") and cut into numbers, words and
// punctuation. A date (d/m/y with /, - or . and optional spaces, y-m-d, "d tháng m năm y" or "d tháng m, y"), an
// optional time (h:mm[:ss] or 9h15 [am|pm]) and an optional zone (GMT+7, UTC) are taken out; what is left may
// only be the label and weekday words of the known forms. Any other word means the line is a sentence that
// mentions a date, so it is not the article's date.
#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/ingest/article_parser.h"
#include "kho/text.h"

namespace kho::ingest {
namespace {

struct Token {
  enum class Kind { kNumber, kWord, kPunct } kind;
  std::string text;
  int value = 0;  // numbers only
  bool used = false;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ' ' || c == '\t') {
      ++i;
    } else if (c >= '0' && c <= '9') {
      Token t{Token::Kind::kNumber, {}};
      while (i < s.size() && s[i] >= '0' && s[i] <= '9' && t.text.size() < 6) {
        t.value = t.value * 10 + (s[i] - '0');
        t.text.push_back(s[i++]);
      }
      out.push_back(std::move(t));
    } else if ((c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80) {
      Token t{Token::Kind::kWord, {}};
      while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || static_cast<unsigned char>(s[i]) >= 0x80)) {
        t.text.push_back(s[i++]);
      }
      out.push_back(std::move(t));
    } else {
      out.push_back(Token{Token::Kind::kPunct, std::string(1, c)});
      ++i;
    }
  }
  return out;
}

bool is_num(const std::vector<Token>& t, std::size_t i, std::size_t min_digits, std::size_t max_digits) {
  return i < t.size() && !t[i].used && t[i].kind == Token::Kind::kNumber && t[i].text.size() >= min_digits &&
         t[i].text.size() <= max_digits;
}
bool is_punct(const std::vector<Token>& t, std::size_t i, char c) {
  return i < t.size() && !t[i].used && t[i].kind == Token::Kind::kPunct && t[i].text[0] == c;
}
bool is_word(const std::vector<Token>& t, std::size_t i, std::string_view w) {
  return i < t.size() && !t[i].used && t[i].kind == Token::Kind::kWord && t[i].text == w;
}
void use(std::vector<Token>& t, std::size_t from, std::size_t count) {
  for (std::size_t k = from; k < from + count && k < t.size(); ++k) t[k].used = true;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

struct Found {
  int y = 0, m = 0, d = 0;
  int hh = -1, mm = 0, ss = 0;
  bool has_zone = false;
  int zone_minutes = 0;
};

bool take_date(std::vector<Token>& t, Found& f) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    // d/m/y, d-m-y, d.m.y (same separator twice)
    if (is_num(t, i, 1, 2) && i + 4 < t.size() && t[i + 1].kind == Token::Kind::kPunct &&
        (t[i + 1].text == "/" || t[i + 1].text == "-" || t[i + 1].text == ".") && is_num(t, i + 2, 1, 2) &&
        is_punct(t, i + 3, t[i + 1].text[0]) && is_num(t, i + 4, 4, 4)) {
      f.d = t[i].value;
      f.m = t[i + 2].value;
      f.y = t[i + 4].value;
      use(t, i, 5);
      return true;
    }
    // "ngày 18 tháng 11 năm 2020"
    if (is_num(t, i, 1, 2) && is_word(t, i + 1, "thang") && is_num(t, i + 2, 1, 2) &&
        is_word(t, i + 3, "nam") && is_num(t, i + 4, 4, 4)) {
      f.d = t[i].value;
      f.m = t[i + 2].value;
      f.y = t[i + 4].value;
      use(t, i, 5);
      return true;
    }
    // "2 tháng 12, 2026", "02 tháng 12 2026"
    if (is_num(t, i, 1, 2) && is_word(t, i + 1, "thang") && is_num(t, i + 2, 1, 2)) {
      const std::size_t y = is_punct(t, i + 3, ',') ? i + 4 : i + 3;
      if (is_num(t, y, 4, 4)) {
        f.d = t[i].value;
        f.m = t[i + 2].value;
        f.y = t[y].value;
        use(t, i, y - i + 1);
        return true;
      }
    }
    // y-m-d
    if (is_num(t, i, 4, 4) && is_punct(t, i + 1, '-') && is_num(t, i + 2, 1, 2) && is_punct(t, i + 3, '-') &&
        is_num(t, i + 4, 1, 2)) {
      f.y = t[i].value;
      f.m = t[i + 2].value;
      f.d = t[i + 4].value;
      use(t, i, 5);
      return true;
    }
  }
  return false;
}

bool take_time(std::vector<Token>& t, Found& f) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    // "09:15" and the Vietnamese "09h15"
    if (!(is_num(t, i, 1, 2) && (is_punct(t, i + 1, ':') || is_word(t, i + 1, "h")) &&
          is_num(t, i + 2, 2, 2))) {
      continue;
    }
    f.hh = t[i].value;
    f.mm = t[i + 2].value;
    std::size_t n = 3;
    if ((is_punct(t, i + 3, ':') || is_word(t, i + 3, "p")) && is_num(t, i + 4, 2, 2)) {
      f.ss = t[i + 4].value;
      n = 5;
    }
    // AM/PM, and SA/CH (sáng/chiều) as Vietnamese Windows writes them.
    if (is_word(t, i + n, "am") || is_word(t, i + n, "pm") || is_word(t, i + n, "sa") || is_word(t, i + n, "ch")) {
      if (f.hh < 1 || f.hh > 12) return false;
      const bool pm = t[i + n].text == "pm" || t[i + n].text == "ch";
      f.hh = f.hh % 12 + (pm ? 12 : 0);
      ++n;
    }
    use(t, i, n);
    return f.hh < 24 && f.mm < 60 && f.ss < 60;
  }
  return true;  // no time is fine
}

bool take_zone(std::vector<Token>& t, Found& f) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_word(t, i, "gmt") && !is_word(t, i, "utc")) continue;
    f.has_zone = true;
    std::size_t n = 1;
    if ((is_punct(t, i + 1, '+') || is_punct(t, i + 1, '-')) && is_num(t, i + 2, 1, 2)) {
      const int sign = t[i + 1].text == "-" ? -1 : 1;
      int minutes = t[i + 2].value * 60;
      n = 3;
      if (is_punct(t, i + 3, ':') && is_num(t, i + 4, 2, 2)) {
        minutes += t[i + 4].value;
        n = 5;
      }
      if (minutes > 14 * 60) return false;
      f.zone_minutes = sign * minutes;
    }
    use(t, i, n);
    return true;
  }
  return true;
}

// Label and weekday words of the known forms ("ngày đăng", "đăng lúc", "thứ tư", "chủ nhật", …).
bool allowed_word(std::string_view w) {
  static constexpr std::array<std::string_view, 26> kWords = {
      "ngay", "dang", "luc", "cap",  "nhat", "hom",  "nay",  "gio",    "thu",     "chu",       "hai",  "ba", "tu",
      "nam",  "sau",  "bay", "xuat", "ban",  "thoi", "gian", "posted", "updated", "published", "date", "on", "at"};
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

}  // namespace

namespace {

// A date line that also carries a category or a view counter, in segments split by '|':
// "Thời sự | Thứ Hai, 06/09/2022 - 06:57 | Lượt xem: 9.3k". Segments that are a view counter, or a few
// words without digits (a category) beside a segment with digits, are dropped; the rest is kept as is.
std::string drop_side_segments(const std::string& folded) {
  if (folded.find('|') == std::string::npos) return folded;
  std::vector<std::string> parts;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= folded.size(); ++i) {
    if (i == folded.size() || folded[i] == '|') {
      std::string p = folded.substr(begin, i - begin);
      const std::size_t a = p.find_first_not_of(' '), b = p.find_last_not_of(' ');
      parts.push_back(a == std::string::npos ? std::string() : p.substr(a, b - a + 1));
      begin = i + 1;
    }
  }
  auto has_digit = [](const std::string& p) { return p.find_first_of("0123456789") != std::string::npos; };
  std::string out;
  for (const std::string& p : parts) {
    const bool counter = p.rfind("luot xem", 0) == 0 || p.rfind("luot doc", 0) == 0 || p.rfind("views", 0) == 0 ||
                         p.rfind("luot thich", 0) == 0;
    const bool category = !has_digit(p) && std::count(p.begin(), p.end(), ' ') < 4 &&
                          p.find(':') == std::string::npos && !p.empty() && p.rfind("thu ", 0) != 0 && p != "chu nhat";
    if (counter || category || p.empty()) continue;
    if (!out.empty()) out += " | ";
    out += p;
  }
  return out;
}

}  // namespace

std::optional<std::string> parse_date_line(std::string_view line) {
  if (line.empty() || line.size() > 120) return std::nullopt;
  // Every form has a four-digit year: a cheap test before folding the line.
  std::size_t run = 0, longest = 0;
  for (char c : line) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  if (longest < 4) return std::nullopt;
  // Dashes and no-break spaces are common around the time; make them plain before tokenizing.
  const std::string key = search_key(line);
  std::string folded;
  folded.reserve(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) {
    const std::string_view rest = std::string_view(key).substr(i);
    if (rest.substr(0, 3) == "\u2013" || rest.substr(0, 3) == "\u2014") {
      folded.push_back('-');
      i += 2;
    } else if (rest.substr(0, 2) == "\u00A0") {
      folded.push_back(' ');
      i += 1;
    } else {
      folded.push_back(key[i]);
    }
  }
  std::vector<Token> t = tokenize(drop_side_segments(folded));
  Found f;
  if (!take_date(t, f) || !take_time(t, f) || !take_zone(t, f)) return std::nullopt;
  if (f.y < 1900 || f.y > 2100 || f.m < 1 || f.m > 12 || f.d < 1 || f.d > days_in_month(f.y, f.m)) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].used) continue;
    if (t[i].kind == Token::Kind::kWord) {
      if (!allowed_word(t[i].text)) return std::nullopt;
    } else if (t[i].kind == Token::Kind::kNumber) {
      // Only the weekday number of "Thứ 4".
      if (!(i > 0 && t[i - 1].kind == Token::Kind::kWord && t[i - 1].text == "thu" && t[i].value >= 2 &&
            t[i].value <= 7)) {
        return std::nullopt;
      }
    } else if (std::string_view(",:|-()/.;[]").find(t[i].text[0]) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", f.y, f.m, f.d);
  std::string out(buf, static_cast<std::size_t>(n));
  if (f.hh >= 0) {
    n = std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", f.hh, f.mm, f.ss);
    out.append(buf, static_cast<std::size_t>(n));
    if (f.has_zone) {
      const int z = f.zone_minutes < 0 ? -f.zone_minutes : f.zone_minutes;
      n = std::snprintf(buf, sizeof buf, "%c%02d:%02d", f.zone_minutes < 0 ? '-' : '+', z / 60, z % 60);
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  return out;
}

}  // namespace kho::ingest
