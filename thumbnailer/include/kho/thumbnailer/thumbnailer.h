// kho::thumb::Thumbnailer: one decode per photo → preview (1280 px) + grid thumbnail (320 px) + the srcset size
// (640 px) + perceptual signatures, all from the same pixels. It is the kho::PhotoProcessor that app/ hands to the
// ingest pipeline.
//
// Stage order (thumbnailer/README.md explains each choice): probe the header → shrink on load (JPEG decodes
// at the smallest libjpeg-turbo scale 1/8, 1/4, 1/2 or 1 whose long edge is still >= preview_px) → resize →
// apply the EXIF orientation (the only place that does) → encode the preview → grid from the preview →
// encode the grid → signatures from the grid.
//
// Nothing here exposes OpenCV or libjpeg types; their exceptions and errors stop inside the module.
#pragma once

#include <cstdint>
#include <span>

#include "kho/photo_processor.h"
#include "kho/status.h"

namespace kho::thumb {

enum class ImageFormat : std::uint8_t { kJpeg, kPng, kTiff, kWebp, kHeif, kAvif };

// "jpeg", "png", "tiff", "webp", "heif", "avif".
const char* image_format_name(ImageFormat format);

// What an image's header says, before any pixel is decoded.
struct ImageInfo {
  ImageFormat format = ImageFormat::kJpeg;
  std::uint32_t width = 0;  // as stored, before EXIF orientation (HEIF/AVIF: after the irot/clap transforms)
  std::uint32_t height = 0;
};

// Reads only the header (JPEG markers up to the first SOF, PNG IHDR, the first TIFF IFD, WebP VP8/VP8L/VP8X
// chunks, HEIF/AVIF boxes through libheif); the cost does not depend on the image size. Every offset read from
// the bytes is bounds-checked.
// Errors: InvalidArgument for zero bytes, a signature that is no image format (the message says what the
// bytes look like, e.g. text), or a header cut short or with zero dimensions; Unsupported for image formats
// recognised but not decoded here (GIF, BMP, JPEG 2000, CR3/RAF/RW2 camera raw), named in the message.
// Thread-safe (pure function).
Result<ImageInfo> probe_image(std::span<const std::uint8_t> bytes);

// Defaults are the derivative sizes of DESIGN.md §1 and kho::ThumbSize.
struct ThumbnailOptions {
  int preview_px = 1280;    // long edge of the preview; never upscaled
  int grid_px = 320;        // long edge of the grid thumbnail, made from the preview; never upscaled
  int mid_px = 640;         // long edge of the srcset size, made from the preview; none when the preview is no larger
  int jpeg_quality = 82;    // libjpeg quality of both derivatives (4:2:0, baseline)
  std::uint64_t max_pixels = 200'000'000;  // refuse larger headers before decoding anything
  // Cap on the JPEG decoder's working memory. A baseline JPEG decoded at 1/2 needs a few MB whatever its
  // size, but a progressive one buffers every coefficient (about 3 bytes per pixel: 36 MB at 12 MP), so a
  // small progressive file under max_pixels could still ask for 600 MB. Over the cap: Unsupported.
  std::uint64_t max_decoder_bytes = std::uint64_t{256} << 20;
  // process_raw(): try LibRaw's embedded thumbnail before a half-size demosaic (tests turn it off).
  bool raw_embedded_thumbnail = true;
};

class Thumbnailer final : public kho::PhotoProcessor {
 public:
  // Out-of-range options are clamped (sizes to >= 16 px, grid <= mid <= preview, quality to 1–100).
  // The first Thumbnailer made in a process also silences OpenCV's logging and error printing and sets
  // cv::setNumThreads(0): the pipeline already runs one photo per core, and OpenCV's own thread pool would
  // only add CPU time and noise. Both are process-wide settings of OpenCV.
  explicit Thumbnailer(ThumbnailOptions options = {});

  // See kho::PhotoProcessor::process. Successful results hold two (three when the preview is larger than
  // mid_px) baseline JPEGs without metadata whose pixels are upright (orientation applied), and width/height
  // of the full image after orientation. The grid and the signatures come from the preview as before the
  // 640 px size existed, so their pixels and hashes are unchanged.
  // HEIF/AVIF: libheif applies the file's irot/imir/clap transforms and `orientation` is ignored (the HEIF
  // standard says the transforms replace EXIF Orientation, which then only repeats them).
  // Errors (the message says why; the caller adds the path with Status::with_context):
  //   InvalidArgument: zero bytes, not an image (text named .jpg…), truncated or corrupt data.
  //   Unsupported: a header over max_pixels (message with the dimensions), an image format not decoded
  //   here (GIF…), a JPEG variant libjpeg-turbo cannot decode (e.g. lossless), or memory exhausted.
  // Thread-safe: process() keeps no state between calls.
  Result<ProcessedPhoto> process(std::span<const std::uint8_t> bytes, int orientation) const override;

  // Camera raw without a preview the caller could use: LibRaw's embedded JPEG thumbnail when it is at least
  // grid_px on its long edge, else a LibRaw half-size decode (one pixel per 2x2 Bayer block, no interpolation),
  // with a warning in ProcessedPhoto::warnings. EXIF `orientation` is applied as in process() (LibRaw's own
  // rotation is off). width/height are those of what was decoded (the caller knows the full size).
  // Errors: InvalidArgument (sensor data cut short or damaged: most test files of ../shared/photos/raw),
  // Unsupported (a camera LibRaw does not know, over max_pixels, out of memory). Thread-safe.
  Result<ProcessedPhoto> process_raw(std::span<const std::uint8_t> bytes, int orientation) const override;

  const ThumbnailOptions& options() const { return options_; }

 private:
  ThumbnailOptions options_;
};

}  // namespace kho::thumb
