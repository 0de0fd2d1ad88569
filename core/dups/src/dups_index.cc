// PhashIndex: multi-index hashing over 64-bit PHash values (see kho/dups.h and docs/duplicates.md).
//
// Why this shape: a hash map per substring (the first try) spends its time chasing buckets. Here each
// substring is one counting sort (ids and full hashes in substring order) plus a dense offset table, so
// a probe is two loads and the candidate check is a stream of XOR+POPCNT over contiguous hashes. The
// all-pairs search joins buckets with their neighbours directly instead of querying every photo, which
// visits each bucket pair once and needs no per-query result set.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <sys/mman.h>

#include <new>

#include "dups_internal.h"

namespace kho {

namespace detail {
template <class T>
void* HugePageAllocator<T>::allocate_bytes(std::size_t bytes) {
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  void* p = nullptr;
  if (bytes < kHuge) {
    p = std::malloc(bytes ? bytes : 1);
  } else {
    const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
    p = std::aligned_alloc(kHuge, rounded);
    if (p) ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without THP the pages stay small
  }
  if (!p) throw std::bad_alloc();
  return p;
}
template struct HugePageAllocator<std::uint32_t>;
template struct HugePageAllocator<std::uint64_t>;
}  // namespace detail

namespace {

// POPCNT is on every x86-64 this runs on; target_clones keeps a portable fallback all the same.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KHO_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define KHO_POPCNT_CLONES
#endif

constexpr int kMaxPartBits = 22;  // offset table of 2^22 entries (16 MB) at most
constexpr int kJoinParts = 4;
constexpr std::size_t kJoinMinSize = 100000;  // below this the join is quick with any split

double choose(int n, int k) {
  double r = 1;
  for (int i = 0; i < k; ++i) r = r * (n - i) / (i + 1);
  return r;
}

// Flip masks over `bits` bits with at most `t` bits set, in numeric order. In that order masks that
// differ only in low bits come together, so a query visits buckets that lie close in memory one after
// another (measured: query p50 48 -> 34 us at a million hashes).
std::vector<std::uint32_t> flip_masks(int bits, int t) {
  std::vector<std::uint32_t> out{0};
  std::vector<std::uint32_t> frontier{0};
  for (int level = 1; level <= t && level <= bits; ++level) {
    std::vector<std::uint32_t> next;
    for (std::uint32_t m : frontier) {
      // Extend only above the highest set bit so each mask is made once.
      int start = m == 0 ? 0 : 32 - __builtin_clz(m);
      for (int b = start; b < bits; ++b) next.push_back(m | (1u << b));
    }
    out.insert(out.end(), next.begin(), next.end());
    frontier = std::move(next);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Generalized pigeonhole: thresholds summing to r - m + 1, as even as possible, larger ones first.
std::vector<int> split_thresholds(int radius, int m) {
  int total = radius - m + 1;
  int base = total >= 0 ? total / m : -((-total + m - 1) / m);
  int extra = total - base * m;
  std::vector<int> t(m, base);
  for (int i = 0; i < extra; ++i) t[i] += 1;
  for (int& x : t) x = std::max(x, -1);  // -1: the substring need not be probed at all
  return t;
}

std::vector<int> part_bits(int m) {
  std::vector<int> bits(m, 64 / m);
  for (int i = 0; i < 64 % m; ++i) bits[i] += 1;
  return bits;
}

// Estimated nanoseconds per query for m substrings: probes cost a cache miss, candidates a POPCNT.
double query_cost(std::size_t n, int radius, int m) {
  auto bits = part_bits(m);
  auto t = split_thresholds(radius, m);
  double cost = 0;
  for (int i = 0; i < m; ++i) {
    if (t[i] < 0) continue;
    double probes = 0;
    for (int k = 0; k <= t[i]; ++k) probes += choose(bits[i], k);
    double per_bucket = static_cast<double>(n) / std::ldexp(1.0, bits[i]);
    cost += probes * 60.0 + probes * per_bucket * 0.6;
  }
  return cost;
}

// Records bucket entry j when it is within the radius and no earlier substring admits it.
inline void admit(std::uint64_t x, int d, std::uint32_t id, const std::vector<std::uint64_t>& earlier_masks,
                  const std::vector<int>& earlier_t, std::vector<std::pair<std::uint32_t, int>>& out) {
  for (std::size_t e = 0; e < earlier_masks.size(); ++e) {
    if (earlier_t[e] >= 0 && __builtin_popcountll(x & earlier_masks[e]) <= earlier_t[e]) return;
  }
  out.emplace_back(id, d);
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// AVX2: four XOR+popcounts at once (nibble lookup, then a sum of absolute differences per 64-bit
// lane), so the common case, a bucket with no hit, costs a few instructions per four entries.
__attribute__((target("avx2,popcnt"))) void scan_bucket_avx2(
    std::uint64_t h, int radius, const std::uint64_t* hashes, const std::uint32_t* ids, std::uint32_t n,
    const std::vector<std::uint64_t>& earlier_masks, const std::vector<int>& earlier_t,
    std::vector<std::pair<std::uint32_t, int>>& out) {
  const __m256i lookup = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3,
                                          1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i query = _mm256_set1_epi64x(static_cast<long long>(h));
  const __m256i limit = _mm256_set1_epi64x(radius + 1);
  std::uint32_t j = 0;
  for (; j + 4 <= n; j += 4) {
    __m256i x = _mm256_xor_si256(query, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(hashes + j)));
    __m256i lo = _mm256_shuffle_epi8(lookup, _mm256_and_si256(x, low));
    __m256i hi = _mm256_shuffle_epi8(lookup, _mm256_and_si256(_mm256_srli_epi16(x, 4), low));
    __m256i cnt = _mm256_sad_epu8(_mm256_add_epi8(lo, hi), _mm256_setzero_si256());
    // Lanes with count < radius + 1.
    int hits = _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(limit, cnt)));
    while (hits) {
      const int lane = __builtin_ctz(static_cast<unsigned>(hits));
      hits &= hits - 1;
      const std::uint64_t xs = h ^ hashes[j + lane];
      admit(xs, __builtin_popcountll(xs), ids[j + lane], earlier_masks, earlier_t, out);
    }
  }
  for (; j < n; ++j) {
    const std::uint64_t x = h ^ hashes[j];
    const int d = __builtin_popcountll(x);
    if (d <= radius) admit(x, d, ids[j], earlier_masks, earlier_t, out);
  }
}
const bool kHaveAvx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
#else
constexpr bool kHaveAvx2 = false;
#endif

KHO_POPCNT_CLONES
void scan_bucket_scalar(std::uint64_t h, int radius, const std::uint64_t* hashes, const std::uint32_t* ids,
                        std::uint32_t n, const std::vector<std::uint64_t>& earlier_masks,
                        const std::vector<int>& earlier_t, std::vector<std::pair<std::uint32_t, int>>& out) {
  for (std::uint32_t j = 0; j < n; ++j) {
    const std::uint64_t x = h ^ hashes[j];
    const int d = __builtin_popcountll(x);
    if (d <= radius) admit(x, d, ids[j], earlier_masks, earlier_t, out);
  }
}

void scan_bucket(std::uint64_t h, int radius, const std::uint64_t* hashes, const std::uint32_t* ids,
                 std::uint32_t n, const std::vector<std::uint64_t>& earlier_masks,
                 const std::vector<int>& earlier_t, std::vector<std::pair<std::uint32_t, int>>& out) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  if (kHaveAvx2) return scan_bucket_avx2(h, radius, hashes, ids, n, earlier_masks, earlier_t, out);
#endif
  scan_bucket_scalar(h, radius, hashes, ids, n, earlier_masks, earlier_t, out);
}

struct JoinCtx {
  int radius;
  const std::vector<std::uint64_t>* earlier_masks;
  const std::vector<int>* earlier_t;
};

// Every admitted pair between bucket A and bucket B (or inside A when `same`), each entry of A
// scanned against B with the bucket kernel.
void join_buckets(const JoinCtx& c, const std::uint64_t* ha, const std::uint32_t* ia, std::uint32_t na,
                  const std::uint64_t* hb, const std::uint32_t* ib, std::uint32_t nb, bool same,
                  std::vector<std::pair<std::uint32_t, int>>& scratch, std::vector<HashPair>& out) {
  for (std::uint32_t i = 0; i < na; ++i) {
    const std::uint32_t from = same ? i + 1 : 0;
    if (from >= nb) break;
    scratch.clear();
    scan_bucket(ha[i], c.radius, hb + from, ib + from, nb - from, *c.earlier_masks, *c.earlier_t, scratch);
    for (auto [other, d] : scratch) out.push_back(HashPair{std::min(ia[i], other), std::max(ia[i], other), d});
  }
}

}  // namespace

