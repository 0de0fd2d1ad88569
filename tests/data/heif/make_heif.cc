// Writes a small HEIC whose pixels are stored turned, with irot/imir set from an EXIF-style orientation
// (libheif's heif_encoding_options::image_orientation) and an EXIF item that repeats the orientation, as
// iPhones do. Usage: make_heif IN.ppm ORIENTATION EXIF_ORIENTATION OUT.heic
#include <libheif/heif.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>
int main(int argc, char** argv) {
  if (argc != 5) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  std::string magic;
  int w, h, maxv;
  in >> magic >> w >> h >> maxv;
  in.get();
  std::vector<unsigned char> rgb(static_cast<size_t>(w) * h * 3);
  in.read(reinterpret_cast<char*>(rgb.data()), rgb.size());
  heif_image* img = nullptr;
  heif_image_create(w, h, heif_colorspace_RGB, heif_chroma_interleaved_RGB, &img);
  heif_image_add_plane(img, heif_channel_interleaved, w, h, 8);
  int stride = 0;
  uint8_t* p = heif_image_get_plane(img, heif_channel_interleaved, &stride);
  for (int y = 0; y < h; ++y) std::memcpy(p + y * stride, rgb.data() + static_cast<size_t>(y) * w * 3, w * 3);
  heif_context* ctx = heif_context_alloc();
  heif_encoder* enc = nullptr;
  heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc);
  heif_encoder_set_lossy_quality(enc, 70);
  heif_encoding_options* opt = heif_encoding_options_alloc();
  opt->image_orientation = static_cast<heif_orientation>(std::atoi(argv[2]));
  heif_image_handle* handle = nullptr;
  heif_error e = heif_context_encode_image(ctx, img, enc, opt, &handle);
  if (e.code) {
    std::fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  // A minimal big-endian TIFF EXIF block with one entry: Orientation.
  const unsigned char o = static_cast<unsigned char>(std::atoi(argv[3]));
  const unsigned char exif[] = {0,    0, 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01,
                                0x12, 0, 3, 0, 0,   0,   1, 0,  o, 0, 0, 0, 0, 0, 0};
  heif_context_add_exif_metadata(ctx, handle, exif, sizeof exif);
  e = heif_context_write_to_file(ctx, argv[4]);
  if (e.code) {
    std::fprintf(stderr, "%s\n", e.message);
    return 1;
  }
  return 0;
}
