// Fuzz target: the search query (core/search/src/search_query.cc, search_text.cc): tokenizing, both keys,
// phrase matching and snippets, run against a small real index (three articles indexed once in a scratch
// catalog under $TMPDIR, removed at exit).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "kho/catalog.h"
#include "kho/search.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

kho::Article article(std::string id, std::string title, std::string body, std::string caption) {
  kho::Article a;
  a.id = std::move(id);
  a.title = std::move(title);
  a.blocks.push_back({kho::ArticleBlock::Kind::kParagraph, std::move(body), 0});
  kho::PhotoRef r;
  r.ref = "anh1.jpg";
  r.caption = std::move(caption);
  a.refs.push_back(r);
  a.blocks.push_back({kho::ArticleBlock::Kind::kPhoto, "", 0});
  return a;
}

std::string g_dir;
std::unique_ptr<kho::Catalog> g_catalog;

void cleanup() {
  g_catalog.reset();
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
}

const kho::Catalog& catalog() {
  if (g_catalog) return *g_catalog;
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/kho-fuzz-search-XXXXXX";
  FUZZ_CHECK(mkdtemp(templ.data()) != nullptr);
  g_dir = templ;
  auto cat = kho::Catalog::open(g_dir);
  FUZZ_CHECK(cat.ok());
  g_catalog = std::move(*cat);
  std::atexit(cleanup);
  const kho::Article articles[] = {
      article("0000000000000001", "Thanh Hóa: thăm bộ phận một cửa",
              "Đoàn công tác đã đến thăm và làm việc tại bộ phận một cửa của huyện, ngày 18/11/2020.",
              "Lãnh đạo tỉnh thăm hỏi cán bộ"),
      article("0000000000000002", "Hoà bình và hòa hợp", "Người dân xã Hòa Bình đón Tết; hoà nhạc đêm giao thừa.",
              "Quang cảnh buổi lễ"),
      article("0000000000000003", "Đường bay quốc tế mở lại", "Vietnam Airlines mở lại đường bay Hà Nội – Tokyo.",
              "Máy bay A350 tại Nội Bài"),
  };
  auto snap = g_catalog->snapshot();
  FUZZ_CHECK(snap.ok());
  kho::WriteBatch batch;
  for (const kho::Article& a : articles) {
    batch.put_article(a);
    FUZZ_CHECK(kho::index_article(snap->get(), batch, a).ok());
  }
  snap->reset();
  FUZZ_CHECK(g_catalog->write(batch).ok());
  return *g_catalog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto snap = catalog().snapshot();
  FUZZ_CHECK(snap.ok());
  auto found = kho::search(**snap, kho::fuzz::as_text(data, size), 20);
  if (!found.ok()) {
    FUZZ_CHECK(found.status().is_invalid_argument());
    return 0;
  }
  FUZZ_CHECK(found->hits.size() <= 20);
  for (const kho::SearchHit& h : found->hits) {
    // Highlights are in order, disjoint and inside the snippet.
    std::size_t at = 0;
    for (const kho::SearchSpan& s : h.highlights) {
      FUZZ_CHECK(at <= s.begin && s.begin < s.end && s.end <= h.snippet.size());
      at = s.end;
    }
  }
  return 0;
}
