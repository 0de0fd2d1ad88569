// Metadata kept outside EXIF/IPTC/XMP by a few cameras, and EXIF blocks found by scanning when the
// container itself cannot be parsed.
#include <algorithm>
#include <cstring>
#include <ctime>

#include "jpeg_segments.h"
#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

// The payload of each complete APPn segment of a JPEG, up to the first scan.
template <typename Fn>
void for_each_app_segment(std::span<const std::uint8_t> b, Fn fn) {
  walk_jpeg_segments(b, [&](const JpegSegment& s) {
    if (s.truncated) return false;
    if (s.marker >= 0xE0 && s.marker <= 0xEF) fn(s.marker, s.payload);
    return true;
  });
}

}  // namespace

bool read_picture_info(std::span<const std::uint8_t> bytes, ExifFields* out) {
  bool found = false;
  for_each_app_segment(bytes, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    if (marker != 0xEC || found) return;
    std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
    auto start = text.find("[picture info]");
    if (start == std::string_view::npos) return;
    found = true;
    text.remove_prefix(start);
    while (!text.empty()) {
      auto eol = text.find_first_of("\r\n");
      std::string_view line = text.substr(0, eol);
      text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
      auto eq = line.find('=');
      if (eq == std::string_view::npos) continue;
      std::string key(line.substr(0, eq)), value = trim(line.substr(eq + 1));
      if (key == "TimeDate") {  // Unix seconds, written in the camera's clock (no zone)
        char* end = nullptr;
        long long secs = std::strtoll(value.c_str(), &end, 10);
        if (end == value.c_str() || secs <= 0) continue;
        std::time_t t = static_cast<std::time_t>(secs);
        std::tm tm{};
        if (!gmtime_r(&t, &tm)) continue;
        char buf[32];
        std::strftime(buf, sizeof buf, "%Y:%m:%d %H:%M:%S", &tm);
        out->datetime_original = buf;
      } else if (key == "Shutter") {  // microseconds
        double us = std::strtod(value.c_str(), nullptr);
        if (us > 0) out->exposure_time = us / 1e6;
      } else if (key == "FNumber") {  // "F2.8"
        const char* v = value.c_str();
        if (*v == 'F' || *v == 'f') ++v;
        double n = std::strtod(v, nullptr);
        if (n > 0) out->f_number = n;
      }
    }
  });
  return found;
}

bool read_casio_qvci(std::span<const std::uint8_t> bytes, ExifFields* out) {
  bool found = false;
  for_each_app_segment(bytes, [&](std::uint8_t marker, std::span<const std::uint8_t> payload) {
    // Casio QV cameras (1990s) wrote an APP1 "QVCI" block instead of EXIF; the shot date is a
    // 20-byte string at 0x4D, "1998.10.24.12.08.57" (the layout exiftool's Casio module reads).
    if (marker != 0xE1 || found || payload.size() < 0x4D + 19) return;
    if (std::memcmp(payload.data(), "QVCI", 4) != 0) return;
    std::string date(reinterpret_cast<const char*>(payload.data() + 0x4D), 19);
    for (char& c : date) {
      if (c == '.') c = ':';
    }
    date[10] = ' ';
    out->datetime_original = date;
    found = true;
  });
  return found;
}

std::optional<std::size_t> find_exif_block(std::span<const std::uint8_t> b) {
  // memmem: glibc's is far faster than string_view::find on megabytes of image data.
  std::size_t at = 0;
  while (at < b.size()) {
    const void* hit = memmem(b.data() + at, b.size() - at, "Exif\0\0", 6);
    if (!hit) break;
    at = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - b.data());
    std::string_view tiff(reinterpret_cast<const char*>(b.data() + at + 6),
                          std::min<std::size_t>(4, b.size() - at - 6));
    if (tiff == std::string_view("II*\0", 4) || tiff == std::string_view("MM\0*", 4)) return at;
    ++at;
  }
  return std::nullopt;
}

}  // namespace kho::ingest::detail
