// Legacy Vietnamese encodings (kho/text.h): detection and conversion. Stub, filled in below.
#include "kho/text.h"

namespace kho {

const char* legacy_encoding_name(LegacyEncoding e) {
  switch (e) {
    case LegacyEncoding::kCp1258: return "windows-1258";
    case LegacyEncoding::kVni: return "VNI";
    case LegacyEncoding::kTcvn3: return "TCVN3";
    case LegacyEncoding::kUnknown: break;
  }
  return "unknown";
}

LegacyDecode decode_legacy_vietnamese(std::string_view) { return {}; }

std::string legacy_to_utf8(std::string_view bytes, LegacyEncoding) { return std::string(bytes); }

}  // namespace kho