PhashIndex::PhashIndex(std::vector<std::uint64_t> hashes, int design_radius, int parts)
    : hashes_(std::move(hashes)) {
  design_radius = std::clamp(design_radius, 0, 63);
  int m = parts;
  if (m <= 0) {
    double best = 0;
    for (int cand = 3; cand <= 16; ++cand) {
      double c = query_cost(hashes_.size(), design_radius, cand);
      if (m == 0 || c < best) best = c, m = cand;
    }
  }
  m = std::clamp(m, 3, 16);
  auto bits = part_bits(m);
  int offset = 0;
  parts_.resize(m);
  for (int i = 0; i < m; ++i) {
    Part& p = parts_[i];
    p.offset = offset;
    p.bits = std::min(bits[i], kMaxPartBits);
    p.mask = (p.bits == 64 ? ~0ull : ((1ull << p.bits) - 1)) << offset;
    offset += bits[i];
    // Counting sort by substring value: one pass to count, one to place.
    const std::size_t buckets = std::size_t{1} << p.bits;
    p.starts.assign(buckets + 1, 0);
    for (std::uint64_t h : hashes_) ++p.starts[((h >> p.offset) & (buckets - 1)) + 1];
    for (std::size_t k = 0; k < buckets; ++k) p.starts[k + 1] += p.starts[k];
    p.ids.resize(hashes_.size());
    p.sorted.resize(hashes_.size());
    std::vector<std::uint32_t> fill(p.starts.begin(), p.starts.end() - 1);
    for (std::size_t id = 0; id < hashes_.size(); ++id) {
      std::size_t key = (hashes_[id] >> p.offset) & (buckets - 1);
      std::uint32_t at = fill[key]++;
      p.ids[at] = static_cast<std::uint32_t>(id);
      p.sorted[at] = hashes_[id];
    }
  }
  auto t = thresholds(design_radius);
  for (int i = 0; i < m; ++i) {
    parts_[i].flips_t = t[i];
    if (t[i] >= 0) parts_[i].flips = flip_masks(parts_[i].bits, t[i]);
  }
}

