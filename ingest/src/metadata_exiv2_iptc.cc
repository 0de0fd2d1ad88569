// Exiv2's IPTC → text fields, and IPTC records Exiv2 does not look for (AFCP trailers).
#include <cstring>

#include "metadata_exiv2_internal.h"

namespace kho::ingest::detail {

IptcText iptc_text(const Exiv2::IptcData& data) {
  bool utf8 = false;
  for (const auto& d : data) {
    if (d.record() == 1 && d.tag() == 90) {
      std::string marker = raw_bytes(d);
      utf8 = marker.find("\x1b%G") != std::string::npos;
    }
  }
  // With the marker the text is UTF-8. Without it the standard says ISO 8859-1; Windows-1252 is
  // its superset that real writers use; and text that is valid UTF-8 is kept as UTF-8 (Latin-1 text
  // almost never forms valid multi-byte UTF-8 by chance, while UTF-8 without the marker is common).
  auto decode = [&](const Exiv2::Iptcdatum& d) {
    std::string raw = raw_bytes(d);
    return utf8 ? meta_text(raw) : decode_8bit(raw);
  };
  IptcText out;
  for (const auto& d : data) {
    if (d.record() != 2) continue;
    switch (d.tag()) {
      case 120: if (!out.caption) out.caption = decode(d); break;
      case 105: if (!out.headline) out.headline = decode(d); break;
      case 110: if (!out.credit) out.credit = decode(d); break;
      case 55: if (!out.date) out.date = decode(d); break;
      case 60: if (!out.time) out.time = decode(d); break;
      case 25: out.keywords.push_back(trim(decode(d))); break;
      case 80: out.bylines.push_back(trim(decode(d))); break;
      default: break;
    }
  }
  std::erase(out.keywords, std::string());
  std::erase(out.bylines, std::string());
  return out;
}

// AFCP ("AXS!" trailer, written by some Windows photo tools after the image data): a directory of
// blocks, one of them an IPTC record. Exiv2 does not read it. Layout: the last 12 bytes are
// "AXS!" or "AXS*" and the header's offset (big-endian); the header is "AXS!", version (2),
// entry count (2), 4 reserved bytes, then entries of id (4), size (4), absolute offset (4).
Exiv2::IptcData afcp_iptc(std::span<const std::uint8_t> b) {
  Exiv2::IptcData out;
  if (b.size() < 24) return out;
  auto be32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  };
  std::size_t tail = b.size() - 12;
  if (std::memcmp(b.data() + tail, "AXS", 3) != 0) return out;
  std::size_t header = be32(tail + 4);
  if (header + 12 > tail || std::memcmp(b.data() + header, "AXS", 3) != 0) return out;
  std::size_t count = static_cast<std::size_t>((b[header + 6] << 8) | b[header + 7]);
  for (std::size_t i = 0; i < count && i < 64; ++i) {
    std::size_t entry = header + 12 + i * 12;
    if (entry + 12 > tail) break;
    if (std::memcmp(b.data() + entry, "IPTC", 4) != 0) continue;
    std::size_t size = be32(entry + 4), offset = be32(entry + 8);
    if (offset >= b.size() || size > b.size() - offset) break;
    Exiv2::IptcParser::decode(out, b.data() + offset, static_cast<std::uint32_t>(size));
    break;
  }
  return out;
}

}  // namespace kho::ingest::detail
