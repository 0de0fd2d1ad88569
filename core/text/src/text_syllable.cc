// Vietnamese syllable rules (kho/text.h): where a tone mark sits (compare_key) and Telex typing-slip
// repair (telex_repair). Both work on NFD code points, one syllable (a run of letters) at a time.
#include "text_syllable.h"

#include <utf8proc.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "kho/text.h"

namespace kho {
namespace text_detail {
std::vector<Cp> decode(const std::string& s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const auto size = static_cast<utf8proc_ssize_t>(s.size());
  utf8proc_ssize_t i = 0;
  while (i < size) {
    Cp cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(data + i, size - i, &cp);
    if (n <= 0) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

void encode(Cp cp, std::string& out) { append_utf8(static_cast<std::uint32_t>(cp), out); }

bool is_letter(Cp c) {
  const utf8proc_category_t cat = utf8proc_category(c);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}
bool is_mark(Cp c) {
  const utf8proc_category_t cat = utf8proc_category(c);
  return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

namespace {

// Length of the initial consonant. "qu" and "gi" count as consonants only before another vowel
// (quả, gia), so "gì" keeps its i as the vowel.
std::size_t onset_length(const std::vector<Letter>& w) {
  auto at = [&](std::size_t i) -> Cp { return i < w.size() ? w[i].base : 0; };
  if (at(0) == 'q' && at(1) == 'u' && is_vowel(at(2))) return 2;
  if (at(0) == 'g' && at(1) == 'i' && is_vowel(at(2))) return 2;
  static const char* const kClusters[] = {"ngh", "ng", "nh", "ch", "gh", "kh", "ph", "th", "tr"};
  for (const char* c : kClusters) {
    std::size_t k = 0;
    while (c[k] != '\0' && at(k) == c[k]) ++k;
    if (c[k] == '\0') return k;
  }
  if (!w.empty() && is_latin_letter(w[0].base) && !is_vowel(w[0].base)) return 1;
  return 0;
}

struct Shape {
  std::size_t onset = 0, nucleus_begin = 0, nucleus_end = 0;  // [begin, end) are the vowels
};

Shape shape_of(const std::vector<Letter>& w) {
  Shape s;
  s.onset = onset_length(w);
  s.nucleus_begin = s.onset;
  s.nucleus_end = s.onset;
  while (s.nucleus_end < w.size() && is_vowel(w[s.nucleus_end].base)) ++s.nucleus_end;
  return s;
}

// A well-formed Vietnamese syllable: onset, one to three vowels, and one of the allowed finals.
bool well_formed(const std::vector<Letter>& w) {
  const Shape s = shape_of(w);
  const std::size_t n = s.nucleus_end - s.nucleus_begin;
  if (n < 1 || n > 3) return false;
  std::string fin;
  for (std::size_t i = s.nucleus_end; i < w.size(); ++i) {
    if (w[i].base > 0x7F) return false;
    fin.push_back(static_cast<char>(w[i].base));
  }
  return fin.empty() || fin == "c" || fin == "ch" || fin == "m" || fin == "n" || fin == "ng" || fin == "nh" ||
         fin == "p" || fin == "t";
}

}  // namespace

// Which letter carries the tone, by the modern rule: a vowel with a quality mark (the last one, so
// ươ → ơ); else the only vowel; else the middle of three; else of two, the second when a final
// consonant follows or for oa/oe/uy (hoà, khoẻ, thuỷ), the first otherwise (mía, múa, hài).
std::optional<std::size_t> tone_position(const std::vector<Letter>& w) {
  const Shape s = shape_of(w);
  const std::size_t n = s.nucleus_end - s.nucleus_begin;
  if (n == 0 || n > 3) return std::nullopt;
  for (std::size_t i = s.nucleus_end; i-- > s.nucleus_begin;) {
    if (w[i].quality != 0) return i;
  }
  if (n == 1) return s.nucleus_begin;
  if (n == 3) return s.nucleus_begin + 1;
  const Cp a = w[s.nucleus_begin].base, b = w[s.nucleus_begin + 1].base;
  const bool closed = s.nucleus_end < w.size();
  if (closed || (a == 'o' && (b == 'a' || b == 'e')) || (a == 'u' && b == 'y')) {
    return s.nucleus_begin + 1;
  }
  return s.nucleus_begin;
}

void emit_letters(const std::vector<Letter>& w, std::optional<std::size_t> tone_at, Cp tone,
                  std::string& out) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    encode(w[i].base, out);
    if (w[i].quality != 0) encode(w[i].quality, out);
    if (tone_at && *tone_at == i) encode(tone, out);
  }
}

}  // namespace text_detail

namespace {

using namespace text_detail;

// Splits NFD text into syllables (runs of letters with their marks) and everything else, and lets
// `fix` rewrite each syllable. `fix` returns false to keep the syllable as it was.
template <typename Fix>
std::string for_each_syllable(const std::vector<Cp>& cps, Fix fix) {
  std::string out;
  out.reserve(cps.size() * 2);
  std::size_t i = 0;
  while (i < cps.size()) {
    if (!is_letter(cps[i])) {
      encode(cps[i], out);
      ++i;
      continue;
    }
    const std::size_t begin = i;
    std::vector<Letter> word;
    while (i < cps.size() && (is_letter(cps[i]) || (is_mark(cps[i]) && !word.empty()))) {
      if (is_letter(cps[i])) {
        word.push_back(Letter{cps[i], {}, 0});
      } else {
        word.back().marks.push_back(cps[i]);
      }
      ++i;
    }
    if (!fix(word, out)) {
      for (std::size_t k = begin; k < i; ++k) encode(cps[k], out);
    }
  }
  return out;
}

// Sorts a syllable's marks into quality and tone. False when it is not Vietnamese (other letters or
// marks, or two tones).
bool classify(std::vector<Letter>& word, Cp& tone, std::optional<std::size_t>& tone_index) {
  tone = 0;
  tone_index.reset();
  for (std::size_t i = 0; i < word.size(); ++i) {
    Letter& l = word[i];
    if (!is_latin_letter(l.base)) return false;
    for (Cp m : l.marks) {
      if (is_quality_mark(m) && l.quality == 0) {
        l.quality = m;
      } else if (is_tone_mark(m) && tone == 0) {
        tone = m;
        tone_index = i;
      } else {
        return false;
      }
    }
  }
  return true;
}

Cp telex_tone(Cp c) {
  switch (c) {
    case 's':
      return 0x0301;
    case 'f':
      return 0x0300;
    case 'r':
      return 0x0309;
    case 'x':
      return 0x0303;
    case 'j':
      return 0x0323;
    default:
      return 0;
  }
}

// Applies doubled letters and w inside the vowels: aa→â, ee→ê, oo→ô, aw→ă, ow→ơ, uw→ư, uow→ươ.
bool apply_vowel_keys(std::vector<Letter>& w, std::size_t from) {
  bool changed = false;
  std::vector<Letter> out(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(from));
  for (std::size_t i = from; i < w.size(); ++i) {
    const Cp c = w[i].base;
    if (!out.empty() && out.back().quality == 0 && out.size() > from) {
      Letter& prev = out.back();
      if ((c == 'a' || c == 'e' || c == 'o') && prev.base == c) {
        prev.quality = 0x0302;
        changed = true;
        continue;
      }
      if (c == 'w' && (prev.base == 'a' || prev.base == 'o' || prev.base == 'u')) {
        prev.quality = prev.base == 'a' ? 0x0306 : 0x031B;
        // "uow": the horn goes on both vowels of ươ.
        if (prev.base == 'o' && out.size() >= 2 && out[out.size() - 2].base == 'u') {
          out[out.size() - 2].quality = 0x031B;
        }
        changed = true;
        continue;
      }
    }
    out.push_back(w[i]);
  }
  w.swap(out);
  return changed;
}

}  // namespace

std::string compare_key(std::string_view s) {
  // ASCII has no marks to move: the key is the lower-case text (names like DSC_0042.JPG).
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return fold_case(s);
  }
  if (auto fast = text_detail::compare_key_fast(s)) return *std::move(fast);
  const std::vector<Cp> cps = decode(to_nfd(fold_case(s)));
  std::string out = for_each_syllable(cps, [](std::vector<Letter>& word, std::string& o) {
    Cp tone = 0;
    std::optional<std::size_t> at;
    if (!classify(word, tone, at) || tone == 0) return false;
    const std::optional<std::size_t> canonical = tone_position(word);
    emit_letters(word, canonical ? canonical : at, tone, o);
    return true;
  });
  return to_nfc(out);
}

std::string telex_repair(std::string_view s) {
  const std::vector<Cp> cps = decode(to_nfd(s));
  std::string out = for_each_syllable(cps, [](std::vector<Letter>& original, std::string& o) {
    std::vector<Letter> word = original;
    for (Letter& l : word) l.base = utf8proc_tolower(l.base);
    Cp tone = 0;
    std::optional<std::size_t> at;
    if (!classify(word, tone, at)) return false;
    bool changed = false;
    if (word.size() >= 2 && word[0].base == 'd' && word[1].base == 'd' && word[0].quality == 0) {
      word.erase(word.begin());
      word[0].base = kDStroke;
      changed = true;
    }
    // A tone key is a tone letter after the first vowel: no Vietnamese syllable has s, f, r, x or j
    // there, while s, r and x are common initials.
    std::size_t first_vowel = 0;
    while (first_vowel < word.size() && !is_vowel(word[first_vowel].base)) ++first_vowel;
    std::vector<Letter> kept(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(first_vowel));
    Cp key_tone = 0;
    for (std::size_t i = first_vowel; i < word.size(); ++i) {
      const Cp t = telex_tone(word[i].base);
      if (t != 0 && word[i].quality == 0 && word[i].marks.empty()) {
        key_tone = t;
        changed = true;
      } else {
        kept.push_back(word[i]);
      }
    }
    if (key_tone != 0 && tone != 0) return false;  // a tone mark and a tone key: do not guess
    if (key_tone != 0) tone = key_tone;
    if (apply_vowel_keys(kept, first_vowel)) changed = true;
    if (!changed || !well_formed(kept)) return false;
    emit_letters(kept, tone != 0 ? tone_position(kept) : std::nullopt, tone, o);
    return true;
  });
  return to_nfc(out);
}

}  // namespace kho
