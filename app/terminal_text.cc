#include "terminal_text.h"

#include <cstdint>

#include "kho/text.h"

namespace kho::app {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, const char* prefix, std::uint32_t v, int digits) {
  out += prefix;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
}

bool is_bidi_control(std::uint32_t cp) { return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); }

}  // namespace

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {  // printable ASCII: the common case, no decoding
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x80) {
      if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else append_hex(out, "\\x", c, 2);
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    std::size_t n = next_code_point(s, i, &cp);
    if (n == 0) {
      append_hex(out, "\\x", c, 2);
      ++i;
    } else if (cp <= 0x9F || is_bidi_control(cp)) {
      append_hex(out, "\\u", cp, 4);
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace kho::app
