// Stage 1: decode once, shrinking on load. Private to kho::thumbnailer (may name OpenCV types).
#pragma once

#include <cstdint>
#include <span>

#include <opencv2/core/mat.hpp>

#include "kho/status.h"
#include "kho/thumbnailer/thumbnailer.h"

namespace kho::thumb {

// The knobs of the JPEG fast path. Defaults are the measured choices (README.md, "Measured").
struct DecodeOptions {
  // The decoded long edge should be at least this (the preview's long edge); 0 decodes at full size.
  int min_long_edge = 0;
  // Cap on libjpeg's working memory; 0 means no cap. ThumbnailOptions::max_decoder_bytes says why.
  std::uint64_t max_memory_bytes = 0;
  // true: any libjpeg-turbo scale M/8 (1..8); false: only 1/8, 1/4, 1/2, 1 (what OpenCV's
  // IMREAD_REDUCED_COLOR_* offers). Measured: false is faster (README.md). libjpeg-turbo has SIMD code
  // for the 8x8 IDCT and the reduced 4x4/2x2 ones (1/2, 1/4), but plain C for 3x3, 5x5, 6x6 and 7x7.
  bool any_eighth_scale = false;
  // libjpeg's "fancy" chroma upsampling. Off: at 1/2 scale a 4:2:0 file then takes the reduced 4x4
  // chroma IDCT and libjpeg-turbo's merged (SIMD) upsample + colour conversion, instead of an 8x8 chroma
  // IDCT; measured 0–2 ms cheaper per 12 MP photo over three runs (README.md). The box-upsampled chroma
  // is then smoothed by the resize to the preview.
  bool fancy_upsampling = false;
  // JDCT_IFAST instead of JDCT_ISLOW: only the full-size 8x8 IDCT looks at it (the reduced ones used at
  // 1/2 and below do not), so it only matters for photos already near the preview size; keep accuracy.
  bool fast_idct = false;
};

struct Decoded {
  cv::Mat bgr;                 // 8-bit, 3 channels, stored orientation (EXIF not applied)
  std::uint32_t full_width = 0;   // the image's size before shrink-on-load, stored orientation
  std::uint32_t full_height = 0;
  int scale_eighths = 8;       // JPEG: decoded at scale_eighths/8; other formats: 8
  // true: the codec has already made the pixels upright (HEIF/AVIF irot/imir/clap, which the standard says
  // replace EXIF orientation); full_width/height are then the upright size and no orientation is applied.
  bool upright = false;
};

// The libjpeg-turbo scale M (decode at M/8) for an image whose long edge is `long_edge`: the smallest M
// whose scaled long edge (rounded up, as libjpeg does) is still >= min_long_edge.
int pick_jpeg_scale(std::uint32_t long_edge, int min_long_edge, bool any_eighth_scale);

// Decodes `bytes` (already probed as `info`) to BGR, ignoring any orientation the codec knows about.
// JPEG goes through libjpeg-turbo directly with shrink-on-load, PNG through libpng (row by row when large);
// HEIF/AVIF through libheif; CMYK JPEG, TIFF and WebP go through cv::imdecode.
// Errors: InvalidArgument (truncated, corrupt), Unsupported (a variant the codec refuses).
// Never throws. Thread-safe.
Result<Decoded> decode_image(std::span<const std::uint8_t> bytes, const ImageInfo& info,
                             const DecodeOptions& options);

// The libjpeg-turbo path alone. For CMYK/YCCK files it sets *cmyk and returns Unsupported; decode_image()
// then hands them to OpenCV.
Result<Decoded> decode_jpeg(std::span<const std::uint8_t> bytes, const DecodeOptions& options, bool* cmyk);

// The libpng path alone (decode_png.cc): 8-bit BGR, transparency composited onto white. A PNG of 4 MP or
// more (16 MP when interlaced) whose long edge is at least twice `min_long_edge` goes row by row into the
// reduced size (decode_png_rows); others are decoded whole. Errors: InvalidArgument (truncated, corrupt),
// Unsupported (out of memory).
Result<Decoded> decode_png(std::span<const std::uint8_t> bytes, int min_long_edge = 0);

// libpng row by row, box-averaged by the integer factor floor(long edge / min_long_edge) (at least 1) as
// the rows arrive: memory is the reduced frame and two rows, never the full frame (decode_png_rows.cc).
// Interlaced files are sampled from their last Adam7 pass (every odd row).
Result<Decoded> decode_png_rows(std::span<const std::uint8_t> bytes, int min_long_edge);

// HEIF/HEIC/AVIF (decode_heif.cc). is_heif_family: an ISO BMFF 'ftyp' with a still-image brand (HEIF or
// AVIF) and not Canon CR3. is_avif: the major brand is avif/avis.
bool is_heif_family(std::span<const std::uint8_t> bytes);
bool is_avif(std::span<const std::uint8_t> bytes);
// The primary image's size after its transforms (libheif parses the boxes only, no coded data).
// Errors: InvalidArgument (no meta box, broken boxes, no primary image), Unsupported (a feature libheif lacks).
Result<ImageInfo> probe_heif(std::span<const std::uint8_t> bytes);
// The primary image at full size (no shrink-on-load exists for HEVC/AV1), transforms applied (upright = true),
// 8-bit BGR. Errors: InvalidArgument (truncated, corrupt), Unsupported (no decoder, out of memory).
Result<Decoded> decode_heif(std::span<const std::uint8_t> bytes);

// Camera raw through LibRaw (decode_raw.cc). raw_embedded_thumbnail: the JPEG LibRaw calls the thumbnail
// (usually the largest preview). decode_raw_half: a half-size demosaic (one pixel per 2x2 Bayer block),
// stored orientation (LibRaw's flip off). Errors: InvalidArgument (cut short, damaged, not raw),
// Unsupported (a camera LibRaw does not know, a sensor over max_pixels, out of memory).
Result<std::string> raw_embedded_thumbnail(std::span<const std::uint8_t> bytes);
Result<Decoded> decode_raw_half(std::span<const std::uint8_t> bytes, std::uint64_t max_pixels);

}  // namespace kho::thumb
