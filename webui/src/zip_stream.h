// A ZIP writer that streams: each entry goes out as soon as it is added, and only the central directory
// (about 100 bytes an entry) is kept until the end. Private to webui (the event download).
//
// Why not libzip or minizip: both write to a seekable target (libzip builds the archive on zip_close;
// minizip seeks back to patch each local header with its CRC and sizes), and an HTTP response cannot seek.
// Here every entry's bytes are complete in memory before its header is written (one exported photo at a
// time), so the local header already carries the CRC-32 (zlib) and sizes: no data descriptor, no seeking.
// Entries are STORED (JPEGs do not compress). ZIP64 records are added when the archive passes 4 GiB or
// 65,535 entries, so a large event still opens everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace kho::web {

class ZipStream {
 public:
  // `out` receives the archive's bytes in order; it returns false when the client went away.
  explicit ZipStream(std::function<bool(std::string_view)> out) : out_(std::move(out)) {}

  // Adds a stored entry named `name` (UTF-8, flag bit 11 set). False when `out` failed.
  bool add(std::string_view name, std::string_view bytes);
  // Writes the central directory and the end records. False when `out` failed.
  bool finish();

  std::uint64_t bytes_written() const { return offset_; }

 private:
  bool emit(std::string_view bytes);

  std::function<bool(std::string_view)> out_;
  std::string central_;
  std::uint64_t offset_ = 0;
  std::uint64_t entries_ = 0;
};

}  // namespace kho::web
