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

void print_json(const std::string& json_text) {
  std::fwrite(json_text.data(), 1, json_text.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace kho::app
