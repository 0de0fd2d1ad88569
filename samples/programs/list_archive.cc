// list_archive: the read-only catalog API in a few lines.
//
//   list_archive ARCHIVE_DIR
//
// Opens an archive made by `kho ingest` without taking the writer role (safe while an ingest runs),
// and prints its events, newest first, with every photo in article order and its captions.
#include <cstdio>

#include "kho/catalog.h"
#include "kho/json_model.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s ARCHIVE_DIR\n", argv[0]);
    return 2;
  }
  kho::CatalogOptions options;
  options.read_only = true;
  auto catalog = kho::Catalog::open(argv[1], options);
  if (!catalog.ok()) {
    std::fprintf(stderr, "%s\n", catalog.status().to_string().c_str());
    return 1;
  }
  // One snapshot: everything printed below comes from one consistent state of the archive.
  auto snap = (*catalog)->snapshot();
  if (!snap.ok()) return 1;
  auto events = (*snap)->events_newest_first(0, 1000);
  if (!events.ok()) return 1;
  for (const kho::Event& e : *events) {
    std::printf("%s  %s  (%u photos)\n", e.date.value_or("undated").c_str(), e.title.c_str(), e.photo_count);
    auto photos = (*snap)->event_photos_in_order(e.id);
    if (!photos.ok()) continue;
    for (const kho::EventFile& f : *photos) {
      std::printf("  %s  %s\n", f.digest.hex().substr(0, 12).c_str(), kho::display_path(f.path).c_str());
      auto links = (*snap)->photo_links(f.digest);
      if (!links.ok()) continue;
      for (const kho::Link& l : *links) {
        const auto& caption = l.caption ? l.caption : l.group_caption;
        if (caption) std::printf("      “%s” (%s)\n", caption->c_str(), kho::link_method_name(l.method));
      }
    }
  }
  return 0;
}
