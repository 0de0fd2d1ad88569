// Walking a JPEG's marker segments up to the first scan: the one loop that every JPEG header reader in
// ingest uses (size, XMP and EXIF presence, XMP extraction, vendor APPn blocks). Private to ingest.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace kho::ingest::detail {

struct JpegSegment {
  std::uint8_t marker = 0;                 // the byte after 0xFF (0xE1 = APP1, 0xDA = start of scan, …)
  std::size_t offset = 0;                  // of the 0xFF that starts it
  std::size_t size = 2;                    // bytes from offset: 2 for markers without a length
  std::span<const std::uint8_t> payload;   // after the length field; cut short when truncated
  bool truncated = false;                  // the length field points past the end of the bytes
};

enum class JpegWalkEnd {
  kScanOrEnd,  // visited the start of scan (0xDA) or end of image (0xD9)
  kStopped,    // the callback returned false
  kMalformed,  // no SOI, a byte where a marker belongs, a bad length, or a truncated segment
  kRanOut,     // the bytes ended between two segments, before any scan
};

// Calls fn(const JpegSegment&) -> bool for each segment after SOI, in order, through the first scan
// header or EOI. Fill bytes are skipped. A truncated segment is visited (flagged) and ends the walk.
// Every offset comes from the file, so each one is checked against the bytes' size.
template <typename Fn>
JpegWalkEnd walk_jpeg_segments(std::span<const std::uint8_t> b, Fn&& fn) {
  if (b.size() < 4 || b[0] != 0xFF || b[1] != 0xD8) return JpegWalkEnd::kMalformed;
  std::size_t i = 2;
  while (i + 4 <= b.size()) {
    if (b[i] != 0xFF) return JpegWalkEnd::kMalformed;
    const std::uint8_t m = b[i + 1];
    if (m == 0xFF) {  // fill byte
      ++i;
      continue;
    }
    JpegSegment seg;
    seg.marker = m;
    seg.offset = i;
    const bool standalone = m == 0x01 || (m >= 0xD0 && m <= 0xD9);  // TEM, RSTn, SOI, EOI
    if (!standalone) {
      const std::size_t len = (std::size_t{b[i + 2]} << 8) | b[i + 3];
      if (len < 2) return JpegWalkEnd::kMalformed;
      seg.size = 2 + len;
      seg.truncated = i + seg.size > b.size();
      const std::size_t end = std::min(b.size(), i + seg.size);
      seg.payload = b.subspan(i + 4, end - (i + 4));
    }
    if (!fn(static_cast<const JpegSegment&>(seg))) return JpegWalkEnd::kStopped;
    if (seg.truncated) return JpegWalkEnd::kMalformed;
    if (m == 0xDA || m == 0xD9) return JpegWalkEnd::kScanOrEnd;
    i += seg.size;
  }
  return JpegWalkEnd::kRanOut;
}

// True when the segment's payload begins with `magic`.
inline bool payload_starts_with(const JpegSegment& s, std::string_view magic) {
  return s.payload.size() >= magic.size() &&
         std::equal(magic.begin(), magic.end(), s.payload.begin(),
                    [](char c, std::uint8_t x) { return static_cast<std::uint8_t>(c) == x; });
}

}  // namespace kho::ingest::detail
