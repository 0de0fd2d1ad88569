// Fuzz target: the HTML article parser (ingest/src/article_html*.cc: charset, gumbo, the site rules).
#include <cstddef>
#include <cstdint>

#include "kho/ingest/article_parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = kho::ingest::parse_html_article(kho::fuzz::as_text(data, size), "fuzz.html");
  if (!parsed.ok()) return 0;
  FUZZ_CHECK(parsed->articles.size() <= 1);
  for (const kho::Article& a : parsed->articles) {
    for (const kho::ArticleBlock& b : a.blocks) {
      if (b.kind == kho::ArticleBlock::Kind::kPhoto) FUZZ_CHECK(b.ref_index < a.refs.size());
    }
  }
  return 0;
}
