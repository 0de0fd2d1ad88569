// The Exiv2 adapter: the only file that includes Exiv2. Exceptions from Exiv2 stop here, and Exiv2's
// log goes into the record's warnings instead of stderr.
#include <exiv2/exiv2.hpp>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

// Exiv2's log handler is one global function pointer, but each message is emitted on the thread
// that reads the file; so each reading thread points this at its own record's warnings.
thread_local std::vector<std::string>* t_log_sink = nullptr;

void log_to_sink(int level, const char* msg) {
  if (!t_log_sink || level < Exiv2::LogMsg::warn || !msg) return;  // never print
  std::string text = trim(msg);
  if (!text.empty()) t_log_sink->push_back("exiv2: " + text);
}

std::mutex g_xmp_toolkit_mutex;
// Exiv2 0.27's XmpParser::decode is not safe to run on two threads at once, even with the toolkit
// lock installed: parallel decodes fail with "XMP Toolkit error 101: Schema namespace URI and prefix
// mismatch" (found by MetadataThreads.ParallelReadsGiveTheSameRecordsAsSerialOnes). Files that may
// hold XMP are therefore read one at a time; files without XMP (most camera JPEGs) stay parallel.
std::mutex g_xmp_decode_mutex;
void xmp_toolkit_lock(void*, bool lock) {
  if (lock) {
    g_xmp_toolkit_mutex.lock();
  } else {
    g_xmp_toolkit_mutex.unlock();
  }
}

void init_exiv2_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
    Exiv2::LogMsg::setHandler(log_to_sink);
    // The XMP toolkit is not thread-safe: one initialisation, and a lock around its use.
    Exiv2::XmpParser::initialize(xmp_toolkit_lock, nullptr);
    Exiv2::enableBMFF(true);  // HEIF, AVIF, CR3: off by default in 0.27
  });
}

class LogSinkScope {
 public:
  explicit LogSinkScope(std::vector<std::string>* sink) : prev_(t_log_sink) { t_log_sink = sink; }
  ~LogSinkScope() { t_log_sink = prev_; }
  LogSinkScope(const LogSinkScope&) = delete;
  LogSinkScope& operator=(const LogSinkScope&) = delete;

 private:
  std::vector<std::string>* prev_;
};

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
  if (!v || !std::isfinite(*v)) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

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

// ---- XMP ----
// Exiv2's XMP (non-JPEG containers) in the shape of kho's own reader (metadata_xmp.cc).
XmpProps props_from_exiv2(const Exiv2::XmpData& data) {
  XmpProps props;
  for (const auto& d : data) {
    std::vector<std::pair<std::string, std::string>> items;
    if (const auto* alt = dynamic_cast<const Exiv2::LangAltValue*>(&d.value())) {
      for (const auto& [lang, text] : alt->value_) items.emplace_back(lang, text);
    } else {
      for (long i = 0; i < d.count(); ++i) items.emplace_back("", d.toString(i));
    }
    props.values.try_emplace(d.key(), std::move(items));
  }
  return props;
}

const std::vector<std::pair<std::string, std::string>>* find_xmp(const XmpProps& data, const char* key) {
  auto it = data.values.find(key);
  return it == data.values.end() || it->second.empty() ? nullptr : &it->second;
}

// A simple property, or a lang-alt's x-default (else its first language).
std::optional<std::string> xmp_text(const XmpProps& data, const char* key) {
  const auto* items = find_xmp(data, key);
  if (!items) return std::nullopt;
  auto it = std::find_if(items->begin(), items->end(), [](const auto& item) { return item.first == "x-default"; });
  if (it == items->end()) it = items->begin();
  return to_nfc(it->second);
}

