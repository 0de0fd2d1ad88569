// Private declarations shared by the Exiv2 adapter files (metadata_exiv2*.cc): the only files that
// include Exiv2. Not installed.
#pragma once

#include <exiv2/exiv2.hpp>

#include <mutex>

#include "metadata_internal.h"

namespace kho::ingest::detail {

// Once per process: Exiv2's log handler (never prints), the XMP toolkit lock, BMFF (HEIF, AVIF, CR3) on.
void init_exiv2();
// Held around every use of Exiv2's XMP parser or serializer (decode and encode, and Image::readMetadata()
// of any file that may hold XMP), which are not safe on two threads at once even with the toolkit lock
// (see metadata_exiv2.cc).
std::mutex& exiv2_xmp_mutex();

// The bytes of a value as stored (ASCII with its NULs, UNDEFINED, BYTE), little-endian for numbers.
std::string raw_bytes(const Exiv2::Metadatum& d);
// Value i as a number; nullopt for text types and zero denominators.
std::optional<double> number_at(const Exiv2::Metadatum& d, long i);
std::optional<std::int64_t> integer_at(const Exiv2::Metadatum& d, long i);

// The EXIF values kho uses, from Exiv2's EXIF (maker-note ISO and lens included). `order` is the
// TIFF byte order (for UNICODE UserComment).
ExifFields exif_fields(const Exiv2::ExifData& data, Exiv2::ByteOrder order);

// IPTC text fields, decoded (1:90 marker → UTF-8, else UTF-8 if valid, else Windows-1252) and NFC.
struct IptcText {
  std::optional<std::string> caption, headline, credit, date, time;
  std::vector<std::string> keywords, bylines;
};
IptcText iptc_text(const Exiv2::IptcData& data);
// The IPTC record of an AFCP trailer ("AXS!"), which Exiv2 does not read; empty when none.
Exiv2::IptcData afcp_iptc(std::span<const std::uint8_t> bytes);

// Camera raw (metadata_exiv2_raw.cc): renames TIFF-based raw ("tiff" → nef, arw, pef, srw, dng, raw) from
// its sensor-data directory, and sets width/height of raw files to the full image's (the sensor data's
// directory, else EXIF PixelX/YDimension), which IFD0 (often a 160 px thumbnail) is not.
void refine_raw(const Exiv2::ExifData& data, kho::Metadata* meta);

}  // namespace kho::ingest::detail
