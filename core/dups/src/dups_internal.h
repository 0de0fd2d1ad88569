// Private to kho::dups: the building blocks of the duplicate search (the multi-index, union-find, the
// best-copy and EXIF rules). Tests and benchmarks reach it the one sanctioned way every module offers:
// link `kho::internals` and include it by its path from the project root, "core/dups/src/dups_internal.h".
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "kho/dups.h"
#include "kho/model.h"

namespace kho {

inline int hamming64(std::uint64_t a, std::uint64_t b) { return __builtin_popcountll(a ^ b); }

struct HashPair {
  std::uint32_t a = 0, b = 0;  // positions in the indexed vector, a < b
  int distance = 0;
  friend bool operator==(const HashPair&, const HashPair&) = default;
  friend auto operator<=>(const HashPair&, const HashPair&) = default;
};

// Multi-index hashing (Norouzi et al.) with the generalized pigeonhole bound: the 64 bits are split
// into m substrings with per-substring radii t_i, sum t_i = r - m + 1, so any pair within r agrees
// within t_i on at least one substring. Each substring is a counting-sorted array with a direct offset
// table (no hash maps), and the full hashes sit beside the ids so candidate checks stream through
// memory. A pair seen through several substrings is reported once (only by the first that admits it).
// Immutable after construction: const calls are thread-safe.
namespace detail {
// Allocates large arrays on 2 MiB boundaries and asks for transparent huge pages (madvise), so the
// scattered bucket probes of a query do not each miss the TLB. Small arrays come from malloc.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_bytes(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) { std::free(p); }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const { return true; }
  static void* allocate_bytes(std::size_t bytes);
};
}  // namespace detail

class PhashIndex {
 public:
  // `design_radius` picks the substring split (cheapest for N = hashes.size() by a cost model, or
  // `parts` substrings when > 0, clamped to 3–16); any radius works afterwards.
  PhashIndex(std::vector<std::uint64_t> hashes, int design_radius, int parts = 0);

  // Positions of indexed hashes within `radius` of `h` (its own position included when present),
  // with their distance, in no particular order. Appends to `out`.
  void query(std::uint64_t h, int radius, std::vector<std::pair<std::uint32_t, int>>& out) const;

  // Every pair (a < b) within `radius`, each once, sorted. Runs on `threads` threads.
  std::vector<HashPair> all_pairs(int radius, int threads) const;

  std::size_t size() const { return hashes_.size(); }
  int parts() const { return static_cast<int>(parts_.size()); }
  const std::vector<std::uint64_t>& hashes() const { return hashes_; }

 private:
  struct Part {
    int offset = 0, bits = 0;
    std::uint64_t mask = 0;                // the substring's bits, in place
    template <class T>
    using Array = std::vector<T, detail::HugePageAllocator<T>>;
    Array<std::uint32_t> starts;           // 2^bits + 1 offsets into ids/sorted
    Array<std::uint32_t> ids;              // positions, ordered by substring value
    Array<std::uint64_t> sorted;           // hashes_[ids[j]]
    int flips_t = -1;                      // the design threshold of this part
    std::vector<std::uint32_t> flips;      // its flip masks, made once
  };
  std::vector<int> thresholds(int radius) const;
  std::vector<std::uint64_t> hashes_;
  std::vector<Part> parts_;
};

// Candidate pairs for the photos marked in `is_new` (positions of `index`): each new photo's
// `max_per_photo` nearest neighbours within `radius` (ties: lower position first), itself excluded.
// Every pair (a < b) once, sorted. At most count(is_new) × max_per_photo pairs, however alike the
// photos are. Runs on `threads` threads.
std::vector<HashPair> candidate_pairs(const PhashIndex& index, const std::vector<bool>& is_new, int radius,
                                      int max_per_photo, int threads);

// Union-find with path halving and union by size, over 0..n-1.
class UnionFind {
 public:
  explicit UnionFind(std::size_t n);
  std::size_t find(std::size_t x);
  bool unite(std::size_t a, std::size_t b);  // false when already joined
  // Groups with at least `min_size` members, each sorted, groups ordered by their smallest member.
  std::vector<std::vector<std::size_t>> groups(std::size_t min_size = 2);

 private:
  std::vector<std::size_t> parent_, size_;
};

// What the best-copy rule looks at, per photo.
struct CopyFacts {
  std::uint64_t pixels = 0;           // displayed width × height
  bool has_datetime_original = false;
  std::int64_t oldest_mtime_ns = 0;   // the oldest of its files; 0 when unknown (ranks last)
  std::string tie_break;              // path or digest: makes the choice deterministic
};
// Index of the best copy: largest pixel count, then one with an original DateTimeOriginal, then the
// oldest file, then the smallest tie_break. Requires a non-empty vector.
std::size_t best_copy(const std::vector<CopyFacts>& copies);
// Which step of that rule set `best` apart: against each other copy the first fact that differs, and of
// those the last step (the one that decided against the closest rival). kPath for a single copy.
BestReason best_copy_reason(const std::vector<CopyFacts>& copies, std::size_t best);

// The EXIF rule: true when both photos carry a DateTimeOriginal from the same make and model and the
// capture times differ (sub-seconds compared only when both have them): two exposures, not copies.
bool distinct_exposures(const Metadata& a, const Metadata& b);

}  // namespace kho
