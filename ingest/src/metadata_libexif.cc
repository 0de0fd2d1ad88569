// The libexif adapter: an independent EXIF parser. It salvages EXIF that Exiv2 rejected, and it is
// the cross-check for Exiv2 in tests. The only file that includes libexif.
#include <libexif/exif-data.h>
#include <libexif/exif-log.h>
#include <libexif/exif-utils.h>

#include <cstdarg>
#include <cstdio>

#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

void collect_log(ExifLog*, ExifLogCode code, const char* domain, const char* format, va_list args, void* data) {
  if (code == EXIF_LOG_CODE_NONE || code == EXIF_LOG_CODE_DEBUG || !format) return;
  auto* warnings = static_cast<std::vector<std::string>*>(data);
  if (warnings->size() >= 16) return;  // a hostile block can log thousands of lines
  char buf[256];
  std::vsnprintf(buf, sizeof buf, format, args);
  warnings->push_back(std::string("libexif: ") + (domain ? domain : "") + ": " + trim(buf));
}

class LibexifData {
 public:
  LibexifData(std::span<const std::uint8_t> bytes, std::vector<std::string>* warnings) {
    log_ = exif_log_new();
    data_ = exif_data_new();
    if (!data_ || !log_) return;
    exif_log_set_func(log_, collect_log, warnings);
    exif_data_log(data_, log_);
    // By default libexif "repairs" the block by adding tags the spec calls mandatory: we want only
    // what the file holds.
    exif_data_unset_option(data_, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_unset_option(data_, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
    const auto size = static_cast<unsigned int>(std::min<std::size_t>(bytes.size(), 0xFFFFFFFFu));
    exif_data_load_data(data_, bytes.data(), size);
    order_ = exif_data_get_byte_order(data_);
  }
  ~LibexifData() {
    if (data_) exif_data_unref(data_);
    if (log_) exif_log_unref(log_);
  }
  LibexifData(const LibexifData&) = delete;
  LibexifData& operator=(const LibexifData&) = delete;

  bool empty() const {
    if (!data_) return true;
    for (ExifContent* c : data_->ifd) {
      if (c && c->count > 0) return false;
    }
    return true;
  }

  ExifEntry* find(ExifIfd ifd, unsigned tag) const {
    if (!data_ || !data_->ifd[ifd]) return nullptr;
    return exif_content_get_entry(data_->ifd[ifd], static_cast<ExifTag>(tag));
  }
  std::optional<std::string> text(ExifIfd ifd, unsigned tag) const {
    ExifEntry* e = find(ifd, tag);
    if (!e || !e->data) return std::nullopt;
    return decode_8bit(std::string_view(reinterpret_cast<const char*>(e->data), e->size));
  }
  std::optional<double> number_at(ExifEntry* e, unsigned i) const {
    if (!e || !e->data || i >= e->components) return std::nullopt;
    std::size_t unit = exif_format_get_size(e->format);
    if (unit == 0 || (i + 1) * unit > e->size) return std::nullopt;
    const unsigned char* p = e->data + i * unit;
    switch (e->format) {
      case EXIF_FORMAT_RATIONAL: {
        ExifRational r = exif_get_rational(p, order_);
        if (r.denominator == 0) return std::nullopt;
        return static_cast<double>(r.numerator) / r.denominator;
      }
      case EXIF_FORMAT_SRATIONAL: {
        ExifSRational r = exif_get_srational(p, order_);
        if (r.denominator == 0) return std::nullopt;
        return static_cast<double>(r.numerator) / r.denominator;
      }
      case EXIF_FORMAT_SHORT: return exif_get_short(p, order_);
      case EXIF_FORMAT_SSHORT: return exif_get_sshort(p, order_);
      case EXIF_FORMAT_LONG: return exif_get_long(p, order_);
      case EXIF_FORMAT_SLONG: return exif_get_slong(p, order_);
      case EXIF_FORMAT_BYTE: return *p;
      default: return std::nullopt;
    }
  }
  std::optional<double> number(ExifIfd ifd, unsigned tag) const { return number_at(find(ifd, tag), 0); }
  std::optional<std::int64_t> integer(ExifIfd ifd, unsigned tag) const {
    auto v = number(ifd, tag);
    if (!v) return std::nullopt;
    return static_cast<std::int64_t>(*v);
  }
  std::vector<double> numbers(ExifIfd ifd, unsigned tag) const {
    std::vector<double> out;
    ExifEntry* e = find(ifd, tag);
    if (!e) return out;
    for (unsigned i = 0; i < e->components && i < 3; ++i) {
      auto v = number_at(e, i);
      if (!v && i == 0) return {};
      out.push_back(v.value_or(0.0));
    }
    return out;
  }
  std::optional<std::string> ucs2(unsigned tag) const {
    ExifEntry* e = find(EXIF_IFD_0, tag);
    if (!e || !e->data) return std::nullopt;
    std::string t = trim(decode_utf16({e->data, e->size}, true));
    if (t.empty()) return std::nullopt;
    return t;
  }
  std::optional<std::string> user_comment() const {
    ExifEntry* e = find(EXIF_IFD_EXIF, 0x9286);
    if (!e || !e->data) return std::nullopt;
    return decode_user_comment({e->data, e->size}, order_ == EXIF_BYTE_ORDER_INTEL);
  }

 private:
  ExifData* data_ = nullptr;
  ExifLog* log_ = nullptr;
  ExifByteOrder order_ = EXIF_BYTE_ORDER_MOTOROLA;
};

}  // namespace

bool read_with_libexif(std::span<const std::uint8_t> bytes, ExifFields* f, std::vector<std::string>* warnings) {
  LibexifData d(bytes, warnings);
  if (d.empty()) return false;
  f->make = d.text(EXIF_IFD_0, 0x010F);
  f->model = d.text(EXIF_IFD_0, 0x0110);
  f->description = d.text(EXIF_IFD_0, 0x010E);
  f->artist = d.text(EXIF_IFD_0, 0x013B);
  f->orientation = d.integer(EXIF_IFD_0, 0x0112);
  f->lens = d.text(EXIF_IFD_EXIF, 0xA434);
  f->datetime_original = d.text(EXIF_IFD_EXIF, 0x9003);
  f->subsec_original = d.text(EXIF_IFD_EXIF, 0x9291);
  f->offset_original = d.text(EXIF_IFD_EXIF, 0x9011);
  f->exposure_time = d.number(EXIF_IFD_EXIF, 0x829A);
  f->f_number = d.number(EXIF_IFD_EXIF, 0x829D);
  f->aperture_value = d.number(EXIF_IFD_EXIF, 0x9202);
  f->iso = d.integer(EXIF_IFD_EXIF, 0x8827);
  f->focal_length = d.number(EXIF_IFD_EXIF, 0x920A);
  f->flash = d.integer(EXIF_IFD_EXIF, 0x9209);
  f->exposure_program = d.integer(EXIF_IFD_EXIF, 0x8822);
  f->metering_mode = d.integer(EXIF_IFD_EXIF, 0x9207);
  f->white_balance = d.integer(EXIF_IFD_EXIF, 0xA403);
  f->exposure_bias = d.number(EXIF_IFD_EXIF, 0x9204);
  f->gps_lat_ref = d.text(EXIF_IFD_GPS, 0x0001);
  f->gps_lat = d.numbers(EXIF_IFD_GPS, 0x0002);
  f->gps_lon_ref = d.text(EXIF_IFD_GPS, 0x0003);
  f->gps_lon = d.numbers(EXIF_IFD_GPS, 0x0004);
  f->gps_alt_ref = d.integer(EXIF_IFD_GPS, 0x0005);
  f->gps_alt = d.number(EXIF_IFD_GPS, 0x0006);
  f->user_comment = d.user_comment();
  f->xp_title = d.ucs2(0x9C9B);
  f->xp_comment = d.ucs2(0x9C9C);
  f->xp_author = d.ucs2(0x9C9D);
  f->xp_keywords = d.ucs2(0x9C9E);
  f->xp_subject = d.ucs2(0x9C9F);
  return true;
}

}  // namespace kho::ingest::detail
