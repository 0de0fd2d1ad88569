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
};

// The libjpeg-turbo scale M (decode at M/8) for an image whose long edge is `long_edge`: the smallest M
// whose scaled long edge (rounded up, as libjpeg does) is still >= min_long_edge.
int pick_jpeg_scale(std::uint32_t long_edge, int min_long_edge, bool any_eighth_scale);

// Decodes `bytes` (already probed as `info`) to BGR, ignoring any orientation the codec knows about.
// JPEG goes through libjpeg-turbo directly with shrink-on-load, PNG through libpng's simplified API;
// CMYK JPEG, TIFF and WebP go through cv::imdecode. Errors: InvalidArgument (truncated, corrupt),
// Unsupported (a variant the codec refuses).
// Never throws. Thread-safe.
Result<Decoded> decode_image(std::span<const std::uint8_t> bytes, const ImageInfo& info,
                             const DecodeOptions& options);

// The libjpeg-turbo path alone. For CMYK/YCCK files it sets *cmyk and returns Unsupported; decode_image()
// then hands them to OpenCV.
Result<Decoded> decode_jpeg(std::span<const std::uint8_t> bytes, const DecodeOptions& options, bool* cmyk);

// The libpng path alone (decode_png.cc): 8-bit BGR, transparency composited onto white.
// Errors: InvalidArgument (truncated, corrupt), Unsupported (out of memory).
Result<Decoded> decode_png(std::span<const std::uint8_t> bytes);

}  // namespace kho::thumb
