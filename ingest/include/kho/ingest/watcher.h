// The hot-folder watcher behind `kho watch` (Linux inotify): it reports which event folders have settled
// changes, and the caller ingests them (kho::ingest::ingest on those folders), so watching adds no second
// ingest path.
//
// - Watches every folder under the roots (IN_CLOSE_WRITE, IN_MOVED_TO, IN_MOVED_FROM, IN_DELETE, IN_CREATE,
//   IN_MODIFY); new subfolders are watched as they appear, and a folder moved in counts as changed as a whole.
// - A file is taken once it has been quiet for `settle` seconds after it was closed for writing or moved in:
//   every write (IN_MODIFY) restarts its clock, and a file still open for writing has no IN_CLOSE_WRITE yet,
//   so an upload is never taken half-done. Names of partial downloads and temporary files (`*.part`, `*.tmp`,
//   `*.partial`, `*.crdownload`, `*.filepart`, `~*`, hidden names) are ignored until renamed.
// - A deleted or moved-away file marks its folder changed too (the ingest forgets it).
// - Problems are reported, never fatal: the inotify watch limit (fs.inotify.max_user_watches), a watched
//   folder that vanished, a root that does not exist yet.
// Not thread-safe: one thread calls next_batch().
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kho/status.h"

namespace kho::ingest {

struct WatchOptions {
  double settle_s = 2.0;  // quiet time before a file is taken
  // Reports problems and notes (one line each, no newline); may be empty.
  std::function<void(const std::string&)> report;
  const std::atomic<bool>* stop = nullptr;  // next_batch() returns (empty) soon after it becomes true
};

// True for names a watcher ignores until they are renamed: partial and temporary files, hidden names.
bool is_partial_name(std::string_view file_name);

class FolderWatcher {
 public:
  // Starts watching (before the caller's catch-up scan, so nothing that arrives during it is missed).
  // Errors: InvalidArgument (no roots), IOError (inotify itself is unavailable).
  static Result<std::unique_ptr<FolderWatcher>> open(const std::vector<std::string>& roots, WatchOptions options);
  ~FolderWatcher();
  FolderWatcher(const FolderWatcher&) = delete;
  FolderWatcher& operator=(const FolderWatcher&) = delete;

  // Waits until some change has settled, then returns the folders to ingest (absolute, sorted, deduplicated;
  // a folder that was moved in or whose contents changed). Returns an empty list when `stop` fired.
  // Errors: IOError when reading inotify fails.
  Result<std::vector<std::string>> next_batch();

  std::size_t watched_folders() const;

 private:
  struct State;
  explicit FolderWatcher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace kho::ingest
