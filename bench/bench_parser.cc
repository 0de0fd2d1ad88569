// Article parser, text keys and linker speed (Google Benchmark). Reports bytes/s for the parser on a
// large concatenation of articles built from the seed: each copy gets its own title, so the parser
// really builds thousands of different articles rather than collapsing copies.
//
//   kho-bench-parser [--benchmark_filter=Parse]
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kho/ingest/article_parser.h"
#include "kho/ingest/linker.h"
#include "kho/text.h"

namespace {

std::string read_seed() {
  for (const char* p : {KHO_SOURCE_DIR "/tests/data/articles/seed_thanh_hoa.txt",
                        KHO_SOURCE_DIR "/../shared/seed/000_b3632f37396194da.txt"}) {
    std::ifstream in(p, std::ios::binary);
    if (in) {
      std::ostringstream s;
      s << in.rdbuf();
      return s.str();
    }
  }
  return {};
}

// About `megabytes` MB of distinct articles: the seed with "số <n>" appended to each title line.
std::string corpus(std::size_t megabytes, bool nfd) {
  const std::string seed = read_seed();
  const std::string title = seed.substr(0, seed.find('\n'));
  std::string out;
  out.reserve(megabytes << 20);
  for (std::size_t n = 0; out.size() < (megabytes << 20); ++n) {
    std::string copy = seed;
    for (std::size_t p = copy.find(title); p != std::string::npos; p = copy.find(title, p + title.size())) {
      copy.insert(p + title.size(), " số " + std::to_string(n));
    }
    out += copy;
    out += "\n";
  }
  return nfd ? kho::to_nfd(out) : out;
}

void BM_ParseArticles(benchmark::State& state) {
  const std::string text = corpus(static_cast<std::size_t>(state.range(0)), state.range(1) != 0);
  if (text.empty()) {
    state.SkipWithError("seed article not found");
    return;
  }
  std::size_t articles = 0;
  for (auto _ : state) {
    auto r = kho::ingest::parse_articles(text, "bench.txt");
    articles = r.ok() ? r->articles.size() : 0;
    benchmark::DoNotOptimize(articles);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["articles"] = static_cast<double>(articles);
}
// 16 MB of NFC text, and the same text in NFD (every line goes through utf8proc).
BENCHMARK(BM_ParseArticles)->Args({16, 0})->Args({16, 1})->Unit(benchmark::kMillisecond);

void BM_Key(benchmark::State& state) {
  const std::string line =
      "Đoàn công tác tỉnh Sơn La thăm và làm việc tại "
      "thành phố Thanh Hóa, 18/11/2020";
  for (auto _ : state) {
    switch (state.range(0)) {
      case 0:
        benchmark::DoNotOptimize(kho::search_key(line));
        break;
      case 1:
        benchmark::DoNotOptimize(kho::compare_key(line));
        break;
      default:
        benchmark::DoNotOptimize(kho::telex_repair(line));
        break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
  state.SetLabel(state.range(0) == 0 ? "search_key" : state.range(0) == 1 ? "compare_key" : "telex_repair");
}
BENCHMARK(BM_Key)->Arg(0)->Arg(1)->Arg(2);

// The seed's 8 references against a folder of 8 + n unrelated names (the fuzzy stage is the cost).
void BM_LinkSeed(benchmark::State& state) {
  auto parsed = kho::ingest::parse_articles(read_seed(), "seed.txt");
  if (!parsed.ok() || parsed->articles.empty()) {
    state.SkipWithError("seed article not found");
    return;
  }
  std::vector<std::string> files;
  for (const auto& r : parsed->articles[0].refs) files.push_back(kho::to_nfd(r.ref));
  for (int i = 0; i < state.range(0); ++i) files.push_back("DSC_" + std::to_string(1000 + i) + ".JPG");
  for (auto _ : state) benchmark::DoNotOptimize(kho::ingest::link_article(parsed->articles[0], files));
}
BENCHMARK(BM_LinkSeed)->Arg(0)->Arg(200);

}  // namespace

BENCHMARK_MAIN();
