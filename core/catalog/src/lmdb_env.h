// A small RAII wrapper over LMDB: environment, transactions, cursors, named databases.
// The only place in kho that includes lmdb.h. LMDB error codes become Status in lmdb_status().
#pragma once

#include <lmdb.h>

#include <cstdint>
#include <functional>
#include <map>
#include <shared_mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "kho/status.h"

namespace kho::lmdb {

// Maps an LMDB return code to a Status; `what` names the operation (and key) for the message.
Status lmdb_status(int rc, std::string_view what);

// A failed write to the archive in `dir` whose cause is a full file system gets its own message: "disk
// full", naming `dir` and the space left. That is ENOSPC or EDQUOT, and also EIO while the file system has
// less than 64 MiB free, because LMDB reports a short write (what a full disk gives it) as EIO. Any other
// failure is returned unchanged.
Status explain_write_failure(const Status& st, int rc, const std::string& dir);

inline MDB_val to_val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
inline std::string_view to_view(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

class Env {
 public:
  Env() = default;
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  // Opens the environment in `dir` and every database in `names` (creating them unless read_only).
  // `init`, when given and not read_only, runs in the same transaction that creates the databases, so an
  // archive never exists without what it writes (the format version).
  Status open(const std::string& dir, bool read_only, std::uint64_t map_size, unsigned max_readers,
              const std::vector<std::string_view>& names,
              const std::function<Status(class Txn&, const Env&)>& init = {});
  MDB_env* get() const { return env_; }
  // The handle of a named database; 0 with ok=false when it does not exist (read-only, older archive).
  bool dbi(std::string_view name, MDB_dbi* out) const;
  const std::map<std::string, MDB_dbi, std::less<>>& dbis() const { return dbis_; }
  bool read_only() const { return read_only_; }

  // Doubles the map. Waits until no snapshot of this process is open (they hold `resize_mutex`).
  Status grow();
  // Adopts a map size grown by another process (after MDB_MAP_RESIZED).
  Status adopt_new_size();
  std::uint64_t map_size() const;
  // Drops this process's page-table mappings of the map (the pages stay in the page cache), so resident
  // memory reflects the program's own memory however large the archive grows. Readers re-fault pages.
  void release_mapped_pages() const;
  // Populates this process's mapping of the archive file's pages (Catalog::prewarm). Holds resize_mutex
  // shared, so the map is not moved meanwhile.
  void prewarm(std::stop_token stop);
  std::shared_mutex& resize_mutex() { return resize_mutex_; }

 private:
  // Finds LMDB's mapping of data.mdb in /proc/self/maps (LMDB does not expose its address unless
  // MDB_FIXEDMAP). Called after open and after every resize, which remaps.
  void locate_map();

  MDB_env* env_ = nullptr;
  bool read_only_ = false;
  void* map_addr_ = nullptr;
  std::size_t map_len_ = 0;
  std::map<std::string, MDB_dbi, std::less<>> dbis_;
  std::shared_mutex resize_mutex_;
};

// A transaction that aborts on destruction unless committed.
class Txn {
 public:
  Txn() = default;
  ~Txn() { abort(); }
  Txn(Txn&& o) noexcept : txn_(o.txn_) { o.txn_ = nullptr; }
  Txn& operator=(Txn&& o) noexcept {
    if (this != &o) {
      abort();
      txn_ = o.txn_;
      o.txn_ = nullptr;
    }
    return *this;
  }
  Status begin(MDB_env* env, bool read_only);
  Status commit();
  void abort() {
    if (txn_) mdb_txn_abort(txn_);
    txn_ = nullptr;
  }
  MDB_txn* get() const { return txn_; }
  // The LMDB code of the last failed call (MDB_MAP_FULL tells the catalog to grow and replay).
  int last_rc() const { return last_rc_; }

  // NotFound when absent. The view points into the map and is valid until the txn ends (or, in a write
  // txn, until the next write).
  Result<std::string_view> get(MDB_dbi dbi, std::string_view key) const;
  Status put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags = 0);
  // OK when the key was absent too.
  Status del(MDB_dbi dbi, std::string_view key);

 private:
  MDB_txn* txn_ = nullptr;
  int last_rc_ = 0;
};

class Cursor {
 public:
  Cursor() = default;
  ~Cursor() {
    if (cur_) mdb_cursor_close(cur_);
  }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  Status open(const Txn& txn, MDB_dbi dbi);
  // Positions at the first key >= `key`. Returns false at the end.
  bool seek(std::string_view key, std::string_view* k, std::string_view* v);
  bool first(std::string_view* k, std::string_view* v);
  bool next(std::string_view* k, std::string_view* v);
  Status del_current();
  int last_rc() const { return rc_; }

 private:
  bool step(MDB_cursor_op op, std::string_view* k, std::string_view* v, MDB_val key = {});
  MDB_cursor* cur_ = nullptr;
  int rc_ = 0;
};

}  // namespace kho::lmdb
