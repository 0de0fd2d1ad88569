// Exiv2's EXIF → ExifFields: one pass over the block, then look-ups by (IFD, tag) number.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include "kho/text.h"
#include "metadata_exiv2_internal.h"

namespace kho::ingest::detail {
namespace {
// (IFD, tag) as one number. Exiv2's findKey() builds a key string for every datum it passes, so
// 30 look-ups in a maker-note-heavy block cost milliseconds; one pass that indexes the block by
// numbers costs microseconds.
std::uint32_t ifd_tag(int ifd, std::uint16_t tag) { return (static_cast<std::uint32_t>(ifd) << 16) | tag; }

// The (IFD, tag) of a key such as "Exif.Photo.ExposureTime", resolved once per key and cached.
std::uint32_t resolve_exif_key(const char* key) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::uint32_t> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  Exiv2::ExifKey k(key);
  std::uint32_t id = ifd_tag(k.ifdId(), k.tag());
  cache.emplace(key, id);
  return id;
}

class ExifReader {
 public:
  ExifReader(const Exiv2::ExifData& data, Exiv2::ByteOrder order) : order_(order) {
    index_.reserve(static_cast<std::size_t>(data.count()));
    for (const auto& d : data) index_.emplace(ifd_tag(d.ifdId(), d.tag()), &d);  // first one wins
  }

  const Exiv2::Exifdatum* find(const char* key) const {
    auto it = index_.find(resolve_exif_key(key));
    return it == index_.end() ? nullptr : it->second;
  }
  std::optional<std::string> text(const char* key) const {
    const auto* d = find(key);
    if (!d) return std::nullopt;
    return decode_8bit(raw_bytes(*d));
  }
  std::optional<double> number(const char* key) const {
    const auto* d = find(key);
    return d ? number_at(*d, 0) : std::nullopt;
  }
  std::optional<std::int64_t> integer(const char* key) const {
    const auto* d = find(key);
    return d ? integer_at(*d, 0) : std::nullopt;
  }
  std::vector<double> numbers(const char* key) const {
    std::vector<double> out;
    const auto* d = find(key);
    if (!d) return out;
    for (long i = 0; i < d->count() && i < 3; ++i) {
      // A 0/0 minute or second (common) counts as 0; a 0/0 degree means no position.
      auto v = number_at(*d, i);
      if (!v && i == 0) return {};
      out.push_back(v.value_or(0.0));
    }
    return out;
  }
  std::optional<std::string> ucs2(const char* key) const {  // Windows XP tags: UCS-2LE bytes
    const auto* d = find(key);
    if (!d) return std::nullopt;
    std::string raw = raw_bytes(*d);
    std::string text = trim(decode_utf16({reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()}, true));
    if (text.empty()) return std::nullopt;
    return text;
  }
  std::optional<std::string> user_comment() const {
    const auto* d = find("Exif.Photo.UserComment");
    if (!d) return std::nullopt;
    std::string raw = raw_bytes(*d);
    return decode_user_comment({reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()},
                               order_ != Exiv2::bigEndian);
  }

 private:
  std::unordered_map<std::uint32_t, const Exiv2::Exifdatum*> index_;
  Exiv2::ByteOrder order_;
};

// Reconyx HyperFire trail cameras keep the shot date only in their maker note (which Exiv2 0.27
// does not decode), and some write no Make at all. The note is little-endian: version word 0xF101
// (then firmware 2 or 3, or Make "RECONYX"), and at word 0x0B six 16-bit values: second, minute,
// hour, month, day, year. This is the identification and layout exiftool's Reconyx module uses.
std::optional<std::string> reconyx_hyperfire_date(const Exiv2::Exifdatum* note, const std::string& make) {
  if (!note) return std::nullopt;
  std::string raw = raw_bytes(*note);
  if (raw.size() < 34) return std::nullopt;
  auto word = [&](std::size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(raw[2 * i]) |
                                 (static_cast<unsigned char>(raw[2 * i + 1]) << 8));
  };
  bool firmware = word(1) == 2 || word(1) == 3;
  if (word(0) != 0xF101 || !(firmware || make.rfind("RECONYX", 0) == 0)) return std::nullopt;
  unsigned v[6];
  for (std::size_t k = 0; k < 6; ++k) v[k] = word(0x0B + k);
  if (v[5] < 1900 || v[5] > 2999 || v[3] < 1 || v[3] > 12 || v[4] < 1 || v[4] > 31 || v[2] > 23 || v[1] > 59 ||
      v[0] > 60) {
    return std::nullopt;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04u:%02u:%02u %02u:%02u:%02u", v[5], v[3], v[4], v[2], v[1], v[0]);
  return std::string(buf);
}

}  // namespace

std::string raw_bytes(const Exiv2::Metadatum& d) {
  long size = d.size();
  if (size <= 0 || size > (16 << 20)) return {};
  std::string buf(static_cast<std::size_t>(size), '\0');
  d.copy(reinterpret_cast<Exiv2::byte*>(buf.data()), Exiv2::littleEndian);
  return buf;
}

