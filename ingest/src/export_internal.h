// The zero-copy writer behind write_copy_atomic (export_direct.cc). Private to ingest; the tests reach it by
// path through kho::internals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kho/photo_exporter.h"

namespace kho::ingest::detail {

// The alignment of an O_DIRECT copy: file offsets, lengths and memory in whole pages (a multiple of every
// logical block size seen on Linux block devices up to 4 KiB, and of ext4's block size).
inline constexpr std::size_t kDirectAlign = 4096;
// Below this many bytes of image data, a copy goes through the page cache (O_DIRECT's synchronous write is
// then slower and saves nothing worth having).
inline constexpr std::uint64_t kMinDirectTail = 128 * 1024;

// `head` (a JPEG's SOI and metadata segments, as Exiv2 wrote them, up to the start of scan) made `pad`
// bytes longer by whitespace before the `<?xpacket end=` of its XMP packet: the XMP specification's
// padding, which every reader skips. nullopt when the head has no XMP APP1 segment with a packet trailer
// or the segment would outgrow 65,535 bytes.
std::optional<std::string> pad_jpeg_head(std::string_view head, std::size_t pad);

enum class DirectResult {
  kWritten,   // the copy is in fd, complete
  kNotTried,  // not a case for O_DIRECT (small, not a JPEG head, no XMP to pad, the file system refuses
              // O_DIRECT or its alignment): fd is untouched, empty and without O_DIRECT
  kFailed,    // *err says why (ENOSPC, EIO: the original shrank, …); fd holds a partial copy
};

// How copy_middle reads the original's whole pages.
enum class MiddleRead {
  kDirect,  // O_DIRECT reads into one reused buffer (falls back to kMapped where the file system refuses)
  kMapped,  // a mapping of the original: its page-cache pages go to the device as they are
};

// Writes `copy` into the empty file `fd` without the image data passing through the CPU: the original's
// whole pages are read with O_DIRECT (or mapped, `read`) and the destination is written with O_DIRECT, so
// the device moves the bytes and the copy never enters the page cache. The head is padded (pad_jpeg_head)
// so that the tail starts at the same offset modulo kDirectAlign as in the original; the first and the
// last partial pages go through a small aligned buffer, the last one zero-filled, then cut by ftruncate.
// The original's descriptor gets its flags back.
DirectResult write_copy_direct(int fd, const ExportedCopy& copy, int* err, std::uint64_t min_tail = kMinDirectTail,
                               MiddleRead read = MiddleRead::kDirect);

}  // namespace kho::ingest::detail
