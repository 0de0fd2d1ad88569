// Stage 2: resize to a derivative size. Private to kho::thumbnailer.
#pragma once

#include <opencv2/core/mat.hpp>

namespace kho::thumb {

// The size whose long edge is `long_edge_px`, keeping the aspect ratio (short edge rounded to nearest,
// at least 1). Never larger than `full`: an image already within the limit keeps its size.
cv::Size fit_long_edge(cv::Size full, int long_edge_px);

enum class ResizeMethod {
  kAuto,    // bilinear halvings (2x2 box) while the factor is >= 2, then one bilinear step (measured)
  kArea,    // cv::INTER_AREA always
  kLinear,  // one cv::INTER_LINEAR step (aliases above 2x)
};

// Returns `src` itself (no copy) when it already has `target` size. Throws cv::Exception on failure
// (callers sit inside thumbnailer.cc's catch).
cv::Mat resize_to(const cv::Mat& src, cv::Size target, ResizeMethod method = ResizeMethod::kAuto);

}  // namespace kho::thumb
