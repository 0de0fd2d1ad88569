// Header probe: format and stored dimensions without decoding pixels. It is what lets process() refuse a
// decompression bomb (a tiny file whose header claims gigapixels) before any codec allocates a frame.
// Every length and offset comes from untrusted bytes, so each read goes through a bounds-checked Reader.
#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "decode.h"
#include "kho/thumbnailer/thumbnailer.h"

namespace kho::thumb {
namespace {

using Bytes = std::span<const std::uint8_t>;

// Big- or little-endian unsigned reads that return nullopt past the end instead of reading out of bounds.
struct Reader {
  Bytes b;
  bool little = false;

  std::optional<std::uint32_t> u8(std::size_t at) const {
    if (at >= b.size()) return std::nullopt;
    return b[at];
  }
  std::optional<std::uint32_t> u16(std::size_t at) const {
    if (at > b.size() || b.size() - at < 2) return std::nullopt;
    return little ? std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8
                  : std::uint32_t{b[at]} << 8 | std::uint32_t{b[at + 1]};
  }
  std::optional<std::uint32_t> u24le(std::size_t at) const {
    if (at > b.size() || b.size() - at < 3) return std::nullopt;
    return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16;
  }
  std::optional<std::uint32_t> u32(std::size_t at) const {
    if (at > b.size() || b.size() - at < 4) return std::nullopt;
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t byte = b[at + static_cast<std::size_t>(i)];
      v |= little ? byte << (8 * i) : byte << (8 * (3 - i));
    }
    return v;
  }
};

bool starts_with(Bytes b, std::string_view magic) {
  if (b.size() < magic.size()) return false;
  for (std::size_t i = 0; i < magic.size(); ++i) {
    if (b[i] != static_cast<std::uint8_t>(magic[i])) return false;
  }
  return true;
}

Status truncated(const char* format) {
  return Status::InvalidArgument(std::string("truncated ") + format + " header");
}

Result<ImageInfo> make_info(ImageFormat format, std::uint32_t w, std::uint32_t h) {
  if (w == 0 || h == 0) {
    return Status::InvalidArgument(std::string(image_format_name(format)) + " header has a zero dimension (" +
                                   std::to_string(w) + "x" + std::to_string(h) + ")");
  }
  return ImageInfo{format, w, h};
}

// Walks the marker segments up to the first SOFn (which holds the frame size). Entropy-coded data only
// follows SOS, and a frame header must come before it, so reaching SOS first means a broken file.
Result<ImageInfo> probe_jpeg(Bytes b) {
  Reader r{b};
  std::size_t pos = 2;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    if (pos >= b.size()) return truncated("JPEG");
    if (b[pos] != 0xFF) return Status::InvalidArgument("corrupt JPEG header: expected a marker");
    while (pos < b.size() && b[pos] == 0xFF) ++pos;
    if (pos >= b.size()) return truncated("JPEG");
    const std::uint8_t marker = b[pos++];
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue;  // no length
    if (marker == 0xD9 || marker == 0xDA) {
      return Status::InvalidArgument("corrupt JPEG: no frame header before the image data");
    }
    auto len = r.u16(pos);
    if (!len) return truncated("JPEG");
    if (*len < 2) return Status::InvalidArgument("corrupt JPEG header: segment length below 2");
    const bool sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof) {
      auto h = r.u16(pos + 3);
      auto w = r.u16(pos + 5);
      if (!h || !w) return truncated("JPEG");
      // A zero height means "given later in a DNL marker", which libjpeg-turbo does not support either.
      return make_info(ImageFormat::kJpeg, *w, *h);
    }
    pos += *len;
  }
}

// PNG: the first chunk must be IHDR, width and height are its first two big-endian words.
Result<ImageInfo> probe_png(Bytes b) {
  Reader r{b};
  if (!starts_with(b.subspan(std::min<std::size_t>(12, b.size())), "IHDR")) {
    return b.size() < 16 ? truncated("PNG") : Status::InvalidArgument("corrupt PNG: first chunk is not IHDR");
  }
  auto w = r.u32(16);
  auto h = r.u32(20);
  if (!w || !h) return truncated("PNG");
  return make_info(ImageFormat::kPng, *w, *h);
}

// TIFF: the first IFD's ImageWidth (256) and ImageLength (257) tags, SHORT or LONG, inline values.
Result<ImageInfo> probe_tiff(Bytes b) {
  Reader r{b, b[0] == 'I'};
  auto ifd = r.u32(4);
  if (!ifd) return truncated("TIFF");
  auto count = r.u16(*ifd);
  if (!count) return truncated("TIFF");
  std::optional<std::uint32_t> w, h;
  for (std::uint32_t i = 0; i < *count; ++i) {
    const std::size_t e = std::size_t{*ifd} + 2 + std::size_t{i} * 12;
    auto tag = r.u16(e);
    auto type = r.u16(e + 2);
    if (!tag || !type) return truncated("TIFF");
    if (*tag != 256 && *tag != 257) continue;
    std::optional<std::uint32_t> v = *type == 3 ? r.u16(e + 8) : *type == 4 ? r.u32(e + 8) : std::nullopt;
    if (!v) return Status::InvalidArgument("corrupt TIFF: image size tag of an unexpected type");
    (*tag == 256 ? w : h) = v;
  }
  if (!w || !h) return Status::InvalidArgument("corrupt TIFF: first directory has no image size");
  return make_info(ImageFormat::kTiff, *w, *h);
}