std::vector<std::string> xmp_list(const XmpProps& data, const char* key) {
  std::vector<std::string> out;
  const auto* items = find_xmp(data, key);
  if (!items) return out;
  for (const auto& item : *items) {
    std::string text = trim(to_nfc(item.second));
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

// ---- IPTC ----
struct IptcText {
  std::optional<std::string> caption, headline, credit, date, time;
  std::vector<std::string> keywords, bylines;
};

IptcText iptc_text(const Exiv2::IptcData& data) {
  bool utf8 = false;
  for (const auto& d : data) {
    if (d.record() == 1 && d.tag() == 90) {
      std::string marker = raw_bytes(d);
      utf8 = marker.find("\x1b%G") != std::string::npos;
    }
  }
  // With the marker the text is UTF-8. Without it the standard says ISO 8859-1; Windows-1252 is
  // its superset that real writers use; and text that is valid UTF-8 is kept as UTF-8 (Latin-1 text
  // almost never forms valid multi-byte UTF-8 by chance, while UTF-8 without the marker is common).
  auto decode = [&](const Exiv2::Iptcdatum& d) {
    std::string raw = raw_bytes(d);
    return utf8 ? to_nfc(raw) : decode_8bit(raw);
  };
  IptcText out;
  for (const auto& d : data) {
    if (d.record() != 2) continue;
    switch (d.tag()) {
      case 120: if (!out.caption) out.caption = decode(d); break;
      case 105: if (!out.headline) out.headline = decode(d); break;
      case 110: if (!out.credit) out.credit = decode(d); break;
      case 55: if (!out.date) out.date = decode(d); break;
      case 60: if (!out.time) out.time = decode(d); break;
      case 25: out.keywords.push_back(trim(decode(d))); break;
      case 80: out.bylines.push_back(trim(decode(d))); break;
      default: break;
    }
  }
  std::erase(out.keywords, std::string());
  std::erase(out.bylines, std::string());
  return out;
}

std::optional<std::string> first_nonblank(std::initializer_list<const std::optional<std::string>*> list) {
  for (const auto* s : list) {
    if (*s && !trim(**s).empty()) return trim(**s);
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

// AFCP ("AXS!" trailer, written by some Windows photo tools after the image data): a directory of
// blocks, one of them an IPTC record. Exiv2 does not read it. Layout: the last 12 bytes are
// "AXS!" or "AXS*" and the header's offset (big-endian); the header is "AXS!", version (2),
// entry count (2), 4 reserved bytes, then entries of id (4), size (4), absolute offset (4).
Exiv2::IptcData afcp_iptc(std::span<const std::uint8_t> b) {
  Exiv2::IptcData out;
  if (b.size() < 24) return out;
  auto be32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  };
  std::size_t tail = b.size() - 12;
  if (std::memcmp(b.data() + tail, "AXS", 3) != 0) return out;
  std::size_t header = be32(tail + 4);
  if (header + 12 > tail || std::memcmp(b.data() + header, "AXS", 3) != 0) return out;
  std::size_t count = static_cast<std::size_t>((b[header + 6] << 8) | b[header + 7]);
  for (std::size_t i = 0; i < count && i < 64; ++i) {
    std::size_t entry = header + 12 + i * 12;
    if (entry + 12 > tail) break;
    if (std::memcmp(b.data() + entry, "IPTC", 4) != 0) continue;
    std::size_t size = be32(entry + 4), offset = be32(entry + 8);
    if (offset >= b.size() || size > b.size() - offset) break;
    Exiv2::IptcParser::decode(out, b.data() + offset, static_cast<std::uint32_t>(size));
    break;
  }
  return out;
}

void fill_from_image(const Exiv2::Image& image, std::span<const std::uint8_t> bytes, const XmpProps* own_xmp,
                     kho::Metadata* meta, CaptionSources* sources) {
  const XmpProps xmp = own_xmp ? *own_xmp : props_from_exiv2(image.xmpData());
  Exiv2::IptcData trailer_iptc;
  if (image.iptcData().empty()) trailer_iptc = afcp_iptc(bytes);
  const Exiv2::IptcData& iptc = image.iptcData().empty() ? trailer_iptc : image.iptcData();
  ExifFields exif = exif_fields(image.exifData(), image.byteOrder());
  IptcText it = iptc_text(iptc);

  std::optional<std::string> xmp_desc = xmp.empty() ? std::nullopt : xmp_text(xmp, "Xmp.dc.description");
  sources->xmp_description = xmp_desc;
  sources->iptc_caption = it.caption;
  sources->exif_description = exif.description;
  sources->exif_user_comment = exif.user_comment;
  sources->xp_comment = exif.xp_comment;

  meta->description = first_nonblank({&xmp_desc, &it.caption});
  if (!xmp.empty()) {
    auto headline = xmp_text(xmp, "Xmp.photoshop.Headline");
    auto credit = xmp_text(xmp, "Xmp.photoshop.Credit");
    auto event = xmp_text(xmp, "Xmp.iptcExt.Event");
    meta->headline = first_nonblank({&headline, &it.headline});
    meta->credit = first_nonblank({&credit, &it.credit});
    meta->event = first_nonblank({&event});
    meta->keywords = xmp_list(xmp, "Xmp.dc.subject");
    auto creators = xmp_list(xmp, "Xmp.dc.creator");
    if (!creators.empty()) meta->creator = join(creators);
  } else {
    meta->headline = first_nonblank({&it.headline});
    meta->credit = first_nonblank({&it.credit});
  }
  if (meta->keywords.empty()) meta->keywords = it.keywords;
  if (!meta->creator && !it.bylines.empty()) meta->creator = join(it.bylines);

  apply_exif_fields(exif, meta);
  if (!xmp.empty()) apply_exif_fields(xmp_exif_fields(xmp), meta);
  if (!meta->datetime_original && it.date) {
    // IPTC 2:55 is CCYYMMDD, 2:60 HHMMSS±HHMM.
    std::string d = trim(*it.date), t = trim(it.time.value_or(""));
    if (d.size() == 8) {
      std::string dt = d.substr(0, 4) + ":" + d.substr(4, 2) + ":" + d.substr(6, 2);
      std::string off;
      if (t.size() >= 6) {
        dt.append(" ").append(t, 0, 2).append(":").append(t, 2, 2).append(":").append(t, 4, 2);
        if (t.size() >= 11) off = t.substr(6, 3) + ":" + t.substr(9, 2);
      }
      meta->datetime_original = exif_datetime_to_iso(dt, "", off);
    }
  }
  if (!meta->datetime_original && !xmp.empty()) {
    if (auto created = xmp_text(xmp, "Xmp.photoshop.DateCreated")) {
      meta->datetime_original = exif_datetime_to_iso(*created, "", "");
    }
  }
  if (!meta->width && exif.width && exif.height && *exif.width > 0 && *exif.height > 0) {
    meta->width = exif.width;
    meta->height = exif.height;
  }
  if (!meta->width && image.pixelWidth() > 0 && image.pixelHeight() > 0) {
    meta->width = image.pixelWidth();
    meta->height = image.pixelHeight();
  }
}

}  // namespace

Exiv2Outcome read_with_exiv2(std::span<const std::uint8_t> bytes, kho::Metadata* meta, CaptionSources* sources) {
  init_exiv2_once();
  Exiv2Outcome outcome;
  LogSinkScope scope(&meta->warnings);
  // JPEG, the common case: kho reads the XMP itself, and Exiv2 reads EXIF and IPTC from the
  // metadata segments alone (see metadata_xmp.cc for why).
  std::span<const std::uint8_t> for_exiv2 = bytes;
  JpegWithoutXmp split;
  XmpProps own_xmp;
  bool own = meta->format == "jpeg" && split_jpeg_xmp(bytes, &split);
  if (own) {
    for (auto packet : split.xmp_packets) parse_xmp_packet(packet, &own_xmp, &meta->warnings);
    for_exiv2 = split.head;
  }
  Exiv2::Image::AutoPtr image;
  try {
    image = Exiv2::ImageFactory::open(for_exiv2.data(), static_cast<long>(for_exiv2.size()));
  } catch (const std::exception& e) {
    meta->warnings.push_back(std::string("exiv2 cannot read this ") + meta->format.value_or("file") + ": " + e.what());
    return outcome;
  } catch (...) {
    meta->warnings.push_back("exiv2 cannot read this file: unknown error");
    return outcome;
  }
  if (!image.get()) {
    meta->warnings.push_back("exiv2 does not support the format " + meta->format.value_or("?"));
    return outcome;
  }
  try {
    std::unique_lock<std::mutex> xmp_lock(g_xmp_decode_mutex, std::defer_lock);
    if (!own && may_hold_xmp(bytes, meta->format.value_or(""))) xmp_lock.lock();
    image->readMetadata();
  } catch (const std::exception& e) {
    // Keep what was read before the failure: the metadata containers are valid, only incomplete.
    meta->warnings.push_back(std::string("exiv2: metadata damaged, partly read: ") + e.what());
  } catch (...) {
    meta->warnings.emplace_back("exiv2: metadata damaged, partly read");
  }
  try {
    fill_from_image(*image, bytes, own ? &own_xmp : nullptr, meta, sources);
    outcome.opened = true;
  } catch (const std::exception& e) {
    meta->warnings.push_back(std::string("exiv2: could not interpret metadata: ") + e.what());
  } catch (...) {
    meta->warnings.emplace_back("exiv2: could not interpret metadata");
  }
  outcome.exif_empty = image->exifData().empty();
  outcome.exif_rejected = image->exifData().empty() && meta->format == "jpeg" && jpeg_has_exif_app1(bytes);
  return outcome;
}

}  // namespace kho::ingest::detail
