// Writing Kho's fields into a copy with Exiv2, from memory (kho/ingest/export.h, ingest/README.md
// "Export"). With the metadata_exiv2*.cc readers, the only files that include Exiv2.
#include <ctime>

#include "kho/ingest/export.h"
#include "kho/ingest/metadata.h"
#include "kho/text.h"
#include "metadata_exiv2_internal.h"
#include "metadata_internal.h"

namespace kho::ingest {
namespace {

using detail::exiv2_xmp_mutex;
using detail::init_exiv2;

constexpr const char* kUtf8Marker = "\x1b%G";

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// "2020-05-17T08:30:15.042+07:00" → date "20200517", time "083015+0700" (IIM 2:55 / 2:60). Without a
// zone the time is "083015": kept as it was, rather than claiming UTC.
bool iim_date_time(const std::string& iso, std::string* date, std::string* time) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > iso.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (iso[i] < '0' || iso[i] > '9') return false;
    return true;
  };
  if (!digits(0, 4) || iso.size() < 10 || iso[4] != '-' || !digits(5, 2) || iso[7] != '-' || !digits(8, 2))
    return false;
  *date = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
  time->clear();
  if (iso.size() >= 19 && iso[10] == 'T' && digits(11, 2) && digits(14, 2) && digits(17, 2)) {
    *time = iso.substr(11, 2) + iso.substr(14, 2) + iso.substr(17, 2);
    std::size_t z = 19;
    if (z < iso.size() && iso[z] == '.') {
      ++z;
      while (z < iso.size() && iso[z] >= '0' && iso[z] <= '9') ++z;
    }
    if (z < iso.size() && iso[z] == 'Z') {
      *time += "+0000";
    } else if (z + 6 <= iso.size() && (iso[z] == '+' || iso[z] == '-') && digits(z + 1, 2) && iso[z + 3] == ':' &&
               digits(z + 4, 2)) {
      *time += iso.substr(z, 3) + iso.substr(z + 4, 2);
    }
  }
  return true;
}

// ---- XMP ----

void set_lang_alt(Exiv2::XmpData& xmp, const char* key, const std::string& text) {
  Exiv2::LangAltValue value;
  auto it = xmp.findKey(Exiv2::XmpKey(key));
  if (it != xmp.end()) {
    if (const auto* old = dynamic_cast<const Exiv2::LangAltValue*>(&it->value())) value.value_ = old->value_;
    xmp.erase(it);
  }
  value.value_["x-default"] = text;
  xmp.add(Exiv2::XmpKey(key), &value);
}

void set_text(Exiv2::XmpData& xmp, const char* key, const std::string& text) {
  auto it = xmp.findKey(Exiv2::XmpKey(key));
  if (it != xmp.end()) xmp.erase(it);
  Exiv2::XmpTextValue value(text);
  xmp.add(Exiv2::XmpKey(key), &value);
}

void set_seq(Exiv2::XmpData& xmp, const char* key, const std::string& item) {
  auto it = xmp.findKey(Exiv2::XmpKey(key));
  if (it != xmp.end()) xmp.erase(it);
  Exiv2::XmpArrayValue value(Exiv2::xmpSeq);
  value.read(item);
  xmp.add(Exiv2::XmpKey(key), &value);
}

// Appends an xmpMM:History event that keeps the caption the file had before (see ingest/README.md,
// "Export": History records what was changed, by whom and when; the old text stays machine-readable).
void keep_previous_caption(Exiv2::XmpData& xmp, const std::string& previous) {
  const std::string prefix = "Xmp.xmpMM.History[";
  int count = 0;
  for (const auto& d : xmp) {
    const std::string k = d.key();
    if (k.rfind(prefix, 0) != 0) continue;
    int n = std::atoi(k.c_str() + prefix.size());
    if (n > count) count = n;
  }
  if (xmp.findKey(Exiv2::XmpKey("Xmp.xmpMM.History")) == xmp.end()) {
    Exiv2::XmpTextValue seq;
    seq.setXmpArrayType(Exiv2::XmpValue::xaSeq);
    xmp.add(Exiv2::XmpKey("Xmp.xmpMM.History"), &seq);
  }
  const std::string item = prefix + std::to_string(count + 1) + "]/stEvt:";
  xmp[item + "action"] = std::string("edited");
  xmp[item + "when"] = now_iso();
  xmp[item + "softwareAgent"] = std::string("Kho");
  xmp[item + "changed"] = std::string("/metadata");
  xmp[item + "parameters"] = "previous caption (dc:description): " + previous;
}

