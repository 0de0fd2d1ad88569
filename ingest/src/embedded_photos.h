// Photos that arrive inside articles (private to kho::ingest): a saved page's `bai_files/` folder, and the
// images embedded in a .docx, whose path is "FOLDER/bai.docx#word/media/image1.jpeg".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kho/ingest/scanner.h"

namespace kho::ingest::detail {

// "…/bai.docx#word/media/image1.jpeg" → {"…/bai.docx", "word/media/image1.jpeg"}; nullopt for a plain path.
std::optional<std::pair<std::string, std::string>> split_embedded_path(const std::string& path);

// Scanner step, after the walk: a folder "<stem>_files" (or "<stem>.files") beside a page "<stem>.html"
// or "<stem>.htm" is that page's saved images, so its photos join the page's event and it is no event of
// its own. Each .docx article adds its word/media/ images as photos (size = the part's expanded size,
// mtime = the .docx's). A .docx that cannot be opened adds nothing here; its parse reports why.
void add_article_photos(std::map<std::string, EventFolder>& folders);

// Pipeline step: the bytes of an embedded photo, bounded by `max_bytes`. The reason says what failed.
bool read_embedded_photo(const std::string& path, std::uint64_t max_bytes, std::vector<std::uint8_t>& out,
                         std::string& reason);

}  // namespace kho::ingest::detail
