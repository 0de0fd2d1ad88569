// `kho-bench dups --photos N`: the near-duplicate index at scale (DESIGN.md §6, issue 6).
//
// Plants known near-duplicate pairs (distance uniform in 0..radius) among N random 64-bit PHash values,
// then measures: building the index, listing all pairs within the radius (the "rebuild"), and one
// photo's query (p50/p99 over a sample). Recall is of the planted pairs, by both paths. Prints JSON.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <unordered_set>

#include "core/dups/src/dups_internal.h"  // PhashIndex, candidate_pairs (through kho::internals)
#include "kho/dups.h"
#include "kho_bench.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU seconds of the whole process: the machine is shared, so wall time alone over-states the cost.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) * 1e-3;
}

struct Planted {
  std::vector<std::uint64_t> hashes;
  std::vector<kho::HashPair> pairs;  // a < b
};

Planted plant(std::size_t n, std::size_t planted, int radius, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Planted p;
  p.hashes.resize(n);
  for (auto& h : p.hashes) h = rng();
  // Each planted pair uses two fresh positions so pairs do not chain into one another.
  std::vector<std::uint32_t> pos(n);
  for (std::uint32_t i = 0; i < n; ++i) pos[i] = i;
  std::shuffle(pos.begin(), pos.end(), rng);
  planted = std::min(planted, n / 2);
  for (std::size_t i = 0; i < planted; ++i) {
    std::uint32_t a = pos[2 * i], b = pos[2 * i + 1];
    int d = static_cast<int>(rng() % static_cast<std::uint64_t>(radius + 1));
    std::uint64_t v = p.hashes[a];
    std::vector<int> bits(64);
    for (int k = 0; k < 64; ++k) bits[k] = k;
    std::shuffle(bits.begin(), bits.end(), rng);
    for (int k = 0; k < d; ++k) v ^= 1ull << bits[k];
    p.hashes[b] = v;
    p.pairs.push_back({std::min(a, b), std::max(a, b), d});
  }
  return p;
}

