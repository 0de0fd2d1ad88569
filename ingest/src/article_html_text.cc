// The HTML reader's character set step and text helpers (article_html_internal.h).
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <string>
#include <string_view>

#include "article_html_internal.h"
#include "article_parser_internal.h"
#include "kho/text.h"

namespace kho::ingest::detail {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_charset_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.';
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool is_utf8_name(std::string_view cs) { return cs == "utf-8" || cs == "utf8" || cs == "unicode-1-1-utf-8"; }

// Names browsers treat as Latin-1 mean Windows-1252 (the WHATWG encoding standard); the rest go to iconv
// as written.
std::string iconv_name(std::string_view cs) {
  if (cs == "iso-8859-1" || cs == "latin1" || cs == "us-ascii" || cs == "ascii" || cs == "l1") return "CP1252";
  if (cs == "windows-1258" || cs == "cp1258" || cs == "x-cp1258") return "CP1258";
  return std::string(cs);
}

// The space characters clean_text collapses, at s[i]: their byte length, else 0.
std::size_t space_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c < 0xC2) return 0;
  std::uint32_t cp = 0;
  const std::size_t n = next_code_point(s, i, &cp);
  if (n == 0) return 0;
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF ||
      cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029) {
    return n;
  }
  return 0;
}

bool iequals_at(std::string_view s, std::size_t i, std::string_view lower_word) {
  if (i + lower_word.size() > s.size()) return false;
  for (std::size_t k = 0; k < lower_word.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(s[i + k])) != lower_word[k]) return false;
  }
  return true;
}

std::size_t ifind(std::string_view s, std::size_t from, std::string_view lower_word) {
  while (from < s.size()) {
    const std::size_t lt = s.find('<', from);
    if (lt == std::string_view::npos) return std::string_view::npos;
    if (iequals_at(s, lt, lower_word)) return lt;
    from = lt + 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::string drop_late_doctypes(std::string_view html) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; };
  // Leading white space and comments, then the one DOCTYPE that counts.
  std::size_t i = 0;
  for (;;) {
    while (i < html.size() && blank(html[i])) ++i;
    if (html.compare(i, 4, "<!--") != 0) break;
    const std::size_t end = html.find("-->", i + 4);
    i = end == std::string_view::npos ? html.size() : end + 3;
  }
  if (iequals_at(html, i, "<!doctype")) {
    const std::size_t gt = html.find('>', i);
    i = gt == std::string_view::npos ? html.size() : gt + 1;
  }
  std::string out(html.substr(0, i));
  out.reserve(html.size());
  // A DOCTYPE token ends at the first '>' (or the end of the page), quoted identifiers or not.
  for (std::size_t from = i; from < html.size();) {
    const std::size_t at = ifind(html, from, "<!doctype");
    if (at == std::string_view::npos) {
      out.append(html.substr(from));
      break;
    }
    out.append(html.substr(from, at - from));
    const std::size_t gt = html.find('>', at);
    from = gt == std::string_view::npos ? html.size() : gt + 1;
  }
  return out;
}

std::string drop_script_bodies(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  std::size_t i = 0;
  while (i < html.size()) {
    const std::size_t lt = html.find('<', i);
    if (lt == std::string_view::npos) break;
    if (html.compare(lt, 4, "<!--") == 0) {
      const std::size_t end = html.find("-->", lt + 4);
      const std::size_t stop = end == std::string_view::npos ? html.size() : end + 3;
      out.append(html.substr(i, stop - i));
      i = stop;
      continue;
    }
    std::string_view name;
    if (iequals_at(html, lt + 1, "script")) name = "script";
    else if (iequals_at(html, lt + 1, "style")) name = "style";
    const std::size_t after = lt + 1 + name.size();
    if (name.empty() || after >= html.size() ||
        !(html[after] == '>' || html[after] == ' ' || html[after] == '\t' || html[after] == '\n' ||
          html[after] == '\r' || html[after] == '/')) {
      out.append(html.substr(i, lt + 1 - i));
      i = lt + 1;
      continue;
    }
    // The end of the start tag, quotes respected.
    std::size_t k = after;
    char quote = 0;
    for (; k < html.size(); ++k) {
      if (quote) {
        if (html[k] == quote) quote = 0;
      } else if (html[k] == '"' || html[k] == '\'') {
        quote = html[k];
      } else if (html[k] == '>') {
        break;
      }
    }
    if (k >= html.size()) break;
    const std::string tag = [&] {
      std::string t(html.substr(lt, k + 1 - lt));
      for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return t;
    }();
    const std::size_t close = ifind(html, k + 1, name == "script" ? "</script" : "</style");
    if (close == std::string_view::npos) {  // no end tag: leave the rest to gumbo
      out.append(html.substr(i));
      return out;
    }
    if (tag.find("ld+json") != std::string::npos) {
      out.append(html.substr(i, close - i));  // JSON-LD: kept whole
    } else {
      out.append(html.substr(i, k + 1 - i));  // text before and the start tag; the body is left out
    }
    i = close;  // the end tag is copied by the next round
    out.append(html.substr(i, 2));
    i += 2;
  }
  if (i < html.size()) out.append(html.substr(i));
  return out;
}

