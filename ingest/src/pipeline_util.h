// Small helpers shared by the pipeline's files (private to kho::ingest).
#pragma once

#include <string>
#include <string_view>

namespace kho::ingest::detail {

// Strict UTF-8 check (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s);
// A path for people: valid UTF-8 is kept; each byte of an invalid sequence becomes \xNN. Same rule as
// kho::display_path, kept here so ingest does not depend on the JSON module.
std::string display(std::string_view raw_path);
// The last component of a '/'-separated path.
std::string_view file_name(std::string_view path);

}  // namespace kho::ingest::detail
