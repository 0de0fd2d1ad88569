// Fuzz target: photo metadata as ingest reads it (ingest/src/metadata_*.cc, image_type.cc): the format sniffer,
// JPEG segments and kho's own XMP reading, EXIF and IPTC through Exiv2 (PNG, TIFF, WebP, HEIF, camera raw
// containers), the HEIF XMP items through libheif, and EXIF again through libexif (the salvage reader).
#include <cstddef>
#include <cstdint>

#include "kho/ingest/metadata.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = kho::fuzz::as_bytes(data, size);
  kho::ingest::CaptionSources sources;
  auto meta = kho::ingest::read_metadata(bytes, &sources);
  // Only "not an image at all" is an error, and then the sniffer agrees.
  if (!meta.ok()) FUZZ_CHECK(meta.status().is_invalid_argument());
  auto exif = kho::ingest::read_exif_libexif(bytes);
  if (!exif.ok()) FUZZ_CHECK(exif.status().is_invalid_argument());
  return 0;
}
