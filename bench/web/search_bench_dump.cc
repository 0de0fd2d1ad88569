// Prints every hit of each query (one a line in QUERIES) over an archive: score, exact, all_words, matched,
// article, snippet and highlights, with `more`, `corrected` and the suggestion. Two builds of kho::search
// printing the same file give the same results; used to check that tuning the query engine changed nothing.
//
//   search_bench_dump ARCHIVE_DIR QUERIES
//
// Build like search_bench.cc (see search_bench.sh), e.g. against the archive KHO_BENCH_DIR keeps.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "kho/search.h"

using namespace kho;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: search_bench_dump ARCHIVE_DIR QUERIES\n");
    return 2;
  }
  auto cat = Catalog::open(argv[1]);
  if (!cat.ok()) {
    std::fprintf(stderr, "%s\n", cat.status().to_string().c_str());
    return 2;
  }
  std::ifstream in(argv[2]);
  std::vector<std::string> queries;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) queries.push_back(line);
  auto snap = (*cat)->snapshot();
  for (const std::string& q : queries) {
    Result<SearchResults> r = search(**snap, q, 50);
    if (!r.ok()) {
      std::printf("Q %s | error %s\n", q.c_str(), r.status().to_string().c_str());
      continue;
    }
    std::printf("Q %s | more=%d corrected=%d suggestion=%s hits=%zu\n", q.c_str(), r->more, r->corrected,
                r->suggestion ? r->suggestion->c_str() : "-", r->hits.size());
    for (const SearchHit& h : r->hits) {
      std::printf("  %.4f %d %d %zu %s %s |", h.score, h.exact, h.all_words, h.matched, h.article_id.c_str(),
                  h.snippet.c_str());
      for (const SearchSpan& s : h.highlights) std::printf(" %zu-%zu", s.begin, s.end);
      std::printf("\n");
    }
  }
  return 0;
}
