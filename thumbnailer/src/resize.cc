// Stage 2: resize. Shrink-on-load has already done the big reduction inside the IDCT (which averages,
// so it does not alias), leaving a factor under 2 for the preview; the grid is a 4x reduction of the
// preview. So: bilinear below 2x (no source pixel is skipped, and it is several times cheaper than
// OpenCV's general area resize), area averaging from 2x up (bilinear would skip pixels and alias; exact
// integer factors take OpenCV's fast box path).
#include "resize.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace kho::thumb {

cv::Size fit_long_edge(cv::Size full, int long_edge_px) {
  const int long_edge = std::max(full.width, full.height);
  if (long_edge <= long_edge_px || long_edge <= 0) return full;  // never upscale
  const double scale = static_cast<double>(long_edge_px) / long_edge;
  auto scaled = [&](int v) { return std::max(1, static_cast<int>(std::lround(v * scale))); };
  return full.width >= full.height ? cv::Size(long_edge_px, scaled(full.height))
                                   : cv::Size(scaled(full.width), long_edge_px);
}

cv::Mat resize_to(const cv::Mat& src, cv::Size target, ResizeMethod method) {
  if (src.size() == target) return src;
  int interpolation = cv::INTER_AREA;
  if (method == ResizeMethod::kLinear) {
    interpolation = cv::INTER_LINEAR;
  } else if (method == ResizeMethod::kAuto) {
    const double factor = std::max(static_cast<double>(src.cols) / target.width,
                                   static_cast<double>(src.rows) / target.height);
    interpolation = factor < 2.0 ? cv::INTER_LINEAR : cv::INTER_AREA;
  }
  cv::Mat dst;
  cv::resize(src, dst, target, 0, 0, interpolation);
  return dst;
}

}  // namespace kho::thumb
