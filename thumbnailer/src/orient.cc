// Stage 3: orientation, applied after the resize so that rotating touches the 1280 px preview, not the
// decoded frame (a quarter-turn of a 12 MP frame costs more than the whole resize).
//
// EXIF orientation N says how the stored rows map to the displayed picture (TIFF 6.0, tag 274):
//   1 as stored        2 mirrored left-right     3 turned 180°         4 mirrored top-bottom
//   5 transposed       6 needs 90° clockwise     7 transversed         8 needs 90° counter-clockwise
#include "orient.h"

#include <opencv2/core.hpp>

namespace kho::thumb {

int normalize_orientation(int orientation) {
  return orientation >= 1 && orientation <= 8 ? orientation : 1;
}

cv::Size oriented_size(cv::Size stored, int orientation) {
  return normalize_orientation(orientation) >= 5 ? cv::Size(stored.height, stored.width) : stored;
}

cv::Mat apply_orientation(const cv::Mat& src, int orientation) {
  cv::Mat dst;
  switch (normalize_orientation(orientation)) {
    case 1: return src;
    case 2: cv::flip(src, dst, 1); break;
    case 3: cv::rotate(src, dst, cv::ROTATE_180); break;
    case 4: cv::flip(src, dst, 0); break;
    case 5: cv::transpose(src, dst); break;
    case 6: cv::rotate(src, dst, cv::ROTATE_90_CLOCKWISE); break;
    case 7: {
      // Transverse: the transpose across the other diagonal, i.e. transpose then turn 180°.
      cv::Mat t;
      cv::transpose(src, t);
      cv::rotate(t, dst, cv::ROTATE_180);
      break;
    }
    case 8: cv::rotate(src, dst, cv::ROTATE_90_COUNTERCLOCKWISE); break;
  }
  return dst;
}

}  // namespace kho::thumb
