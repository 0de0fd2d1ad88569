// Fuzz target: the .docx article parser (ingest/src/article_docx.cc: libzip with its bounds, pugixml) and
// the reading of one embedded part.
#include <cstddef>
#include <cstdint>

#include "kho/ingest/article_parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = kho::fuzz::as_text(data, size);
  auto parsed = kho::ingest::parse_docx_article(bytes, "fuzz.docx");
  if (!parsed.ok()) return 0;
  FUZZ_CHECK(parsed->articles.size() <= 1);
  for (const kho::Article& a : parsed->articles) {
    for (const kho::ArticleBlock& b : a.blocks) {
      if (b.kind == kho::ArticleBlock::Kind::kPhoto) FUZZ_CHECK(b.ref_index < a.refs.size());
    }
    // Each photo reference names a part of this zip: read it the way ingest does.
    for (const kho::PhotoRef& r : a.refs) (void)kho::ingest::read_docx_part(bytes, r.ref, "fuzz.docx");
  }
  return 0;
}
