// Photo metadata (EXIF, IPTC, XMP) read from bytes already in memory: the `kho meta` record of
// DESIGN.md §5. Exiv2 reads EXIF and IPTC (and XMP outside JPEG); kho reads JPEG XMP itself; libexif
// salvages EXIF when Exiv2 rejects a damaged block. ingest/README.md ("Metadata") gives the rules.
//
// Contract of every call here:
// - Never throws and never prints. Exiv2's own warnings are captured into Metadata::warnings.
// - Thread-safe: may be called from any number of threads at once (the ingest pipeline does). JPEGs
//   run fully in parallel; other containers that hold XMP take a process-wide lock around Exiv2's
//   XMP parser, which is not thread-safe.
// - Cost: ~0.2–0.3 ms of CPU per JPEG, whatever its pixel size (only the metadata segments are read).
// - The only error is "this is not an image at all" (Status::InvalidArgument, "not an image: …"),
//   or, for read_metadata_file, a file that cannot be read (IOError / NotFound). A damaged image
//   still gives a record: what could be read, plus warnings that say what could not.
// - `format` comes from the bytes (the file name's extension is never looked at).
// - All text is NFC UTF-8. Legacy encodings (IPTC without a UTF-8 marker, EXIF UserComment with a
//   charset prefix, Windows XP UCS-2 tags) are converted.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "kho/model.h"
#include "kho/status.h"

namespace kho::ingest {

// Reads the metadata of one image held in `bytes`. `bytes` is only read during the call.
kho::Result<kho::Metadata> read_metadata(std::span<const std::uint8_t> bytes);

// Reads the whole file at `path`, then read_metadata(). Errors name the path.
kho::Result<kho::Metadata> read_metadata_file(const std::string& path);

// Every caption a file carries, each from its own source (decoded and NFC), before the priority rule
// of Metadata::description (XMP, then IPTC, then EXIF unless a camera placeholder) picks one.
// For audits and tests that compare each source with another reader.
struct CaptionSources {
  std::optional<std::string> xmp_description;   // dc:description, x-default (else the first language)
  std::optional<std::string> iptc_caption;      // IPTC 2:120 Caption-Abstract
  std::optional<std::string> exif_description;  // EXIF ImageDescription (placeholders included)
  std::optional<std::string> exif_user_comment;  // EXIF UserComment, charset prefix applied
  std::optional<std::string> xp_comment;         // Windows XPComment (UCS-2)
};

// As read_metadata(), and fills `*sources` (when not null) with each caption source.
kho::Result<kho::Metadata> read_metadata(std::span<const std::uint8_t> bytes, CaptionSources* sources);

// libexif's reading of the EXIF fields alone (no IPTC, no XMP): the independent cross-check used by
// tests and benchmarks. Understands JPEG and a bare "Exif\0\0" block; for other formats, or when
// there is no EXIF, it gives a record with a warning. Same contract as read_metadata().
kho::Result<kho::Metadata> read_exif_libexif(std::span<const std::uint8_t> bytes);

// Detects the image type from the leading bytes: "jpeg", "png", "tiff", "webp", "gif", "bmp",
// "heic" (HEVC-coded HEIF), "heif", "avif", "jp2", "cr2", "cr3", "crw", "raf", "rw2", "orf", "mrw", "psd",
// "eps"; or nullopt
// when the bytes are none of these (including videos and empty input).
std::optional<std::string> sniff_image_type(std::span<const std::uint8_t> bytes);

}  // namespace kho::ingest
