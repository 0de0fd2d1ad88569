// Fuzz target: the header readers that run before any decoder: ingest's (the JPEG segment walk, container
// pixel sizes, the PNG chunk check, vendor APPn blocks, the EXIF block search) and the thumbnailer's probe.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/src/metadata_internal.h"
#include "kho/ingest/metadata.h"
#include "kho/thumbnailer/thumbnailer.h"
#include "tests/fuzz/fuzz_check.h"

namespace d = kho::ingest::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = kho::fuzz::as_bytes(data, size);
  const auto type = kho::ingest::sniff_image_type(bytes);
  for (const char* t : {"jpeg", "png", "gif", "bmp", "webp", "heic", "heif", "avif", "tiff"}) {
    auto px = d::container_pixel_size(bytes, t);
    if (px) FUZZ_CHECK(px->width >= 0 && px->height >= 0);
    (void)d::may_hold_xmp(bytes, t);
  }
  d::JpegWithoutXmp split;
  if (d::split_jpeg_xmp(bytes, &split)) {
    FUZZ_CHECK(split.head.size() <= size + 2);
    for (std::string_view p : split.xmp_packets) {
      // Views into the input.
      FUZZ_CHECK(p.empty() || (reinterpret_cast<const std::uint8_t*>(p.data()) >= data &&
                               reinterpret_cast<const std::uint8_t*>(p.data()) + p.size() <= data + size));
    }
  }
  std::vector<std::string> warnings;
  d::check_png_structure(bytes, &warnings);
  (void)d::jpeg_has_exif_app1(bytes);
  d::ExifFields fields;
  (void)d::read_picture_info(bytes, &fields);
  (void)d::read_casio_qvci(bytes, &fields);
  if (auto at = d::find_exif_block(bytes)) FUZZ_CHECK(*at < size);
  auto info = kho::thumb::probe_image(bytes);
  if (info.ok()) FUZZ_CHECK(info->width > 0 && info->height > 0);
  (void)type;
  return 0;
}
