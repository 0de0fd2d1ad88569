// Stage 1 for JPEG: libjpeg-turbo called directly rather than through cv::imdecode, because here we choose
//  - the scale: any M/8 is possible (OpenCV's IMREAD_REDUCED_COLOR_2/4/8 only offers powers of two); we
//    measured both and default to powers of two (DecodeOptions::any_eighth_scale says why);
//  - the chroma upsampling and the IDCT (DecodeOptions says what we measured and chose);
//  - BGR written straight into the cv::Mat rows (JCS_EXT_BGR), no intermediate buffer;
//  - error handling: a truncated file is an error (not grey rows), and nothing is printed on stderr.
//
// libjpeg reports fatal errors through error_exit, which must not return: we longjmp back to the one
// setjmp in run_decoder(). That function therefore holds only plain C data between setjmp and the last
// libjpeg call (no destructors may be skipped), and the cv::Mat it fills belongs to its caller.
#include <algorithm>
#include <climits>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include <jpeglib.h>
#include <jerror.h>

#include "decode.h"

namespace kho::thumb {
namespace {

enum class Failure { kNone, kTruncated, kCorrupt, kCmyk, kNoMemory, kOverMemoryCap };

struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg hands us a jpeg_error_mgr*
  std::jmp_buf jump;
  Failure failure;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  cinfo->err->format_message(cinfo, err->message);
  switch (cinfo->err->msg_code) {
    case JERR_OUT_OF_MEMORY: err->failure = Failure::kNoMemory; break;
    // With max_memory_to_use set, libjpeg asks for a temporary file instead of going over the cap, and
    // this build has none: that is how the cap shows up.
    case JERR_NO_BACKING_STORE: err->failure = Failure::kOverMemoryCap; break;
    default: err->failure = Failure::kCorrupt;
  }
  std::longjmp(err->jump, 1);
}

// Warnings are tolerated (permissive decoding, like libvips) except "premature end of file": libjpeg
// would pad the missing rows with grey and call it a photo; the issue wants truncated data reported.
void on_emit_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  if (cinfo->err->msg_code == JWRN_JPEG_EOF) {
    cinfo->err->format_message(cinfo, err->message);
    err->failure = Failure::kTruncated;
    std::longjmp(err->jump, 1);
  }
  cinfo->err->num_warnings++;
}

void on_output_message(j_common_ptr) {}  // never print to stderr

struct Request {
  const std::uint8_t* data;
  unsigned long size;
  const DecodeOptions* options;
};

struct Outcome {
  Failure failure = Failure::kNone;
  char message[JMSG_LENGTH_MAX] = {};
  std::uint32_t full_width = 0, full_height = 0;
  int scale = 8;
};

// Allocates the output inside a function of its own so that no C++ exception crosses libjpeg's frames.
bool allocate(cv::Mat* out, int rows, int cols) noexcept {
  try {
    out->create(rows, cols, CV_8UC3);
    return true;
  } catch (...) {
    return false;
  }
}

