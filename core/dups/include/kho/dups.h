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
#include <optional>
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
  // Threads for the candidate search and the thumbnail checks; 0 = one per core. `kho ingest --jobs N` and
  // `kho watch --jobs N` pass N (their 0 means all cores too).
  int threads = 0;
  // Each new photo is checked against at most this many of its nearest neighbours within the radius.
  // Real photos have a handful; 20,000 plain graphics (slides, blank frames, scans) can each have
  // thousands, which would cost hours of thumbnail checks and gigabytes. Copies sit nearest (a cluster
  // bigger than this still joins through its members), and the evaluation set scores the same with it.
  int max_candidates_per_photo = 16;
  // Listing only: what people decided (kho::team's journal; the app reads it and passes it here, since dups
  // reads the catalog only). A pair marked "not duplicates" is never joined directly, whatever the stored
  // pairs say; a photo chosen as best is its cluster's best copy.
  std::vector<std::pair<Digest, Digest>> not_duplicates;
  std::vector<Digest> chosen_best;
};


// The search radius update_duplicates() uses for an archive of `photos` photos.
int search_radius(const DupOptions& options, std::size_t photos);

// The nearest and second-nearest rows of `train` to each row of `query` by Hamming distance, for 32-byte
// binary descriptors (ORB) stored row after row: what a brute-force k = 2 nearest-neighbour match finds. Eight
// train rows at a time with AVX-512's POPCNT where the CPU has it, otherwise the photo-hash index's POPCNT loop
// (dups_index.cc); both give the same rows and distances. `train_row` is -1 and the distances INT_MAX where
// `train` has too few rows; of tied nearest rows, the first.
struct HammingNearest2 {
  int train_row = -1;
  int d1 = 0, d2 = 0;
};
constexpr std::size_t kDescriptorBytes = 32;
std::vector<HammingNearest2> nearest_two_hamming(const std::uint8_t* query, std::size_t query_rows,
                                                 const std::uint8_t* train, std::size_t train_rows);
// The POPCNT loop alone, whatever the CPU (tests compare the two).
std::vector<HammingNearest2> nearest_two_hamming_portable(const std::uint8_t* query, std::size_t query_rows,
                                                          const std::uint8_t* train, std::size_t train_rows);

struct PairVerdict {
  bool duplicate = false;
  float score = 0.0f;  // 0–1, higher is more alike; for reports, not for the decision
  std::string reason;  // why, for people ("aligned, residual uniform", "two exposures", …)
  // Tracing only (kho/trace.h; empty otherwise): the score's fit term (correlation × the share of the first photo,
  // the web copy, that the second holds) and the mean residual of each cell of an 8×8 grid over the first photo,
  // row by row, -1 where the second does not hold the cell. Burst frames are compared on these.
  float fit = 0.0f;
  std::vector<float> cells = {};
};

// Decides whether a candidate pair are copies of one photo. The thumbnailer implements it with
// OpenCV (kho/thumbnailer/pair_verifier.h); tests can supply their own.
// Errors: InvalidArgument when a thumbnail cannot be decoded (update_duplicates stores the pair as
// rejected, with the message as its reason). Implementations must be thread-safe.
class PairVerifier {
 public:
  virtual ~PairVerifier() = default;
  virtual Result<PairVerdict> verify(const Photo& a, std::string_view grid_jpeg_a, const Photo& b,
                                     std::string_view grid_jpeg_b) const = 0;
};

// Brings the stored duplicate pairs up to date for the photos added since the last call (all photos
// when `full`, which also drops everything stored in the dups database first). Photos without
// signatures (or whose record cannot be decoded) are skipped; photos that left the archive lose their
// index entry and their confirmed pairs. A candidate pair whose grid thumbnail is missing, or that the
// verifier cannot check, is stored as rejected with the reason: it never fails the update. Writes in
// batches (crash-safe: see core/FORMAT.md) and records the radius used (searched_radius()).
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

enum class DupKind {
  kExact,  // one digest, several files (the same bytes)
  kNear,   // several digests confirmed as copies of one photo
};
// "exact" | "near": the names of DESIGN.md §5's `kind` field.
std::string_view dup_kind_name(DupKind kind);

// Why a cluster's best copy is the best: a person's choice, or the rule of the house that set it apart from
// the copy closest to it (the rule: most pixels, then an original DateTimeOriginal, then the oldest file,
// then the path). Exact copies share their bytes, so for them it is the oldest file or the path.
enum class BestReason {
  kChosen,            // a person chose it (the corrections journal's "best" decision)
  kMorePixels,        // it has more pixels than every other copy
  kDateTimeOriginal,  // as many pixels as the largest other copy, and only it kept DateTimeOriginal
  kOldestFile,        // tied on the above with another copy; its file is the oldest
  kPath,              // tied on everything: the first by path, so the choice never changes by itself
};
// "chosen" | "pixels" | "datetime_original" | "oldest_file" | "path": the JSON spelling.
std::string_view best_reason_name(BestReason reason);

struct DupCluster {
  DupKind kind = DupKind::kExact;
  std::string best_path;
  Digest best;
  BestReason best_reason = BestReason::kPath;
  std::vector<DupPhoto> photos;  // best copy first, then by distance, then path
};

// Clusters from stored results: exact ones (a digest with ≥ 2 files, one entry per file), then near
// ones (one entry per photo, at its first path), each sorted, best copy marked. With
// options.list_threshold ≥ 0 only stored pairs within it are joined (tighter clusters, no re-check).
Result<std::vector<DupCluster>> list_duplicates(const Snapshot& snap, const DupOptions& options);

// The PHash radius the stored pairs were last searched with (by update_duplicates), or nullopt when no
// update has run on this archive yet. A listing threshold above it cannot find more pairs without a
// new search (`kho dups --rebuild --threshold N`).
// Errors: Corruption when the stored value is not a number; those of Snapshot::raw_get otherwise.
Result<std::optional<int>> searched_radius(const Snapshot& snap);

// The photos confirmed as near duplicates of `digest` (not itself), with their distance to it, nearest
// first; `best` marks the best copy of its cluster. Empty when it has none. Captions of every copy can
// then be shown with Snapshot::photo_links of each.
Result<std::vector<DupPhoto>> duplicates_of(const Snapshot& snap, const Digest& digest, const DupOptions& options = {});

// The near cluster holding `digest` (itself included; best first, each copy's distance to the best), as
// duplicates_of() finds it, or nullopt when it has no confirmed near duplicate. For a review page.
Result<std::optional<DupCluster>> near_cluster_of(const Snapshot& snap, const Digest& digest,
                                                  const DupOptions& options = {});

}  // namespace kho
