// Legacy Vietnamese encodings (kho/text.h): Windows-1258 (through the C library's iconv), VNI and TCVN3
// (tables below, from the published code charts), and the detector that tells them apart.
//
// Detection: each decoder converts the bytes; the words that hold a non-ASCII letter are checked for
// being well-formed Vietnamese syllables (an onset, one to three vowels, a coda, at most one tone, only
// Vietnamese marks). Text decoded with the wrong table yields letters such as "ö", "¸", "§" or two tones
// in one word, so the right encoding scores near 1 and the others far lower.
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "kho/text.h"

namespace kho {
namespace {

// ---- TCVN3 (TCVN 5712:1993, VN3; the ".Vn" fonts). Lower-case precomposed letters only; the capitals
// that exist are Ă Â Ê Ô Ơ Ư Đ. 0 = not a Vietnamese letter (read as Windows-1252).
constexpr std::array<std::uint16_t, 96> kTcvn3 = {
    // A0
    0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111,
    0,
    // B0
    0, 0, 0, 0, 0, 0x00E0, 0x1EA3, 0x00E3, 0x00E1, 0x1EA1, 0, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0,
    // C0
    0, 0, 0, 0, 0, 0, 0x1EB7, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0, 0x1EBB, 0x1EBD,
    // D0
    0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, 0x1EC9, 0, 0, 0, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
    // E0
    0, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3,
    0x00F9,
    // F0
    0, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5,
    0};

// ---- VNI (VNI-Windows): a base letter followed by a mark byte. Marks, as combining sequences; the
// capital form of each mark byte (0x20 lower) means the same.
struct VniMark {
  unsigned char byte;
  std::uint16_t quality;  // U+0302 circumflex, U+0306 breve, 0
  std::uint16_t tone;     // U+0300 U+0301 U+0303 U+0309 U+0323, 0
};
constexpr VniMark kVniMarks[] = {
    {0xF9, 0, 0x0301},      {0xF8, 0, 0x0300},      {0xFB, 0, 0x0309},      {0xF5, 0, 0x0303},
    {0xEF, 0, 0x0323},      {0xE2, 0x0302, 0},      {0xEA, 0x0306, 0},      {0xE1, 0x0302, 0x0301},
    {0xE0, 0x0302, 0x0300}, {0xE5, 0x0302, 0x0309}, {0xE3, 0x0302, 0x0303}, {0xE4, 0x0302, 0x0323},
    {0xE9, 0x0306, 0x0301}, {0xE8, 0x0306, 0x0300}, {0xFA, 0x0306, 0x0309}, {0xFC, 0x0306, 0x0303},
    {0xEB, 0x0306, 0x0323},
};
// Letters VNI writes as one byte.
struct VniLetter {
  unsigned char byte;
  std::uint16_t cp;
};
constexpr VniLetter kVniLetters[] = {
    {0xF1, 0x0111}, {0xD1, 0x0110}, {0xF4, 0x01A1}, {0xD4, 0x01A0}, {0xF6, 0x01B0}, {0xD6, 0x01AF},
    {0xEC, 0x00EC}, {0xCC, 0x00CC}, {0xED, 0x00ED}, {0xCD, 0x00CD}, {0xE6, 0x1EC9}, {0xC6, 0x1EC8},
    {0xF3, 0x0129}, {0xD3, 0x0128}, {0xF2, 0x1ECB}, {0xD2, 0x1ECA}, {0xEE, 0x1EF5}, {0xCE, 0x1EF4},
};

bool is_vni_base(std::uint32_t cp, std::uint16_t quality) {
  const std::uint32_t l = cp < 0x80 ? (cp | 0x20) : cp;
  if (quality == 0x0302) return l == 'a' || l == 'e' || l == 'o';
  if (quality == 0x0306) return l == 'a';
  return l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u' || l == 'y' || cp == 0x01A1 || cp == 0x01A0 ||
         cp == 0x01B0 || cp == 0x01AF || cp == 0x00E2 || cp == 0x00C2 || cp == 0x00EA || cp == 0x00CA || cp == 0x00F4 ||
         cp == 0x00D4 || cp == 0x0103 || cp == 0x0102;
}

std::string vni_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  std::uint32_t last = 0;  // the last base letter written, 0 after anything else
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) {
      out.push_back(ch);
      last = b;
      continue;
    }
    const unsigned char lower = (b >= 0xC0 && b <= 0xDF) ? static_cast<unsigned char>(b + 0x20) : b;
    bool done = false;
    for (const VniMark& m : kVniMarks) {
      if (m.byte != lower || last == 0 || !is_vni_base(last, m.quality)) continue;
      if (m.quality) append_utf8(m.quality, out);
      if (m.tone) append_utf8(m.tone, out);
      last = m.tone ? 0 : 1;  // a quality mark may still take a tone
      done = true;
      break;
    }
    if (done) continue;
    for (const VniLetter& l : kVniLetters) {
      if (l.byte == b) {
        append_utf8(l.cp, out);
        last = l.cp;
        done = true;
        break;
      }
    }
    if (!done) {
      out += cp1252_to_utf8(std::string_view(&ch, 1));
      last = 0;
    }
  }
  return to_nfc(out);
}

