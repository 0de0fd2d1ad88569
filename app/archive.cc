#include "archive.h"

#include <cstdio>

namespace kho::app {

std::unique_ptr<Catalog> open_archive(const GlobalOptions& g, bool read_only) {
  CatalogOptions opts;
  opts.read_only = read_only;
  auto cat = Catalog::open(g.archive, opts);
  if (!cat.ok()) {
    print_error(cat.status().message());
    return nullptr;
  }
  return std::move(*cat);
}

std::optional<std::string> read_view(const GlobalOptions& g,
                                     const std::function<Result<std::string>(const Snapshot&)>& view,
                                     const std::string& not_found) {
  auto cat = open_archive(g, /*read_only=*/true);
  if (!cat) return std::nullopt;
  Result<std::string> doc = Status::Busy("archive unavailable");
  {
    auto snap = cat->snapshot();
    if (!snap.ok()) {
      print_error(snap.status().message());
      return std::nullopt;
    }
    doc = view(**snap);
  }
  if (!doc.ok()) {
    print_error(doc.status().is_not_found() && !not_found.empty() ? not_found : doc.status().message());
    return std::nullopt;
  }
  return std::move(*doc);
}

void print_json(const std::string& json_text) {
  std::fwrite(json_text.data(), 1, json_text.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace kho::app
