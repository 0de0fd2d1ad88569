// XMP properties (from kho's reader or Exiv2's) → the record's fields: x-default texts, lists, and
// XMP's copies of EXIF values (exif:, tiff:, aux:, exifEX:).
#include <algorithm>
#include <cstdlib>

#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

const std::vector<std::pair<std::string, std::string>>* find_xmp(const XmpProps& data, const char* key) {
  auto it = data.values.find(key);
  return it == data.values.end() || it->second.empty() ? nullptr : &it->second;
}

}  // namespace

// A simple property, or a lang-alt's x-default (else its first language).
std::optional<std::string> xmp_text(const XmpProps& data, const char* key) {
  const auto* items = find_xmp(data, key);
  if (!items) return std::nullopt;
  auto it = std::find_if(items->begin(), items->end(), [](const auto& item) { return item.first == "x-default"; });
  if (it == items->end()) it = items->begin();
  return meta_text(it->second);
}

std::vector<std::string> xmp_list(const XmpProps& data, const char* key) {
  std::vector<std::string> out;
  const auto* items = find_xmp(data, key);
  if (!items) return out;
  for (const auto& item : *items) {
    std::string text = trim(meta_text(item.second));
    if (!text.empty()) out.push_back(text);
  }
  return out;
}

// XMP's copies of EXIF (exif:, tiff:, aux: namespaces), for files that carry XMP but no EXIF.
ExifFields xmp_exif_fields(const XmpProps& data) {
  ExifFields f;
  f.make = xmp_text(data, "Xmp.tiff.Make");
  f.model = xmp_text(data, "Xmp.tiff.Model");
  f.lens = xmp_text(data, "Xmp.aux.Lens");
  if (!f.lens) f.lens = xmp_text(data, "Xmp.exifEX.LensModel");
  f.datetime_original = xmp_text(data, "Xmp.exif.DateTimeOriginal");
  if (!f.datetime_original) {
    // photoshop:DateCreated often holds the date alone, while IPTC beside it has the time too:
    // a date alone waits until IPTC has been tried (see fill_from_image).
    auto created = xmp_text(data, "Xmp.photoshop.DateCreated");
    if (created && created->size() > 10) f.datetime_original = created;
  }
  auto number = [&](const char* key) -> std::optional<double> {
    const auto* items = find_xmp(data, key);
    if (!items) return std::nullopt;
    const std::string& s = items->front().second;
    auto slash = s.find('/');
    char* end = nullptr;
    double num = std::strtod(s.c_str(), &end);
    if (end == s.c_str()) return std::nullopt;
    if (slash != std::string::npos) {
      double den = std::strtod(s.c_str() + slash + 1, nullptr);
      if (den == 0) return std::nullopt;
      num /= den;
    }
    return num;
  };
  if (auto o = number("Xmp.tiff.Orientation")) f.orientation = static_cast<std::int64_t>(*o);
  f.exposure_time = number("Xmp.exif.ExposureTime");
  f.f_number = number("Xmp.exif.FNumber");
  f.focal_length = number("Xmp.exif.FocalLength");
  if (auto iso = number("Xmp.exif.ISOSpeedRatings")) f.iso = static_cast<std::int64_t>(*iso);
  // exif:GPSLatitude is "DDD,MM,SSk" or "DDD,MM.mmk".
  auto coordinate = [&](const char* key, std::vector<double>* dms, std::optional<std::string>* ref) {
    auto s = xmp_text(data, key);
    if (!s || s->size() < 2) return;
    char letter = s->back();
    std::string body = s->substr(0, s->size() - 1);
    for (std::size_t at = 0; at <= body.size() && dms->size() < 3;) {
      auto comma = body.find(',', at);
      dms->push_back(std::strtod(body.substr(at, comma - at).c_str(), nullptr));
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    *ref = std::string(1, letter);
  };
  coordinate("Xmp.exif.GPSLatitude", &f.gps_lat, &f.gps_lat_ref);
  coordinate("Xmp.exif.GPSLongitude", &f.gps_lon, &f.gps_lon_ref);
  return f;
}

}  // namespace kho::ingest::detail
