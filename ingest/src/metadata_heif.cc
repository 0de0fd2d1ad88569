// The XMP items of a HEIF/HEIC/AVIF file, read with libheif: Exiv2 0.27's BMFF support reads their EXIF
// but not their XMP (checked: a HEIC with an XMP item written by exiftool gave no description). The only
// libheif user in kho::ingest; it parses the boxes only, never the coded image.
#include <libheif/heif.h>

#include <memory>

#include "metadata_internal.h"

namespace kho::ingest::detail {

std::vector<std::string> heif_xmp_packets(std::span<const std::uint8_t> bytes, std::vector<std::string>* warnings) {
  std::vector<std::string> out;
  std::unique_ptr<heif_context, void (*)(heif_context*)> ctx(heif_context_alloc(), heif_context_free);
  if (!ctx) return out;
  heif_error err = heif_context_read_from_memory_without_copy(ctx.get(), bytes.data(), bytes.size(), nullptr);
  if (err.code != heif_error_Ok) return out;  // the thumbnailer names the damage; Exiv2 read what it could
  heif_image_handle* raw = nullptr;
  if (heif_context_get_primary_image_handle(ctx.get(), &raw).code != heif_error_Ok) return out;
  std::unique_ptr<heif_image_handle, void (*)(const heif_image_handle*)> handle(raw, heif_image_handle_release);
  const int n = heif_image_handle_get_number_of_metadata_blocks(handle.get(), "mime");
  if (n <= 0 || n > 64) return out;
  std::vector<heif_item_id> ids(static_cast<std::size_t>(n));
  heif_image_handle_get_list_of_metadata_block_IDs(handle.get(), "mime", ids.data(), n);
  for (heif_item_id id : ids) {
    const std::string type = heif_image_handle_get_metadata_content_type(handle.get(), id);
    if (type != "application/rdf+xml") continue;
    const std::size_t size = heif_image_handle_get_metadata_size(handle.get(), id);
    if (size == 0 || size > (std::size_t{16} << 20)) continue;
    std::string packet(size, '\0');
    if (heif_image_handle_get_metadata(handle.get(), id, packet.data()).code != heif_error_Ok) {
      if (warnings) warnings->emplace_back("HEIF: the XMP item could not be read");
      continue;
    }
    out.push_back(std::move(packet));
  }
  return out;
}

}  // namespace kho::ingest::detail
