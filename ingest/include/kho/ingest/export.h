// Writing what Kho knows into copies of photos: `kho export` and the gallery's downloads (issue 13).
// ingest/README.md ("Export") gives the fields, the IIM rules and the choices; this header the contract.
//
// - Originals are never modified: every call reads bytes and returns new bytes, or writes a new file.
// - Pixels are untouched: only metadata segments change. For a JPEG, the bytes from the start of scan
//   to the end of image are the original's, byte for byte.
// - Never throws, never prints. Thread-safe (Exiv2's XMP toolkit runs under one process-wide lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kho/photo_exporter.h"
#include "kho/status.h"

namespace kho::ingest {

// ---- IPTC IIM limits ----
// The maximum length in bytes of an IIM dataset (IIM 4.2, the IPTC Photo Metadata Standard's table).
struct IimLimit {
  int record;
  int dataset;
  std::size_t max_bytes;
  const char* name;
};
// Every text dataset of records 1 and 2 that Kho writes or carries over, with its limit.
std::span<const IimLimit> iim_limits();
// The limit of one dataset; nullopt when the table does not know it.
std::optional<std::size_t> iim_max_bytes(int record, int dataset);

// `text` in NFC, cut to at most `max_bytes` bytes at a character boundary: never inside a UTF-8 sequence,
// and never between a letter and its combining marks (when the first dropped code point is a combining
// mark, the letter it belongs to is dropped too). Invalid UTF-8 becomes U+FFFD first.
std::string iim_cut(std::string_view text, std::size_t max_bytes);

// ---- Writing the fields ----
struct EmbedResult {
  std::string bytes;               // the new file
  std::vector<std::string> notes;  // e.g. "a different caption was kept in XMP xmpMM:History"
};

// True for the formats whose metadata is written in (JPEG, PNG, WebP, TIFF). Others (RAW, HEIF/AVIF,
// GIF, …) get a sidecar. `format` is sniff_image_type()'s name.
bool can_embed(std::string_view format);

// A copy of `original` with `fields` written in: XMP (full text) and IPTC IIM (1:90 = ESC % G, every
// dataset cut to its limit), everything else of the original kept (EXIF, GPS, ICC, keywords, other XMP).
// A caption already in the file that differs from fields.caption is kept as an xmpMM:History event.
// Errors: Unsupported (a format that cannot be embedded), InvalidArgument (Exiv2 cannot parse it).
Result<EmbedResult> embed_fields(std::span<const std::uint8_t> original, const CaptionFields& fields);

// An XMP sidecar (a complete packet with the xpacket wrapper) holding the original's own XMP, when Exiv2
// can read it, plus `fields`. Errors: InvalidArgument when the XMP cannot be serialised.
Result<std::string> sidecar_xmp(std::span<const std::uint8_t> original, const CaptionFields& fields);

// ---- Files ----
// When written files reach the disk: kEachFile fsyncs each file before its rename and the folder after
// it; kDeferred leaves that to one sync_folder() at the end of a run (many files: the kernel's flusher
// writes them back together, and the run pays for no per-file writeback). Either way a file appears under
// its name only complete, as far as any process can see; kDeferred adds that a power cut before the
// sync_folder() may leave copies of that run empty or short on disk.
enum class Sync { kEachFile, kDeferred };
// Writes `bytes` as dir/name without ever leaving a partial file there: a temporary file in `dir`, fsync,
// then a rename that never replaces an existing file, then fsync of the folder. On any failure the
// temporary file is removed. Errors: AlreadyExists-like clashes are InvalidArgument ("… exists"); disk
// full, read-only folder, permissions are IOError with the system's reason.
Status write_file_atomic(const std::string& dir, const std::string& name, std::string_view bytes,
                         Sync sync = Sync::kEachFile);
// The same for an exported copy: its head is written, its tail copied from the open original, never through
// this process's memory. A JPEG with ≥ 128 KiB of image data is written with O_DIRECT from a mapping of the
// original (no CPU copy, the copy never enters the page cache; its XMP packet gets up to 4 KiB more of the
// XMP specification's whitespace padding so that the image data stays page-aligned); otherwise, or where
// the file system refuses O_DIRECT, with copy_file_range (a plain read/write loop where the file systems
// cannot). Errors as write_file_atomic, plus IOError when the original shrank meanwhile.
Status write_copy_atomic(const std::string& dir, const std::string& name, const ExportedCopy& copy,
                         Sync sync = Sync::kEachFile);
// Makes everything written under `dir` durable (syncfs of its file system). Errors: IOError with the
// system's reason (EIO: some written data may not have reached the disk).
Status sync_folder(const std::string& dir);

// The Exiv2 writer behind kho::PhotoExporter (kho/photo_exporter.h).
class Exporter final : public PhotoExporter {
 public:
  Result<ExportedCopy> export_photo(const ExportRequest& request) const override;
};

}  // namespace kho::ingest
