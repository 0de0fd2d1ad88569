// Stage 5: perceptual signatures (OpenCV img_hash). Private to kho::thumbnailer.
#pragma once

#include <opencv2/core/mat.hpp>

#include "kho/model.h"

namespace kho::thumb {

// PHash (64 bits: OpenCV's byte i → bits 8i..8i+7), BlockMeanHash mode 0 (32 bytes) and ColorMomentHash
// (42 floats, of a bilinear 512 px square of the input) of an upright 8-bit BGR image, the grid thumbnail.
// Deterministic: the same pixels give the same signatures. Throws cv::Exception on failure.
// Thread-safe (hash objects are made per call: they keep buffers).
Signatures compute_signatures(const cv::Mat& grid);

}  // namespace kho::thumb
