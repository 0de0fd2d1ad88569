// Small helpers shared by the pipeline's files (private to kho::ingest).
#pragma once

#include <string>
#include <string_view>

#include "kho/json_model.h"
#include "kho/text.h"

namespace kho::ingest::detail {

// A path for people and JSON: invalid UTF-8 bytes shown as \xNN (kho::display_path).
inline std::string display(std::string_view raw_path) { return display_path(std::string(raw_path)); }

// The last component of a '/'-separated path.
inline std::string_view file_name(std::string_view path) {
  auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The extension of a path's file name, without the dot ("" when none).
inline std::string_view extension_of(std::string_view path) {
  const std::string_view name = file_name(path);
  auto dot = name.find_last_of('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot + 1);
}

}  // namespace kho::ingest::detail
