// Tracing published copies to their originals (issue 12, docs/tracing.md, core/FORMAT.md "Traces").
//
// A newspaper links its caption to the CMS's web copy (resized, re-encoded, stripped, sometimes cropped or
// stamped with a logo, renamed); the photo desk keeps the camera original in the same event folder.
// update_traces() runs after update_duplicates() and, for every resolved link whose file may be a web copy,
// looks for the original among the photos the duplicate finder confirmed as copies of it (stored pairs), and
// among the event's photos within a wider PHash radius that the finder never compared (checked with the
// pixel verifier). Only confirmed candidates that look like originals (more pixels, and camera EXIF or a
// large frame) count. Copies of one exposure (same capture time, or a stored duplicate pair) are one
// shot: its best copy (pixels, then capture time) is the original. Two or more exposures (a burst) go to
// a finer look on the 1280 px previews with `fine_verifier`; the best must beat the next by
// `ambiguity_margin`, else the reference is `ambiguous` and keeps its web copy. Never a guess.
//
// One record per (article, position) in the `traces` database, with the input fingerprint (the web copy's
// digest and the sorted candidate digests): a record is redone only when that input changes (a photo
// arrived or left), so a re-ingest gives the same originals without looking at pixels again.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kho/catalog.h"
#include "kho/dups.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho {

struct TraceOptions {
  // A linked file may be a web copy when it is small (≤ web_max_pixels or long side ≤ web_max_long_side),
  // has no camera EXIF (no make/model and no DateTimeOriginal), lies in a saved page's `_files/` folder,
  // or was embedded in the article (LinkMethod::kEmbedded: saved pages, .docx).
  std::uint64_t web_max_pixels = 2'500'000;
  std::uint32_t web_max_long_side = 1600;
  // The event's photos within this PHash radius of the web copy are checked too (crops move the hash
  // further than the duplicate search radius).
  int event_radius = 22;
  int max_event_candidates = 8;
  // Burst frames are scored on grid thumbnails first (the fine verifier at 320 px); a frame that scores this much
  // below the best there is ruled out, and only the rest are compared on previews (one left: it is the original).
  // The largest gap seen between a wrong frame ahead and the right one on grid thumbnails: 0.0027 (bench/trace);
  // 0.0024 over seeds 12, 101–106, 211, 212, 307, 308 with rule version 3 (not refined on this stage), 0.0018 with
  // rule version 4 (3 ORB levels in the fine verifier), 0.0010 with rule version 5 (one ORB level).
  float coarse_margin = 0.01f;
  // Two exposures whose preview scores differ by less than this are a burst the pixels cannot split.
  // With the fine verifier's sub-pixel registration (rule version 3), frames that hold the same pixels tie within
  // 0.0005 (grid) and 0.0001 (previews) on seeds 12, 101–106, 211, 212; before it the largest gap with a wrong
  // frame ahead on previews was 0.0014, so the margin was 0.005 (bench/trace/README.md).
  float ambiguity_margin = 0.002f;
  // Burst frames are compared on the cells of an 8×8 grid over the copy (PairVerdict::cells) that every frame
  // holds and at least one fits with a mean residual (grey levels) below shared_residual: a cell bad against every
  // frame (a logo) is the copy's own. A frame's score is its fit minus its third-worst such cell's residual above
  // residual_floor / 255 (below the floor, residuals differ only by resampling: with a floor of 2, the CI set has a
  // wrong original; 3 gives none on seeds 12 and 101–106, 4 loses found originals; bench/trace/README.md).
  float shared_residual = 6.0f;
  float residual_floor = 3.0f;
  int threads = 0;  // 0: one per core
  // (article id, position) pairs a person relinked (kho::team's journal, read by the caller): never traced;
  // their stored record is dropped. People always win over tracing.
  std::set<std::pair<std::string, std::uint32_t>> corrected;
};

enum class TraceState : std::uint8_t {
  kNone = 0,       // a possible web copy with no confirmed original (an agency photo): it stays the photo
  kTraced = 1,     // `original` is the camera original it was made from
  kAmbiguous = 2,  // two or more exposures fit and the pixels cannot tell them apart: `candidates`
};
const char* trace_state_name(TraceState s);  // "none" | "traced" | "ambiguous"

struct TraceRecord {
  std::string article_id;
  std::uint32_t position = 0;
  Digest copy;  // the linked file's photo (the web copy)
  TraceState state = TraceState::kNone;
  std::optional<Digest> original;  // kTraced only
  float score = 0;                 // the verifier's score of copy ↔ original (kTraced)
  std::vector<Digest> candidates;  // kAmbiguous: the exposures that fit, best first
  std::uint64_t fingerprint = 0;   // of the input: copy digest and candidate digests
  friend bool operator==(const TraceRecord&, const TraceRecord&) = default;
};

struct TraceAmbiguity {
  std::string article_id;
  std::string article;  // its title
  std::uint32_t position = 0;
  std::string ref;
  std::vector<std::string> candidates;  // a path of each candidate (raw bytes; display_path() for people)
};

struct TraceSummary {
  std::uint64_t considered = 0;   // links whose file may be a web copy
  std::uint64_t traced = 0;       // of those, traced to an original (whole archive)
  std::uint64_t redone = 0;       // records (re)computed this run; the rest kept their fingerprint
  std::uint64_t grid_checks = 0;  // pixel checks of event candidates on grid thumbnails
  std::uint64_t fine_checks = 0;  // pixel checks of burst frames on previews
  std::vector<TraceAmbiguity> ambiguous;
};

// Brings the trace records up to date with the links, the photos and the stored duplicate pairs; run it
// after update_duplicates(). `verifier` checks event candidates on grid thumbnails (the duplicate finder's
// verifier); `fine_verifier` separates burst frames on previews. A pair the verifier cannot check counts as
// not confirmed. Writes in batches; a crash leaves records that the next run redoes or keeps.
// Errors: those of Catalog::snapshot/write; Corruption for an undecodable stored trace.
Result<TraceSummary> update_traces(Catalog& catalog, const PairVerifier& verifier, const PairVerifier& fine_verifier,
                                   const TraceOptions& options);

// The trace of one reference; nullopt when there is none (not a possible web copy, or not traced yet).
Result<std::optional<TraceRecord>> trace_of(const Snapshot& snap, std::string_view article_id, std::uint32_t position);
// Every trace record (article order).
Result<std::vector<TraceRecord>> list_traces(const Snapshot& snap);
// The records whose original is `original`: its published copies.
Result<std::vector<TraceRecord>> published_copies_of(const Snapshot& snap, const Digest& original);
// The references left ambiguous, with their candidates' paths and the article's title (for the workbench).
Result<std::vector<TraceAmbiguity>> list_ambiguous(const Snapshot& snap);

// The original a reader shows for a link (after people's corrections were applied to it): the trace's
// original when the record is kTraced, the link still points at the traced copy, and the original is still
// in the archive; nullopt otherwise. A relinked reference never shows a traced original.
Result<std::optional<TraceRecord>> original_for_link(const Snapshot& snap, const Link& link);

// `kho verify`: decodes every trace and checks that its article link, copy, original and candidates exist.
Status verify_traces(const Snapshot& snap, VerifyReport& report);

}  // namespace kho
