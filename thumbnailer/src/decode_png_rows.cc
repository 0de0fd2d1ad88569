// Stage 1 for large PNGs: libpng row by row into the reduced size, so a PNG never costs its full frame.
//
// PNG has no shrink-on-load: libpng's simplified API (decode_png.cc) needs the whole frame, 3 bytes a pixel,
// and a 193 KB file whose header claims 14,100 x 14,100 (just under max_pixels) took 825 MB and 17 s there.
// Here each row is inflated into one BGRA row buffer and added into a row of box sums for an integer factor
// f (like JPEG's 1/2, 1/4…): the frame is ceil(w/f) x ceil(h/f), about the preview's size, and memory is that
// frame plus two rows. Transparent pixels are composited onto white, as the simplified path does.
//
// Interlaced (Adam7) PNGs deliver rows in seven passes; only the last pass holds whole rows (every odd row,
// every column), so the earlier passes are inflated into a scratch row and dropped, and the frame is made
// from the odd rows: a vertical sample of every other row, ample for a preview at f >= 2.
//
// Errors go through libpng's error callback (setjmp/longjmp inside this file's frames only); warnings are
// dropped, as the simplified API does. Nothing is printed.
#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstring>
#include <string>
#include <vector>

#include "decode.h"

namespace kho::thumb {
namespace {

struct PngSource {
  std::span<const std::uint8_t> bytes;
  std::size_t pos = 0;
  std::string error;
};

void on_error(png_structp png, png_const_charp message) {
  auto* src = static_cast<PngSource*>(png_get_error_ptr(png));
  src->error = message ? message : "unknown error";
  png_longjmp(png, 1);
}

void on_warning(png_structp, png_const_charp) {}

void read_bytes(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (n > src->bytes.size() - src->pos) png_error(png, "the data ends early");
  std::memcpy(out, src->bytes.data() + src->pos, n);
  src->pos += n;
}

// Every buffer the decode touches lives here, outside the frame that calls setjmp, so a longjmp leaves
// nothing to clean up but what the destructor frees.
struct RowDecode {
  png_structp png = nullptr;
  png_infop info = nullptr;
  std::vector<std::uint8_t> row;    // one BGRA row as libpng gives it
  std::vector<std::uint32_t> sums;  // box sums of the current output row, 3 per output pixel
  cv::Mat frame;
  std::uint32_t width = 0, height = 0;
  ~RowDecode() { png_destroy_read_struct(&png, &info, nullptr); }
};

// Adds one BGRA source row (whole width) into `sums`, composited onto white.
void accumulate(const std::uint8_t* row, std::uint32_t width, int factor, std::uint32_t* sums) {
  for (std::uint32_t x = 0; x < width; ++x) {
    const std::uint8_t* p = row + 4 * std::size_t{x};
    std::uint32_t* s = sums + 3 * std::size_t{x / static_cast<std::uint32_t>(factor)};
    const std::uint32_t a = p[3];
    if (a == 255) {
      s[0] += p[0];
      s[1] += p[1];
      s[2] += p[2];
    } else {
      const std::uint32_t white = 255 * (255 - a);
      s[0] += (p[0] * a + white + 127) / 255;
      s[1] += (p[1] * a + white + 127) / 255;
      s[2] += (p[2] * a + white + 127) / 255;
    }
  }
}

// Writes the averages of `sums` (rows_in_box source rows) into output row `y`, and clears the sums.
void emit_row(RowDecode& d, int factor, std::uint32_t rows_in_box, int y) {
  std::uint8_t* out = d.frame.ptr<std::uint8_t>(y);
  const auto out_w = static_cast<std::uint32_t>(d.frame.cols);
  for (std::uint32_t ox = 0; ox < out_w; ++ox) {
    const std::uint32_t cols = std::min<std::uint32_t>(static_cast<std::uint32_t>(factor),
                                                       d.width - ox * static_cast<std::uint32_t>(factor));
    const std::uint32_t n = cols * rows_in_box;
    for (int c = 0; c < 3; ++c) {
      std::uint32_t& s = d.sums[3 * std::size_t{ox} + static_cast<std::size_t>(c)];
      out[3 * std::size_t{ox} + static_cast<std::size_t>(c)] = static_cast<std::uint8_t>((s + n / 2) / n);
      s = 0;
    }
  }
}

// The decode proper. Returns false after a libpng error (src.error says which).
bool decode_rows(RowDecode& d, PngSource& src, int min_long_edge, int* factor_out) {
  if (setjmp(png_jmpbuf(d.png))) return false;
  png_set_read_fn(d.png, &src, read_bytes);
  png_read_info(d.png, d.info);
  d.width = png_get_image_width(d.png, d.info);
  d.height = png_get_image_height(d.png, d.info);
  const bool interlaced = png_get_interlace_type(d.png, d.info) != PNG_INTERLACE_NONE;
  // Every variant to 8-bit BGRA: palette and low-bit grey expanded, tRNS to alpha, 16-bit stripped.
  png_set_expand(d.png);
  png_set_strip_16(d.png);
  png_set_gray_to_rgb(d.png);
  png_set_add_alpha(d.png, 0xFF, PNG_FILLER_AFTER);
  png_set_bgr(d.png);
  png_read_update_info(d.png, d.info);
  if (png_get_rowbytes(d.png, d.info) != 4 * std::size_t{d.width}) png_error(d.png, "unexpected row layout");

  const std::uint32_t long_edge = std::max(d.width, d.height);
  const std::uint32_t ratio = long_edge / static_cast<std::uint32_t>(min_long_edge);
  const int factor = static_cast<int>(std::clamp<std::uint32_t>(ratio, 1, 1u << 16));
  *factor_out = factor;
  const auto f = static_cast<std::uint32_t>(factor);
  const int out_w = static_cast<int>((d.width + f - 1) / f);
  const int out_h = static_cast<int>((d.height + f - 1) / f);
  d.frame.create(out_h, out_w, CV_8UC3);
  d.row.resize(4 * std::size_t{d.width});
  d.sums.assign(3 * static_cast<std::size_t>(out_w), 0);

  // Non-interlaced: rows 0..h-1 in one pass. Adam7: passes 1–6 are read and dropped, pass 7 gives the odd
  // rows 1, 3, 5… at full width.
  const int passes = interlaced ? PNG_INTERLACE_ADAM7_PASSES : 1;
  for (int pass = 0; pass < passes; ++pass) {
    const bool whole_rows = !interlaced || pass == PNG_INTERLACE_ADAM7_PASSES - 1;
    const std::uint32_t rows = interlaced ? PNG_PASS_ROWS(d.height, pass) : d.height;
    const std::uint32_t cols = interlaced ? PNG_PASS_COLS(d.width, pass) : d.width;
    if (rows == 0 || cols == 0) continue;  // libpng skips empty passes
    int out_y = -1;
    std::uint32_t in_box = 0;
    for (std::uint32_t r = 0; r < rows; ++r) {
      png_read_row(d.png, d.row.data(), nullptr);
      if (!whole_rows) continue;
      const std::uint32_t y = interlaced ? PNG_ROW_FROM_PASS_ROW(r, pass) : r;
      const int oy = static_cast<int>(y / f);
      if (oy != out_y) {
        if (out_y >= 0) emit_row(d, factor, in_box, out_y);
        out_y = oy;
        in_box = 0;
      }
      accumulate(d.row.data(), d.width, factor, d.sums.data());
      ++in_box;
    }
    if (whole_rows && out_y >= 0) emit_row(d, factor, in_box, out_y);
    // Interlaced: an output row whose box holds no odd source row (the last one, when it covers only the
    // even row h-1) would stay unset: it takes the row above.
    if (whole_rows && interlaced)
      for (int y = out_y + 1; y < out_h; ++y) d.frame.row(y - 1).copyTo(d.frame.row(y));
  }
  return true;
}

}  // namespace

Result<Decoded> decode_png_rows(std::span<const std::uint8_t> bytes, int min_long_edge) {
  if (min_long_edge <= 0) return Status::InvalidArgument("decode_png_rows needs a target size");
  PngSource src;
  src.bytes = bytes;
  RowDecode d;
  d.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
  if (!d.png) return Status::Unsupported("out of memory while decoding the PNG");
  d.info = png_create_info_struct(d.png);
  if (!d.info) return Status::Unsupported("out of memory while decoding the PNG");
  int factor = 1;
  try {
    if (!decode_rows(d, src, min_long_edge, &factor)) return Status::InvalidArgument("corrupt PNG: " + src.error);
  } catch (const std::bad_alloc&) {
    return Status::Unsupported("out of memory while decoding the PNG");
  }
  Decoded out;
  out.bgr = std::move(d.frame);
  out.full_width = d.width;
  out.full_height = d.height;
  return out;
}

}  // namespace kho::thumb
