// The rules that turn raw EXIF values (from Exiv2, libexif or XMP's exif/tiff namespaces) into the
// fields of kho::Metadata. One place, so that both parsers give the same record.
#include <cmath>

#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

bool positive(const std::optional<double>& v) { return v && std::isfinite(*v) && *v > 0; }

template <typename T>
void fill(std::optional<T>* field, const std::optional<T>& value) {
  if (!*field && value) *field = value;
}

std::optional<std::string> nonblank(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  std::string t = trim(*s);
  if (t.empty()) return std::nullopt;
  return t;
}

}  // namespace

bool ExifFields::any() const {
  return make || model || lens || description || artist || datetime_original || orientation ||
         exposure_time || f_number || focal_length || iso || !gps_lat.empty() || user_comment || xp_title ||
         xp_comment || xp_author || xp_keywords || xp_subject || width;
}

void apply_exif_fields(const ExifFields& exif, kho::Metadata* meta) {
  // Cameras pad make and model with blanks to a fixed width ("RICOH      "); like exiftool, the
  // padding is dropped.
  fill(&meta->make, nonblank(exif.make));
  fill(&meta->model, nonblank(exif.model));
  fill(&meta->lens, nonblank(exif.lens));

  if (!meta->orientation && exif.orientation) {
    std::int64_t o = *exif.orientation;
    // kho::Metadata promises 1–8, so that every consumer can apply it without checks. 0 ("unknown",
    // written by some software) and larger values are dropped with a warning: shown as stored.
    if (o >= 1 && o <= 8) {
      meta->orientation = static_cast<int>(o);
    } else {
      meta->warnings.push_back("EXIF Orientation " + std::to_string(o) + " is out of range; ignored");
    }
  }

  if (!meta->datetime_original && exif.datetime_original) {
    meta->datetime_original = exif_datetime_to_iso(*exif.datetime_original, exif.subsec_original.value_or(""),
                                                   exif.offset_original.value_or(""));
    if (!meta->datetime_original && !trim(*exif.datetime_original).empty() &&
        exif.datetime_original->find_first_not_of("0: ") != std::string::npos) {
      meta->warnings.push_back("DateTimeOriginal '" + meta_text(*exif.datetime_original) + "' is not a date; ignored");
    }
  }

  if (!meta->exposure_time && positive(exif.exposure_time)) meta->exposure_time = exif.exposure_time;
  if (!meta->f_number) {
    if (positive(exif.f_number)) {
      meta->f_number = exif.f_number;
    } else if (exif.aperture_value && std::isfinite(*exif.aperture_value) && *exif.aperture_value > 0 &&
               *exif.aperture_value < 32) {
      // ApertureValue is APEX: N = 2^(AV/2). Cameras without FNumber still write it.
      meta->f_number = std::round(std::pow(2.0, *exif.aperture_value / 2.0) * 100.0) / 100.0;
    }
  }
  if (!meta->iso && exif.iso && *exif.iso > 0) meta->iso = exif.iso;
  if (!meta->focal_length && positive(exif.focal_length)) meta->focal_length = exif.focal_length;
  // Shooting settings: the EXIF codes as written (0–65535; the gallery words the ones it knows).
  auto code = [](const std::optional<std::int64_t>& v) {
    return v && *v >= 0 && *v <= 65535 ? v : std::optional<std::int64_t>();
  };
  fill(&meta->flash, code(exif.flash));
  fill(&meta->exposure_program, code(exif.exposure_program));
  fill(&meta->metering_mode, code(exif.metering_mode));
  fill(&meta->white_balance, code(exif.white_balance));
  if (!meta->exposure_bias && exif.exposure_bias && std::isfinite(*exif.exposure_bias) &&
      std::abs(*exif.exposure_bias) <= 64)
    meta->exposure_bias = exif.exposure_bias;

  if (!meta->gps_lat && !meta->gps_lon && !exif.gps_lat.empty() && !exif.gps_lon.empty()) {
    auto lat = dms_to_degrees(exif.gps_lat, exif.gps_lat_ref.value_or(""), 90.0);
    auto lon = dms_to_degrees(exif.gps_lon, exif.gps_lon_ref.value_or(""), 180.0);
    if (lat && lon) {
      meta->gps_lat = lat;
      meta->gps_lon = lon;
    } else {
      meta->warnings.emplace_back("GPS position out of range; ignored");
    }
  }
  if (!meta->gps_alt && exif.gps_alt && std::isfinite(*exif.gps_alt)) {
    meta->gps_alt = exif.gps_alt_ref.value_or(0) == 1 ? -*exif.gps_alt : *exif.gps_alt;
  }

  // Captions: EXIF comes after XMP and IPTC (set by the caller before this), and camera
  // placeholders never count as a caption.
  if (!meta->description) {
    std::string make = exif.make.value_or(meta->make.value_or(""));
    std::string model = exif.model.value_or(meta->model.value_or(""));
    for (const auto* candidate : {&exif.description, &exif.user_comment, &exif.xp_comment, &exif.xp_subject}) {
      if (*candidate && !is_placeholder_description(**candidate, make, model)) {
        meta->description = trim(**candidate);
        break;
      }
    }
  }
  fill(&meta->headline, nonblank(exif.xp_title));
  fill(&meta->creator, nonblank(exif.artist));
  fill(&meta->creator, nonblank(exif.xp_author));
  if (meta->keywords.empty() && exif.xp_keywords) {
    // Windows joins keywords with semicolons.
    std::string_view rest = *exif.xp_keywords;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string word = trim(rest.substr(0, semi));
      if (!word.empty()) meta->keywords.push_back(word);
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
}

}  // namespace kho::ingest::detail
