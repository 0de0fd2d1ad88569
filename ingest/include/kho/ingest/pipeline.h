// The bulk ingest pipeline: `kho ingest PATH...` without the command line and without the duplicate
// update that the command runs afterwards (kho::update_duplicates, DESIGN.md §1, §5, §7).
//
//   scan (stat only) ─▶ skip files whose path, size and mtime match the catalog
//        ─▶ oneTBB parallel_pipeline, at most `max_in_flight` photos in memory:
//           read bytes once ▶ SHA-256 ▶ [serial] identity ▶ metadata + PhotoProcessor ▶ [serial] writer
//        ─▶ per event folder: parse articles, link references, store articles, links, event, search terms
//        ─▶ forget files that vanished under the roots; drop photos nothing refers to any more.
//
// Identity: a photo is its SHA-256. Bytes already in the archive (an exact copy, a moved file) only get a
// new File and are never decoded again. A changed file at the same path gets a new photo; the old photo is
// deleted only when no file and no link refers to it any more.
//
// Crash safety: the writer commits every `batch_size` photos in one LMDB transaction, files together with
// their photos and thumbnails, so a kill loses at most the batch in flight and a re-run finishes the job
// (files are committed only with their photo, so the stat-skip never hides an unfinished photo).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/photo_processor.h"
#include "kho/status.h"

namespace kho::ingest {

// What the progress callback sees. Counts are of photo files; skipped (unchanged) files are done at once.
struct IngestProgress {
  enum class Phase { kScanning, kPhotos, kArticles, kFinishing };
  Phase phase = Phase::kScanning;
  std::uint64_t total = 0;      // photo files found by the scan
  std::uint64_t done = 0;       // of `total`: skipped, written or failed
  std::uint64_t to_read = 0;    // files that must be read (not skipped by the stat check)
  std::uint64_t read_done = 0;  // of `to_read`
  std::uint64_t committed = 0;  // photo files whose batch is committed
  double elapsed_s = 0;
};

struct IngestOptions {
  unsigned jobs = 0;               // worker threads; 0 = all cores
  std::size_t batch_size = 64;     // photos per LMDB write transaction
  std::size_t max_in_flight = 0;   // photos held in memory at once; 0 = 2 × jobs + 1
  std::uint64_t max_file_bytes = std::uint64_t{512} << 20;  // larger files are refused as "too large"
  // Larger article files are refused (an `errors` entry naming the file). A 16 MiB export is already ~8,000
  // pages of text; no news article comes near it, and parsing and indexing cost a multiple of the size.
  std::uint64_t max_article_bytes = std::uint64_t{16} << 20;
  // Called never concurrently: from the writer after each photo file, and from the calling thread at
  // each phase change and after each group of event folders. Keep it cheap: throttle drawing in it.
  std::function<void(const IngestProgress&)> progress = nullptr;
  // When it becomes true (e.g. from a SIGINT handler), no new file is started; the photos in flight are
  // committed and ingest() returns with `interrupted` set. Articles, events and clean-up are skipped then:
  // the next run does them.
  const std::atomic<bool>* stop = nullptr;
  bool remove_missing = true;      // forget files that vanished from the scanned folders
  // Follow symbolic links that lead outside the roots (`--follow-links`). Off: such links are not followed
  // and each is listed in IngestSummary::skipped_links (kho/ingest/scanner.h). Loops are never followed.
  bool follow_links = false;
};

struct IngestError {
  std::string path;    // display form (kho::display_path)
  std::string reason;
};

struct UnresolvedRef {
  std::string article;  // its title
  std::string ref;      // the reference as written
  std::string folder;   // display form
};

// One resolved link, for the human summary ("show each method").
struct LinkReport {
  std::string article;  // title
  std::string ref;
  std::string path;     // display form
  LinkMethod method = LinkMethod::kUnresolved;
  float confidence = 0;
  std::string article_id;
  std::uint32_t position = 0;
};

struct IngestSummary {
  // DESIGN.md §5 fields.
  std::uint64_t files_seen = 0;        // photo and article files found (hidden/system files excluded)
  std::uint64_t photos_added = 0;      // new photo records
  std::uint64_t photos_unchanged = 0;  // photo files whose bytes were already in the archive
  std::uint64_t articles = 0;          // distinct articles stored (copies collapsed)
  std::uint64_t links = 0;             // references resolved to a photo
  std::vector<UnresolvedRef> unresolved;
  std::vector<std::string> orphans;    // display paths of photos no article of their folder mentions
  std::vector<IngestError> errors;     // per-file failures (and FIFOs, sockets, devices with a photo's name)
  std::vector<IngestError> skipped_links;  // symbolic links not followed: outside the roots, or a loop
  // Files the scanner left out for their type (neither photo nor article), by lower-case extension ("" for
  // none), and their display paths. DESIGN.md §5 `skipped_types`.
  std::map<std::string, std::uint64_t> skipped_types;
  std::vector<std::string> skipped_files;
  // Extras.
  std::uint64_t exact_duplicates = 0;  // files whose bytes another file of this run also had
  std::uint64_t pair_files = 0;        // raw files filed with their JPEG (RAW+JPEG pair: one photo, two files)
  std::uint64_t skipped_by_stat = 0;   // unchanged path, size and mtime: not read
  std::uint64_t events = 0;
  std::uint64_t files_removed = 0;     // files gone from disk, forgotten
  std::uint64_t photos_removed = 0;    // photos nothing referred to any more
  std::vector<std::string> warnings;   // articles without photos, .txt that are no articles, scan problems
  std::vector<LinkReport> link_report;
  bool interrupted = false;            // stopped by options.stop; committed work stays
  std::uint64_t photo_files_total = 0;
  std::uint64_t photo_files_committed = 0;
  double seconds = 0;
};

// Ingests every root (folder or single file) into `catalog`, calling `processor` for the pixels.
// Returns the summary when the run finished or was interrupted (per-file failures are in `errors`).
// Errors: those of scan_tree (InvalidArgument: no roots), of Catalog::snapshot/write (IOError…) and of
// the search index (Corruption) — then the batches committed before stay, and a re-run continues.
// Not thread-safe with respect to `catalog` writes from elsewhere in this process.
Result<IngestSummary> ingest(Catalog& catalog, const PhotoProcessor& processor,
                             const std::vector<std::string>& roots, const IngestOptions& options = {});

}  // namespace kho::ingest
