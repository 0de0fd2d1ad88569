// Fuzz target: the thumbnailer's guards in front of its decoders (thumbnailer/src/thumbnailer.cc, decode*.cc):
// the header probe, the pixel cap checked before decoding, libjpeg's memory cap, PNG row-by-row decoding,
// libheif and LibRaw behind their checks. The caps are lowered so that what passes them decodes quickly.
// The first byte picks the EXIF orientation (1–8), so the corpus holds the real files as they are.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kho/ingest/metadata.h"
#include "kho/thumbnailer/thumbnailer.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr std::uint64_t kMaxPixels = 16'000'000;

const kho::thumb::Thumbnailer& thumbnailer() {
  static const kho::thumb::Thumbnailer t([] {
    kho::thumb::ThumbnailOptions o;
    o.preview_px = 96;
    o.grid_px = 32;
    o.max_pixels = kMaxPixels;
    o.max_decoder_bytes = std::uint64_t{48} << 20;
    return o;
  }());
  return t;
}

bool is_raw(const std::string& format) {
  for (const char* t : {"cr2", "cr3", "crw", "raf", "rw2", "orf", "mrw", "nef", "arw", "pef", "dng", "srw"}) {
    if (format == t) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = kho::fuzz::as_bytes(data, size);
  const int orientation = size > 0 ? 1 + data[0] % 8 : 1;
  // What the pipeline does (ingest/src/pipeline_photos.cc): the format metadata reads (a TIFF-based raw is
  // told apart by its EXIF) sends camera raw to process_raw.
  const auto type = kho::ingest::sniff_image_type(bytes);
  bool raw = type && is_raw(*type);
  if (type && *type == "tiff") {
    auto meta = kho::ingest::read_metadata(bytes);
    raw = meta.ok() && meta->format && is_raw(*meta->format);
  }
  auto out = raw ? thumbnailer().process_raw(bytes, orientation) : thumbnailer().process(bytes, orientation);
  if (out.ok()) {
    FUZZ_CHECK(!out->preview_jpeg.empty() && !out->grid_jpeg.empty());
    if (!raw) FUZZ_CHECK(std::uint64_t{out->width} * out->height <= kMaxPixels);
  } else {
    FUZZ_CHECK(out.status().is_invalid_argument() || out.status().is_unsupported());
  }
  return 0;
}
