// Stage 4: encode with libjpeg-turbo directly rather than cv::imencode: it takes BGR rows as they are
// (JCS_EXT_BGR, no channel swap copy), and lets us pick the DCT and skip Huffman optimisation.
// Same longjmp discipline as decode_jpeg.cc: only C data lives in the frame that calls setjmp.
#include <csetjmp>
#include <cstdlib>
#include <string>

#include <jpeglib.h>

#include "encode.h"

namespace kho::thumb {
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;  // first member: libjpeg hands us a jpeg_error_mgr*
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void on_error_exit(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  cinfo->err->format_message(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

void on_output_message(j_common_ptr) {}  // never print to stderr

// Returns false with `message` filled on failure; on success *out/*out_size is a malloc'd buffer that
// the caller frees (jpeg_mem_dest's contract).
bool run_encoder(const cv::Mat& bgr, const EncodeOptions& options, unsigned char** out,
                 unsigned long* out_size, char* message) {
  jpeg_compress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error_exit;
  err.pub.output_message = on_output_message;
  err.message[0] = '\0';
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    for (std::size_t i = 0; i < sizeof err.message; ++i) message[i] = err.message[i];
    return false;
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, out, out_size);
  cinfo.image_width = static_cast<JDIMENSION>(bgr.cols);
  cinfo.image_height = static_cast<JDIMENSION>(bgr.rows);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_EXT_BGR;
  jpeg_set_defaults(&cinfo);  // YCbCr 4:2:0, baseline
  jpeg_set_quality(&cinfo, options.quality, TRUE);
  cinfo.dct_method = options.fast_dct ? JDCT_IFAST : JDCT_ISLOW;
  cinfo.optimize_coding = options.optimize_coding ? TRUE : FALSE;
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<JSAMPROW>(bgr.ptr<std::uint8_t>(static_cast<int>(cinfo.next_scanline)));
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  return true;
}

}  // namespace

Result<std::string> encode_jpeg(const cv::Mat& bgr, const EncodeOptions& options) {
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return Status::InvalidArgument("cannot encode: expected a non-empty 8-bit BGR image");
  }
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  char message[JMSG_LENGTH_MAX] = {};
  const bool ok = run_encoder(bgr, options, &buffer, &size, message);
  if (!ok) {
    std::free(buffer);
    return Status::Unsupported(std::string("JPEG encoding failed: ") + message);
  }
  Result<std::string> result = Status::Unsupported("out of memory while encoding");
  try {
    result = std::string(reinterpret_cast<const char*>(buffer), size);
  } catch (const std::bad_alloc&) {
  }
  std::free(buffer);
  return result;
}

}  // namespace kho::thumb
