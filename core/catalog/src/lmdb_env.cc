#include "lmdb_env.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

namespace kho::lmdb {

Status lmdb_status(int rc, std::string_view what) {
  if (rc == MDB_SUCCESS) return Status::OK();
  std::string msg = std::string(what) + ": " + mdb_strerror(rc);
  switch (rc) {
    case MDB_NOTFOUND: return Status::NotFound(msg);
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID: return Status::Corruption(msg);
    case MDB_VERSION_MISMATCH: return Status::Unsupported(msg);
    case MDB_READERS_FULL:
    case MDB_TXN_FULL:
    case MDB_DBS_FULL: return Status::Busy(msg);
    case MDB_MAP_FULL: return Status::IOError(msg + " (map full)");
    case ENOENT: return Status::NotFound(msg);
    case EACCES:
    case EROFS: return Status::IOError(msg + " (permission denied)");
    case EINVAL: return Status::InvalidArgument(msg);
    default: return Status::IOError(msg);
  }
}

Status explain_write_failure(const Status& st, int rc, const std::string& dir) {
  if (st.ok() || (rc != ENOSPC && rc != EDQUOT && rc != EIO)) return st;
  struct statvfs vfs {};
  const bool known = ::statvfs(dir.c_str(), &vfs) == 0;
  const std::uint64_t free_bytes = known ? std::uint64_t{vfs.f_bavail} * vfs.f_frsize : 0;
  constexpr std::uint64_t kNearlyFull = std::uint64_t{64} << 20;
  if (rc == EIO && (!known || free_bytes >= kNearlyFull)) return st;  // a real I/O error, not a full disk
  std::string space = !known                    ? std::string("free space unknown")
                      : free_bytes < (1u << 20) ? std::to_string(free_bytes >> 10) + " KB free"
                                                : std::to_string(free_bytes >> 20) + " MB free";
  const char* what = rc == EDQUOT ? "disk quota exceeded" : "disk full";
  return Status::IOError(std::string(what) + ": no space left to write the archive " + dir + " (" + space +
                         " on its file system); free some space, or use another archive folder (--archive)");
}

Env::~Env() {
  if (env_) mdb_env_close(env_);
}

Status Env::open(const std::string& dir, bool read_only, std::uint64_t map_size, unsigned max_readers,
                 const std::vector<std::string_view>& names,
                 const std::function<Status(Txn&, const Env&)>& init) {
  read_only_ = read_only;
  KHO_RETURN_IF_ERROR(lmdb_status(mdb_env_create(&env_), "mdb_env_create"));
  KHO_RETURN_IF_ERROR(lmdb_status(mdb_env_set_maxdbs(env_, static_cast<MDB_dbi>(names.size() + 8)), "set_maxdbs"));
  KHO_RETURN_IF_ERROR(lmdb_status(mdb_env_set_maxreaders(env_, max_readers), "set_maxreaders"));
  if (!read_only)
    KHO_RETURN_IF_ERROR(lmdb_status(mdb_env_set_mapsize(env_, static_cast<size_t>(map_size)), "set_mapsize"));
  // MDB_NOTLS: read transactions are not tied to a thread, so a server's worker pool can use them.
  unsigned flags = MDB_NOTLS | (read_only ? MDB_RDONLY : 0u);
  int rc = mdb_env_open(env_, dir.c_str(), flags, 0644);
  if (rc != MDB_SUCCESS) return explain_write_failure(lmdb_status(rc, "opening archive " + dir), rc, dir);

  Txn txn;
  KHO_RETURN_IF_ERROR(txn.begin(env_, read_only));
  for (auto name : names) {
    MDB_dbi dbi;
    std::string n(name);
    rc = mdb_dbi_open(txn.get(), n.c_str(), read_only ? 0u : unsigned{MDB_CREATE}, &dbi);
    if (rc == MDB_NOTFOUND && read_only) continue;  // an archive made before this database existed
    KHO_RETURN_IF_ERROR(lmdb_status(rc, "opening database " + n));
    dbis_.emplace(n, dbi);
  }
  if (init && !read_only) KHO_RETURN_IF_ERROR(init(txn, *this));
  Status committed = txn.commit();
  if (!committed.ok()) return explain_write_failure(committed, txn.last_rc(), dir);
  locate_map();
  return Status::OK();  // makes the handles visible to every later transaction
}

bool Env::dbi(std::string_view name, MDB_dbi* out) const {
  auto it = dbis_.find(name);
  if (it == dbis_.end()) return false;
  *out = it->second;
  return true;
}

std::uint64_t Env::map_size() const {
  MDB_envinfo info;
  mdb_env_info(env_, &info);
  return info.me_mapsize;
}

void Env::locate_map() {
  map_addr_ = nullptr;
  map_len_ = 0;
  int fd = -1;
  struct stat st;
  if (mdb_env_get_fd(env_, &fd) != MDB_SUCCESS || fstat(fd, &st) != 0) return;
  std::FILE* maps = std::fopen("/proc/self/maps", "r");
  if (!maps) return;
  char line[4096];
  while (std::fgets(line, sizeof line, maps)) {
    unsigned long lo = 0, hi = 0, inode = 0;
    unsigned dev_major = 0, dev_minor = 0;
    char perms[8];
    unsigned long long offset = 0;
    if (std::sscanf(line, "%lx-%lx %7s %llx %x:%x %lu", &lo, &hi, perms, &offset, &dev_major, &dev_minor, &inode) != 7)
      continue;
    if (inode == st.st_ino && offset == 0 && hi - lo >= map_len_) {
      map_addr_ = reinterpret_cast<void*>(lo);
      map_len_ = hi - lo;
    }
  }
  std::fclose(maps);
}

void Env::release_mapped_pages() const {
  if (map_addr_) madvise(map_addr_, map_len_, MADV_DONTNEED);
}

void Env::prewarm(std::stop_token stop) {
#ifndef MADV_POPULATE_READ
  constexpr int MADV_POPULATE_READ = 22;  // Linux 5.14; older headers lack the name
#endif
  int fd = -1;
  struct stat st;
  if (mdb_env_get_fd(env_, &fd) != MDB_SUCCESS || fstat(fd, &st) != 0) return;
  // An archive larger than half the machine's memory is left to fault in as it is read: populating it would
  // push everything else out of the page cache.
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0 || static_cast<std::uint64_t>(st.st_size) > std::uint64_t(pages) * page / 2) return;
  // In 64 MB steps, each under the resize lock held shared: a writer that must grow the map waits for one
  // step, not for the whole file, and the next step maps wherever the map is then. Only the file's length:
  // past its end the mapping has no pages (populating there fails with EFAULT).
  constexpr std::size_t kStep = std::size_t{64} << 20;
  const std::size_t file = static_cast<std::size_t>(st.st_size) / page * page;
  for (std::size_t at = 0; at < file && !stop.stop_requested(); at += kStep) {
    std::shared_lock lock(resize_mutex_);
    if (!map_addr_ || at >= map_len_) return;
    const std::size_t len = std::min({kStep, file - at, map_len_ - at});
    // EINVAL before Linux 5.14: nothing done, nothing lost.
    if (madvise(static_cast<char*>(map_addr_) + at, len, MADV_POPULATE_READ) != 0) return;
  }
}

