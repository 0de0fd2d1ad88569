// Camera raw helpers of the ingest side (metadata_exiv2_raw.cc, the Exiv2 adapter). Private to kho::ingest.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kho::ingest::detail {

// True for the `format` values read_metadata() gives camera raw files: cr2 cr3 crw raf rw2 orf mrw (from the
// signature) and nef arw pef srw dng raw (TIFF-based, recognised by their sensor-data directory).
bool is_raw_format(std::string_view format);

struct RawPreview {
  std::vector<std::uint8_t> jpeg;       // a whole JPEG file
  std::uint32_t width = 0, height = 0;  // as Exiv2 reports them (0 when unknown)
};

// The largest embedded JPEG preview of a raw file (Exiv2's PreviewManager: JpgFromRaw, PreviewImage,
// OtherImage, the CR3 'PRVW' box…), or nullopt when it has none. Damage is noted in `notes`, not thrown.
// Thread-safe.
std::optional<RawPreview> largest_raw_preview(std::span<const std::uint8_t> bytes, std::vector<std::string>* notes);

}  // namespace kho::ingest::detail