int run_dups(const std::vector<std::string>& args) {
  std::size_t photos = 1000000, planted = 10000, samples = 10000;
  int radius = kho::DupOptions{}.phash_radius, threads = 2, parts = 0;
  std::string timeline;  // when set: one line per query, "start_us duration_us", to see what the tail is
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto next = [&](auto& v) {
      if (i + 1 >= args.size()) return false;
      v = static_cast<std::remove_reference_t<decltype(v)>>(std::stoll(args[++i]));
      return true;
    };
    bool ok = true;
    if (args[i] == "--photos") ok = next(photos);
    else if (args[i] == "--planted") ok = next(planted);
    else if (args[i] == "--radius") ok = next(radius);
    else if (args[i] == "--threads") ok = next(threads);
    else if (args[i] == "--parts") ok = next(parts);
    else if (args[i] == "--samples") ok = next(samples);
    else if (args[i] == "--timeline" && i + 1 < args.size()) timeline = args[++i];
    else ok = false;
    if (!ok) {
      std::fprintf(stderr,
                   "usage: kho-bench dups [--photos N] [--planted K] [--radius R] [--threads T] "
                   "[--parts M] [--samples S] [--timeline FILE]\n");
      return 2;
    }
  }
  Planted data = plant(photos, planted, radius, 42);

  auto t0 = Clock::now();
  kho::PhashIndex index(data.hashes, radius, parts);
  double build_s = seconds_since(t0);
  t0 = Clock::now();
  double c0 = cpu_seconds();
  auto pairs = index.all_pairs(radius, threads);
  double pairs_s = seconds_since(t0);
  double pairs_cpu_s = cpu_seconds() - c0;

  // What `kho dups --rebuild` runs: every photo's nearest neighbours (capped as update_duplicates caps).
  t0 = Clock::now();
  auto candidates = kho::candidate_pairs(index, std::vector<bool>(photos, true), radius,
                                         kho::DupOptions{}.max_candidates_per_photo, threads);
  double candidates_s = seconds_since(t0);
  std::size_t found_candidates = 0;
  for (const auto& p : data.pairs) found_candidates += std::binary_search(candidates.begin(), candidates.end(), p);

  std::size_t found_all = 0;
  for (const auto& p : data.pairs) found_all += std::binary_search(pairs.begin(), pairs.end(), p);

  // Queries: the first photo of each planted pair (recall), then random photos, timed one by one.
  std::mt19937_64 rng(7);
  std::vector<double> us, cpu_us, starts;
  const auto run_start = Clock::now();
  std::size_t found_query = 0, checked = 0;
  std::vector<std::pair<std::uint32_t, int>> hits;
  for (std::size_t s = 0; s < samples; ++s) {
    bool planted_probe = s < data.pairs.size();
    std::uint32_t id = planted_probe ? data.pairs[s].a : static_cast<std::uint32_t>(rng() % photos);
    hits.clear();
    auto q0 = Clock::now();
    starts.push_back(std::chrono::duration<double, std::micro>(q0 - run_start).count());
    double qc0 = thread_cpu_us();
    index.query(data.hashes[id], radius, hits);
    cpu_us.push_back(thread_cpu_us() - qc0);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - q0).count());
    if (planted_probe) {
      ++checked;
      for (auto& [other, d] : hits) found_query += other == data.pairs[s].b;
    }
  }
  if (!timeline.empty()) {
    if (FILE* f = std::fopen(timeline.c_str(), "w")) {
      for (std::size_t i = 0; i < us.size(); ++i) std::fprintf(f, "%.1f %.1f\n", starts[i], us[i]);
      std::fclose(f);
    } else {
      std::fprintf(stderr, "kho-bench: cannot write %s\n", timeline.c_str());
    }
  }
  std::sort(us.begin(), us.end());
  std::sort(cpu_us.begin(), cpu_us.end());
  auto pct_of = [](const std::vector<double>& v, double q) {
    return v.empty() ? 0.0 : v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
  };
  auto pct = [&](double q) { return pct_of(us, q); };

  std::printf(
      "{\"photos\":%zu,\"radius\":%d,\"parts\":%d,\"threads\":%d,\"planted\":%zu,"
      "\"build_s\":%.3f,\"all_pairs_s\":%.3f,\"all_pairs_cpu_s\":%.3f,\"rebuild_s\":%.3f,\"pairs_found\":%zu,"
      "\"planted_recall_all_pairs\":%.4f,\"candidates_s\":%.3f,\"planted_recall_candidates\":%.4f,"
      "\"query_samples\":%zu,\"query_us_p50\":%.1f,\"query_us_p99\":%.1f,\"query_us_max\":%.1f,"
      "\"query_cpu_us_p50\":%.1f,\"query_cpu_us_p99\":%.1f,\"planted_recall_query\":%.4f}\n",
      photos, radius, index.parts(), threads, data.pairs.size(), build_s, pairs_s, pairs_cpu_s, build_s + pairs_s,
      pairs.size(), data.pairs.empty() ? 1.0 : static_cast<double>(found_all) / static_cast<double>(data.pairs.size()),
      candidates_s,
      data.pairs.empty() ? 1.0 : static_cast<double>(found_candidates) / static_cast<double>(data.pairs.size()),
      us.size(), pct(0.5), pct(0.99), us.empty() ? 0.0 : us.back(), pct_of(cpu_us, 0.5), pct_of(cpu_us, 0.99),
      checked ? static_cast<double>(found_query) / static_cast<double>(checked) : 1.0);
  return found_all == data.pairs.size() ? 0 : 1;
}

const bool kRegistered = kho::bench::register_scenario("dups", run_dups);

// Micro-benchmark: one query among 100,000 (for quick comparisons with --benchmark_filter=Phash).
void BM_PhashQuery(benchmark::State& state) {
  Planted data = plant(100000, 1000, 12, 1);
  kho::PhashIndex index(data.hashes, static_cast<int>(state.range(0)));
  std::vector<std::pair<std::uint32_t, int>> hits;
  std::size_t i = 0;
  for (auto _ : state) {
    hits.clear();
    index.query(data.hashes[i++ % data.hashes.size()], static_cast<int>(state.range(0)), hits);
    benchmark::DoNotOptimize(hits.data());
  }
}
BENCHMARK(BM_PhashQuery)->Arg(8)->Arg(10)->Arg(12);

}  // namespace