void run_decoder(const Request& req, cv::Mat* out, Outcome* outcome) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.emit_message = on_emit_message;
  err.pub.output_message = on_output_message;
  err.failure = Failure::kNone;
  err.message[0] = '\0';
  if (setjmp(err.jump)) {
    outcome->failure = err.failure;
    std::memcpy(outcome->message, err.message, sizeof err.message);
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  jpeg_create_decompress(&cinfo);
  if (req.options->max_memory_bytes > 0) {
    const std::uint64_t cap = std::min<std::uint64_t>(req.options->max_memory_bytes, LONG_MAX);
    cinfo.mem->max_memory_to_use = static_cast<long>(cap);
  }
  jpeg_mem_src(&cinfo, req.data, req.size);
  jpeg_read_header(&cinfo, TRUE);
  outcome->full_width = cinfo.image_width;
  outcome->full_height = cinfo.image_height;
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
    outcome->failure = Failure::kCmyk;
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  const std::uint32_t long_edge = std::max(cinfo.image_width, cinfo.image_height);
  outcome->scale = pick_jpeg_scale(long_edge, req.options->min_long_edge, req.options->any_eighth_scale);
  cinfo.scale_num = static_cast<unsigned>(outcome->scale);
  cinfo.scale_denom = 8;
  // Decode straight into OpenCV's BGR order: no separate colour-order pass.
  cinfo.out_color_space = JCS_EXT_BGR;
  cinfo.do_fancy_upsampling = req.options->fancy_upsampling ? TRUE : FALSE;
  cinfo.dct_method = req.options->fast_idct ? JDCT_IFAST : JDCT_ISLOW;
  jpeg_start_decompress(&cinfo);
  if (!allocate(out, static_cast<int>(cinfo.output_height), static_cast<int>(cinfo.output_width))) {
    outcome->failure = Failure::kNoMemory;
    jpeg_destroy_decompress(&cinfo);
    return;
  }
  while (cinfo.output_scanline < cinfo.output_height) {
    JSAMPROW rows[16];
    const int want = std::min<int>(16, static_cast<int>(cinfo.output_height - cinfo.output_scanline));
    for (int i = 0; i < want; ++i) rows[i] = out->ptr<std::uint8_t>(static_cast<int>(cinfo.output_scanline) + i);
    jpeg_read_scanlines(&cinfo, rows, static_cast<JDIMENSION>(want));
  }
  // Reads up to EOI; a file cut right after the last scan still decoded completely, so stop here
  // instead of letting jpeg_finish_decompress report the missing EOI as truncation.
  jpeg_abort_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
}

}  // namespace

int pick_jpeg_scale(std::uint32_t long_edge, int min_long_edge, bool any_eighth_scale) {
  if (min_long_edge <= 0) return 8;
  for (int m = 1; m < 8; ++m) {
    if (!any_eighth_scale && (m & (m - 1)) != 0) continue;  // 1, 2, 4 only
    // libjpeg rounds scaled dimensions up: jdiv_round_up(size * M, 8).
    const std::uint64_t scaled = (std::uint64_t{long_edge} * static_cast<unsigned>(m) + 7) / 8;
    if (scaled >= static_cast<std::uint64_t>(min_long_edge)) return m;
  }
  return 8;
}

Result<Decoded> decode_jpeg(std::span<const std::uint8_t> bytes, const DecodeOptions& options, bool* cmyk) {
  *cmyk = false;
  Decoded decoded;
  Outcome outcome;
  const Request req{bytes.data(), static_cast<unsigned long>(bytes.size()), &options};
  run_decoder(req, &decoded.bgr, &outcome);
  switch (outcome.failure) {
    case Failure::kNone: break;
    case Failure::kTruncated:
      return Status::InvalidArgument(std::string("truncated JPEG: the data ends before the image does (") +
                                     outcome.message + ")");
    case Failure::kCorrupt:
      if (std::strstr(outcome.message, "Unsupported") != nullptr) {
        return Status::Unsupported(std::string("JPEG variant not supported: ") + outcome.message);
      }
      return Status::InvalidArgument(std::string("corrupt JPEG: ") + outcome.message);
    case Failure::kCmyk:
      *cmyk = true;
      return Status::Unsupported("CMYK JPEG: libjpeg-turbo cannot convert it to BGR");
    case Failure::kNoMemory: return Status::Unsupported("out of memory while decoding the JPEG");
    case Failure::kOverMemoryCap:
      return Status::Unsupported("the JPEG needs more decoder memory than the limit of " +
                                 std::to_string(options.max_memory_bytes >> 20) +
                                 " MB (a progressive JPEG keeps every coefficient: about 3 bytes per pixel)");
  }
  decoded.full_width = outcome.full_width;
  decoded.full_height = outcome.full_height;
  decoded.scale_eighths = outcome.scale;
  return decoded;
}

}  // namespace kho::thumb
