// Stage 5: signatures from the grid thumbnail. All three img_hash algorithms begin by shrinking their
// input to 32, 256 or 512 px squares, so the 320 px grid gives the same hashes as the full frame would
// (within a bit or two) at a fraction of the cost, and it is upright, so a rotated copy of a photo
// hashes like the original once its EXIF orientation is applied.
#include "signatures.h"

#include <opencv2/img_hash.hpp>

namespace kho::thumb {

Signatures compute_signatures(const cv::Mat& bgr) {
  Signatures sig;
  cv::Mat out;

  cv::img_hash::PHash::create()->compute(bgr, out);
  CV_Assert(out.total() == 8 && out.type() == CV_8UC1);
  for (int i = 0; i < 8; ++i) {
    sig.phash |= static_cast<std::uint64_t>(out.at<std::uint8_t>(i)) << (8 * i);
  }

  cv::img_hash::BlockMeanHash::create(cv::img_hash::BLOCK_MEAN_HASH_MODE_0)->compute(bgr, out);
  CV_Assert(out.type() == CV_8UC1);
  sig.block_mean.assign(out.ptr<std::uint8_t>(), out.ptr<std::uint8_t>() + out.total());

  cv::img_hash::ColorMomentHash::create()->compute(bgr, out);
  CV_Assert(out.type() == CV_64F || out.type() == CV_32F);
  cv::Mat as_float;
  out.convertTo(as_float, CV_32F);
  sig.color_moment.assign(as_float.ptr<float>(), as_float.ptr<float>() + as_float.total());
  return sig;
}

}  // namespace kho::thumb
