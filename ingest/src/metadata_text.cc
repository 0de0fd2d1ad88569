// Text decoding for metadata: legacy 8-bit strings, UCS-2, EXIF UserComment prefixes, NFC, dates.
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "kho/text.h"
#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

std::string_view cut_at_nul(std::string_view s) {
  auto nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0';
  });
}

// JIS X 0208 as raw 2-byte codes (what the EXIF spec means by "JIS"): shifted into EUC-JP, which
// iconv knows. Writers that put Shift_JIS behind the JIS prefix are read as Shift_JIS instead.
std::optional<std::string> decode_jis(std::string_view s) {
  bool has_high = std::any_of(s.begin(), s.end(), [](char c) { return (c & 0x80) != 0; });
  std::string input;
  const char* charset = "SHIFT_JIS";
  if (!has_high) {
    charset = "EUC-JP";
    bool escaped = s.find('\x1b') != std::string_view::npos;
    if (escaped) {
      charset = "ISO-2022-JP";
      input = s;
    } else {
      input.reserve(s.size());
      for (char c : s) input.push_back(static_cast<char>(static_cast<unsigned char>(c) | 0x80));
    }
  } else {
    input = s;
  }
  iconv_t cd = iconv_open("UTF-8", charset);
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(input.size() * 4 + 16, '\0');
  char* in_ptr = input.data();
  std::size_t in_left = input.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// "+07:00", "-0500", "Z" → "+07:00"; empty for anything else.
std::string normalize_offset(std::string_view off) {
  std::string t = trim(off);
  if (t == "Z") return "Z";
  if (t.size() < 5 || (t[0] != '+' && t[0] != '-')) return {};
  std::string_view v = t;
  int hh = digits(v, 1, 2);
  std::size_t mpos = v[3] == ':' ? 4 : 3;
  int mm = digits(v, mpos, 2);
  if (hh < 0 || hh > 14 || mm < 0 || mm > 59 || mpos + 2 != v.size()) return {};
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", v[0], hh, mm);
  return buf;
}

}  // namespace

std::string meta_text(std::string_view s) { return to_nfc(s, InvalidUtf8::kWindows1252); }

std::string decode_8bit(std::string_view s) { return meta_text(cut_at_nul(s)); }

std::string decode_utf16(std::span<const std::uint8_t> bytes, bool little_endian) {
  return to_nfc(utf16_to_utf8({reinterpret_cast<const char*>(bytes.data()), bytes.size()}, little_endian));
}

