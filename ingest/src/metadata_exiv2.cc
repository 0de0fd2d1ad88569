// The Exiv2 adapter: with metadata_exiv2_exif.cc and metadata_exiv2_iptc.cc, the only files that
// include Exiv2. Exceptions from Exiv2 stop here, and Exiv2's log goes into the record's warnings
// instead of stderr.
#include <mutex>

#include "metadata_exiv2_internal.h"

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
// mismatch" (found by MetadataThreads.ParallelReadsGiveTheSameRecordsAsSerialOnes). So Exiv2 reads
// files that may hold XMP one at a time. JPEGs never need it: kho reads their XMP itself.
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

void init_exiv2() { init_exiv2_once(); }
std::mutex& exiv2_xmp_mutex() { return g_xmp_decode_mutex; }

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
  // HEIF/AVIF: the XMP item through libheif (Exiv2 0.27 reads the EXIF item only). Exiv2 still opens the file.
  bool heif_xmp = false;
  if (meta->format == "heic" || meta->format == "heif" || meta->format == "avif") {
    for (const auto& packet : heif_xmp_packets(bytes, &meta->warnings)) {
      heif_xmp = parse_xmp_packet(packet, &own_xmp, &meta->warnings) || heif_xmp;
    }
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
    fill_from_image(*image, bytes, own || heif_xmp ? &own_xmp : nullptr, meta, sources);
    refine_raw(image->exifData(), meta);
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
