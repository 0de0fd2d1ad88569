// print_article: the article parser's public API in a few lines.
//
//   print_article EXPORT.txt
//
// Prints each article found in an export, with its photos in order and the caption each one gets.
#include <cstdio>

#include "kho/ingest/article_parser.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s EXPORT.txt\n", argv[0]);
    return 2;
  }
  auto parsed = kho::ingest::parse_article_file(argv[1]);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", parsed.status().to_string().c_str());
    return 1;
  }
  for (const auto& w : parsed->warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  for (const kho::Article& a : parsed->articles) {
    std::printf("%s\n  date: %s, copies: %u, author: %s\n", a.title.c_str(), a.date.value_or("?").c_str(), a.copies,
                a.author.value_or("?").c_str());
    for (const kho::PhotoRef& r : a.refs) {
      const std::string& caption = r.caption ? *r.caption : r.group_caption ? "[group] " + *r.group_caption : "-";
      std::printf("  %s\n      %s\n", r.ref.c_str(), caption.c_str());
    }
  }
  return 0;
}
