// Named crash points: a test hook that lets a test stop `kho` at an exact moment instead of guessing when
// to kill it.
//
// The environment variable KHO_CRASH_AT, read once at program start, names one point:
//   KHO_CRASH_AT=NAME          the first time NAME is reached, the process raises SIGKILL on itself;
//   KHO_CRASH_AT=NAME:N        the N-th time (N ≥ 1) NAME is reached, counted over the whole process;
//   KHO_CRASH_AT=NAME:N:stop   the N-th time, the process raises SIGSTOP on itself instead (a test that
//                              waits with WUNTRACED then sends its own signal, e.g. SIGINT, and SIGCONT).
// Unset (the normal case), crash_point() costs one well-predicted branch on a flag set before main(). A
// malformed value is reported on stderr when the first point is reached, and ignored. Nothing else reads the
// variable; it is not part of the CLI contract.
//
// The points (each where a crash leaves a distinct state on disk; every one must leave an archive that
// opens, passes `kho verify` and is completed by running the same ingest again):
//   catalog.create.before_commit  Catalog::open, read-write, on an environment that has no format version
//                                 yet: the databases and meta["format"] are written in the open transaction,
//                                 not committed. Crashing here on a new archive leaves a data.mdb in which
//                                 no transaction ever committed (a read-only open says NotFound: "never
//                                 finished being created").
//   catalog.write.before_commit   Catalog::write, every operation of the batch applied, before the commit.
//   catalog.write.after_commit    Catalog::write, right after a successful commit.
//   ingest.photos.after_batch     the ingest's photo writer, after a batch of photos (with their files,
//                                 thumbnails and search postings: one transaction) is committed, before
//                                 the next batch starts filling.
//   ingest.before_articles        the photo phase is over; before the clean-up of vanished files and the
//                                 events, articles and links phase (files point at provisional events).
//   dups.after_chunk              update_duplicates, after each chunk of candidate pairs is verified and
//                                 its verdicts queued (written once enough are pending).
//   dups.before_index_entries     update_duplicates, every verdict committed, before the index entries
//                                 that mark photos as done (the next update re-verifies those photos).
// The search postings have no phase of their own: they are written in the transaction of the photo or
// article they index, so the catalog.write points cover them.
#pragma once

#include <string_view>

namespace kho {

namespace crash_detail {
// True when KHO_CRASH_AT was set at program start. A crash point reached during static initialisation of
// another translation unit may see false.
extern const bool g_armed;
void reached(std::string_view name);
}  // namespace crash_detail

// Marks a named point (see above). Thread-safe; the count of a point is shared by all threads.
inline void crash_point(std::string_view name) {
  if (crash_detail::g_armed) [[unlikely]]
    crash_detail::reached(name);
}

}  // namespace kho
