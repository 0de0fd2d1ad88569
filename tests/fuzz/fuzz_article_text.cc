// Fuzz target: the text article parser (ingest/src/article_parser*.cc), legacy encodings included.
#include <cstddef>
#include <cstdint>

#include "kho/ingest/article_parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = kho::ingest::parse_articles(kho::fuzz::as_text(data, size), "fuzz.txt");
  if (!parsed.ok()) return 0;
  for (const kho::Article& a : parsed->articles) {
    // Every photo block points at a reference of the same article.
    for (const kho::ArticleBlock& b : a.blocks) {
      if (b.kind == kho::ArticleBlock::Kind::kPhoto) FUZZ_CHECK(b.ref_index < a.refs.size());
    }
    FUZZ_CHECK(a.copies >= 1);
    FUZZ_CHECK(a.id.size() == 16);
  }
  return 0;
}
