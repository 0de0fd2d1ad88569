#include "pairs.h"

#include "pipeline_util.h"

namespace kho::ingest::detail {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

}  // namespace

std::string_view stem_of(std::string_view name) {
  auto dot = name.find_last_of('.');
  return dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot);
}

std::map<std::string, std::string> raw_jpeg_pairs(const EventFolder& folder) {
  std::map<std::string, std::string> jpeg_by_stem;  // lower-case stem → first JPEG path
  for (const auto& f : folder.photos) {
    const std::string ext = lower_ascii(extension_of(f.path));
    if (ext == "jpg" || ext == "jpeg") jpeg_by_stem.emplace(lower_ascii(stem_of(file_name(f.path))), f.path);
  }
  std::map<std::string, std::string> pairs;
  if (jpeg_by_stem.empty()) return pairs;
  for (const auto& f : folder.photos) {
    if (!is_raw_extension(extension_of(f.path))) continue;
    auto it = jpeg_by_stem.find(lower_ascii(stem_of(file_name(f.path))));
    if (it != jpeg_by_stem.end()) pairs.emplace(f.path, it->second);
  }
  return pairs;
}

}  // namespace kho::ingest::detail
