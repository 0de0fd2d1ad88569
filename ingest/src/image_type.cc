// Image type and stored pixel size from the bytes themselves. Every offset read from the file is
// checked against the buffer before use: these bytes come from anywhere.
#include <algorithm>
#include <array>
#include <cstring>

#include "jpeg_segments.h"
#include "metadata_internal.h"

namespace kho::ingest {
namespace {

using Bytes = std::span<const std::uint8_t>;

bool starts_with(Bytes b, std::size_t at, std::string_view magic) {
  return b.size() >= at + magic.size() && std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
}
std::uint32_t be16(Bytes b, std::size_t at) { return static_cast<std::uint32_t>((b[at] << 8) | b[at + 1]); }
std::uint32_t le16(Bytes b, std::size_t at) { return static_cast<std::uint32_t>(b[at] | (b[at + 1] << 8)); }
std::uint32_t be32(Bytes b, std::size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }
std::uint32_t le32(Bytes b, std::size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }
std::uint32_t le24(Bytes b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16));
}

// The brands of an ISO BMFF "ftyp" box that make it a still image.
std::optional<std::string> bmff_type(Bytes b) {
  if (b.size() < 16 || !starts_with(b, 4, "ftyp")) return std::nullopt;
  std::size_t box = std::min<std::size_t>(be32(b, 0), b.size());
  if (box < 16) box = std::min<std::size_t>(16, b.size());
  bool heif = false, avif = false, cr3 = false;
  auto look = [&](std::size_t at) {
    std::string_view brand(reinterpret_cast<const char*>(b.data() + at), 4);
    if (brand == "avif" || brand == "avis") avif = true;
    if (brand == "heic" || brand == "heix" || brand == "heim" || brand == "heis" || brand == "hevc" ||
        brand == "hevx" || brand == "mif1" || brand == "msf1" || brand == "mif2") {
      heif = true;
    }
    if (brand == "crx ") cr3 = true;
  };
  look(8);
  for (std::size_t at = 16; at + 4 <= box; at += 4) look(at);
  std::string_view major(reinterpret_cast<const char*>(b.data() + 8), 4);
  if (cr3 || major == "crx ") return "cr3";
  if (major == "avif" || major == "avis") return "avif";
  if (avif && !(major == "heic" || major == "heix")) return "avif";
  // HEVC-coded HEIF (what phones write) is "heic", served as image/heic; other HEIF brands are "heif".
  if (major == "heic" || major == "heix" || major == "heim" || major == "heis") return "heic";
  if (heif) return "heif";
  return std::nullopt;  // MP4, QuickTime and other videos are not images
}

std::optional<detail::PixelSize> jpeg_size(Bytes b) {
  std::optional<detail::PixelSize> size;
  detail::walk_jpeg_segments(b, [&](const detail::JpegSegment& s) {
    const std::uint8_t m = s.marker;
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (!sof) return true;  // a scan (0xDA) before any frame header ends the walk with no size
    if (s.payload.size() >= 5) size = detail::PixelSize{be16(s.payload, 3), be16(s.payload, 1)};
    return false;
  });
  return size;
}