std::optional<std::string> decode_user_comment(std::span<const std::uint8_t> bytes, bool little_endian) {
  if (bytes.size() < 8) {
    std::string_view raw(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (is_blank(raw)) return std::nullopt;
    return trim(decode_8bit(raw));
  }
  std::string_view prefix(reinterpret_cast<const char*>(bytes.data()), 8);
  auto body = bytes.subspan(8);
  std::string_view body_text(reinterpret_cast<const char*>(body.data()), body.size());
  std::string text;
  if (prefix == std::string_view("UNICODE\0", 8)) {
    text = decode_utf16(body, little_endian);
  } else if (prefix == std::string_view("JIS\0\0\0\0\0", 8)) {
    auto jis = decode_jis(cut_at_nul(body_text));
    text = jis ? meta_text(*jis) : decode_8bit(body_text);
  } else if (prefix == std::string_view("ASCII\0\0\0", 8) ||
             prefix == std::string_view("\0\0\0\0\0\0\0\0", 8)) {
    // ASCII by the spec, but writers put UTF-8 or Latin-1 there: decode_8bit keeps either right.
    text = decode_8bit(body_text);
  } else {
    // No known prefix: some writers omit it. Read the whole field as 8-bit text.
    text = decode_8bit(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  text = trim(text);
  if (text.empty()) return std::nullopt;
  return text;
}

std::string trim(std::string_view s) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return std::string(s);
}

bool is_placeholder_description(std::string_view text, std::string_view make, std::string_view model) {
  std::string t = trim(text);
  if (t.empty()) return true;
  std::string upper = t;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto upper_of = [](std::string_view s) {
    std::string u = trim(s);
    for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  };
  auto ends_with = [&](std::string_view suffix) {
    return upper.size() >= suffix.size() && upper.compare(upper.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  // The stock strings of camera firmware (Olympus, Sanyo, Konica Minolta, GE, Sony, Epson, Samsung).
  if (ends_with("DIGITAL CAMERA") || ends_with("DIGITAL STILL CAMERA") || upper == "SONY DSC" ||
      ends_with(" DSC PICTURE") || upper == "SAMSUNG CAMERA PICTURES" || upper == "DEFAULT" ||
      upper == "IMAGE" || upper == "PICTURE" || upper == "DIGITAL IMAGE") {
    return true;
  }
  // The camera's own name again ("WWL", "GC-X1E Image").
  std::string umake = upper_of(make), umodel = upper_of(model);
  if ((!umake.empty() && (upper == umake || upper == umake + " IMAGE")) ||
      (!umodel.empty() && (upper == umodel || upper == umodel + " IMAGE"))) {
    return true;
  }
  // A bare file name counter such as DSC00019, IMG_1234, DSCN0010, PICT0001.
  std::size_t letters = 0;
  while (letters < upper.size() && std::isalpha(static_cast<unsigned char>(upper[letters]))) ++letters;
  std::size_t pos = letters;
  if (pos < upper.size() && (upper[pos] == '_' || upper[pos] == '-')) ++pos;
  if (letters >= 3 && letters <= 4 && pos < upper.size() &&
      std::all_of(upper.begin() + static_cast<std::ptrdiff_t>(pos), upper.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    return true;
  }
  return false;
}

std::optional<std::string> exif_datetime_to_iso(std::string_view datetime, std::string_view subsec,
                                                std::string_view offset) {
  std::string dt = trim(datetime);
  std::string_view v = dt;
  if (v.size() < 10) return std::nullopt;
  int year = digits(v, 0, 4), month = digits(v, 5, 2), day = digits(v, 8, 2);
  if (year <= 0 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  if ((v[4] != ':' && v[4] != '-') || (v[7] != ':' && v[7] != '-')) return std::nullopt;
  char buf[32];
  if (v.size() < 16) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return std::string(buf);
  }
  int hh = digits(v, 11, 2), mi = digits(v, 14, 2);
  int ss = v.size() >= 19 ? digits(v, 17, 2) : 0;
  if ((v[10] != ' ' && v[10] != 'T') || hh < 0 || hh > 24 || mi < 0 || mi > 59 || ss < 0 || ss > 60) {
    return std::nullopt;
  }
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hh, mi, ss);
  std::string iso = buf;
  std::string_view rest = v.size() > 19 ? v.substr(19) : std::string_view{};
  // XMP-style dates carry their own fraction and offset after the seconds.
  std::string frac;
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
    frac = std::string(rest.substr(1, n - 1));
    rest.remove_prefix(n);
  }
  std::string sub = trim(subsec);
  if (frac.empty() && !sub.empty() &&
      std::all_of(sub.begin(), sub.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    frac = sub;
  }
  if (!frac.empty()) iso += "." + frac;
  std::string off = normalize_offset(rest);
  if (off.empty()) off = normalize_offset(offset);
  iso += off;
  return iso;
}

std::optional<double> dms_to_degrees(const std::vector<double>& dms, std::string_view ref, double limit) {
  if (dms.empty()) return std::nullopt;
  double deg = dms[0];
  if (dms.size() > 1) deg += dms[1] / 60.0;
  if (dms.size() > 2) deg += dms[2] / 3600.0;
  if (!std::isfinite(deg) || deg < 0 || deg > limit) return std::nullopt;
  std::string r = trim(ref);
  if (!r.empty() && (r[0] == 'S' || r[0] == 's' || r[0] == 'W' || r[0] == 'w')) deg = -deg;
  return deg;
}

}  // namespace kho::ingest::detail
