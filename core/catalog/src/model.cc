#include "kho/model.h"

namespace kho {

std::string Digest::hex() const {
  static const char* kHex = "0123456789abcdef";
  std::string out(64, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<Digest> Digest::from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Digest d;
  for (size_t i = 0; i < 32; ++i) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    d.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return d;
}

const char* link_method_name(LinkMethod m) {
  switch (m) {
    case LinkMethod::kExact: return "exact";
    case LinkMethod::kNfc: return "nfc";
    case LinkMethod::kCaseFolded: return "casefold";
    case LinkMethod::kCompareKey: return "tone_placement";
    case LinkMethod::kSearchKey: return "diacritics";
    case LinkMethod::kTelex: return "typing_slip";
    case LinkMethod::kFuzzy: return "fuzzy";
    case LinkMethod::kUnresolved: return "unresolved";
    case LinkMethod::kEmbedded: return "embedded";
  }
  return "unknown";
}

const char* near_miss_reason_name(NearMissReason r) {
  switch (r) {
    case NearMissReason::kTie: return "tie";
    case NearMissReason::kTaken: return "taken";
    case NearMissReason::kTooFar: return "too_far";
    case NearMissReason::kOtherNumber: return "other_number";
    case NearMissReason::kOtherType: return "other_type";
    case NearMissReason::kNotChosen: return "not_chosen";
  }
  return "unknown";
}

std::optional<ThumbSize> thumb_size_from_pixels(int px) {
  if (px == 320) return ThumbSize::kGrid;
  if (px == 640) return ThumbSize::kMid;
  if (px == 1280) return ThumbSize::kPreview;
  return std::nullopt;
}

int thumb_size_pixels(ThumbSize size) {
  switch (size) {
    case ThumbSize::kGrid: return 320;
    case ThumbSize::kMid: return 640;
    case ThumbSize::kPreview: return 1280;
  }
  return 1280;
}

}  // namespace kho