std::vector<int> PhashIndex::thresholds(int radius) const {
  auto t = split_thresholds(radius, parts());
  // A part narrower than its threshold would enumerate every key; clamp (still exact: all keys seen).
  for (int i = 0; i < parts(); ++i) t[i] = std::min(t[i], parts_[i].bits);
  return t;
}

void PhashIndex::query(std::uint64_t h, int radius,
                       std::vector<std::pair<std::uint32_t, int>>& out) const {
  if (radius < 0 || hashes_.empty()) return;
  auto t = thresholds(radius);
  std::vector<std::uint64_t> earlier_masks;
  std::vector<int> earlier_t;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;
  earlier_masks.reserve(parts_.size());
  earlier_t.reserve(parts_.size());
  for (int i = 0; i < parts(); ++i) {
    const Part& p = parts_[i];
    if (t[i] >= 0) {
      const std::uint32_t key = static_cast<std::uint32_t>((h & p.mask) >> p.offset);
      std::vector<std::uint32_t> other;
      if (t[i] != p.flips_t) other = flip_masks(p.bits, t[i]);
      const std::vector<std::uint32_t>& flips = t[i] == p.flips_t ? p.flips : other;
      // Two passes: find every bucket and prefetch its start, then scan. The buckets are scattered
      // over the whole array, so issuing all the misses first lets them overlap.
      ranges.clear();
      for (std::uint32_t f : flips) {
        const std::uint32_t k = key ^ f;
        const std::uint32_t b = p.starts[k], e = p.starts[k + 1];
        if (b == e) continue;
        __builtin_prefetch(p.sorted.data() + b);
        ranges.emplace_back(b, e);
      }
      // While scanning a bucket, the whole of the one two ahead is fetched: a bucket is ~16 cache lines
      // at a million hashes and the hardware prefetcher does not start on runs that short.
      constexpr std::size_t kAhead = 2;
      for (std::size_t r = 0; r < ranges.size(); ++r) {
        if (r + kAhead < ranges.size()) {
          for (std::uint32_t x = ranges[r + kAhead].first; x < ranges[r + kAhead].second; x += 8) {
            __builtin_prefetch(p.sorted.data() + x);
          }
        }
        auto [b, e] = ranges[r];
        scan_bucket(h, radius, p.sorted.data() + b, p.ids.data() + b, e - b, earlier_masks, earlier_t, out);
      }
    }
    earlier_masks.push_back(p.mask);
    earlier_t.push_back(t[i]);
  }
}