std::string tcvn3_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0xA0 && kTcvn3[b - 0xA0] != 0) {
      append_utf8(kTcvn3[b - 0xA0], out);
    } else if (b < 0x80) {
      out.push_back(ch);
    } else {
      out += cp1252_to_utf8(std::string_view(&ch, 1));
    }
  }
  return out;
}

std::string cp1258_to_utf8(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "CP1258");
  if (cd == reinterpret_cast<iconv_t>(-1)) return cp1252_to_utf8(bytes);
  std::string out(bytes.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size(), out_left = out.size();
  char* dst = out.data();
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1)) {
      // A byte CP1258 leaves undefined: write U+FFFD and go on.
      if (out_left < 3) break;
      std::memcpy(dst, "\xEF\xBF\xBD", 3);
      dst += 3;
      out_left -= 3;
      ++in;
      --in_left;
    }
  }
  iconv(cd, nullptr, nullptr, &dst, &out_left);  // CP1258 holds the last letter back for a tone: flush it
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return to_nfc(out);
}

// ---- syllables ----

bool is_onset(std::string_view s) {
  static constexpr std::string_view kOnsets[] = {"",   "b",  "c", "ch", "d", "g",  "gh",  "gi", "h",
                                                 "k",  "kh", "l", "m",  "n", "ng", "ngh", "nh", "p",
                                                 "ph", "qu", "r", "s",  "t", "th", "tr",  "v",  "x"};
  for (std::string_view o : kOnsets) {
    if (o == s) return true;
  }
  return false;
}
bool is_coda(std::string_view s) {
  return s.empty() || s == "c" || s == "ch" || s == "m" || s == "n" || s == "ng" || s == "nh" || s == "p" || s == "t";
}