void apply_xmp_fields(Exiv2::XmpData& xmp, const CaptionFields& f) {
  if (f.caption) set_lang_alt(xmp, "Xmp.dc.description", to_nfc(*f.caption));
  if (f.headline) set_text(xmp, "Xmp.photoshop.Headline", to_nfc(*f.headline));
  if (f.event) set_lang_alt(xmp, "Xmp.iptcExt.Event", to_nfc(*f.event));
  if (f.creator) set_seq(xmp, "Xmp.dc.creator", to_nfc(*f.creator));
  if (f.credit) set_text(xmp, "Xmp.photoshop.Credit", to_nfc(*f.credit));
  if (f.date_created) set_text(xmp, "Xmp.photoshop.DateCreated", *f.date_created);
  if (f.source) set_text(xmp, "Xmp.dc.source", to_nfc(*f.source));
}

// ---- IPTC ----

void set_iim(Exiv2::IptcData& iptc, const char* key, int record, int dataset, const std::string& text) {
  for (auto it = iptc.begin(); it != iptc.end();) {
    it = it->record() == static_cast<std::uint16_t>(record) && it->tag() == static_cast<std::uint16_t>(dataset)
             ? iptc.erase(it)
             : it + 1;
  }
  Exiv2::StringValue value(iim_cut(text, iim_max_bytes(record, dataset).value_or(32)));
  iptc.add(Exiv2::IptcKey(key), &value);
}

// The original's IPTC as UTF-8 text within the limits: datasets of a file without the UTF-8 marker are
// decoded as the reader does (valid UTF-8 kept, else Windows-1252), so marking the record UTF-8 does not
// turn old Latin text into mojibake; every text dataset is cut to its limit. Other datasets are kept.
Exiv2::IptcData utf8_iptc(const Exiv2::IptcData& in) {
  bool utf8 = false;
  for (const auto& d : in)
    if (d.record() == 1 && d.tag() == 90) utf8 = detail::raw_bytes(d).find(kUtf8Marker) != std::string::npos;
  Exiv2::IptcData out;
  for (const auto& d : in) {
    if (d.record() == 1 && d.tag() == 90) continue;  // written below
    const std::optional<std::size_t> limit = iim_max_bytes(d.record(), d.tag());
    if (d.typeId() != Exiv2::string || !limit) {
      out.add(d);
      continue;
    }
    const std::string raw = detail::raw_bytes(d);
    const std::string text = utf8 ? detail::meta_text(raw) : detail::decode_8bit(raw);
    Exiv2::StringValue value(iim_cut(text, *limit));
    out.add(Exiv2::IptcKey(d.key()), &value);
  }
  Exiv2::StringValue marker(kUtf8Marker);
  out.add(Exiv2::IptcKey("Iptc.Envelope.CharacterSet"), &marker);
  return out;
}

void apply_iptc_fields(Exiv2::IptcData& iptc, const CaptionFields& f) {
  if (f.caption) set_iim(iptc, "Iptc.Application2.Caption", 2, 120, *f.caption);
  if (f.headline) set_iim(iptc, "Iptc.Application2.Headline", 2, 105, *f.headline);
  if (f.creator) set_iim(iptc, "Iptc.Application2.Byline", 2, 80, *f.creator);
  if (f.credit) set_iim(iptc, "Iptc.Application2.Credit", 2, 110, *f.credit);
  std::string date, time;
  if (f.date_created && iim_date_time(*f.date_created, &date, &time)) {
    set_iim(iptc, "Iptc.Application2.DateCreated", 2, 55, date);
    if (!time.empty()) set_iim(iptc, "Iptc.Application2.TimeCreated", 2, 60, time);
  }
}

std::optional<std::string> differing_caption(std::span<const std::uint8_t> original, const CaptionFields& f) {
  if (!f.caption) return std::nullopt;
  Result<Metadata> meta = read_metadata(original);
  if (!meta.ok() || !meta->description) return std::nullopt;
  if (to_nfc(*meta->description) == to_nfc(*f.caption)) return std::nullopt;
  return meta->description;
}

