// Private helpers shared by the metadata adapters (metadata_*.cc, image_type.cc). Not installed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kho/ingest/metadata.h"
#include "kho/model.h"

namespace kho::ingest::detail {

// ---- text (metadata_text.cc; the encodings themselves are kho::text's, kho/text.h) ----
// Metadata text as stored: NFC, with invalid UTF-8 read as Windows-1252 (what exiftool and most writers
// mean by "Latin") and NULs dropped: kho::to_nfc(s, InvalidUtf8::kWindows1252).
std::string meta_text(std::string_view s);
// A legacy 8-bit string (EXIF ASCII, IPTC without marker): cut at the first NUL, valid UTF-8 kept,
// else Windows-1252; NFC.
std::string decode_8bit(std::string_view s);
// UCS-2/UTF-16 code units to UTF-8 (surrogate pairs joined, lone ones become U+FFFD), stopping at a
// NUL code unit. A BOM overrides `little_endian`.
std::string decode_utf16(std::span<const std::uint8_t> bytes, bool little_endian);
// EXIF UserComment: 8-byte charset prefix "ASCII", "UNICODE", "JIS" or 8 NULs (undefined), then
// the text. nullopt when empty or blank.
std::optional<std::string> decode_user_comment(std::span<const std::uint8_t> bytes, bool little_endian);
// ASCII whitespace and NULs trimmed at both ends.
std::string trim(std::string_view s);
// True for blank text and for what cameras write when the user wrote nothing ("OLYMPUS DIGITAL
// CAMERA", "SONY DSC", the make or model again, a file name such as "DSC00019").
bool is_placeholder_description(std::string_view text, std::string_view make, std::string_view model);
// "YYYY:MM:DD HH:MM:SS" (EXIF) or an ISO-like "YYYY-MM-DDTHH:MM:SS" with optional sub-seconds and
// offset → "YYYY-MM-DDTHH:MM:SS[.fff][+HH:MM]". nullopt for blank or zero dates and for garbage.
std::optional<std::string> exif_datetime_to_iso(std::string_view datetime, std::string_view subsec,
                                                std::string_view offset);
// Degrees, minutes, seconds and a reference letter (N/S/E/W) to signed decimal degrees.
// nullopt when out of range.
std::optional<double> dms_to_degrees(const std::vector<double>& dms, std::string_view ref, double limit);

// ---- EXIF field assembly shared by the Exiv2 and libexif adapters (metadata_fields.cc) ----
// Raw EXIF values as the parsers give them, before the rules of kho::Metadata are applied.
struct ExifFields {
  std::optional<std::string> make, model, lens, description, artist;
  std::optional<std::string> datetime_original, subsec_original, offset_original;
  std::optional<std::int64_t> orientation, width, height;  // IFD0 ImageWidth/Length (TIFF)
  std::optional<double> exposure_time, f_number, focal_length, aperture_value;
  std::optional<std::int64_t> iso;
  std::optional<std::int64_t> flash, exposure_program, metering_mode, white_balance;
  std::optional<double> exposure_bias;
  std::vector<double> gps_lat, gps_lon;
  std::optional<std::string> gps_lat_ref, gps_lon_ref;
  std::optional<double> gps_alt;
  std::optional<std::int64_t> gps_alt_ref;
  std::optional<std::string> user_comment;                    // decoded
  std::optional<std::string> xp_title, xp_comment, xp_author, xp_keywords, xp_subject;  // decoded
  bool any() const;
};
// Fills the EXIF-derived fields of `meta` that are still empty.
void apply_exif_fields(const ExifFields& exif, kho::Metadata* meta);

// ---- XMP (metadata_xmp.cc) ----
// The XMP properties kho uses, by Exiv2-style key ("Xmp.dc.description", "Xmp.iptcExt.Event",
// "Xmp.exif.GPSLatitude"): each holds its items as (xml:lang or "", text); a simple property has
// one item. Namespaces are matched by URI, so unusual prefixes in the file do not matter.
struct XmpProps {
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::string>>> values;
  bool empty() const { return values.empty(); }
};
// Reads the properties of the namespaces kho uses (dc, photoshop, Iptc4xmpExt, tiff, exif, aux,
// exifEX) from one XMP packet (UTF-8, or UTF-16 with or without BOM). Properties already in `out`
// are kept (the first packet wins). False, with a warning, when the packet is not readable XML or
// crosses a bound against hostile packets (elements more than 64 deep, more than 256 namespaces declared
// at once, more than 1024 attributes on one element; the warning names it); what was read before stays.
bool parse_xmp_packet(std::string_view packet, XmpProps* out, std::vector<std::string>* warnings);
// A JPEG's metadata segments without its XMP: the bytes up to the first scan with the XMP APP1
// segments left out (so that Exiv2 reads EXIF and IPTC only), and the XMP packets themselves
// (views into `bytes`). False when the segment structure is damaged (then let Exiv2 read it all).
struct JpegWithoutXmp {
  std::vector<std::uint8_t> head;
  std::vector<std::string_view> xmp_packets;
};
bool split_jpeg_xmp(std::span<const std::uint8_t> bytes, JpegWithoutXmp* out);
// (metadata_heif.cc) The XMP packets of a HEIF/HEIC/AVIF file's primary image (libheif; Exiv2 0.27 misses them).
std::vector<std::string> heif_xmp_packets(std::span<const std::uint8_t> bytes, std::vector<std::string>* warnings);
// (metadata_xmp_fields.cc) A simple property, or a lang-alt's x-default (else its first language), NFC.
std::optional<std::string> xmp_text(const XmpProps& data, const char* key);
// An array's items (or a simple value), trimmed, NFC, blanks dropped.
std::vector<std::string> xmp_list(const XmpProps& data, const char* key);
// XMP's copies of EXIF values, for files that carry XMP but no EXIF.
ExifFields xmp_exif_fields(const XmpProps& data);

// ---- adapters ----
// Exiv2 (metadata_exiv2*.cc). Fills `meta` (format and size already set) and `sources`, adds
// warnings, and says whether the caller should salvage EXIF with libexif.
struct Exiv2Outcome {
  bool opened = false;          // Exiv2 recognised and read the file
  bool exif_rejected = false;   // a JPEG EXIF block is present but Exiv2 gave no EXIF from it
  bool exif_empty = true;       // Exiv2 gave no EXIF at all
};
Exiv2Outcome read_with_exiv2(std::span<const std::uint8_t> bytes, kho::Metadata* meta,
                             CaptionSources* sources);
// libexif (metadata_libexif.cc): EXIF of a JPEG (APP1) or a bare "Exif\0\0" block. False when no
// EXIF block could be loaded.
bool read_with_libexif(std::span<const std::uint8_t> bytes, ExifFields* out, std::vector<std::string>* warnings);

// Vendor blocks outside EXIF (metadata_vendor.cc). Old Olympus and Agfa cameras wrote their
// shot data only as "[picture info]" text in a JPEG APP12 segment. False when absent.
bool read_picture_info(std::span<const std::uint8_t> bytes, ExifFields* out);
// Casio QV cameras: the shot date in an APP1 "QVCI" block. False when absent.
bool read_casio_qvci(std::span<const std::uint8_t> bytes, ExifFields* out);
// Offset of a TIFF-headed "Exif\0\0" block anywhere in the bytes (HEIF/AVIF keep EXIF as an item):
// the salvage path when Exiv2 cannot open the container. nullopt when none.
std::optional<std::size_t> find_exif_block(std::span<const std::uint8_t> bytes);

// ---- image type and size from the bytes (image_type.cc) ----
struct PixelSize {
  std::int64_t width = 0, height = 0;
};
// Size as stored, read from the container itself (JPEG SOF, PNG IHDR, GIF, BMP, WebP, HEIF ispe of
// the primary item). nullopt when the format is not one of these or the header is damaged.
std::optional<PixelSize> container_pixel_size(std::span<const std::uint8_t> bytes, std::string_view type);
// True when the bytes may hold an XMP packet that Exiv2 will parse: JPEG APP1 XMP segments, PNG XMP
// text chunks, the WebP "XMP " chunk; always true for TIFF, raw and HEIF/AVIF, never for GIF/BMP.
bool may_hold_xmp(std::span<const std::uint8_t> bytes, std::string_view type);
// Warnings for a PNG whose header or chunk chain is broken (IHDR fields and checksum, a chunk past
// the end, no IDAT, no IEND). Cheap: chunk headers only.
void check_png_structure(std::span<const std::uint8_t> bytes, std::vector<std::string>* warnings);
// True when a JPEG has an APP1 "Exif\0\0" segment.
bool jpeg_has_exif_app1(std::span<const std::uint8_t> bytes);

}  // namespace kho::ingest::detail
