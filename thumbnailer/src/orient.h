// Stage 3: EXIF orientation. Private to kho::thumbnailer. This is the only place that applies it: the
// decoders are told to ignore orientation (IMREAD_IGNORE_ORIENTATION; libjpeg never applies it).
#pragma once

#include <opencv2/core/mat.hpp>

namespace kho::thumb {

// 1–8 as given; anything else is treated as 1 (no change), as the PhotoProcessor contract says.
int normalize_orientation(int orientation);

// The displayed size of an image stored as `stored`: orientations 5–8 swap width and height.
cv::Size oriented_size(cv::Size stored, int orientation);

// Returns the upright image (`src` itself for orientation 1). Throws cv::Exception on failure.
cv::Mat apply_orientation(const cv::Mat& src, int orientation);

}  // namespace kho::thumb
