// Stage 1 for PNG: libpng's simplified API rather than cv::imdecode, because OpenCV leaves libpng's
// default handlers in place and they print "libpng error: …" / "libpng warning: …" on stderr for damaged
// or merely unusual files (checked over ../shared/photos). The simplified API keeps the message in
// png_image::message instead, converts every PNG variant (palette, grey, 16-bit, interlaced) to 8-bit
// BGR, and does its setjmp/longjmp inside libpng's own frames.
#include <png.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "decode.h"

namespace kho::thumb {
namespace {

// Every chunk's length must fit in the data and an IEND chunk must end it. A cut file is the common
// failure, and this names it plainly before libpng's generic "read error".
Status check_png_chunks(std::span<const std::uint8_t> b) {
  std::size_t pos = 8;
  while (pos + 8 <= b.size()) {
    const std::size_t len = std::size_t{b[pos]} << 24 | std::size_t{b[pos + 1]} << 16 |
                            std::size_t{b[pos + 2]} << 8 | std::size_t{b[pos + 3]};
    const bool iend = b[pos + 4] == 'I' && b[pos + 5] == 'E' && b[pos + 6] == 'N' && b[pos + 7] == 'D';
    if (len > b.size() - pos - 8 || b.size() - pos - 8 - len < 4) break;
    if (iend) return Status::OK();
    pos += 12 + len;
  }
  return Status::InvalidArgument("truncated PNG: the data ends before the IEND chunk");
}

// Whether the row path pays: the frame must be big (4 MP = 12 MB, 16 MP when interlaced, where the row path
// samples every other row) and shrink by 2 or more. Below that the simplified API's whole frame is small.
bool use_rows(std::span<const std::uint8_t> b, int min_long_edge) {
  if (min_long_edge <= 0 || b.size() < 29) return false;
  auto be32 = [&](std::size_t i) {
    return std::uint32_t{b[i]} << 24 | std::uint32_t{b[i + 1]} << 16 | std::uint32_t{b[i + 2]} << 8 | b[i + 3];
  };
  const std::uint32_t w = be32(16), h = be32(20);  // IHDR, right after the signature and its chunk header
  const bool interlaced = b[28] != 0;
  const std::uint64_t pixels = std::uint64_t{w} * h;
  const std::uint64_t min_pixels = interlaced ? 16'000'000 : 4'000'000;
  return pixels >= min_pixels && std::max(w, h) >= 2 * static_cast<std::uint32_t>(min_long_edge);
}

}  // namespace

Result<Decoded> decode_png(std::span<const std::uint8_t> bytes, int min_long_edge) {
  KHO_RETURN_IF_ERROR(check_png_chunks(bytes));
  if (use_rows(bytes, min_long_edge)) return decode_png_rows(bytes, min_long_edge);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size())) {
    return Status::InvalidArgument(std::string("corrupt PNG: ") + image.message);
  }
  image.format = PNG_FORMAT_BGR;
  Decoded out;
  try {
    // White under transparent pixels: libpng composites onto what the buffer holds, and logos and
    // scans with alpha read better on white than on black.
    out.bgr.create(static_cast<int>(image.height), static_cast<int>(image.width), CV_8UC3);
    out.bgr.setTo(cv::Scalar::all(255));
  } catch (...) {
    png_image_free(&image);
    return Status::Unsupported("out of memory while decoding the PNG");
  }
  if (!png_image_finish_read(&image, nullptr, out.bgr.data, static_cast<png_int_32>(out.bgr.step[0]), nullptr)) {
    png_image_free(&image);
    return Status::InvalidArgument(std::string("corrupt PNG: ") + image.message);
  }
  out.full_width = image.width;
  out.full_height = image.height;
  return out;
}

}  // namespace kho::thumb
