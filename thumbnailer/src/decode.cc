// Stage 1 (dispatch): JPEG through libjpeg-turbo with scaled (shrink-on-load) decoding (decode_jpeg.cc),
// PNG through libpng's simplified API (decode_png.cc), HEIF/AVIF through libheif (decode_heif.cc), CMYK JPEG,
// TIFF and WebP through cv::imdecode
// (none of those can shrink on load anyway).
#include "decode.h"

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace kho::thumb {
namespace {

// OpenCV's reduced reads for the fallback: the largest power-of-two reduction still >= the target.
int opencv_reduced_flag(int scale_eighths) {
  if (scale_eighths <= 1) return cv::IMREAD_REDUCED_COLOR_8;
  if (scale_eighths <= 2) return cv::IMREAD_REDUCED_COLOR_4;
  if (scale_eighths <= 4) return cv::IMREAD_REDUCED_COLOR_2;
  return cv::IMREAD_COLOR;
}

Result<Decoded> decode_with_opencv(std::span<const std::uint8_t> bytes, const ImageInfo& info, int flag) {
  try {
    // imdecode only reads its input; the const_cast is for cv::Mat's constructor.
    const cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8UC1,
                      const_cast<std::uint8_t*>(bytes.data()));
    // IGNORE_ORIENTATION: EXIF orientation is applied in exactly one place, orient.cc.
    cv::Mat img = cv::imdecode(buf, flag | cv::IMREAD_IGNORE_ORIENTATION);
    if (img.empty() || img.type() != CV_8UC3) {
      return Status::InvalidArgument(std::string("could not decode the ") + image_format_name(info.format) +
                                     " data (corrupt or truncated)");
    }
    Decoded out;
    out.bgr = std::move(img);
    out.full_width = info.width;
    out.full_height = info.height;
    if (flag == cv::IMREAD_COLOR) {
      // The header probe read the first directory; trust what the decoder actually produced.
      out.full_width = static_cast<std::uint32_t>(out.bgr.cols);
      out.full_height = static_cast<std::uint32_t>(out.bgr.rows);
    }
    return out;
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string("could not decode the ") + image_format_name(info.format) +
                                   " data: " + e.err);
  } catch (const std::bad_alloc&) {
    return Status::Unsupported("out of memory while decoding");
  }
}

}  // namespace

Result<Decoded> decode_image(std::span<const std::uint8_t> bytes, const ImageInfo& info,
                             const DecodeOptions& options) {
  if (info.format == ImageFormat::kJpeg) {
    bool cmyk = false;
    auto jpeg = decode_jpeg(bytes, options, &cmyk);
    if (!cmyk) return jpeg;
    // CMYK/YCCK (Adobe) JPEGs: libjpeg-turbo cannot convert them to BGR itself; OpenCV inverts and
    // converts them. Rare in newsrooms, so the slower power-of-two reduction is fine.
    const std::uint32_t long_edge = std::max(info.width, info.height);
    return decode_with_opencv(bytes, info,
                              opencv_reduced_flag(pick_jpeg_scale(long_edge, options.min_long_edge, false)));
  }
  if (info.format == ImageFormat::kPng) return decode_png(bytes, options.min_long_edge);
  if (info.format == ImageFormat::kHeif || info.format == ImageFormat::kAvif) return decode_heif(bytes);
  return decode_with_opencv(bytes, info, cv::IMREAD_COLOR);
}

}  // namespace kho::thumb
