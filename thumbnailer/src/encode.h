// Stage 4: JPEG encoding of a derivative. Private to kho::thumbnailer.
#pragma once

#include <string>

#include <opencv2/core/mat.hpp>

#include "kho/status.h"

namespace kho::thumb {

struct EncodeOptions {
  int quality = 82;
  // JDCT_IFAST instead of JDCT_ISLOW. Both are SIMD in libjpeg-turbo and measured the same (4.9 ms for a
  // 1280x960 preview), so we keep the accurate one.
  bool fast_dct = false;
  // Huffman optimisation needs a second pass over the coefficients for ~5% smaller files; derivatives
  // are made once per photo on the ingest hot path, so speed wins.
  bool optimize_coding = false;
};

// Baseline JPEG, 4:2:0 chroma, no metadata (the pixels are already upright), from an 8-bit BGR image.
// Errors: InvalidArgument for an empty or non-BGR image, Unsupported when memory runs out. Never throws.
// Thread-safe.
Result<std::string> encode_jpeg(const cv::Mat& bgr, const EncodeOptions& options);

}  // namespace kho::thumb
