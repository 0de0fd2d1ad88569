// kho-bench: `kho-bench <scenario> [options]` runs a scale scenario and prints one JSON document;
// anything else is handed to Google Benchmark (micro-benchmarks registered with BENCHMARK()).
// Scenarios register themselves in kho_bench_*.cc through kho::bench::register_scenario.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "kho_bench.h"

namespace kho::bench {

std::map<std::string, Scenario>& scenarios() {
  static std::map<std::string, Scenario> all;
  return all;
}

bool register_scenario(const std::string& name, Scenario fn) {
  scenarios()[name] = std::move(fn);
  return true;
}

}  // namespace kho::bench

int main(int argc, char** argv) {
  auto& all = kho::bench::scenarios();
  if (argc >= 2 && argv[1][0] != '-') {
    auto it = all.find(argv[1]);
    if (it == all.end()) {
      std::fprintf(stderr, "kho-bench: unknown scenario '%s'; known:", argv[1]);
      for (auto& [name, fn] : all) std::fprintf(stderr, " %s", name.c_str());
      std::fprintf(stderr, "\n");
      return 2;
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    return it->second(args);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