// WebP (RIFF): lossy VP8 keeps 14-bit sizes in its key frame header, lossless VP8L packs 14-bit sizes
// minus one after its signature byte, and extended VP8X keeps 24-bit canvas sizes minus one.
Result<ImageInfo> probe_webp(Bytes b) {
  Reader r{b, true};
  if (b.size() < 30) return truncated("WebP");
  if (starts_with(b.subspan(12), "VP8 ")) {
    if (b[23] != 0x9D || b[24] != 0x01 || b[25] != 0x2A) {
      return Status::InvalidArgument("corrupt WebP: bad VP8 key frame start code");
    }
    return make_info(ImageFormat::kWebp, *r.u16(26) & 0x3FFF, *r.u16(28) & 0x3FFF);
  }
  if (starts_with(b.subspan(12), "VP8L")) {
    if (b[20] != 0x2F) return Status::InvalidArgument("corrupt WebP: bad VP8L signature");
    const std::uint32_t bits = *r.u32(21);
    return make_info(ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (starts_with(b.subspan(12), "VP8X")) {
    return make_info(ImageFormat::kWebp, *r.u24le(24) + 1, *r.u24le(27) + 1);
  }
  return Status::InvalidArgument("corrupt WebP: unknown first chunk");
}

// Image formats we recognise but do not decode: refused as Unsupported (a valid input this build cannot
// handle), so users see "HEIF" rather than "not an image".
const char* known_unsupported(Bytes b) {
  if (starts_with(b, "GIF87a") || starts_with(b, "GIF89a")) return "GIF";
  if (starts_with(b, "BM") && b.size() >= 26) return "BMP";
  if (starts_with(b, "FUJIFILMCCD-RAW")) return "Fujifilm RAF camera raw";
  if (starts_with(b, std::string_view("IIU\0", 4))) return "Panasonic RW2 camera raw";
  // The JPEG 2000 signature box: length 12, type "jP  ", content CR LF 0x87 LF (ISO/IEC 15444-1, I.5.1).
  // The literal spells all 12 bytes: a length past its end read beyond it (found by fuzz_image_headers).
  static constexpr char kJp2[] = "\0\0\0\x0CjP  \r\n\x87\n";
  static_assert(sizeof kJp2 - 1 == 12);
  if (starts_with(b, std::string_view(kJp2, sizeof kJp2 - 1))) return "JPEG 2000";
  if (b.size() >= 12 && starts_with(b.subspan(4), "ftyp")) {
    const std::string_view brand(reinterpret_cast<const char*>(b.data()) + 8, 4);
    if (brand == "crx ") return "Canon CR3 camera raw";
  }
  return nullptr;
}

// For the error message: say what the bytes look like when they are not an image.
Status describe_unknown(Bytes b) {
  if (const char* name = known_unsupported(b)) {
    return Status::Unsupported(std::string(name) +
                               " images are not supported (JPEG, PNG, TIFF, WebP, HEIF and AVIF are)");
  }
  std::size_t printable = 0;
  const std::size_t n = std::min<std::size_t>(b.size(), 512);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = b[i];
    if (c == '\n' || c == '\r' || c == '\t' || c >= 0x20) ++printable;
  }
  if (printable == n) return Status::InvalidArgument("not an image: the bytes look like text");
  return Status::InvalidArgument("not an image: unrecognised signature (expected JPEG, PNG, TIFF or WebP)");
}

}  // namespace

const char* image_format_name(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg: return "jpeg";
    case ImageFormat::kPng: return "png";
    case ImageFormat::kTiff: return "tiff";
    case ImageFormat::kWebp: return "webp";
    case ImageFormat::kHeif: return "heif";
    case ImageFormat::kAvif: return "avif";
  }
  return "unknown";
}

Result<ImageInfo> probe_image(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return Status::InvalidArgument("empty file (zero bytes)");
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    return probe_jpeg(bytes);
  }
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return probe_png(bytes);
  if (starts_with(bytes, std::string_view("II*\0", 4)) || starts_with(bytes, std::string_view("MM\0*", 4))) {
    return probe_tiff(bytes);
  }
  if (starts_with(bytes, "RIFF") && bytes.size() >= 12 && starts_with(bytes.subspan(8), "WEBP")) {
    return probe_webp(bytes);
  }
  if (is_heif_family(bytes)) return probe_heif(bytes);
  return describe_unknown(bytes);
}

}  // namespace kho::thumb
