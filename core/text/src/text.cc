// UTF-8 validation, normalization and the search key (kho/text.h). Syllable rules live in
// text_syllable.cc, word splitting and edit distance in text_search.cc.
#include "kho/text.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace kho {
namespace {

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 when s[i] does not start one.
std::size_t valid_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return n;
}

// Runs utf8proc_map on valid UTF-8. Returns the input unchanged if utf8proc refuses it (it should not:
// the input was validated), so callers never see a failure.
std::string map_utf8(std::string_view valid, int options) {
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid.data()),
                                          static_cast<utf8proc_ssize_t>(valid.size()), &out,
                                          static_cast<utf8proc_option_t>(options));
  if (n < 0 || out == nullptr) {
    std::free(out);
    return std::string(valid);
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> holder(out, &std::free);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

// True when every code point of valid UTF-8 `s` is one that NFC keeps as is and that never composes
// with its neighbour: ASCII, Latin-1 to Latin Extended-B (U+00A0–U+024F), Latin Extended Additional
// (U+1E00–U+1EFF, the precomposed Vietnamese letters), general punctuation without the two singleton
// quads (U+2002–U+206F), currency signs and U+FFFD. Combining marks (U+0300…) are not in these ranges.
bool nfc_stable(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    std::size_t n = 0;
    if (b0 < 0xE0) {
      n = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 < 0xF0) {
      n = 3;
      cp = b0 & 0x0Fu;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    const bool stable = (cp >= 0xA0 && cp <= 0x24F) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
                        (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20BF) || cp == 0xFFFD;
    if (!stable) return false;
    i += n;
  }
  return true;
}

std::string valid_copy(std::string_view s) { return is_valid_utf8(s) ? std::string(s) : sanitize_utf8(s); }

void ascii_lower(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// đ (U+0111, "\xC4\x91") has no decomposition, so utf8proc keeps it: the Vietnamese rule maps it to d.
void replace_d_stroke(std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\xC4' && i + 1 < s.size() && s[i + 1] == '\x91') {
      out.push_back('d');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  s.swap(out);
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // Skip ASCII eight bytes at a time: most of an article is ASCII letters and spaces.
    while (i + 8 <= s.size()) {
      std::uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = valid_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::size_t next_code_point(std::string_view s, std::size_t i, std::uint32_t* cp) {
  if (i >= s.size()) return 0;
  const std::size_t n = valid_sequence_length(s, i);
  if (n == 0) return 0;
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::uint32_t v = n == 1 ? b0 : n == 2 ? (b0 & 0x1Fu) : n == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (std::size_t k = 1; k < n; ++k) v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
  *cp = v;
  return n;
}

CharClass char_class(std::uint32_t cp) {
  if (cp > 0x10FFFF) return CharClass::kOther;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT:
      return CharClass::kUpper;
    case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return CharClass::kNumber;
    default:
      return CharClass::kOther;
  }
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = valid_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for this one byte; resynchronize on the next
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string to_nfc(std::string_view s, InvalidUtf8 invalid) {
  std::string without_nuls;
  if (invalid == InvalidUtf8::kWindows1252 && s.find('\0') != std::string_view::npos) {
    without_nuls.assign(s);
    std::erase(without_nuls, '\0');
    s = without_nuls;
  }
  if (is_ascii(s)) return std::string(s);
  std::string sanitized;
  std::string_view valid = s;
  if (!is_valid_utf8(s)) {
    if (invalid == InvalidUtf8::kWindows1252) {
      sanitized = cp1252_to_utf8(s);
    } else {
      sanitized = sanitize_utf8(s);
    }
    valid = sanitized;
  }
  // Most text is already NFC: normalize only the lines that hold a code point outside the ranges known
  // to be stable (a line break is a starter that never composes, so lines normalize independently).
  std::string out;
  out.reserve(valid.size());
  std::size_t begin = 0;
  while (begin < valid.size()) {
    std::size_t end = valid.find('\n', begin);
    end = end == std::string::npos ? valid.size() : end + 1;
    const std::string_view line = valid.substr(begin, end - begin);
    if (nfc_stable(line)) {
      out.append(line);
    } else {
      out += map_utf8(line, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    }
    begin = end;
  }
  return out;
}

std::string to_nfd(std::string_view s) {
  if (is_ascii(s)) return std::string(s);
  return map_utf8(valid_copy(s), UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
}

std::string fold_case(std::string_view s) {
  std::string out(s);
  if (is_ascii(s)) {
    ascii_lower(out);
    return out;
  }
  return map_utf8(valid_copy(s), UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

namespace {

constexpr int kFoldOptions = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;

// The search key of one code point, for the code points of Vietnamese text: Latin up to the combining
// marks (U+0000–U+036F), Latin Extended Additional (U+1E00–U+1EFF) and general punctuation
// (U+2000–U+206F). No two of these compose with each other once marks are stripped, so folding them one
// by one gives what folding the whole string gives. -1 for other code points.
int fold_slot(std::uint32_t cp) {
  if (cp < 0x370) return static_cast<int>(cp);
  if (cp >= 0x1E00 && cp <= 0x1EFF) return static_cast<int>(0x370 + (cp - 0x1E00));
  if (cp >= 0x2000 && cp <= 0x206F) return static_cast<int>(0x470 + (cp - 0x2000));
  return -1;
}

const std::vector<std::string>& fold_table() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(0x470 + 0x70);
    for (std::uint32_t cp = 0; cp < 0x2070; ++cp) {
      const int slot = fold_slot(cp);
      if (slot < 0) continue;
      utf8proc_uint8_t buf[4];
      const auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
      std::string one = map_utf8(
          std::string_view(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)), kFoldOptions);
      replace_d_stroke(one);
      t[static_cast<std::size_t>(slot)] = std::move(one);
    }
    return t;
  }();
  return table;
}

}  // namespace

std::string search_key(std::string_view s) {
  std::string out(s);
  if (is_ascii(s)) {
    ascii_lower(out);
    return out;
  }
  const std::string valid = valid_copy(s);
  // Fast path: fold code point by code point through the table.
  const std::vector<std::string>& table = fold_table();
  out.clear();
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(valid.data());
  const auto size = static_cast<utf8proc_ssize_t>(valid.size());
  bool fast = true;
  for (utf8proc_ssize_t i = 0; i < size && fast;) {
    if (data[i] < 0x80) {
      const char c = static_cast<char>(data[i]);
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(data + i, size - i, &cp);
    const int slot = n > 0 ? fold_slot(static_cast<std::uint32_t>(cp)) : -1;
    if (slot < 0) {
      fast = false;
    } else {
      out += table[static_cast<std::size_t>(slot)];
      i += n;
    }
  }
  if (fast) return out;
  // Other scripts: CASEFOLD turns Đ into đ; STRIPMARK drops the marks once decomposed.
  out = map_utf8(valid, kFoldOptions);
  replace_d_stroke(out);
  return out;
}

}  // namespace kho
