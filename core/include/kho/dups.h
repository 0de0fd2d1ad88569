// Exact and near duplicates (issue 6, docs/duplicates.md, core/FORMAT.md, "Duplicates").
//
// Exact: one digest with two or more files. Near: two photos whose 64-bit PHash lie within a Hamming
// radius (found by PhashIndex, a multi-index hash that never compares all pairs), then confirmed by
// EXIF capture times and a PairVerifier that looks at the 320 px grid thumbnails. Confirmed pairs are
// stored in the `dups` database by update_duplicates() (called by `kho ingest`), so listing them is a
// read. Clusters are the connected components of the confirmed pairs (union-find), made at list time so
// `--threshold` can tighten them without re-verifying. Nothing is ever deleted from the archive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho {

// Defaults are the ones bench/kho_bench (index speed) and bench/dups_eval (precision/recall) support;
// the figures are in docs/duplicates.md.
struct DupOptions {
  // PHash Hamming radius of the candidate search at scale: pairs farther apart are never considered.
  // kho-bench dups holds its budgets (query p99, all-pairs rebuild) at a million photos with 12.
  int phash_radius = 12;
  // Smaller archives search wider, which finds more cropped and rotated copies: 16 up to 20,000
  // photos, 14 up to 100,000. The cost that grows with the radius is the number of candidate pairs to
  // check on thumbnails (about N² × P(distance ≤ r)), so the radius shrinks as the archive grows.
  bool widen_small_archives = true;
  // Listing only: join only stored pairs within this distance (-1: every stored pair).
  int list_threshold = -1;
  // Two photos with different DateTimeOriginal (to the second, or sub-second when both have it) from
  // the same camera (make and model) are two exposures, never copies: rejected without a pixel look.
  bool exif_rule = true;
  // Threads for the all-pairs search and the thumbnail checks.
  int threads = 2;
  // Each new photo is checked against at most this many of its nearest neighbours within the radius.
  // Real photos have a handful; 20,000 plain graphics (slides, blank frames, scans) can each have
  // thousands, which would cost hours of thumbnail checks and gigabytes. Copies sit nearest (a cluster
  // bigger than this still joins through its members), and the evaluation set scores the same with it.
  int max_candidates_per_photo = 16;
};


// The search radius update_duplicates() uses for an archive of `photos` photos.
int search_radius(const DupOptions& options, std::size_t photos);

struct PairVerdict {
  bool duplicate = false;
  float score = 0.0f;  // 0–1, higher is more alike; for reports, not for the decision
  std::string reason;  // why, for people ("aligned, residual uniform", "two exposures", …)
};

// Decides whether a candidate pair are copies of one photo. The thumbnailer implements it with
// OpenCV (kho/thumbnailer/pair_verifier.h); tests can supply their own.
// Errors: InvalidArgument when a thumbnail cannot be decoded. Implementations must be thread-safe.
class PairVerifier {
 public:
  virtual ~PairVerifier() = default;
  virtual Result<PairVerdict> verify(const Photo& a, std::string_view grid_jpeg_a, const Photo& b,
                                     std::string_view grid_jpeg_b) const = 0;
};

// Brings the stored duplicate pairs up to date for the photos added since the last call (all photos
// when `full`, which also drops every stored pair first). Photos without signatures are skipped; a
// photo whose thumbnail is missing or undecodable is compared by signatures only and rejected.
// Errors: those of Catalog::write/snapshot; Corruption when the dups database cannot be decoded.
// Not thread-safe with another update on the same archive (LMDB serialises the writes anyway).
Status update_duplicates(Catalog& catalog, const PairVerifier& verifier, const DupOptions& options,
                         bool full = false);

struct DupPhoto {
  Digest digest;
  std::string path;   // raw bytes as stored; use display_path() for people and JSON
  int distance = 0;   // PHash Hamming distance to the cluster's best copy (0 for exact copies)
  std::uint32_t width = 0, height = 0;
  bool best = false;
};

struct DupCluster {
  std::string kind;  // "exact" (one digest, several files) | "near" (several digests)
  std::string best_path;
  Digest best;
  std::vector<DupPhoto> photos;  // best copy first, then by distance, then path
};

// Clusters from stored results: exact ones (a digest with ≥ 2 files, one entry per file), then near
// ones (one entry per photo, at its first path), each sorted, best copy marked. With
// options.list_threshold ≥ 0 only stored pairs within it are joined (tighter clusters, no re-check).
Result<std::vector<DupCluster>> list_duplicates(const Snapshot& snap, const DupOptions& options);

// The photos confirmed as near duplicates of `digest` (not itself), with their distance to it, nearest
// first; `best` marks the best copy of its cluster. Empty when it has none. Captions of every copy can
// then be shown with Snapshot::photo_links of each.
Result<std::vector<DupPhoto>> duplicates_of(const Snapshot& snap, const Digest& digest);

// ---------------------------------------------------------------------------------------------------
// Building blocks, public for tests and bench/.

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

// The EXIF rule: true when both photos carry a DateTimeOriginal from the same make and model and the
// capture times differ (sub-seconds compared only when both have them): two exposures, not copies.
bool distinct_exposures(const Metadata& a, const Metadata& b);

}  // namespace kho