// The caption read_metadata() gives for a JPEG, worked out from the image embed_fields() has already read
// with Exiv2 instead of a second Exiv2 pass (which was half of embed_fields' CPU): the same rule as
// metadata_exiv2.cc's fill_from_image (kho's own XMP parse: dc:description; then IPTC 2:120, or an AFCP
// trailer's; then EXIF's and XMP's EXIF description fields unless a camera placeholder; then PictureInfo).
// nullopt when this shortcut does not apply (not a JPEG, damaged segments, an EXIF block Exiv2 rejected,
// which read_metadata salvages with libexif): then read_metadata() decides.
// ExportEmbed.PreviousCaptionShortcutAgreesWithReadMetadata checks it against read_metadata on the fixtures.
std::optional<std::optional<std::string>> jpeg_caption(const Exiv2::Image& image,
                                                       std::span<const std::uint8_t> original) {
  if (sniff_image_type(original) != std::optional<std::string>("jpeg")) return std::nullopt;
  detail::JpegWithoutXmp split;
  if (!detail::split_jpeg_xmp(original, &split)) return std::nullopt;
  if (image.exifData().empty() && detail::jpeg_has_exif_app1(original)) return std::nullopt;
  detail::XmpProps xmp;
  std::vector<std::string> warnings;
  for (auto packet : split.xmp_packets) detail::parse_xmp_packet(packet, &xmp, &warnings);
  const Exiv2::IptcData trailer = image.iptcData().empty() ? detail::afcp_iptc(original) : Exiv2::IptcData();
  const detail::IptcText it = detail::iptc_text(image.iptcData().empty() ? trailer : image.iptcData());
  kho::Metadata m;
  for (const std::optional<std::string>& c :
       {xmp.empty() ? std::nullopt : detail::xmp_text(xmp, "Xmp.dc.description"), it.caption}) {
    if (c && !detail::trim(*c).empty()) {
      m.description = detail::trim(*c);
      break;
    }
  }
  detail::apply_exif_fields(detail::exif_fields(image.exifData(), image.byteOrder()), &m);
  if (!xmp.empty()) detail::apply_exif_fields(detail::xmp_exif_fields(xmp), &m);
  if (detail::ExifFields info; detail::read_picture_info(original, &info)) detail::apply_exif_fields(info, &m);
  if (!m.datetime_original)
    if (detail::ExifFields q; detail::read_casio_qvci(original, &q)) detail::apply_exif_fields(q, &m);
  return m.description;
}

std::optional<std::string> differs(const std::optional<std::string>& in_file, const CaptionFields& f) {
  if (!f.caption || !in_file || to_nfc(*in_file) == to_nfc(*f.caption)) return std::nullopt;
  return in_file;
}

template <typename Fn>
auto guarded(const char* what, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string(what) + ": " + e.what());
  } catch (...) {
    return Status::InvalidArgument(std::string(what) + ": unknown Exiv2 error");
  }
}

}  // namespace

bool can_embed(std::string_view format) {
  return format == "jpeg" || format == "png" || format == "webp" || format == "tiff";
}

Result<EmbedResult> embed_fields(std::span<const std::uint8_t> original, const CaptionFields& fields) {
  const std::optional<std::string> format = sniff_image_type(original);
  if (!format) return Status::InvalidArgument("not an image");
  if (!can_embed(*format)) return Status::Unsupported("metadata is not written into " + *format + " files");
  init_exiv2();
  EmbedResult out;
  return guarded("cannot write metadata", [&]() -> Result<EmbedResult> {
    std::unique_lock<std::mutex> lock(exiv2_xmp_mutex());
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(original.data(), static_cast<long>(original.size()));
    if (!image.get()) return Status::Unsupported("Exiv2 does not support this " + *format + " file");
    image->readMetadata();
    std::optional<std::string> previous;
    if (std::optional<std::optional<std::string>> own = jpeg_caption(*image, original)) {
      previous = differs(*own, fields);
    } else {
      lock.unlock();  // read_metadata takes the lock itself where it needs it
      previous = differing_caption(original, fields);
      lock.lock();
    }
    Exiv2::XmpData& xmp = image->xmpData();
    if (previous) {
      keep_previous_caption(xmp, *previous);
      out.notes.push_back("its own caption differed and is kept in XMP xmpMM:History");
    }
    apply_xmp_fields(xmp, fields);
    Exiv2::IptcData iptc = utf8_iptc(image->iptcData());
    apply_iptc_fields(iptc, fields);
    image->setIptcData(iptc);
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    if (io.open() != 0) return Status::IOError("cannot read back the written copy");
    out.bytes.resize(static_cast<std::size_t>(io.size()));
    io.seek(0, Exiv2::BasicIo::beg);
    const long got = io.read(reinterpret_cast<Exiv2::byte*>(out.bytes.data()), static_cast<long>(out.bytes.size()));
    io.close();
    if (got != static_cast<long>(out.bytes.size())) return Status::IOError("short read of the written copy");
    return std::move(out);
  });
}

Result<std::string> sidecar_xmp(std::span<const std::uint8_t> original, const CaptionFields& fields) {
  init_exiv2();
  const std::optional<std::string> previous = differing_caption(original, fields);
  return guarded("cannot make the XMP sidecar", [&]() -> Result<std::string> {
    std::lock_guard<std::mutex> lock(exiv2_xmp_mutex());
    Exiv2::XmpData xmp;
    try {  // the original's own XMP, when Exiv2 can read it (RAW, HEIF); the fields go in either way
      Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(original.data(), static_cast<long>(original.size()));
      if (image.get()) {
        image->readMetadata();
        xmp = image->xmpData();
      }
    } catch (...) {
    }
    if (previous) keep_previous_caption(xmp, *previous);
    apply_xmp_fields(xmp, fields);
    std::string packet;
    if (Exiv2::XmpParser::encode(packet, xmp, Exiv2::XmpParser::useCompactFormat) != 0)
      return Status::InvalidArgument("Exiv2 could not serialise the XMP");
    return packet;
  });
}

}  // namespace kho::ingest
