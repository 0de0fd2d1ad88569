// Vietnamese text: normalization, the derived keys used for matching and search, and typing-slip repair.
//
// Stored text is NFC exactly as written; these functions only derive keys from it and never replace it
// (STYLE.md, example 12). Every function accepts any bytes: input that is not valid UTF-8 is first
// sanitized (each invalid byte becomes U+FFFD), so nothing here fails or throws on hostile input.
// All functions are pure and thread-safe. utf8proc does the Unicode tables; only the Vietnamese rules
// (đ→d, where the tone mark sits) are ours.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kho {

// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// A copy of `s` where each byte that is not part of a well-formed UTF-8 sequence becomes U+FFFD.
std::string sanitize_utf8(std::string_view s);

// How to_nfc() reads a string that is not well-formed UTF-8.
enum class InvalidUtf8 {
  kReplace,      // each invalid byte becomes U+FFFD (article text, file names: the default)
  kWindows1252,  // the whole string is read as Windows-1252, the "Latin" that legacy metadata writers
                 // mean (EXIF ASCII, IPTC without a charset marker); NULs are dropped from any input
};

// Canonical composition / decomposition (Unicode NFC / NFD). Invalid UTF-8 is sanitized first, as
// `invalid` says (to_nfd always replaces).
std::string to_nfc(std::string_view s, InvalidUtf8 invalid = InvalidUtf8::kReplace);
std::string to_nfd(std::string_view s);

// Windows-1252 bytes to UTF-8 (0x80–0x9F through the Windows table; its five holes stay the C1 control
// of the same value). Every input is accepted.
std::string cp1252_to_utf8(std::string_view s);

// UTF-16 code units to UTF-8: surrogate pairs joined, lone surrogates become U+FFFD, an odd last byte is
// dropped, and decoding stops at a NUL code unit. A leading BOM (FF FE or FE FF) overrides
// `little_endian` and is not copied.
std::string utf16_to_utf8(std::string_view bytes, bool little_endian);

// Legacy Vietnamese 8-bit encodings that old newsroom files use (text_legacy.cc).
enum class LegacyEncoding {
  kUnknown,  // not recognised with confidence: the caller refuses the file rather than guess
  kCp1258,   // Windows-1258: base letters plus combining tone marks (0xCC 0xD2 0xDE 0xEC 0xF2)
  kVni,      // VNI (VNI-Windows fonts): a Latin-1 base letter followed by a mark byte (0xF8 ù, 0xF9 ø, …)
  kTcvn3,    // TCVN3 / ABC (.VnTime fonts): one byte per precomposed lower-case letter
};
const char* legacy_encoding_name(LegacyEncoding e);  // "windows-1258", "VNI", "TCVN3", "unknown"

struct LegacyDecode {
  LegacyEncoding encoding = LegacyEncoding::kUnknown;
  std::string text;                                 // NFC UTF-8; empty when kUnknown
  LegacyEncoding guess = LegacyEncoding::kUnknown;  // the best candidate even when unsure (for messages)
};

// Recognises bytes that are not UTF-8 as one of the legacy Vietnamese encodings by their byte patterns
// (which high bytes occur, and after which letters) and converts them to NFC UTF-8. Each encoding is
// scored by how many of the converted words are well-formed Vietnamese syllables; the best must win
// clearly, else kUnknown. Pure ASCII or valid UTF-8 input gives kUnknown (nothing to convert).
LegacyDecode decode_legacy_vietnamese(std::string_view bytes);

// One legacy encoding to NFC UTF-8, unconditionally (tests, and callers that know the encoding).
std::string legacy_to_utf8(std::string_view bytes, LegacyEncoding e);

// The well-formed UTF-8 sequence at s[i]: its length in bytes (1–4), with its code point in `*cp`; 0 when
// s[i] does not start one (then `*cp` is untouched) or i is past the end.
std::size_t next_code_point(std::string_view s, std::size_t i, std::uint32_t* cp);

// The Unicode general category of a code point, in the groups Kho's rules look at.
enum class CharClass {
  kUpper,   // Lu, Lt: starts a capitalised word
  kLetter,  // Ll, Lm, Lo
  kMark,    // Mn, Mc, Me: combining marks (NFD tone and vowel marks)
  kNumber,  // Nd, Nl, No
  kOther,   // spaces, punctuation, symbols, controls, unassigned
};
CharClass char_class(std::uint32_t cp);

// Appends code point `cp` (≤ U+10FFFF, not a surrogate; others become U+FFFD) to `out` as UTF-8.
void append_utf8(std::uint32_t cp, std::string& out);
// NFC with full Unicode case folding ("Ảnh.JPG" → "ảnh.jpg"). Marks are kept.
std::string fold_case(std::string_view s);

// Lower case with every mark removed and đ→d: "Đoàn Công Tác" → "doan cong tac". The same for NFC and
// NFD input. Punctuation, digits and spaces are kept as they are.
std::string search_key(std::string_view s);

// Lower-case NFC in which each syllable's tone mark sits where the modern rule puts it, so the old and
// new placements compare equal: "hòa" and "hoà" → "hoà", "ủy" and "uỷ" → "uỷ", "khỏe" → "khoẻ".
// Every other mark is kept ("thăm" ≠ "tham"). Syllables that are not Vietnamese are only lower-cased.
std::string compare_key(std::string_view s);

// Repairs Telex typing slips syllable by syllable, for matching file names only (never for stored text):
// a tone key left in the word ("toanf" → "toàn", "vieecj" → "việc"), doubled letters and w ("aa" → "â",
// "dd" → "đ", "ow" → "ơ", "uw" → "ư", "aw" → "ă"). A syllable is changed only when the repaired result is a
// well-formed Vietnamese syllable; everything else (English words, numbers) is returned unchanged.
// Changed syllables come out lower case; the result is NFC.
std::string telex_repair(std::string_view s);

// The text split into words, each as its search key; punctuation and spaces are dropped:
// "TP.Thanh Hóa, 2020" → {"tp", "thanh", "hoa", "2020"}. What the search index stores and queries with.
std::vector<std::string> search_terms(std::string_view s);

// Levenshtein distance counted in code points. Used by the linker's fuzzy stage on folded keys.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace kho
