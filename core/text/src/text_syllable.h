// Private to core/src: the syllable pieces shared by compare_key and telex_repair (text_syllable.cc)
// and compare_key's table-driven fast path (text_compare.cc). Code points are NFD, lower case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kho::text_detail {

using Cp = std::int32_t;  // utf8proc_int32_t

inline constexpr Cp kDStroke = 0x0111;  // đ
// The five tone marks, and the three vowel-quality marks (circumflex, breve, horn), as NFD marks.
inline bool is_tone_mark(Cp c) {
  return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}
inline bool is_quality_mark(Cp c) { return c == 0x0302 || c == 0x0306 || c == 0x031B; }
inline bool is_vowel(Cp c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }
inline bool is_latin_letter(Cp c) { return (c >= 'a' && c <= 'z') || c == kDStroke; }

struct Letter {
  Cp base = 0;
  std::vector<Cp> marks;  // as found, in NFD order
  Cp quality = 0;         // 0 or one of the quality marks
};

// Valid UTF-8 → code points (a bad byte becomes U+FFFD), and one code point → UTF-8.
std::vector<Cp> decode(const std::string& s);
void encode(Cp cp, std::string& out);
bool is_letter(Cp c);  // general category L*
bool is_mark(Cp c);    // general category M*

// Which letter of a syllable carries the tone (the modern rule), or nullopt when it has no vowel
// nucleus of one to three vowels.
std::optional<std::size_t> tone_position(const std::vector<Letter>& w);

// compare_key for text made only of Vietnamese Latin letters, marks and common punctuation; nullopt
// sends the string to the general path (text_compare.cc).
std::optional<std::string> compare_key_fast(std::string_view s);

}  // namespace kho::text_detail