std::optional<detail::PixelSize> webp_size(Bytes b) {
  if (b.size() < 30) return std::nullopt;
  if (starts_with(b, 12, "VP8X")) return detail::PixelSize{le24(b, 24) + 1, le24(b, 27) + 1};
  if (starts_with(b, 12, "VP8 ") && b[23] == 0x9D && b[24] == 0x01 && b[25] == 0x2A) {
    return detail::PixelSize{le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF};
  }
  if (starts_with(b, 12, "VP8L") && b[20] == 0x2F) {
    std::uint32_t bits = le32(b, 21);
    return detail::PixelSize{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
  }
  return std::nullopt;
}

struct Box {
  std::string_view type;
  std::size_t body = 0, end = 0;  // [body, end) inside the buffer
};

// Reads the box header at `at` inside [at, limit). nullopt when it does not fit.
std::optional<Box> read_box(Bytes b, std::size_t at, std::size_t limit) {
  if (at + 8 > limit) return std::nullopt;
  std::uint64_t size = be32(b, at);
  std::size_t header = 8;
  if (size == 1) {
    if (at + 16 > limit) return std::nullopt;
    size = (static_cast<std::uint64_t>(be32(b, at + 8)) << 32) | be32(b, at + 12);
    header = 16;
  } else if (size == 0) {
    size = limit - at;
  }
  if (size < header || size > limit - at) return std::nullopt;
  return Box{std::string_view(reinterpret_cast<const char*>(b.data() + at + 4), 4), at + header,
             at + static_cast<std::size_t>(size)};
}

// HEIF/AVIF: the "ispe" property of the primary item (meta/pitm, meta/iprp/ipco + ipma).
std::optional<detail::PixelSize> heif_size(Bytes b) {
  std::optional<Box> meta;
  for (std::size_t at = 0;;) {
    auto box = read_box(b, at, b.size());
    if (!box) break;
    if (box->type == "meta") {
      meta = box;
      break;
    }
    at = box->end;
  }
  if (!meta || meta->body + 4 > meta->end) return std::nullopt;
  std::optional<std::uint32_t> primary;
  std::vector<std::optional<detail::PixelSize>> props;  // ipco children, 1-based in ipma
  std::optional<Box> ipma;
  for (std::size_t at = meta->body + 4;;) {
    auto box = read_box(b, at, meta->end);
    if (!box) break;
    at = box->end;
    if (box->type == "pitm" && box->body + 6 <= box->end) {
      primary = b[box->body] == 0 ? be16(b, box->body + 4) : (box->body + 8 <= box->end ? be32(b, box->body + 4) : 0);
    } else if (box->type == "iprp") {
      for (std::size_t p = box->body;;) {
        auto child = read_box(b, p, box->end);
        if (!child) break;
        p = child->end;
        if (child->type == "ipco") {
          for (std::size_t q = child->body;;) {
            auto prop = read_box(b, q, child->end);
            if (!prop) break;
            q = prop->end;
            if (prop->type == "ispe" && prop->body + 12 <= prop->end) {
              props.push_back(detail::PixelSize{be32(b, prop->body + 4), be32(b, prop->body + 8)});
            } else {
              props.push_back(std::nullopt);
            }
            if (props.size() > 4096) return std::nullopt;
          }
        } else if (child->type == "ipma") {
          ipma = child;
        }
      }
    }
  }
  if (!primary || !ipma || ipma->body + 8 > ipma->end) return std::nullopt;
  std::uint8_t version = b[ipma->body];
  bool wide = (b[ipma->body + 3] & 1) != 0;
  std::uint32_t count = be32(b, ipma->body + 4);
  std::size_t at = ipma->body + 8;
  for (std::uint32_t e = 0; e < count; ++e) {
    std::size_t id_len = version < 1 ? 2 : 4;
    if (at + id_len + 1 > ipma->end) return std::nullopt;
    std::uint32_t item = version < 1 ? be16(b, at) : be32(b, at);
    std::uint8_t n = b[at + id_len];
    at += id_len + 1;
    for (std::uint8_t k = 0; k < n; ++k) {
      std::size_t index = 0;
      if (wide) {
        if (at + 2 > ipma->end) return std::nullopt;
        index = be16(b, at) & 0x7FFF;
        at += 2;
      } else {
        if (at + 1 > ipma->end) return std::nullopt;
        index = b[at] & 0x7F;
        at += 1;
      }
      if (item == *primary && index >= 1 && index <= props.size() && props[index - 1]) {
        return props[index - 1];
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> sniff_image_type(std::span<const std::uint8_t> b) {
  if (b.size() < 4) return std::nullopt;
  if (b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "jpeg";
  if (starts_with(b, 0, "\x89PNG\r\n\x1a\n")) return "png";
  if (starts_with(b, 0, "GIF87a") || starts_with(b, 0, "GIF89a")) return "gif";
  if (starts_with(b, 0, "RIFF") && starts_with(b, 8, "WEBP")) return "webp";
  if (starts_with(b, 0, "IIRO") || starts_with(b, 0, "IIRS") || starts_with(b, 0, "MMOR")) return "orf";
  if (starts_with(b, 0, std::string_view("IIU\0", 4))) return "rw2";
  if (starts_with(b, 0, std::string_view("II*\0", 4))) {
    return starts_with(b, 8, "CR\x02") ? "cr2" : "tiff";
  }
  if (starts_with(b, 0, std::string_view("MM\0*", 4)) || starts_with(b, 0, std::string_view("II+\0", 4)) ||
      starts_with(b, 0, std::string_view("MM\0+", 4))) {
    return "tiff";
  }
  if (starts_with(b, 0, "FUJIFILMCCD-RAW")) return "raf";
  if (starts_with(b, 0, std::string_view("\0MRM", 4))) return "mrw";
  if (starts_with(b, 0, std::string_view("II\x1a\0\0\0HEAPCCDR", 14))) return "crw";
  if (starts_with(b, 0, "8BPS")) return "psd";
  if (starts_with(b, 0, "%!PS-Adobe") || starts_with(b, 0, "\xC5\xD0\xD3\xC6")) return "eps";
  if (starts_with(b, 0, std::string_view("\0\0\0\x0cjP  \r\n\x87\n", 12)) ||
      starts_with(b, 0, "\xFF\x4F\xFF\x51")) {
    return "jp2";
  }
  if (starts_with(b, 0, "BM") && b.size() >= 26) {
    std::uint32_t dib = le32(b, 14);
    if (dib == 12 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) return "bmp";
  }
  return bmff_type(b);
}

namespace detail {

std::optional<PixelSize> container_pixel_size(std::span<const std::uint8_t> b, std::string_view type) {
  if (type == "jpeg") return jpeg_size(b);
  if (type == "png" && b.size() >= 24 && starts_with(b, 12, "IHDR")) return PixelSize{be32(b, 16), be32(b, 20)};
  if (type == "gif" && b.size() >= 10) return PixelSize{le16(b, 6), le16(b, 8)};
  if (type == "bmp" && b.size() >= 26) {
    if (le32(b, 14) == 12) return PixelSize{le16(b, 18), le16(b, 20)};
    if (b.size() < 26) return std::nullopt;
    auto w = static_cast<std::int32_t>(le32(b, 18)), h = static_cast<std::int32_t>(le32(b, 22));
    if (w < 0) return std::nullopt;  // only the height's sign means something (top-down rows); found by fuzzing
    return PixelSize{w, h < 0 ? -static_cast<std::int64_t>(h) : h};
  }
  if (type == "webp") return webp_size(b);
  if (type == "heic" || type == "heif" || type == "avif") return heif_size(b);
  return std::nullopt;
}

bool may_hold_xmp(std::span<const std::uint8_t> b, std::string_view type) {
  // Chunk and segment headers only: scanning megabytes of image data for "xmpmeta" costs more
  // than reading the metadata.
  if (type == "jpeg") {
    // Exiv2 takes JPEG XMP from APP1 segments only, which sit before the first scan.
    bool found = false;
    detail::walk_jpeg_segments(b, [&](const detail::JpegSegment& s) {
      found = s.marker == 0xE1 && detail::payload_starts_with(s, "http://ns.adobe.com/x");
      return !found;
    });
    return found;
  }
  if (type == "png") {  // iTXt "XML:com.adobe.xmp", or ImageMagick's "Raw profile type xmp"
    for (std::size_t at = 8; at + 12 <= b.size();) {
      std::size_t len = be32(b, at);
      if (len > b.size() - at - 12) return true;  // damaged: let the lock guard whatever Exiv2 finds
      bool text = starts_with(b, at + 4, "iTXt") || starts_with(b, at + 4, "zTXt") || starts_with(b, at + 4, "tEXt");
      if (text && (starts_with(b, at + 8, "XML:com.adobe.xmp") || starts_with(b, at + 8, "Raw profile type xmp"))) {
        return true;
      }
      at += 12 + len;
    }
    return false;
  }
  if (type == "webp") {
    for (std::size_t at = 12; at + 8 <= b.size();) {
      std::size_t len = le32(b, at + 4);
      if (starts_with(b, at, "XMP ")) return true;
      if (len > b.size() - at - 8) return true;
      at += 8 + len + (len & 1);
    }
    return false;
  }
  if (type == "gif" || type == "bmp") return false;  // Exiv2 reads no XMP there
  return true;  // TIFF, raw, HEIF/AVIF, JPEG 2000…: XMP may sit anywhere; take the lock
}

void check_png_structure(std::span<const std::uint8_t> b, std::vector<std::string>* warnings) {
  // The chunk chain and the header only; pixel data (IDAT) is the decoder's business. A CRC over
  // every chunk would cost ~1 ms per MB, so only IHDR's is checked.
  static const auto crc_table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  auto crc = [&](std::size_t at, std::size_t len) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = at; i < at + len; ++i) c = crc_table[(c ^ b[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
  };
  if (b.size() < 33 || !starts_with(b, 12, "IHDR") || be32(b, 8) != 13) {
    warnings->emplace_back("PNG: the first chunk is not a valid IHDR");
    return;
  }
  if (crc(12, 17) != be32(b, 29)) warnings->emplace_back("PNG: IHDR checksum mismatch");
  std::uint32_t width = be32(b, 16), height = be32(b, 20);
  std::uint8_t depth = b[24], color = b[25];
  bool depth_ok = (color == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
                  (color == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                  ((color == 2 || color == 4 || color == 6) && (depth == 8 || depth == 16));
  if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) {
    warnings->emplace_back("PNG: invalid image size in IHDR");
  }
  if (!depth_ok) {
    warnings->push_back("PNG: invalid colour type " + std::to_string(color) + " with bit depth " +
                        std::to_string(depth));
  }
  bool idat = false, iend = false;
  std::size_t at = 8;
  while (at + 12 <= b.size()) {
    std::size_t len = be32(b, at);
    if (len > 0x7FFFFFFFu || len > b.size() - at - 12) {
      warnings->emplace_back("PNG: a chunk runs past the end of the file (truncated or corrupt)");
      return;
    }
    if (starts_with(b, at + 4, "IDAT")) idat = true;
    if (starts_with(b, at + 4, "IEND")) {
      iend = true;
      break;
    }
    at += 12 + len;
  }
  if (!idat) warnings->emplace_back("PNG: no image data (IDAT)");
  if (!iend) warnings->emplace_back("PNG: no IEND chunk (truncated)");
}

bool jpeg_has_exif_app1(std::span<const std::uint8_t> b) {
  bool found = false;
  walk_jpeg_segments(b, [&](const JpegSegment& s) {
    found = s.marker == 0xE1 && payload_starts_with(s, std::string_view("Exif\0\0", 6));
    return !found;
  });
  return found;
}

}  // namespace detail
}  // namespace kho::ingest