// One word (NFC UTF-8 with at least one non-ASCII letter): a Vietnamese syllable?
bool is_vietnamese_syllable(std::string_view word) {
  const std::string nfd = to_nfd(word);
  std::string skeleton;  // lower-case ASCII letters, đ as 'd'
  int tones = 0;
  for (std::size_t i = 0; i < nfd.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = next_code_point(nfd, i, &cp);
    if (n == 0) return false;
    i += n;
    if (cp < 0x80) {
      const char c = static_cast<char>(cp | 0x20);
      if (c < 'a' || c > 'z') return false;
      skeleton.push_back(c);
    } else if (cp == 0x0111 || cp == 0x0110) {
      skeleton.push_back('d');
    } else if (cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 || cp == 0x0323) {
      ++tones;
    } else if (cp != 0x0302 && cp != 0x0306 && cp != 0x031B) {
      return false;  // a letter or mark Vietnamese does not use
    }
  }
  if (tones > 1 || skeleton.empty() || skeleton.size() > 7) return false;
  // onset + 1–3 vowels + coda
  std::size_t v = 0;
  while (v < skeleton.size() && std::string_view("aeiouy").find(skeleton[v]) == std::string_view::npos) ++v;
  std::size_t e = v;
  while (e < skeleton.size() && std::string_view("aeiouy").find(skeleton[e]) != std::string_view::npos) ++e;
  if (e == v) return false;
  std::string_view onset(skeleton.data(), v);
  std::size_t vowels = e - v;
  // "gi" and "qu" take their vowel into the onset.
  if ((onset == "g" && skeleton[v] == 'i') || (onset == "q" && skeleton[v] == 'u')) {
    onset = std::string_view(skeleton.data(), v + 1);
    if (vowels > 1) --vowels;
  }
  return is_onset(onset) && vowels <= 3 && is_coda(std::string_view(skeleton).substr(e));
}

// The share of words with a non-ASCII letter that are Vietnamese syllables, and how many such words.
std::pair<double, std::size_t> syllable_score(const std::string& text) {
  std::size_t words = 0, good = 0;
  std::size_t i = 0;
  while (i < text.size() && words < 4000) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n' && text[j] != '\r' && text[j] != '\t') ++j;
    std::string_view w(text.data() + i, j - i);
    // Strip punctuation around the word.
    while (!w.empty() && std::string_view(".,;:!?()\"'[]-").find(w.front()) != std::string_view::npos)
      w.remove_prefix(1);
    while (!w.empty() && std::string_view(".,;:!?()\"'[]-").find(w.back()) != std::string_view::npos)
      w.remove_suffix(1);
    bool non_ascii = false;
    for (char c : w) non_ascii |= static_cast<unsigned char>(c) >= 0x80;
    if (non_ascii) {
      ++words;
      good += is_vietnamese_syllable(w);
    }
    i = j;
  }
  return {words ? static_cast<double>(good) / static_cast<double>(words) : 0.0, words};
}

}  // namespace

const char* legacy_encoding_name(LegacyEncoding e) {
  switch (e) {
    case LegacyEncoding::kCp1258: return "windows-1258";
    case LegacyEncoding::kVni: return "VNI";
    case LegacyEncoding::kTcvn3: return "TCVN3";
    case LegacyEncoding::kUnknown: break;
  }
  return "unknown";
}

std::string legacy_to_utf8(std::string_view bytes, LegacyEncoding e) {
  switch (e) {
    case LegacyEncoding::kCp1258: return cp1258_to_utf8(bytes);
    case LegacyEncoding::kVni: return vni_to_utf8(bytes);
    case LegacyEncoding::kTcvn3: return tcvn3_to_utf8(bytes);
    case LegacyEncoding::kUnknown: break;
  }
  return sanitize_utf8(bytes);
}

LegacyDecode decode_legacy_vietnamese(std::string_view bytes) {
  LegacyDecode best;
  if (is_valid_utf8(bytes)) return best;
  struct Candidate {
    LegacyEncoding e;
    std::string text;
    double score = 0;
    std::size_t words = 0;
  };
  std::vector<Candidate> c;
  for (LegacyEncoding e : {LegacyEncoding::kCp1258, LegacyEncoding::kVni, LegacyEncoding::kTcvn3}) {
    Candidate k{e, legacy_to_utf8(bytes, e)};
    std::tie(k.score, k.words) = syllable_score(k.text);
    c.push_back(std::move(k));
  }
  std::stable_sort(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  if (c[0].words > 0) best.guess = c[0].e;
  // Sure enough: most words are syllables, clearly more than with the runner-up, and enough words.
  if (c[0].words >= 3 && c[0].score >= 0.85 && c[0].score - c[1].score >= 0.2) {
    best.encoding = c[0].e;
    best.text = std::move(c[0].text);
  }
  return best;
}

}  // namespace kho