std::vector<HashPair> PhashIndex::all_pairs(int radius, int threads) const {
  if (radius < 0 || hashes_.size() < 2) return {};
  // The bucket join prefers four 16-bit substrings at the radii we use (3.3e9 comparisons at r = 10
  // for a million hashes, against 9e9 with five); queries prefer what the cost model chose. A
  // counting sort costs well under a second, so build the join's own split when they differ.
  if (parts() != kJoinParts && hashes_.size() >= kJoinMinSize) {
    return PhashIndex(hashes_, radius, kJoinParts).all_pairs(radius, threads);
  }
  auto t = thresholds(radius);
  threads = std::max(1, threads);
  // Work units: (part, block of keys). Small blocks balance the two threads on skewed real hashes.
  struct Unit {
    int part;
    std::uint32_t first, last;
  };
  std::vector<Unit> units;
  std::vector<std::vector<std::uint32_t>> masks(parts());
  for (int i = 0; i < parts(); ++i) {
    if (t[i] < 0) continue;
    masks[i] = t[i] == parts_[i].flips_t ? parts_[i].flips : flip_masks(parts_[i].bits, t[i]);
    const std::uint32_t keys = 1u << parts_[i].bits;
    const std::uint32_t block = std::max<std::uint32_t>(64, keys / 256);
    for (std::uint32_t k = 0; k < keys; k += block) units.push_back({i, k, std::min(keys, k + block)});
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::vector<HashPair>> found(threads);
  auto work = [&](int w) {
    std::vector<HashPair>& out = found[w];
    std::vector<std::pair<std::uint32_t, int>> scratch;
    for (;;) {
      std::size_t u = next.fetch_add(1);
      if (u >= units.size()) break;
      const Unit& unit = units[u];
      const Part& p = parts_[unit.part];
      std::vector<std::uint64_t> earlier_masks;
      std::vector<int> earlier_t;
      for (int j = 0; j < unit.part; ++j) {
        earlier_masks.push_back(parts_[j].mask);
        earlier_t.push_back(t[j]);
      }
      JoinCtx ctx{radius, &earlier_masks, &earlier_t};
      for (std::uint32_t k = unit.first; k < unit.last; ++k) {
        const std::uint32_t b0 = p.starts[k], e0 = p.starts[k + 1];
        if (b0 == e0) continue;
        for (std::uint32_t f : masks[unit.part]) {
          const std::uint32_t k2 = k ^ f;
          if (k2 < k) continue;  // each bucket pair once, from its smaller key
          const std::uint32_t b1 = p.starts[k2], e1 = p.starts[k2 + 1];
          if (b1 == e1) continue;
          join_buckets(ctx, p.sorted.data() + b0, p.ids.data() + b0, e0 - b0, p.sorted.data() + b1,
                       p.ids.data() + b1, e1 - b1, k2 == k, scratch, out);
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& th : pool) th.join();
  std::vector<HashPair> all;
  std::size_t total = 0;
  for (auto& f : found) total += f.size();
  all.reserve(total);
  for (auto& f : found) all.insert(all.end(), f.begin(), f.end());
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace kho

namespace kho {

std::vector<HashPair> candidate_pairs(const PhashIndex& index, const std::vector<bool>& is_new, int radius,
                                      int max_per_photo, int threads) {
  std::vector<std::uint32_t> todo;
  for (std::size_t i = 0; i < index.size() && i < is_new.size(); ++i) {
    if (is_new[i]) todo.push_back(static_cast<std::uint32_t>(i));
  }
  threads = std::max(1, std::min<int>(threads, static_cast<int>(todo.size() / 256 + 1)));
  constexpr std::size_t kStep = 64;  // photos a thread takes at a time
  std::atomic<std::size_t> next{0};
  std::vector<std::vector<HashPair>> found(threads);
  auto work = [&](int w) {
    std::vector<std::pair<std::uint32_t, int>> hits;
    for (std::size_t first; (first = next.fetch_add(kStep)) < todo.size();) {
      for (std::size_t k = first; k < std::min(todo.size(), first + kStep); ++k) {
        const std::uint32_t i = todo[k];
        hits.clear();
        index.query(index.hashes()[i], radius, hits);
        std::erase_if(hits, [i](const auto& h) { return h.first == i; });
        auto nearer = [](const auto& x, const auto& y) {
          return x.second != y.second ? x.second < y.second : x.first < y.first;
        };
        if (max_per_photo > 0 && hits.size() > static_cast<std::size_t>(max_per_photo)) {
          std::nth_element(hits.begin(), hits.begin() + max_per_photo, hits.end(), nearer);
          hits.resize(static_cast<std::size_t>(max_per_photo));
        }
        for (auto [j, d] : hits) found[w].push_back(HashPair{std::min(i, j), std::max(i, j), d});
      }
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads; ++w) pool.emplace_back(work, w);
  work(0);
  for (auto& th : pool) th.join();
  std::vector<HashPair> all;
  for (auto& f : found) all.insert(all.end(), f.begin(), f.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

KHO_POPCNT_CLONES
std::vector<HammingNearest2> nearest_two_hamming_portable(const std::uint8_t* query, std::size_t query_rows,
                                                          const std::uint8_t* train, std::size_t train_rows) {
  constexpr std::size_t kWords = kDescriptorBytes / 8;
  static_assert(kWords == 4, "the distance below adds four 64-bit words");
  std::vector<std::uint64_t> t(train_rows * kWords);
  if (train_rows) std::memcpy(t.data(), train, train_rows * kDescriptorBytes);
  std::vector<HammingNearest2> out(query_rows);
  for (std::size_t i = 0; i < query_rows; ++i) {
    std::uint64_t q[kWords];
    std::memcpy(q, query + i * kDescriptorBytes, sizeof q);
    int d1 = std::numeric_limits<int>::max(), d2 = d1, best = -1;
    const std::uint64_t* row = t.data();
    for (std::size_t j = 0; j < train_rows; ++j, row += kWords) {
      const int d = __builtin_popcountll(q[0] ^ row[0]) + __builtin_popcountll(q[1] ^ row[1]) +
                    __builtin_popcountll(q[2] ^ row[2]) + __builtin_popcountll(q[3] ^ row[3]);
      if (d < d1) {
        d2 = d1, d1 = d, best = static_cast<int>(j);
      } else if (d < d2) {
        d2 = d;
      }
    }
    out[i] = {best, d1, d2};
  }
  return out;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
namespace {
// The same search eight train rows at a time with AVX-512's POPCNT on 64-bit lanes. The train rows are stored as
// four planes (word k of every row, in row order), so one load holds word k of eight rows. Each lane keeps its own
// nearest two, as the loop above does over the rows it sees (the first of tied rows stays); the lanes are merged
// at the end: the nearest is the smallest lane minimum (the lowest row among equal ones), the second the smallest
// of the other lanes' minima and every lane's second. Results equal the portable loop's, row for row.
__attribute__((target("avx512f,avx512vpopcntdq"))) std::vector<HammingNearest2> nearest_two_hamming_avx512(
    const std::uint8_t* query, std::size_t query_rows, const std::uint8_t* train, std::size_t train_rows) {
  constexpr std::size_t kWords = kDescriptorBytes / 8;
  const std::size_t blocks = (train_rows + 7) / 8;
  std::vector<std::uint64_t> planes(kWords * blocks * 8, 0);
  for (std::size_t j = 0; j < train_rows; ++j) {
    std::uint64_t w[kWords];
    std::memcpy(w, train + j * kDescriptorBytes, sizeof w);
    for (std::size_t k = 0; k < kWords; ++k) planes[k * blocks * 8 + j] = w[k];
  }
  const std::uint64_t* p0 = planes.data();
  const std::uint64_t* p1 = p0 + blocks * 8;
  const std::uint64_t* p2 = p1 + blocks * 8;
  const std::uint64_t* p3 = p2 + blocks * 8;
  const __mmask8 tail = train_rows % 8 ? static_cast<__mmask8>((1u << (train_rows % 8)) - 1) : __mmask8{0xff};
  constexpr long long kFar = std::numeric_limits<int>::max();
  const __m512i far = _mm512_set1_epi64(kFar);
  std::vector<HammingNearest2> out(query_rows);
  for (std::size_t i = 0; i < query_rows; ++i) {
    std::uint64_t q[kWords];
    std::memcpy(q, query + i * kDescriptorBytes, sizeof q);
    const __m512i q0 = _mm512_set1_epi64(static_cast<long long>(q[0]));
    const __m512i q1 = _mm512_set1_epi64(static_cast<long long>(q[1]));
    const __m512i q2 = _mm512_set1_epi64(static_cast<long long>(q[2]));
    const __m512i q3 = _mm512_set1_epi64(static_cast<long long>(q[3]));
    __m512i best1 = far, best2 = far, row1 = _mm512_set1_epi64(-1);
    __m512i row = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
    const __m512i eight = _mm512_set1_epi64(8);
    for (std::size_t b = 0; b < blocks; ++b) {
      __m512i d = _mm512_add_epi64(
          _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p0 + b * 8), q0)),
                           _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p1 + b * 8), q1))),
          _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p2 + b * 8), q2)),
                           _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p3 + b * 8), q3))));
      if (b + 1 == blocks) d = _mm512_mask_mov_epi64(far, tail, d);  // rows past the end never count
      const __mmask8 nearer = _mm512_cmplt_epi64_mask(d, best1);
      // (_mm512_min_epi64 would read GCC 12's "undefined" vector and warn.)
      best2 = _mm512_mask_mov_epi64(_mm512_mask_min_epi64(best2, 0xff, best2, d), nearer, best1);
      best1 = _mm512_mask_mov_epi64(best1, nearer, d);
      row1 = _mm512_mask_mov_epi64(row1, nearer, row);
      row = _mm512_add_epi64(row, eight);
    }
    alignas(64) long long b1[8], b2[8], r1[8];
    _mm512_store_si512(b1, best1);
    _mm512_store_si512(b2, best2);
    _mm512_store_si512(r1, row1);
    int lane = -1;
    for (int l = 0; l < 8; ++l)
      if (r1[l] >= 0 && (lane < 0 || b1[l] < b1[lane] || (b1[l] == b1[lane] && r1[l] < r1[lane]))) lane = l;
    long long d2 = kFar;
    for (int l = 0; l < 8; ++l) {
      d2 = std::min(d2, b2[l]);
      if (l != lane) d2 = std::min(d2, b1[l]);
    }
    if (lane < 0) {
      out[i] = {-1, static_cast<int>(kFar), static_cast<int>(kFar)};
    } else {
      out[i] = {static_cast<int>(r1[lane]), static_cast<int>(b1[lane]), static_cast<int>(d2)};
    }
  }
  return out;
}
}  // namespace
#endif

std::vector<HammingNearest2> nearest_two_hamming(const std::uint8_t* query, std::size_t query_rows,
                                                 const std::uint8_t* train, std::size_t train_rows) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  static const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
  if (avx512) return nearest_two_hamming_avx512(query, query_rows, train, train_rows);
#endif
  return nearest_two_hamming_portable(query, query_rows, train, train_rows);
}

}  // namespace kho