std::string declared_charset(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return "utf-8";
  if (bytes.substr(0, 2) == "\xFF\xFE") return "utf-16le";
  if (bytes.substr(0, 2) == "\xFE\xFF") return "utf-16be";
  const std::string head = lower_ascii(bytes.substr(0, 4096));
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const std::size_t end = head.find('>', pos);
    const std::string_view tag = std::string_view(head).substr(pos, end == std::string::npos ? end : end - pos);
    pos += 5;
    const std::size_t cs = tag.find("charset");
    if (cs == std::string_view::npos) continue;
    std::size_t i = cs + 7;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '=' || tag[i] == '"' || tag[i] == '\'')) ++i;
    std::size_t j = i;
    while (j < tag.size() && is_charset_char(tag[j])) ++j;
    if (j > i) return std::string(tag.substr(i, j - i));
  }
  return {};
}

std::optional<std::string> iconv_to_utf8(std::string_view bytes, const std::string& charset) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out;
  out.resize(bytes.size() * 3 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  bool ok = true;
  while (in_left > 0) {
    if (iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) {  // cannot happen with 3× room for single-byte charsets, but multi-byte ones
        const std::size_t used = out.size() - out_left;
        out.resize(out.size() * 2);
        dst = out.data() + used;
        out_left = out.size() - used;
        continue;
      }
      ok = false;
      break;
    }
  }
  // Flush: CP1258 (and other combining charsets) hold the last letter back, waiting for a tone mark.
  if (ok && iconv(cd, nullptr, nullptr, &dst, &out_left) == static_cast<std::size_t>(-1)) ok = false;
  iconv_close(cd);
  if (!ok) return std::nullopt;
  out.resize(out.size() - out_left);
  return out;
}

kho::Result<std::string> html_to_utf8(std::string_view bytes, std::string_view source,
                                      std::vector<std::string>& warnings) {
  const std::string src(source);
  const std::string cs = declared_charset(bytes);
  if (cs == "utf-16le" || cs == "utf-16be") return utf16_to_utf8(bytes, cs == "utf-16le");
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  if (cs.empty() || is_utf8_name(cs)) {
    if (is_valid_utf8(bytes)) return std::string(bytes);
    if (cs.empty()) {
      // No declaration and not UTF-8: an old page saved from a legacy Vietnamese font encoding.
      const LegacyDecode legacy = decode_legacy_vietnamese(bytes);
      if (legacy.encoding != LegacyEncoding::kUnknown) {
        warnings.push_back(src + ": no charset declared; read as " + legacy_encoding_name(legacy.encoding));
        return legacy.text;
      }
    }
    warnings.push_back(src + ": invalid UTF-8 bytes replaced by U+FFFD");
    return sanitize_utf8(bytes);
  }
  // A legacy declaration the bytes contradict: UTF-8 multi-byte text is almost never valid by accident.
  if (has_non_ascii(bytes) && is_valid_utf8(bytes)) {
    warnings.push_back(src + ": declares charset '" + cs + "' but the bytes are UTF-8; read as UTF-8");
    return std::string(bytes);
  }
  const std::string name = iconv_name(cs);
  auto converted = iconv_to_utf8(bytes, name);
  if (!converted) {
    iconv_t probe = iconv_open("UTF-8", name.c_str());
    if (probe == reinterpret_cast<iconv_t>(-1)) {
      return Status::InvalidArgument(src + ": unsupported character set '" + cs + "'");
    }
    iconv_close(probe);
    return Status::InvalidArgument(src + ": bytes are not valid " + cs + " (as declared); not converted");
  }
  return std::move(*converted);
}

std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = space_len(s, i);
    if (n > 0) {
      pending_space = !out.empty();
      i += n;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(s[i++]);
  }
  if (!has_non_ascii(out)) return out;
  return to_nfc(out);
}

