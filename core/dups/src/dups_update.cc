// update_duplicates(): finds candidate pairs with the PHash index, verifies them, stores the verdicts.
//
// In three steps, each with bounded memory however large the archive or however alike its photos:
//  1. one snapshot: what is indexed, every photo's hash; the entries of photos that left are deleted;
//  2. candidates: each new photo's nearest indexed neighbours (at most max_candidates_per_photo each);
//  3. the candidates in chunks: read the chunk's photos and thumbnails in a snapshot, look at the pixels
//     on options.threads threads, close the snapshot, write the chunk's verdicts.
// Index entries ('h' keys) are written last, so a crash at any point only leaves photos un-indexed,
// which the next update picks up again (re-verifying their pairs, which rewrites the same keys).
// Catalog::write refuses to run while this thread holds a snapshot, hence the snapshot per chunk.
#include <algorithm>
#include <atomic>
#include <span>
#include <thread>
#include <utility>
#include <unordered_map>

#include "dups_format.h"
#include "dups_internal.h"
#include "kho/crash_point.h"

namespace kho {
namespace {

struct DigestHash {
  std::size_t operator()(const Digest& d) const {
    std::size_t h = 0;
    std::memcpy(&h, d.bytes.data(), sizeof h);
    return h;
  }
};

struct Known {
  std::vector<Digest> digests;      // position → digest
  std::vector<std::uint64_t> hashes;  // position → phash
  std::vector<bool> is_new;
};

constexpr std::size_t kOpsPerBatch = 4096;
constexpr std::size_t kPairsPerChunk = 1024;

// Writes `batch` when it has grown past kOpsPerBatch (or always, when `last`), then empties it.
Status flush(Catalog& catalog, WriteBatch& batch, bool last = false) {
  if (batch.empty() || (!last && batch.size() < kOpsPerBatch)) return Status::OK();
  Status st = catalog.write(batch);
  batch.clear();
  return st;
}

// Step 1. Reads the index and the photos; queues the removal of what belongs to photos that left.
Status read_known(Catalog& catalog, bool full, Known* known, std::vector<WriteBatch>* cleanup) {
  WriteBatch pending;
  auto snap_or = catalog.snapshot();
  if (!snap_or.ok()) return snap_or.status();
  const Snapshot& snap = **snap_or;

  // What is indexed already ('h' keys), unless we start over.
  std::unordered_map<Digest, std::uint64_t, DigestHash> indexed;
  if (!full) {
    const std::string prefix(1, dupsfmt::kIndexed);
    KHO_RETURN_IF_ERROR(snap.raw_scan(db::kDups, prefix, [&](std::string_view k, std::string_view v) {
      auto h = dupsfmt::decode_u64(v);
      if (k.size() != 33 || !h) return ScanStep(Status::Corruption("dups: bad index entry"));
      indexed.emplace(dupsfmt::digest_at(k, 1), *h);
      return ScanStep::Continue();
    }));
  } else {
    pending.raw_delete_prefix(db::kDups, "");
  }

  // Every photo: indexed ones keep their stored hash; new ones are read for their signature.
  std::vector<Digest> new_digests;
  KHO_RETURN_IF_ERROR(snap.raw_scan(db::kPhotos, "", [&](std::string_view k, std::string_view) {
    if (k.size() != 32) return ScanStep::Continue();
    Digest d = dupsfmt::digest_at(k, 0);
    auto it = indexed.find(d);
    if (it != indexed.end()) {
      known->digests.push_back(d);
      known->hashes.push_back(it->second);
      known->is_new.push_back(false);
      indexed.erase(it);
    } else {
      new_digests.push_back(d);
    }
    return ScanStep::Continue();
  }));
  for (const Digest& d : new_digests) {
    auto photo = snap.photo(d);
    if (!photo.ok()) continue;  // verify reports undecodable records; duplicates skip them
    if (!photo->has_signatures) continue;
    known->digests.push_back(d);
    known->hashes.push_back(photo->sig.phash);
    known->is_new.push_back(true);
  }
  // Photos that left the archive: drop their index entry and their pairs, both directions.
  for (const auto& [gone, hash] : indexed) {
    pending.raw_delete(db::kDups, dupsfmt::indexed_key(gone));
    // A named copy: clang 14 (the fuzzing build, .ci/fuzz) cannot capture a structured binding in a lambda.
    const auto& gone_digest = gone;
    KHO_RETURN_IF_ERROR(snap.raw_scan(db::kDups, dupsfmt::pair_prefix(gone), [&](std::string_view k, std::string_view) {
      if (k.size() == 65)
        pending.raw_delete(db::kDups, dupsfmt::pair_key(dupsfmt::kPair, dupsfmt::digest_at(k, 33), gone_digest));
      return ScanStep::Continue();
    }));
    pending.raw_delete_prefix(db::kDups, dupsfmt::pair_prefix(gone));
    if (pending.size() >= kOpsPerBatch) cleanup->push_back(std::exchange(pending, WriteBatch()));
  }
  if (!pending.empty()) cleanup->push_back(std::move(pending));
  return Status::OK();
}

// Step 3, one chunk: the verdicts of `pairs`, added to `out`.
Status verify_chunk(Catalog& catalog, const PairVerifier& verifier, const DupOptions& options, const Known& known,
                    std::span<const HashPair> pairs, WriteBatch* out) {
  auto snap_or = catalog.snapshot();
  if (!snap_or.ok()) return snap_or.status();
  const Snapshot& snap = **snap_or;
  std::unordered_map<Digest, Photo, DigestHash> photos;
  auto photo_of = [&](std::uint32_t i) -> const Photo* {
    auto it = photos.find(known.digests[i]);
    if (it != photos.end()) return &it->second;
    auto p = snap.photo(known.digests[i]);
    if (!p.ok()) return nullptr;
    return &photos.emplace(known.digests[i], std::move(*p)).first->second;
  };
  // Gather on this thread (the snapshot is single-threaded; thumbnail views stay valid while it
  // lives), then look at pixels on options.threads threads (the verifier is thread-safe).
  struct Task {
    const Photo* a;
    const Photo* b;
    std::string_view ta, tb;
    int distance;
    bool look = false;
    PairVerdict verdict;
  };
  std::vector<Task> tasks;
  tasks.reserve(pairs.size());
  for (const HashPair& c : pairs) {
    Task t{photo_of(c.a), photo_of(c.b), {}, {}, c.distance, false, {}};
    if (!t.a || !t.b) continue;
    if (options.exif_rule && distinct_exposures(t.a->meta, t.b->meta)) {
      t.verdict = {false, 0.0f, "two exposures (different DateTimeOriginal from one camera)"};
    } else {
      auto ta = snap.thumb_view(t.a->digest, ThumbSize::kGrid);
      auto tb = snap.thumb_view(t.b->digest, ThumbSize::kGrid);
      if (!ta.ok() || !tb.ok()) {
        t.verdict = {false, 0.0f, "no grid thumbnail to compare"};
      } else {
        t.ta = *ta, t.tb = *tb, t.look = true;
      }
    }
    tasks.push_back(std::move(t));
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < tasks.size();) {
      Task& t = tasks[i];
      if (!t.look) continue;
      auto v = verifier.verify(*t.a, t.ta, *t.b, t.tb);
      t.verdict = v.ok() ? std::move(*v) : PairVerdict{false, 0.0f, v.status().message()};
      // The thumbnails read so far stay mapped otherwise: memory would grow with the archive.
      if (i % 64 == 63) catalog.release_mapped_pages();
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < options.threads && static_cast<std::size_t>(w) < tasks.size(); ++w) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();

  for (const Task& t : tasks) {
    dupsfmt::PairValue value{t.distance, t.verdict.score, t.verdict.reason};
    const Digest& lo = std::min(t.a->digest, t.b->digest);
    const Digest& hi = std::max(t.a->digest, t.b->digest);
    if (t.verdict.duplicate) {
      out->raw_put(db::kDups, dupsfmt::pair_key(dupsfmt::kPair, lo, hi), dupsfmt::encode_pair(value));
      out->raw_put(db::kDups, dupsfmt::pair_key(dupsfmt::kPair, hi, lo), dupsfmt::encode_pair(value));
    } else {
      out->raw_put(db::kDups, dupsfmt::pair_key(dupsfmt::kRejected, lo, hi), dupsfmt::encode_pair(value));
    }
  }
  return Status::OK();
}

}  // namespace

Status update_duplicates(Catalog& catalog, const PairVerifier& verifier, const DupOptions& requested, bool full) {
  DupOptions options = requested;
  if (options.threads <= 0) options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Known known;
  std::vector<WriteBatch> cleanup;
  KHO_RETURN_IF_ERROR(read_known(catalog, full, &known, &cleanup));
  for (const WriteBatch& b : cleanup) KHO_RETURN_IF_ERROR(catalog.write(b));

  const int radius = search_radius(options, known.digests.size());
  const bool any_new = std::find(known.is_new.begin(), known.is_new.end(), true) != known.is_new.end();
  WriteBatch pending;
  if (any_new) {
    std::vector<HashPair> candidates;
    {
      PhashIndex index(known.hashes, radius);
      candidates = candidate_pairs(index, known.is_new, radius, options.max_candidates_per_photo, options.threads);
    }
    for (std::size_t first = 0; first < candidates.size(); first += kPairsPerChunk) {
      const std::size_t n = std::min(kPairsPerChunk, candidates.size() - first);
      KHO_RETURN_IF_ERROR(verify_chunk(catalog, verifier, options, known,
                                       std::span<const HashPair>(candidates.data() + first, n), &pending));
      KHO_RETURN_IF_ERROR(flush(catalog, pending));
      crash_point("dups.after_chunk");
    }
  }
  // Index entries last: a photo counts as done only once its pairs are stored.
  KHO_RETURN_IF_ERROR(flush(catalog, pending, /*last=*/true));
  crash_point("dups.before_index_entries");
  for (std::size_t i = 0; i < known.digests.size(); ++i) {
    if (!known.is_new[i]) continue;
    pending.raw_put(db::kDups, dupsfmt::indexed_key(known.digests[i]), dupsfmt::encode_u64(known.hashes[i]));
    KHO_RETURN_IF_ERROR(flush(catalog, pending));
  }
  pending.raw_put(db::kDups, std::string(dupsfmt::kRadiusKey), std::to_string(radius));
  return flush(catalog, pending, /*last=*/true);
}

}  // namespace kho
