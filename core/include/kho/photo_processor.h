// The interface through which ingest asks for pixels work without depending on OpenCV.
// app/ fills it with kho::thumbnailer's implementation (DESIGN.md §2).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kho/model.h"
#include "kho/status.h"

namespace kho {

struct ProcessedPhoto {
  std::uint32_t width = 0;   // full image, after EXIF orientation
  std::uint32_t height = 0;
  std::string preview_jpeg;  // 1280 px on the long edge (never upscaled)
  // 640 px on the long edge, for srcset on phones and high-density screens; empty when the preview is no
  // larger than 640 px (the preview is then that image, and the gallery serves it for 640).
  std::string mid_jpeg;
  std::string grid_jpeg;     // 320 px on the long edge (never upscaled)
  Signatures sig;
  std::vector<std::string> warnings;  // e.g. "no usable embedded preview: decoded at half size with libraw"
};

class PhotoProcessor {
 public:
  virtual ~PhotoProcessor() = default;
  // Decodes `bytes` once, applies EXIF `orientation` (1–8; anything else is treated as 1) and makes
  // the derivatives and the signatures from the same pixels.
  // Errors: InvalidArgument for bytes that are not a decodable image (zero bytes, text, truncated beyond
  // use), Unsupported for a format this build cannot decode or a header over the pixel limit.
  // Thread-safe: one instance may be called from several threads at once.
  virtual Result<ProcessedPhoto> process(std::span<const std::uint8_t> bytes, int orientation) const = 0;

  // Camera raw (NEF, CR2, CR3, ARW, RAF, RW2, ORF, PEF, DNG…) when the caller found no usable embedded JPEG
  // preview of its own: the implementation may take the raw decoder's embedded thumbnail, else demosaic at
  // reduced size, saying so in `warnings`. width/height are the decoded image's, after `orientation`.
  // Errors: as process(); the default says raw decoding is not available in this build.
  virtual Result<ProcessedPhoto> process_raw(std::span<const std::uint8_t> bytes, int orientation) const {
    (void)bytes;
    (void)orientation;
    return Status::Unsupported("camera raw decoding is not available");
  }
};

}  // namespace kho