std::optional<double> number_at(const Exiv2::Metadatum& d, long i) {
  if (d.count() <= i) return std::nullopt;
  Exiv2::TypeId t = d.typeId();
  if (t == Exiv2::unsignedRational || t == Exiv2::signedRational) {
    Exiv2::Rational r = d.toRational(i);
    if (r.second == 0) return std::nullopt;
    return static_cast<double>(r.first) / static_cast<double>(r.second);
  }
  if (t == Exiv2::asciiString || t == Exiv2::undefined || t == Exiv2::comment) return std::nullopt;
  return static_cast<double>(d.toFloat(i));
}

std::optional<std::int64_t> integer_at(const Exiv2::Metadatum& d, long i) {
  auto v = number_at(d, i);
  // A float or rational tag can hold any value; one outside int64's range has no integer (converting it is
  // undefined behaviour: found by fuzz_metadata under UBSan: an Orientation tag of type FLOAT holding 2.7e23).
  constexpr double kLimit = 9.2e18;  // below 2^63, with room for rounding
  if (!v || !std::isfinite(*v) || *v >= kLimit || *v <= -kLimit) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

ExifFields exif_fields(const Exiv2::ExifData& data, Exiv2::ByteOrder order) {
  ExifReader r(data, order);
  ExifFields f;
  f.make = r.text("Exif.Image.Make");
  f.model = r.text("Exif.Image.Model");
  f.lens = r.text("Exif.Photo.LensModel");
  if (!f.lens || trim(*f.lens).empty()) {
    // Makers' notes name the lens when LensModel is missing; Exiv2 knows where each maker keeps it.
    auto it = Exiv2::lensName(data);
    if (it != data.end()) {
      std::string name = trim(it->print(&data));
      bool unknown = name.empty() || name[0] == '(' || name.find_first_not_of("0123456789 ") == std::string::npos;
      if (!unknown && is_valid_utf8(name)) f.lens = name;
    }
  }
  f.description = r.text("Exif.Image.ImageDescription");
  f.artist = r.text("Exif.Image.Artist");
  f.datetime_original = r.text("Exif.Photo.DateTimeOriginal");
  if (!f.datetime_original) {
    f.datetime_original = reconyx_hyperfire_date(r.find("Exif.Photo.MakerNote"), f.make.value_or(""));
  }
  f.subsec_original = r.text("Exif.Photo.SubSecTimeOriginal");
  f.offset_original = r.text("Exif.Photo.OffsetTimeOriginal");
  f.orientation = r.integer("Exif.Image.Orientation");
  // Some cameras (Nikon D5000) tag only the thumbnail's IFD; it is the same camera position.
  if (!f.orientation) f.orientation = r.integer("Exif.Thumbnail.Orientation");
  f.width = r.integer("Exif.Image.ImageWidth");
  f.height = r.integer("Exif.Image.ImageLength");
  f.exposure_time = r.number("Exif.Photo.ExposureTime");
  f.f_number = r.number("Exif.Photo.FNumber");
  f.aperture_value = r.number("Exif.Photo.ApertureValue");
  f.focal_length = r.number("Exif.Photo.FocalLength");
  f.iso = r.integer("Exif.Photo.ISOSpeedRatings");
  if (!f.iso || *f.iso <= 0) {
    // Makers' notes, when the EXIF tag is missing. Their raw values are often codes (Canon's 128
    // means ISO 50), so take the interpreted value Exiv2 prints.
    auto it = Exiv2::isoSpeed(data);
    if (it != data.end()) {
      std::string printed = it->print(&data);
      char* end = nullptr;
      long long iso = std::strtoll(printed.c_str(), &end, 10);
      // Below ISO 10 is a misdecoded value (Exiv2 0.27 reads some Canon BaseISO as 3.125).
      if (end != printed.c_str() && iso >= 10 && iso < 10000000) f.iso = iso;
    }
  }
  f.flash = r.integer("Exif.Photo.Flash");
  f.exposure_program = r.integer("Exif.Photo.ExposureProgram");
  f.metering_mode = r.integer("Exif.Photo.MeteringMode");
  f.white_balance = r.integer("Exif.Photo.WhiteBalance");
  f.exposure_bias = r.number("Exif.Photo.ExposureBiasValue");
  f.gps_lat = r.numbers("Exif.GPSInfo.GPSLatitude");
  f.gps_lon = r.numbers("Exif.GPSInfo.GPSLongitude");
  f.gps_lat_ref = r.text("Exif.GPSInfo.GPSLatitudeRef");
  f.gps_lon_ref = r.text("Exif.GPSInfo.GPSLongitudeRef");
  f.gps_alt = r.number("Exif.GPSInfo.GPSAltitude");
  f.gps_alt_ref = r.integer("Exif.GPSInfo.GPSAltitudeRef");
  f.user_comment = r.user_comment();
  f.xp_title = r.ucs2("Exif.Image.XPTitle");
  f.xp_comment = r.ucs2("Exif.Image.XPComment");
  f.xp_author = r.ucs2("Exif.Image.XPAuthor");
  f.xp_keywords = r.ucs2("Exif.Image.XPKeywords");
  f.xp_subject = r.ucs2("Exif.Image.XPSubject");
  return f;
}

}  // namespace kho::ingest::detail
