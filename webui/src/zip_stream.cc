// The streaming STORE-mode ZIP writer (zip_stream.h). Format: PKWARE APPNOTE 6.3.x, sections 4.3 and 4.5.
#include "zip_stream.h"

#include <zlib.h>

namespace kho::web {
namespace {

constexpr std::uint32_t kMax32 = 0xFFFFFFFFu;

void put16(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put64(std::string& s, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint32_t crc_of(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  std::size_t left = bytes.size();
  while (left > 0) {
    const uInt n = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
    crc = crc32(crc, p, n);
    p += n;
    left -= n;
  }
  return static_cast<std::uint32_t>(crc);
}

// DOS date and time of 2020-01-01 00:00: entries carry no meaningful time (the photos' own dates are in
// their metadata), and a fixed one keeps the archive reproducible.
constexpr std::uint16_t kDosTime = 0;
constexpr std::uint16_t kDosDate = ((2020 - 1980) << 9) | (1 << 5) | 1;

}  // namespace

bool ZipStream::emit(std::string_view bytes) {
  if (bytes.empty()) return true;
  if (!out_(bytes)) return false;
  offset_ += bytes.size();
  return true;
}

bool ZipStream::add(std::string_view name, std::string_view bytes) {
  const std::uint32_t crc = crc_of(bytes);
  const std::uint64_t size = bytes.size();
  const std::uint64_t local_offset = offset_;
  const bool zip64_size = size >= kMax32;
  const bool zip64_offset = local_offset >= kMax32;

  std::string local;
  put32(local, 0x04034b50);
  put16(local, zip64_size ? 45 : 20);  // version needed
  put16(local, 1u << 11);              // UTF-8 names
  put16(local, 0);                     // stored
  put16(local, kDosTime);
  put16(local, kDosDate);
  put32(local, crc);
  put32(local, zip64_size ? kMax32 : static_cast<std::uint32_t>(size));
  put32(local, zip64_size ? kMax32 : static_cast<std::uint32_t>(size));
  put16(local, static_cast<std::uint16_t>(name.size()));
  put16(local, zip64_size ? 20 : 0);
  local.append(name);
  if (zip64_size) {
    put16(local, 0x0001);
    put16(local, 16);
    put64(local, size);
    put64(local, size);
  }
  if (!emit(local) || !emit(bytes)) return false;

  std::string extra;
  if (zip64_size || zip64_offset) {
    put16(extra, 0x0001);
    put16(extra, static_cast<std::uint16_t>((zip64_size ? 16 : 0) + (zip64_offset ? 8 : 0)));
    if (zip64_size) {
      put64(extra, size);
      put64(extra, size);
    }
    if (zip64_offset) put64(extra, local_offset);
  }
  std::string& c = central_;
  put32(c, 0x02014b50);
  put16(c, (3 << 8) | 45);  // made by: Unix, 4.5
  put16(c, (zip64_size || zip64_offset) ? 45 : 20);
  put16(c, 1u << 11);
  put16(c, 0);
  put16(c, kDosTime);
  put16(c, kDosDate);
  put32(c, crc);
  put32(c, zip64_size ? kMax32 : static_cast<std::uint32_t>(size));
  put32(c, zip64_size ? kMax32 : static_cast<std::uint32_t>(size));
  put16(c, static_cast<std::uint16_t>(name.size()));
  put16(c, static_cast<std::uint16_t>(extra.size()));
  put16(c, 0);               // comment
  put16(c, 0);               // disk
  put16(c, 0);               // internal attributes
  put32(c, 0100644u << 16);  // external: a regular file, rw-r--r--
  put32(c, zip64_offset ? kMax32 : static_cast<std::uint32_t>(local_offset));
  c.append(name);
  c.append(extra);
  ++entries_;
  return true;
}

bool ZipStream::finish() {
  const std::uint64_t cd_offset = offset_;
  const std::uint64_t cd_size = central_.size();
  if (!emit(central_)) return false;
  const bool zip64 = cd_offset >= kMax32 || cd_size >= kMax32 || entries_ >= 0xFFFF;
  std::string end;
  if (zip64) {
    const std::uint64_t zip64_end_offset = offset_;
    put32(end, 0x06064b50);
    put64(end, 44);
    put16(end, 45);
    put16(end, 45);
    put32(end, 0);
    put32(end, 0);
    put64(end, entries_);
    put64(end, entries_);
    put64(end, cd_size);
    put64(end, cd_offset);
    put32(end, 0x07064b50);  // zip64 end locator
    put32(end, 0);
    put64(end, zip64_end_offset);
    put32(end, 1);
  }
  put32(end, 0x06054b50);
  put16(end, 0);
  put16(end, 0);
  put16(end, zip64 ? 0xFFFF : static_cast<std::uint16_t>(entries_));
  put16(end, zip64 ? 0xFFFF : static_cast<std::uint16_t>(entries_));
  put32(end, zip64 ? kMax32 : static_cast<std::uint32_t>(cd_size));
  put32(end, zip64 ? kMax32 : static_cast<std::uint32_t>(cd_offset));
  put16(end, 0);
  return emit(end);
}

}  // namespace kho::web