Status Env::grow() {
  std::unique_lock lock(resize_mutex_);
  std::uint64_t next = map_size() * 2;
  Status st = lmdb_status(mdb_env_set_mapsize(env_, static_cast<size_t>(next)), "growing the map");
  locate_map();
  return st;
}

Status Env::adopt_new_size() {
  std::unique_lock lock(resize_mutex_);
  Status st = lmdb_status(mdb_env_set_mapsize(env_, 0), "adopting the new map size");
  locate_map();
  return st;
}

Status Txn::begin(MDB_env* env, bool read_only) {
  abort();
  last_rc_ = mdb_txn_begin(env, nullptr, read_only ? MDB_RDONLY : 0u, &txn_);
  if (last_rc_ == MDB_MAP_RESIZED) return Status::Busy("the map was grown by another process");
  return lmdb_status(last_rc_, "beginning a transaction");
}

Status Txn::commit() {
  last_rc_ = mdb_txn_commit(txn_);
  txn_ = nullptr;  // committed or not, LMDB has freed it
  return lmdb_status(last_rc_, "committing");
}

Result<std::string_view> Txn::get(MDB_dbi dbi, std::string_view key) const {
  MDB_val k = to_val(key), v;
  int rc = mdb_get(txn_, dbi, &k, &v);
  if (rc != MDB_SUCCESS) return lmdb_status(rc, "get");
  return to_view(v);
}

Status Txn::put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags) {
  MDB_val k = to_val(key), v = to_val(value);
  last_rc_ = mdb_put(txn_, dbi, &k, &v, flags);
  return lmdb_status(last_rc_, "put");
}

Status Txn::del(MDB_dbi dbi, std::string_view key) {
  MDB_val k = to_val(key);
  last_rc_ = mdb_del(txn_, dbi, &k, nullptr);
  if (last_rc_ == MDB_NOTFOUND) return Status::OK();
  return lmdb_status(last_rc_, "delete");
}

Status Cursor::open(const Txn& txn, MDB_dbi dbi) {
  return lmdb_status(mdb_cursor_open(txn.get(), dbi, &cur_), "opening a cursor");
}

bool Cursor::step(MDB_cursor_op op, std::string_view* k, std::string_view* v, MDB_val key) {
  MDB_val val;
  rc_ = mdb_cursor_get(cur_, &key, &val, op);
  if (rc_ != MDB_SUCCESS) return false;
  *k = to_view(key);
  *v = to_view(val);
  return true;
}

bool Cursor::seek(std::string_view key, std::string_view* k, std::string_view* v) {
  if (key.empty()) return first(k, v);
  return step(MDB_SET_RANGE, k, v, to_val(key));
}
bool Cursor::first(std::string_view* k, std::string_view* v) { return step(MDB_FIRST, k, v); }
bool Cursor::next(std::string_view* k, std::string_view* v) { return step(MDB_NEXT, k, v); }

Status Cursor::del_current() { return lmdb_status(mdb_cursor_del(cur_, 0), "cursor delete"); }

}  // namespace kho::lmdb
