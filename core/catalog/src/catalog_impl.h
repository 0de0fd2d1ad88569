// Internals shared by catalog.cc (writes), snapshot.cc (reads) and verify.cc. Private to core.
#pragma once

#include <cstring>

#include <memory>
#include <shared_mutex>
#include <string>
#include <variant>
#include <vector>

#include "kho/catalog.h"
#include "lmdb_env.h"
#include "record_codec.h"

namespace kho {

// Every named database, created when an archive is created.
const std::vector<std::string_view>& all_databases();

struct Catalog::Impl {
  lmdb::Env env;
  std::string dir;
  bool read_only = false;
  bool keep_mapped_pages = false;

  MDB_dbi dbi(std::string_view name) const;  // for databases in all_databases()
};

// One recorded operation of a WriteBatch.
struct WriteBatch::Op {
  enum class Kind : unsigned char {
    kPut,
    kDelete,
    kDeletePrefix,  // raw
    kPutFile,
    kDeleteFile,  // with index upkeep
    kPutLinks,
    kDeletePhoto,
    kPutEvent,             // with the events_by_date entry
    kRebuildEventsByDate,  // Catalog::open of an archive from before the index
  };
  Kind kind = Kind::kPut;
  std::string_view db;
  std::string key;
  std::string value;
  std::optional<File> file;        // kPutFile
  std::vector<Link> links;         // kPutLinks
  std::string date_key;            // kPutEvent: the event's events_by_date key
};

// Keys (core/FORMAT.md).
namespace keys {
std::string photo_file(const Digest& d, std::string_view path);          // photo_files
std::string event_file(std::string_view event_id, std::string_view path);  // event_files
std::string link(std::string_view article_id, std::uint32_t pos);          // links
std::string photo_link(const Digest& d, std::string_view article_id, std::uint32_t pos);  // photo_links
std::string thumb(const Digest& d, ThumbSize size);                        // thumbs
// The same key without a heap allocation, for the read path (digest + size byte on the stack).
struct ThumbKey {
  char bytes[33];
  std::string_view view() const { return {bytes, sizeof bytes}; }
};
inline ThumbKey thumb_key(const Digest& d, ThumbSize size) {
  ThumbKey k;
  std::memcpy(k.bytes, d.bytes.data(), 32);
  k.bytes[32] = static_cast<char>(size);
  return k;
}
std::string link_prefix(std::string_view article_id);                      // article id \0
std::string event_file_prefix(std::string_view event_id);                  // event id \0
}  // namespace keys

// Rebuilds `events_by_date` from the events (in `txn`) and sets meta[kEventsByDateBuilt].
Status rebuild_events_by_date(const Catalog::Impl& c, lmdb::Txn& txn);

// Per-thread count of open snapshots (see Catalog::write).
void note_snapshot_opened();
void note_snapshot_closed();

// A Snapshot over an open read transaction; also used by verify.
std::unique_ptr<Snapshot> make_snapshot(const Catalog::Impl& impl, lmdb::Txn txn,
                                        std::shared_lock<std::shared_mutex> lock);

}  // namespace kho
