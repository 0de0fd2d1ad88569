// read_metadata(): detect the type, read with Exiv2, salvage EXIF with libexif, tidy the warnings.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "metadata_internal.h"

namespace kho::ingest {
namespace {

constexpr std::size_t kMaxWarnings = 20;

// Why bytes that are not an image were refused, for the error message.
std::string describe_non_image(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return "empty file (0 bytes)";
  if (bytes.size() >= 12 && std::memcmp(bytes.data() + 4, "ftyp", 4) == 0) {
    std::string brand(reinterpret_cast<const char*>(bytes.data() + 8), 4);
    for (char& c : brand) {
      if (c < 0x20 || c > 0x7E) c = '?';
    }
    return "ISO media file of brand '" + brand + "' (a video, not a still image)";
  }
  std::string hex;
  char buf[4];
  for (std::size_t i = 0; i < bytes.size() && i < 8; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
    if (i) hex += ' ';
    hex += buf;
  }
  return "unknown signature " + hex + " (" + std::to_string(bytes.size()) + " bytes)";
}

void tidy_warnings(std::vector<std::string>* warnings) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  std::size_t dropped = 0;
  for (auto& w : *warnings) {
    std::string text = detail::meta_text(w);  // Exiv2 quotes raw bytes from the file in its messages
    if (!seen.insert(text).second) continue;
    if (out.size() >= kMaxWarnings) {
      ++dropped;
      continue;
    }
    out.push_back(std::move(text));
  }
  if (dropped) out.push_back("… and " + std::to_string(dropped) + " more warnings");
  *warnings = std::move(out);
}

void salvage_exif(std::span<const std::uint8_t> bytes, kho::Metadata* meta, CaptionSources* sources) {
  detail::ExifFields exif;
  std::vector<std::string> log;
  if (meta->format != "jpeg") {
    // Outside JPEG, libexif wants the bare block: find it by its signature.
    auto at = detail::find_exif_block(bytes);
    if (!at) return;
    bytes = bytes.subspan(*at);
  }
  if (!detail::read_with_libexif(bytes, &exif, &log) || !exif.any()) {
    meta->warnings.emplace_back("EXIF block unreadable by both Exiv2 and libexif; EXIF fields skipped");
    return;
  }
  detail::apply_exif_fields(exif, meta);
  if (!sources->exif_description) sources->exif_description = exif.description;
  if (!sources->exif_user_comment) sources->exif_user_comment = exif.user_comment;
  if (!sources->xp_comment) sources->xp_comment = exif.xp_comment;
  meta->warnings.emplace_back("EXIF block rejected by Exiv2; fields salvaged with libexif");
  for (auto& l : log) meta->warnings.push_back(std::move(l));
}

}  // namespace

kho::Result<kho::Metadata> read_metadata(std::span<const std::uint8_t> bytes, CaptionSources* sources) {
  CaptionSources local;
  if (!sources) sources = &local;
  *sources = CaptionSources{};
  auto type = sniff_image_type(bytes);
  if (!type) return kho::Status::InvalidArgument("not an image: " + describe_non_image(bytes));

  kho::Metadata meta;
  meta.format = *type;
  // The container's own header is the authority for the stored size; Exiv2 is the fallback
  // (TIFF-based and raw formats).
  if (auto size = detail::container_pixel_size(bytes, *type); size && size->width > 0 && size->height > 0) {
    meta.width = size->width;
    meta.height = size->height;
  }
  detail::Exiv2Outcome outcome = detail::read_with_exiv2(bytes, &meta, sources);
  bool no_exif_from_exiv2 = !outcome.opened || outcome.exif_empty;
  const bool heif_family = *type == "heic" || *type == "heif" || *type == "avif";
  if (outcome.exif_rejected ||
      (no_exif_from_exiv2 && (*type == "jpeg" ? detail::jpeg_has_exif_app1(bytes) : heif_family))) {
    salvage_exif(bytes, &meta, sources);
  }
  if (*type == "jpeg") {
    if (detail::ExifFields info; detail::read_picture_info(bytes, &info)) detail::apply_exif_fields(info, &meta);
    if (!meta.datetime_original) {
      if (detail::ExifFields qvci; detail::read_casio_qvci(bytes, &qvci)) detail::apply_exif_fields(qvci, &meta);
    }
  }
  if (!meta.width) meta.warnings.emplace_back("image size not found in the " + *type + " header");
  if (*type == "png") detail::check_png_structure(bytes, &meta.warnings);
  tidy_warnings(&meta.warnings);
  return meta;
}

kho::Result<kho::Metadata> read_metadata(std::span<const std::uint8_t> bytes) {
  return read_metadata(bytes, nullptr);
}

kho::Result<kho::Metadata> read_exif_libexif(std::span<const std::uint8_t> bytes) {
  bool bare_block = bytes.size() >= 6 && std::memcmp(bytes.data(), "Exif\0\0", 6) == 0;
  auto type = sniff_image_type(bytes);
  if (!type && !bare_block) return kho::Status::InvalidArgument("not an image: " + describe_non_image(bytes));
  kho::Metadata meta;
  if (type) meta.format = *type;
  if (type == "jpeg" || bare_block) {
    detail::ExifFields exif;
    if (detail::read_with_libexif(bytes, &exif, &meta.warnings)) {
      detail::apply_exif_fields(exif, &meta);
    } else {
      meta.warnings.emplace_back("libexif found no EXIF block");
    }
  } else {
    meta.warnings.push_back("libexif reads EXIF from JPEG only, not " + *type);
  }
  tidy_warnings(&meta.warnings);
  return meta;
}

kho::Result<kho::Metadata> read_metadata_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    int err = errno;
    std::string msg = path + ": " + std::strerror(err);
    return err == ENOENT ? kho::Status::NotFound(msg) : kho::Status::IOError(msg);
  }
  // One allocation of the file's size and one read (a 12-MP JPEG is ~2 MB); growing a buffer chunk
  // by chunk cost more than the metadata itself. The loop still copes with files that change size.
  std::vector<std::uint8_t> bytes;
  struct stat st{};
  if (fstat(fileno(f), &st) == 0 && st.st_size > 0) bytes.resize(static_cast<std::size_t>(st.st_size));
  std::size_t used = 0;
  bool failed = false;
  for (;;) {
    if (used == bytes.size()) bytes.resize(std::max<std::size_t>(bytes.size() * 2, 1 << 16));
    std::size_t n = std::fread(bytes.data() + used, 1, bytes.size() - used, f);
    used += n;
    if (n == 0) {
      failed = std::ferror(f) != 0;
      break;
    }
  }
  int err = errno;
  std::fclose(f);
  if (failed) return kho::Status::IOError(path + ": " + std::strerror(err));
  bytes.resize(used);
  auto result = read_metadata(bytes);
  if (!result.ok()) return result.status().with_context(path);
  return result;
}

}  // namespace kho::ingest