std::optional<std::string> caption_credit(std::string_view caption) {
  // The last "Ảnh" / "ảnh" / "Photo" followed by optional blanks and ':'.
  static constexpr std::string_view kWords[] = {"\xE1\xBA\xA2nh", "\xE1\xBA\xA3nh", "Photo", "photo", "\xE1\xBA\xA2NH"};
  std::size_t best = std::string_view::npos, after = 0;
  for (std::string_view w : kWords) {
    std::size_t pos = 0;
    while ((pos = caption.find(w, pos)) != std::string_view::npos) {
      std::size_t j = pos + w.size();
      while (j < caption.size() && caption[j] == ' ') ++j;
      if (j < caption.size() && caption[j] == ':' && (best == std::string_view::npos || pos > best)) {
        best = pos;
        after = j + 1;
      }
      pos += w.size();
    }
  }
  if (best == std::string_view::npos) return std::nullopt;
  const bool in_parens = best > 0 && caption.substr(0, best).find_last_not_of(' ') != std::string_view::npos &&
                         caption[caption.substr(0, best).find_last_not_of(' ')] == '(';
  std::string_view rest = caption.substr(after);
  if (in_parens) {
    const std::size_t close = rest.find(')');
    if (close != std::string_view::npos) rest = rest.substr(0, close);
  }
  rest = trim(rest);
  while (!rest.empty() && (rest.back() == '.' || rest.back() == ')' || rest.back() == ',' || rest.back() == ';')) {
    rest.remove_suffix(1);
    rest = trim(rest);
  }
  if (rest.empty() || rest.size() > 120) return std::nullopt;
  return std::string(rest);
}

std::optional<std::string> normalize_iso_date(std::string_view s) {
  s = trim(s);
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > s.size()) return -1;
    int v = 0;
    for (std::size_t k = at; k < at + n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(s[k]))) return -1;
      v = v * 10 + (s[k] - '0');
    }
    return v;
  };
  const int y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2);
  if (y < 1900 || y > 2100 || s.size() < 10 || s[4] != '-' || s[7] != '-' || mo < 1 || mo > 12 || d < 1 || d > 31) {
    return std::nullopt;
  }
  std::string out(s.substr(0, 10));
  std::size_t i = 10;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    const int h = digits(i + 1, 2), mi = digits(i + 4, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s[i + 3] != ':') return out;
    int sec = 0;
    i += 6;
    if (i < s.size() && s[i] == ':') {
      sec = digits(i + 1, 2);
      if (sec < 0 || sec > 60) return out;
      i += 3;
    }
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", h, mi, sec);
    out += buf;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
      out += "+00:00";
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      const int zh = digits(i + 1, 2);
      int zm = 0;
      if (zh >= 0 && zh <= 14) {
        if (i + 3 < s.size() && s[i + 3] == ':') zm = std::max(0, digits(i + 4, 2));
        else if (digits(i + 3, 2) >= 0) zm = digits(i + 3, 2);
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", s[i], zh, zm);
        out += buf;
      }
    }
  }
  return out;
}

std::optional<std::string> clean_byline(std::string_view s) {
  std::string text = clean_text(s);
  std::string_view v = text;
  for (std::string_view p : {"Theo ", "theo ", "Nguồn: ", "Nguồn ",
                             "Tác giả: ", "Bài: ", "Bài và ảnh: ", "Bài, ảnh: ", "Tin, ảnh: ", "Tin và ảnh: ", "By "}) {
    if (v.substr(0, p.size()) == p) {
      v.remove_prefix(p.size());
      break;
    }
  }
  v = trim(v);
  if (!v.empty() && v.back() == ')') {
    const std::size_t open = v.rfind('(');
    if (open != std::string_view::npos && open > 0) v = trim(v.substr(0, open));
  }
  while (!v.empty() && (v.back() == '-' || v.back() == ',' || v.back() == '|')) v = trim(v.substr(0, v.size() - 1));
  for (std::string_view dash : {"\xE2\x80\x93", "\xE2\x80\x94"}) {
    if (v.size() >= dash.size() && v.substr(v.size() - dash.size()) == dash)
      v = trim(v.substr(0, v.size() - dash.size()));
  }
  if (v.empty() || v.size() > 100 || v.find("://") != std::string_view::npos || v.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  std::size_t words = 1 + static_cast<std::size_t>(std::count(v.begin(), v.end(), ' '));
  if (words > 10 || v.back() == '.' || v.find(". ") != std::string_view::npos) return std::nullopt;
  return std::string(v);
}

}  // namespace kho::ingest::detail
