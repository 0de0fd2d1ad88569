// Camera raw through LibRaw (libraw_r, the thread-safe build), for files whose embedded JPEG preview the
// ingest side (Exiv2's PreviewManager) could not give: first LibRaw's own idea of the embedded thumbnail
// (it knows vendor layouts Exiv2 does not, e.g. some CR3 and RAF), then a half-size demosaic: LibRaw's
// half_size takes one pixel per 2x2 Bayer block, so no interpolation runs and the image is 1/4 of the
// sensor (a 24 MP raw gives 6 MP, still more than the 1280 px preview needs).
// LibRaw's own rotation (sizes.flip) is switched off (user_flip = 0): the caller's EXIF orientation is
// applied by orient.cc, as for the preview path, so both paths turn the same way.
#include <libraw/libraw.h>

#include <memory>
#include <new>
#include <string>

#include <opencv2/imgproc.hpp>

#include "decode.h"

namespace kho::thumb {
namespace {

struct MemImageDeleter {
  void operator()(libraw_processed_image_t* p) const { LibRaw::dcraw_clear_mem(p); }
};

Status libraw_status(int code, const std::string& what) {
  std::string msg = "camera raw " + what + ": " + libraw_strerror(code);
  if (code == LIBRAW_FILE_UNSUPPORTED || code == LIBRAW_NOT_IMPLEMENTED) return Status::Unsupported(msg);
  if (code == LIBRAW_UNSUFFICIENT_MEMORY) return Status::Unsupported(msg);
  return Status::InvalidArgument(msg);
}

// LibRaw's default data-error callback prints "data corrupted at …" on stderr; the terminal is not ours.
void quiet_data_error(void*, const char*, const int) {}

Result<std::unique_ptr<LibRaw>> open_raw(std::span<const std::uint8_t> bytes) {
  auto raw = std::make_unique<LibRaw>(LIBRAW_OPTIONS_NONE);
  raw->set_dataerror_handler(quiet_data_error, nullptr);
  // open_buffer only reads the buffer; its signature predates const.
  const int rc = raw->open_buffer(const_cast<std::uint8_t*>(bytes.data()), bytes.size());
  if (rc != LIBRAW_SUCCESS) return libraw_status(rc, "not readable by LibRaw");
  return raw;
}

}  // namespace

Result<std::string> raw_embedded_thumbnail(std::span<const std::uint8_t> bytes) {
  try {
    auto raw = open_raw(bytes);
    if (!raw.ok()) return raw.status();
    const int rc = (*raw)->unpack_thumb();
    if (rc != LIBRAW_SUCCESS) return libraw_status(rc, "thumbnail");
    const libraw_thumbnail_t& t = (*raw)->imgdata.thumbnail;
    if (t.tformat != LIBRAW_THUMBNAIL_JPEG || !t.thumb || t.tlength < 4) {
      return Status::Unsupported("camera raw thumbnail is not a JPEG");
    }
    return std::string(t.thumb, t.tlength);
  } catch (const std::bad_alloc&) {
    return Status::Unsupported("out of memory while reading the camera raw thumbnail");
  } catch (...) {
    return Status::InvalidArgument("camera raw thumbnail: LibRaw failed");
  }
}

Result<Decoded> decode_raw_half(std::span<const std::uint8_t> bytes, std::uint64_t max_pixels) {
  try {
    auto opened = open_raw(bytes);
    if (!opened.ok()) return opened.status();
    LibRaw& raw = **opened;
    const std::uint64_t pixels = std::uint64_t{raw.imgdata.sizes.raw_width} * raw.imgdata.sizes.raw_height;
    if (pixels == 0) return Status::InvalidArgument("camera raw has no sensor data size");
    if (pixels > max_pixels) {
      return Status::Unsupported("camera raw sensor of " + std::to_string(raw.imgdata.sizes.raw_width) + "x" +
                                 std::to_string(raw.imgdata.sizes.raw_height) + " pixels is over the pixel limit");
    }
    // LibRaw "decodes" a file whose sensor data was cut off into zeros without an error. Real raw data,
    // even lossless-compressed, takes more than a byte per 8 pixels; less means the data is not there.
    if (bytes.size() < pixels / 8) {
      return Status::InvalidArgument("camera raw sensor data missing: " + std::to_string(bytes.size()) +
                                     " bytes for a " + std::to_string(raw.imgdata.sizes.raw_width) + "x" +
                                     std::to_string(raw.imgdata.sizes.raw_height) + " sensor (cut short or pruned)");
    }
    raw.imgdata.params.half_size = 1;
    raw.imgdata.params.user_flip = 0;
    raw.imgdata.params.use_camera_wb = 1;
    raw.imgdata.params.output_bps = 8;
    int rc = raw.unpack();
    if (rc != LIBRAW_SUCCESS) return libraw_status(rc, "sensor data unreadable (cut short or damaged)");
    rc = raw.dcraw_process();
    if (rc != LIBRAW_SUCCESS) return libraw_status(rc, "sensor data could not be processed");
    int err = 0;
    std::unique_ptr<libraw_processed_image_t, MemImageDeleter> img(raw.dcraw_make_mem_image(&err));
    if (!img || err != LIBRAW_SUCCESS) return libraw_status(err, "image could not be made");
    if (img->type != LIBRAW_IMAGE_BITMAP || img->bits != 8 || (img->colors != 3 && img->colors != 1)) {
      return Status::Unsupported("camera raw decoded to an unexpected pixel layout");
    }
    Decoded out;
    const cv::Mat src(img->height, img->width, img->colors == 3 ? CV_8UC3 : CV_8UC1, img->data);
    cv::cvtColor(src, out.bgr, img->colors == 3 ? cv::COLOR_RGB2BGR : cv::COLOR_GRAY2BGR);
    out.full_width = img->width;
    out.full_height = img->height;
    return out;
  } catch (const std::bad_alloc&) {
    return Status::Unsupported("out of memory while decoding the camera raw");
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument("camera raw conversion failed: " + e.err);
  } catch (...) {
    return Status::InvalidArgument("camera raw: LibRaw failed");
  }
}

}  // namespace kho::thumb
