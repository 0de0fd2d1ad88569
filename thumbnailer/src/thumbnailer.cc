// The Thumbnailer: runs the stages in their fixed order and is the one place where OpenCV exceptions
// stop (the libjpeg stages never throw). Each stage lives in its own file; this one only decides sizes.
#include "kho/thumbnailer/thumbnailer.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <mutex>
#include <new>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

#include "decode.h"
#include "encode.h"
#include "orient.h"
#include "resize.h"
#include "signatures.h"

namespace kho::thumb {
namespace {

int silent_error_handler(int, const char*, const char*, const char*, int, void*) { return 0; }

void configure_opencv_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    cv::redirectError(silent_error_handler);
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    cv::setNumThreads(0);
  });
}

std::string megapixels(std::uint64_t pixels) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(pixels) / 1e6);
  return buf;
}

ThumbnailOptions clamped(ThumbnailOptions o) {
  o.preview_px = std::max(16, o.preview_px);
  o.grid_px = std::clamp(o.grid_px, 16, o.preview_px);
  o.mid_px = std::clamp(o.mid_px, o.grid_px, o.preview_px);
  o.jpeg_quality = std::clamp(o.jpeg_quality, 1, 100);
  return o;
}

// Stages 2–5 on a decoded frame: resize, orient, encode, grid, signatures.
Result<ProcessedPhoto> finish_stages(Decoded decoded, int orientation, const ThumbnailOptions& opt) {
  const cv::Size full(static_cast<int>(decoded.full_width), static_cast<int>(decoded.full_height));
  // HEIF/AVIF come out of libheif with irot/imir/clap applied; their EXIF Orientation only repeats that.
  if (decoded.upright) orientation = 1;

  // 2. Resize to the preview in stored orientation (rotating the smaller image is cheaper).
  cv::Mat preview = resize_to(decoded.bgr, fit_long_edge(full, opt.preview_px));
  decoded.bgr.release();  // the frame is the largest buffer; free it before encoding

  // 3. Orient: from here on every pixel is upright.
  preview = apply_orientation(preview, orientation);
  const cv::Size upright = oriented_size(full, orientation);

  // The grid comes from the preview, not the decoded frame: two 2x2-box halvings of 1.2 MP instead of
  // another pass over the frame, and both derivatives then agree.
  const cv::Mat grid = resize_to(preview, fit_long_edge(upright, opt.grid_px));

  // 4. Encode both.
  EncodeOptions eopt;
  eopt.quality = opt.jpeg_quality;
  auto preview_jpeg = encode_jpeg(preview, eopt);
  if (!preview_jpeg.ok()) return preview_jpeg.status();
  auto grid_jpeg = encode_jpeg(grid, eopt);
  if (!grid_jpeg.ok()) return grid_jpeg.status();

  // The srcset size (640 px), also from the preview: a 1280 px preview halves to it in one 2x2-box pass.
  // None when the preview is no larger: the preview then serves as that size.
  std::string mid_jpeg;
  if (std::max(preview.cols, preview.rows) > opt.mid_px) {
    const cv::Mat mid = resize_to(preview, fit_long_edge(upright, opt.mid_px));
    auto encoded = encode_jpeg(mid, eopt);
    if (!encoded.ok()) return encoded.status();
    mid_jpeg = std::move(encoded).value();
  }

  // 5. Signatures from the grid's pixels (signatures.cc says why that is enough).
  ProcessedPhoto out;
  out.width = static_cast<std::uint32_t>(upright.width);
  out.height = static_cast<std::uint32_t>(upright.height);
  out.preview_jpeg = std::move(preview_jpeg).value();
  out.grid_jpeg = std::move(grid_jpeg).value();
  out.mid_jpeg = std::move(mid_jpeg);
  out.sig = compute_signatures(grid);
  return out;
}

