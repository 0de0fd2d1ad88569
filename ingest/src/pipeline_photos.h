// The photo stages of ingest(): a oneTBB parallel_pipeline with a serial writer (private to kho::ingest).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"
#include "kho/ingest/scanner.h"
#include "kho/photo_processor.h"

namespace kho::ingest::detail {

// One photo file that must be read (the stat check did not skip it).
struct PhotoJob {
  const ScannedFile* file = nullptr;
  const std::string* folder = nullptr;  // the event folder's path
  std::string event_id;
  std::optional<Digest> old_digest;  // the digest its File record had (a changed file), if any
};

struct PhotoPhaseResult {
  std::vector<std::pair<std::string, Digest>> stored;  // path → digest of each file committed
  std::vector<Digest> replaced;                         // old digests of changed files (garbage candidates)
};

// Runs the jobs through read → SHA-256 → identity → metadata + processor → writer, committing every
// options.batch_size photo files. Fills the photo counts and errors of `summary`, and `progress`.
// Sets summary.interrupted when options.stop fired (what was in flight is committed first).
// Errors: a failed Catalog::write (the batches before it stay committed).
Result<PhotoPhaseResult> run_photo_pipeline(Catalog& catalog, const PhotoProcessor& processor,
                                            const std::vector<PhotoJob>& jobs, const IngestOptions& options,
                                            IngestSummary& summary, IngestProgress& progress,
                                            std::chrono::steady_clock::time_point t0);

}  // namespace kho::ingest::detail
