// Stage 1 for HEIF (HEIC) and AVIF: libheif, with Debian's libde265 (HEVC) and dav1d/aom (AV1) decoders
// linked into libheif1 (no plugins to install in Debian 12).
//
// - The primary image only: a burst or an image collection stored in one file shows its primary item,
//   which is what phones and Finder show. A file with no primary item (a pure 'msf1' track sequence) is
//   refused with a reason.
// - No shrink-on-load: HEVC and AV1 have no reduced-size decode like libjpeg's DCT scaling, and libheif
//   1.15 has none either, so the image (all tiles of an iPhone grid) is decoded at full size and the
//   resize stage downscales it. The embedded thumbnail (320 px on iPhones) is too small for a 1280 px
//   preview, so it is not used.
// - The HEIF transforms (clap crop, irot rotation, imir mirror) are applied by libheif, as the standard
//   says they must be, so the result is upright: Decoded::upright is set and EXIF Orientation in the file's
//   EXIF item (which only repeats the transform for old readers) is NOT applied a second time.
// - One decoding thread per image: the ingest pipeline already runs one photo per core.
// - 10/12-bit (HDR) images are converted to 8 bits by libheif; alpha is dropped (interleaved RGB).
#include <libheif/heif.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <opencv2/imgproc.hpp>

#include "decode.h"

namespace kho::thumb {
namespace {

struct ContextDeleter {
  void operator()(heif_context* c) const { heif_context_free(c); }
};
struct HandleDeleter {
  void operator()(heif_image_handle* h) const { heif_image_handle_release(h); }
};
struct ImageDeleter {
  void operator()(heif_image* i) const { heif_image_release(i); }
};
struct OptionsDeleter {
  void operator()(heif_decoding_options* o) const { heif_decoding_options_free(o); }
};
using ContextPtr = std::unique_ptr<heif_context, ContextDeleter>;
using HandlePtr = std::unique_ptr<heif_image_handle, HandleDeleter>;

std::string kind_name(std::span<const std::uint8_t> b) { return is_avif(b) ? "AVIF" : "HEIF"; }

Status heif_status(const heif_error& err, const std::string& what, std::span<const std::uint8_t> b) {
  std::string msg = kind_name(b) + " " + what + ": " + (err.message ? err.message : "unknown error");
  if (err.code == heif_error_Unsupported_feature || err.code == heif_error_Unsupported_filetype) {
    return Status::Unsupported(msg);
  }
  if (err.code == heif_error_Memory_allocation_error) return Status::Unsupported(msg);
  return Status::InvalidArgument(msg);
}

// Parses the boxes (not the coded data) and finds the primary image.
Result<std::pair<ContextPtr, HandlePtr>> open_primary(std::span<const std::uint8_t> b) {
  ContextPtr ctx(heif_context_alloc());
  if (!ctx) return Status::Unsupported("out of memory while opening the " + kind_name(b) + " file");
  heif_error err = heif_context_read_from_memory_without_copy(ctx.get(), b.data(), b.size(), nullptr);
  if (err.code != heif_error_Ok) return heif_status(err, "file unreadable", b);
  heif_image_handle* raw = nullptr;
  err = heif_context_get_primary_image_handle(ctx.get(), &raw);
  if (err.code != heif_error_Ok) return heif_status(err, "file has no usable primary image", b);
  return std::make_pair(std::move(ctx), HandlePtr(raw));
}

}  // namespace

bool is_heif_family(std::span<const std::uint8_t> b) {
  if (b.size() < 16 || std::memcmp(b.data() + 4, "ftyp", 4) != 0) return false;
  const std::size_t box = std::min<std::size_t>(
      std::size_t{b[0]} << 24 | std::size_t{b[1]} << 16 | std::size_t{b[2]} << 8 | std::size_t{b[3]}, b.size());
  auto brand_at = [&](std::size_t at) { return std::string_view(reinterpret_cast<const char*>(b.data() + at), 4); };
  if (brand_at(8) == "crx ") return false;  // Canon CR3 is ISO BMFF too: camera raw, not HEIF
  auto still = [](std::string_view brand) {
    for (std::string_view s :
         {"heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "mif2", "avif", "avis"}) {
      if (brand == s) return true;
    }
    return false;
  };
  if (still(brand_at(8))) return true;
  for (std::size_t at = 16; at + 4 <= box; at += 4) {  // compatible brands
    if (still(brand_at(at))) return true;
  }
  return false;
}

bool is_avif(std::span<const std::uint8_t> b) {
  return b.size() >= 12 && (std::memcmp(b.data() + 8, "avif", 4) == 0 || std::memcmp(b.data() + 8, "avis", 4) == 0);
}

Result<ImageInfo> probe_heif(std::span<const std::uint8_t> bytes) {
  auto opened = open_primary(bytes);
  if (!opened.ok()) return opened.status();
  const heif_image_handle* h = opened->second.get();
  // The size after the transforms (a 90° irot swaps it), which is what the decoder will produce.
  const int w = heif_image_handle_get_width(h);
  const int hh = heif_image_handle_get_height(h);
  if (w <= 0 || hh <= 0) {
    return Status::InvalidArgument(kind_name(bytes) + " primary image has a zero dimension (" + std::to_string(w) +
                                   "x" + std::to_string(hh) + ")");
  }
  return ImageInfo{is_avif(bytes) ? ImageFormat::kAvif : ImageFormat::kHeif, static_cast<std::uint32_t>(w),
                   static_cast<std::uint32_t>(hh)};
}

Result<Decoded> decode_heif(std::span<const std::uint8_t> bytes) {
  auto opened = open_primary(bytes);
  if (!opened.ok()) return opened.status();
  heif_context_set_max_decoding_threads(opened->first.get(), 1);
  std::unique_ptr<heif_decoding_options, OptionsDeleter> options(heif_decoding_options_alloc());
  options->ignore_transformations = 0;  // clap, irot, imir applied: the result is upright
  options->convert_hdr_to_8bit = 1;
  heif_image* raw = nullptr;
  heif_error err = heif_decode_image(opened->second.get(), &raw, heif_colorspace_RGB, heif_chroma_interleaved_RGB,
                                     options.get());
  if (err.code != heif_error_Ok) return heif_status(err, "image data could not be decoded", bytes);
  std::unique_ptr<heif_image, ImageDeleter> image(raw);
  const int w = heif_image_get_width(image.get(), heif_channel_interleaved);
  const int h = heif_image_get_height(image.get(), heif_channel_interleaved);
  int stride = 0;
  const std::uint8_t* data = heif_image_get_plane_readonly(image.get(), heif_channel_interleaved, &stride);
  if (!data || w <= 0 || h <= 0 || heif_image_get_bits_per_pixel(image.get(), heif_channel_interleaved) != 24) {
    return Status::Unsupported(kind_name(bytes) + " decoder returned no 8-bit RGB image");
  }
  Decoded out;
  // The plane belongs to `image`; cvtColor writes a fresh BGR Mat, so nothing outlives it.
  const cv::Mat rgb(h, w, CV_8UC3, const_cast<std::uint8_t*>(data), static_cast<std::size_t>(stride));
  cv::cvtColor(rgb, out.bgr, cv::COLOR_RGB2BGR);
  out.full_width = static_cast<std::uint32_t>(w);
  out.full_height = static_cast<std::uint32_t>(h);
  out.upright = true;
  return out;
}

}  // namespace kho::thumb
