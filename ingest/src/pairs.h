// RAW+JPEG pairs (private to kho::ingest): a camera raw file and a JPEG with the same stem in the same folder
// are one photo with two files, as Lightroom and Photo Mechanic show them. ingest/README.md ("RAW+JPEG
// pairs") and core/FORMAT.md (`files`) give the design.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "kho/ingest/scanner.h"

namespace kho::ingest::detail {

// The stem of a file name: the name without its last extension ("DSC_0001.NEF" → "DSC_0001").
std::string_view stem_of(std::string_view file_name);

// For one folder: each camera raw file's path → the path of its JPEG partner (same stem, compared
// case-insensitively in ASCII; extension jpg or jpeg; the first by path when there are several).
// Raw files without a partner are not in the map.
std::map<std::string, std::string> raw_jpeg_pairs(const EventFolder& folder);

}  // namespace kho::ingest::detail