Result<ProcessedPhoto> run_stages(std::span<const std::uint8_t> bytes, const ImageInfo& info, int orientation,
                                  const ThumbnailOptions& opt) {
  // Sizes come from the header, so shrink-on-load can aim at the preview before any pixel is decoded.
  const cv::Size stored(static_cast<int>(info.width), static_cast<int>(info.height));
  const cv::Size preview_stored = fit_long_edge(stored, opt.preview_px);

  // 1. Decode once, at the smallest scale still covering the preview.
  DecodeOptions dopt;
  dopt.min_long_edge = std::max(preview_stored.width, preview_stored.height);
  dopt.max_memory_bytes = opt.max_decoder_bytes;
  auto decoded = decode_image(bytes, info, dopt);
  if (!decoded.ok()) return decoded.status();
  return finish_stages(std::move(decoded).value(), orientation, opt);
}

}  // namespace

Thumbnailer::Thumbnailer(ThumbnailOptions options) : options_(clamped(options)) { configure_opencv_once(); }

Result<ProcessedPhoto> Thumbnailer::process(std::span<const std::uint8_t> bytes, int orientation) const {
  auto info = probe_image(bytes);
  if (!info.ok()) return info.status();
  // The bomb guard: decided from the header alone, before any decoder allocates a frame.
  const std::uint64_t pixels = std::uint64_t{info->width} * info->height;
  if (pixels > options_.max_pixels) {
    return Status::Unsupported(std::string(image_format_name(info->format)) + " header claims " +
                               std::to_string(info->width) + "x" + std::to_string(info->height) + " pixels (" +
                               megapixels(pixels) + " MP), over the limit of " +
                               megapixels(options_.max_pixels) + " MP");
  }
  try {
    return run_stages(bytes, *info, orientation, options_);
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument("image processing failed (OpenCV): " + e.err);
  } catch (const std::bad_alloc&) {
    return Status::Unsupported("out of memory while making thumbnails");
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("image processing failed: ") + e.what());
  }
}

Result<ProcessedPhoto> Thumbnailer::process_raw(std::span<const std::uint8_t> bytes, int orientation) const {
  std::string thumb_problem;
  if (options_.raw_embedded_thumbnail) {
    auto thumb = raw_embedded_thumbnail(bytes);
    if (thumb.ok()) {
      const std::span<const std::uint8_t> jpeg(reinterpret_cast<const std::uint8_t*>(thumb->data()), thumb->size());
      auto info = probe_image(jpeg);
      // A thumbnail smaller than the grid is no better than a half-size decode would be.
      if (info.ok() && std::max(info->width, info->height) >= static_cast<std::uint32_t>(options_.grid_px)) {
        auto out = process(jpeg, orientation);
        if (out.ok()) return out;
        thumb_problem = out.status().message();
      } else {
        thumb_problem = info.ok() ? "the embedded thumbnail is only " + std::to_string(info->width) + "x" +
                                        std::to_string(info->height)
                                  : info.status().message();
      }
    } else {
      thumb_problem = thumb.status().message();
    }
  }
  try {
    auto decoded = decode_raw_half(bytes, options_.max_pixels);
    if (!decoded.ok()) {
      if (thumb_problem.empty()) return decoded.status();
      const std::string msg = decoded.status().message() + "; and no usable embedded preview (" + thumb_problem + ")";
      return decoded.status().is_unsupported() ? Status::Unsupported(msg) : Status::InvalidArgument(msg);
    }
    auto out = finish_stages(std::move(decoded).value(), orientation, options_);
    if (out.ok()) {
      out->warnings.push_back(
          "camera raw without a usable embedded JPEG preview: thumbnails decoded at half size "
          "with LibRaw (slower)" +
          (thumb_problem.empty() ? "" : " (" + thumb_problem + ")"));
    }
    return out;
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument("image processing failed (OpenCV): " + e.err);
  } catch (const std::bad_alloc&) {
    return Status::Unsupported("out of memory while making thumbnails");
  }
}

}  // namespace kho::thumb
