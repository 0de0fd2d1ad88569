// compare_key's fast path (text_syllable.h): table-driven, for Vietnamese text.
#include <utf8proc.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/text.h"
#include "text_syllable.h"

namespace kho::text_detail {
namespace {

// compare_key's fast path for Vietnamese text: every code point is looked up in a table (built once from
// utf8proc) that splits a lower-cased letter into base, vowel-quality mark and tone mark, and composes it
// back. Code points outside the table's ranges, letters that are not Vietnamese Latin, stray or doubled
// marks send the whole string to the general path, so both paths always agree.
struct Piece {
  enum class Kind : std::uint8_t { kOther, kLetter, kToneMark, kQualityMark, kPass } kind = Kind::kOther;
  Cp base = 0, quality = 0, tone = 0;
  std::string folded;  // kPass: the case-folded code point
};

int piece_slot(Cp cp) {
  if (cp >= 0 && cp < 0x370) return cp;
  if (cp >= 0x1E00 && cp <= 0x1EFF) return 0x370 + (cp - 0x1E00);
  if (cp >= 0x2000 && cp <= 0x206F) return 0x470 + (cp - 0x2000);
  return -1;
}

struct PieceTable {
  std::vector<Piece> pieces;
  std::map<std::uint64_t, Cp> compose;  // (base, quality, tone) → precomposed lower-case code point
  static std::uint64_t key(Cp base, Cp quality, Cp tone) {
    return static_cast<std::uint64_t>(base) << 42 | static_cast<std::uint64_t>(quality) << 21 |
           static_cast<std::uint64_t>(tone);
  }
};

const PieceTable& piece_table() {
  static const PieceTable table = [] {
    PieceTable t;
    t.pieces.resize(0x470 + 0x70);
    for (Cp cp = 0; cp < 0x2070; ++cp) {
      const int slot = piece_slot(cp);
      if (slot < 0) continue;
      Piece& p = t.pieces[static_cast<std::size_t>(slot)];
      std::string one;
      encode(cp, one);
      if (is_tone_mark(cp)) {
        p.kind = Piece::Kind::kToneMark;
      } else if (is_quality_mark(cp)) {
        p.kind = Piece::Kind::kQualityMark;
      } else if (is_mark(cp)) {
        p.kind = Piece::Kind::kOther;
      } else if (!is_letter(cp)) {
        p.kind = Piece::Kind::kPass;
        p.folded = fold_case(one);
      } else {
        const std::string folded = fold_case(one);
        const std::vector<Cp> parts = decode(to_nfd(folded));
        if (parts.empty() || !is_latin_letter(parts[0])) continue;  // kOther
        p.base = parts[0];
        bool ok = true;
        for (std::size_t k = 1; k < parts.size() && ok; ++k) {
          if (is_quality_mark(parts[k]) && p.quality == 0) {
            p.quality = parts[k];
          } else if (is_tone_mark(parts[k]) && p.tone == 0) {
            p.tone = parts[k];
          } else {
            ok = false;
          }
        }
        if (!ok) continue;
        p.kind = Piece::Kind::kLetter;
        if (folded == one) t.compose[PieceTable::key(p.base, p.quality, p.tone)] = cp;
      }
    }
    return t;
  }();
  return table;
}

}  // namespace

std::optional<std::string> compare_key_fast(std::string_view s) {
  if (!is_valid_utf8(s)) return std::nullopt;
  const PieceTable& table = piece_table();
  std::string out;
  out.reserve(s.size());
  std::vector<Letter> word;
  std::vector<Cp> tones;  // parallel to word
  auto flush = [&]() -> bool {
    std::optional<std::size_t> at;
    for (std::size_t i = 0; i < tones.size(); ++i) {
      if (tones[i] == 0) continue;
      if (at) return false;  // two tones: the general path decides
      at = i;
    }
    std::optional<std::size_t> place = at;
    if (at) {
      if (auto canonical = tone_position(word)) place = canonical;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
      const Cp tone = (place && *place == i) ? tones[*at] : 0;
      auto it = table.compose.find(PieceTable::key(word[i].base, word[i].quality, tone));
      if (it == table.compose.end()) return false;
      encode(it->second, out);
    }
    word.clear();
    tones.clear();
    return true;
  };
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const auto size = static_cast<utf8proc_ssize_t>(s.size());
  for (utf8proc_ssize_t i = 0; i < size;) {
    Cp cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(data + i, size - i, &cp);
    const int slot = n > 0 ? piece_slot(cp) : -1;
    if (slot < 0) return std::nullopt;
    const Piece& p = table.pieces[static_cast<std::size_t>(slot)];
    switch (p.kind) {
      case Piece::Kind::kLetter:
        word.push_back(Letter{p.base, {}, p.quality});
        tones.push_back(p.tone);
        break;
      case Piece::Kind::kToneMark:
        if (word.empty() || tones.back() != 0) return std::nullopt;
        tones.back() = cp;
        break;
      case Piece::Kind::kQualityMark:
        if (word.empty() || word.back().quality != 0) return std::nullopt;
        word.back().quality = cp;
        break;
      case Piece::Kind::kPass:
        if (!flush()) return std::nullopt;
        out += p.folded;
        break;
      case Piece::Kind::kOther:
        return std::nullopt;
    }
    i += n;
  }
  if (!flush()) return std::nullopt;
  return out;
}

}  // namespace kho::text_detail
