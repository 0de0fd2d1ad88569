// Camera raw through Exiv2: which TIFF files are raw, the full image's size, and the largest embedded JPEG
// preview (Exiv2's PreviewManager). Part of the Exiv2 adapter: exceptions stop here.
#include <algorithm>
#include <array>
#include <string>

#include "metadata_exiv2_internal.h"
#include "raw_preview.h"

namespace kho::ingest::detail {
namespace {

std::optional<std::int64_t> get_int(const Exiv2::ExifData& data, const std::string& key) {
  auto it = data.findKey(Exiv2::ExifKey(key));
  if (it == data.end() || it->count() < 1) return std::nullopt;
  return integer_at(*it, 0);
}

bool has_key(const Exiv2::ExifData& data, const std::string& key) {
  return data.findKey(Exiv2::ExifKey(key)) != data.end();
}

// The TIFF directories Exiv2 names: IFD0, the SubIFDs and the further IFDs.
constexpr std::array<const char*, 13> kIfds = {"Image",     "SubImage1", "SubImage2", "SubImage3", "SubImage4",
                                               "SubImage5", "SubImage6", "SubImage7", "SubImage8", "SubImage9",
                                               "Image2",    "Image3",    "Thumbnail"};

bool is_raw_photometric(std::optional<std::int64_t> p) { return p && (*p == 32803 || *p == 34892); }  // CFA, LinearRaw

std::string lower_ascii(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

}  // namespace

bool is_raw_format(std::string_view format) {
  static constexpr std::array<std::string_view, 14> kRaw = {"cr2", "cr3", "crw", "raf", "rw2", "orf", "mrw",
                                                            "nef", "arw", "pef", "dng", "srw", "raw", "x3f"};
  return std::find(kRaw.begin(), kRaw.end(), format) != kRaw.end();
}

void refine_raw(const Exiv2::ExifData& data, kho::Metadata* meta) {
  if (data.empty() || !meta->format) return;
  std::string& format = *meta->format;
  if (format == "tiff") {
    // TIFF-based raw (NEF, ARW, PEF, SRW, DNG) sniff as TIFF: the sensor data's directory says otherwise.
    bool raw = has_key(data, "Exif.Image.DNGVersion");
    for (const char* ifd : kIfds) {
      raw = raw || is_raw_photometric(get_int(data, std::string("Exif.") + ifd + ".PhotometricInterpretation"));
    }
    if (!raw) return;
    const std::string make = lower_ascii(meta->make.value_or(""));
    if (has_key(data, "Exif.Image.DNGVersion")) {
      format = "dng";
    } else if (make.starts_with("nikon")) {
      format = "nef";
    } else if (make.starts_with("sony")) {
      format = "arw";
    } else if (make.starts_with("pentax") || make.starts_with("ricoh")) {
      format = "pef";
    } else if (make.starts_with("samsung")) {
      format = "srw";
    } else {
      format = "raw";
    }
  }
  if (!is_raw_format(format)) return;
  // The full image's size, as exiftool gives it: the directory holding the sensor data (NewSubfileType 0,
  // CFA or LinearRaw), else the EXIF pixel dimensions (CR2, CR3, CRW), else what the container said.
  for (const char* ifd : kIfds) {
    const std::string p = std::string("Exif.") + ifd + ".";
    auto subfile = get_int(data, p + "NewSubfileType");
    if (std::string_view(ifd) == "Image" && format != "dng") continue;  // IFD0 of a raw is a preview
    if (!subfile || *subfile != 0) continue;
    auto w = get_int(data, p + "ImageWidth");
    auto h = get_int(data, p + "ImageLength");
    if (w && h && *w > 0 && *h > 0) {
      meta->width = w;
      meta->height = h;
      return;
    }
  }
  auto w = get_int(data, "Exif.Photo.PixelXDimension");
  auto h = get_int(data, "Exif.Photo.PixelYDimension");
  if (w && h && *w > 0 && *h > 0) {
    meta->width = w;
    meta->height = h;
  }
}

std::optional<RawPreview> largest_raw_preview(std::span<const std::uint8_t> bytes, std::vector<std::string>* notes) {
  init_exiv2();  // BMFF for CR3, and Exiv2's log kept off stderr
  try {
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(bytes.data(), static_cast<long>(bytes.size()));
    if (!image.get()) return std::nullopt;
    try {
      std::lock_guard<std::mutex> xmp_lock(exiv2_xmp_mutex());  // raw files may hold XMP
      image->readMetadata();
    } catch (const std::exception& e) {
      // Keep going: the preview directories may have been read before the damage.
      if (notes) notes->push_back(std::string("exiv2: ") + e.what());
    }
    Exiv2::PreviewManager previews(*image);
    Exiv2::PreviewPropertiesList list = previews.getPreviewProperties();  // sorted by size, smallest first
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      if (it->mimeType_ != "image/jpeg") continue;
      Exiv2::PreviewImage preview = previews.getPreviewImage(*it);
      const Exiv2::byte* data = preview.pData();
      const std::size_t size = preview.size();
      if (!data || size < 4 || data[0] != 0xFF || data[1] != 0xD8) continue;
      RawPreview out;
      out.jpeg.assign(data, data + size);
      out.width = it->width_;
      out.height = it->height_;
      return out;
    }
  } catch (const std::exception& e) {
    if (notes) notes->push_back(std::string("exiv2 found no preview: ") + e.what());
  } catch (...) {
    if (notes) notes->emplace_back("exiv2 found no preview");
  }
  return std::nullopt;
}

}  // namespace kho::ingest::detail
