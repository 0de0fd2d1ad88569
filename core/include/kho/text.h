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

// Canonical composition / decomposition (Unicode NFC / NFD). Invalid UTF-8 is sanitized first.
std::string to_nfc(std::string_view s);
std::string to_nfd(std::string_view s);

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
