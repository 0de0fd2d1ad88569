// The archive catalog: one LMDB environment with named databases (core/FORMAT.md).
//
// Writing: build a WriteBatch (it only records operations), then Catalog::write() applies it in one
// LMDB write transaction. A batch is all-or-nothing: a crash loses at most the batch in flight. When the
// map is full, write() grows the map and replays the batch, so callers never see MDB_MAP_FULL (but the
// map cannot grow while the writing thread holds a Snapshot: write() then fails with Busy).
// One writer at a time per archive (LMDB serialises writers, also across processes).
//
// Reading: Catalog::snapshot() opens a read-only transaction that sees one consistent state, however
// many batches commit meanwhile. Keep snapshots short (one request, one command): a long-lived snapshot
// stops LMDB from reusing pages and the file grows. Views returned by a Snapshot are valid only while it
// lives. Snapshots are not thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "kho/model.h"
#include "kho/status.h"

namespace kho {

// The current on-disk format version, kept in meta["format"]. Archives of another version are refused.
inline constexpr int kFormatVersion = 1;

// Named databases. Extension modules (search, duplicates) use the raw_* calls on theirs.
namespace db {
inline constexpr std::string_view kMeta = "meta";
inline constexpr std::string_view kPhotos = "photos";            // digest(32) → Photo
inline constexpr std::string_view kFiles = "files";              // path → File
inline constexpr std::string_view kPhotoFiles = "photo_files";   // digest(32) path → ""
inline constexpr std::string_view kEvents = "events";            // event id → Event
inline constexpr std::string_view kEventFiles = "event_files";   // event id \0 path → digest(32)
inline constexpr std::string_view kArticles = "articles";        // article id → Article
inline constexpr std::string_view kLinks = "links";              // article id \0 pos(be32) → Link
inline constexpr std::string_view kPhotoLinks = "photo_links";   // digest(32) article id \0 pos(be32) → ""
inline constexpr std::string_view kThumbs = "thumbs";            // digest(32) size(1) → JPEG bytes
inline constexpr std::string_view kDups = "dups";                // see FORMAT.md (duplicates)
inline constexpr std::string_view kTerms = "terms";              // see FORMAT.md (search)
inline constexpr std::string_view kUsers = "users";              // see FORMAT.md (team): accounts
inline constexpr std::string_view kSessions = "sessions";        // see FORMAT.md (team): logins
inline constexpr std::string_view kCorrections = "corrections";  // see FORMAT.md (team): the journal
inline constexpr std::string_view kEventsByDate = "events_by_date";  // date sort key → event id (FORMAT.md)
inline constexpr std::string_view kTraces = "traces";                // see FORMAT.md (traces): web copy → original
inline constexpr std::string_view kRoots = "roots";                  // folder given to ingest/watch → sealed time
}  // namespace db

// meta[kEventsByDateBuilt] = "1" once `events_by_date` indexes every event (new archives, and old ones the
// first time they are opened for writing). Without it, readers sort the events themselves.
inline constexpr std::string_view kEventsByDateBuilt = "index.events_by_date";

// The `events_by_date` key of an event: dated events first, newest date first (each date byte inverted,
// then 0xFF), then undated ones (0x01); then title and id ascending (title · \0 · id). Its byte order is
// the order of Snapshot::events_newest_first.
std::string event_date_key(const Event& event);
// The key prefix of the events whose ISO date starts with `date_prefix` ("2021", "2021-03"; "" = all dated).
std::string event_date_key_prefix(std::string_view date_prefix);

struct CatalogOptions {
  bool read_only = false;          // open without taking the writer role; the archive must exist
  bool create_if_missing = true;   // ignored when read_only
  std::uint64_t initial_map_size = std::uint64_t{256} << 20;  // bytes; grows by doubling when full
  unsigned max_readers = 256;
  // A writer lets its mappings of the archive go after every write (Env::release_mapped_pages), so that a
  // long ingest's resident memory stays its own. A server keeps them: its writes are small (logins,
  // corrections), and dropping the mappings made the next searches fault in every page again.
  bool keep_mapped_pages = false;
};

struct DbStats {
  std::string name;
  std::uint64_t entries = 0;
  std::uint64_t bytes = 0;  // pages in use × page size
};

struct CatalogStats {
  std::vector<DbStats> dbs;
  std::uint64_t file_size = 0;  // data.mdb on disk
  std::uint64_t map_size = 0;
  int format_version = 0;
};

// One entry of the `event_files` db (event id \0 path → digest): a photo file of an event's folder.
struct EventFile {
  std::string path;
  Digest digest;
};

// What a raw_scan/raw_seek visitor answers for each key: go on, stop there (the scan then returns OK), or
// fail with a Status that ends the scan and that the scan returns as it is. An OK Status goes on, so a
// visitor can `return codec_status;` and write ScanStep::Stop() only where it wants to end early.
class ScanStep {
 public:
  ScanStep(Status status) : status_(std::move(status)) {}  // NOLINT(google-explicit-constructor): by design
  static ScanStep Continue() { return ScanStep(Status::OK()); }
  static ScanStep Stop() {
    ScanStep step(Status::OK());
    step.stop_ = true;
    return step;
  }
  bool ends_scan() const { return stop_ || !status_.ok(); }
  const Status& status() const { return status_; }

 private:
  Status status_;
  bool stop_ = false;
};
using ScanFn = std::function<ScanStep(std::string_view key, std::string_view value)>;

class Snapshot;

// Extension databases (search, dups, team) keep their own value layouts; these give a value the CRC-32C
// trailer that every catalog record carries (FORMAT.md, "Values"), so damaged bytes read as Corruption.
std::string seal_value(std::string_view payload);
// The payload of a sealed value (a view into `sealed`). Corruption when it is too short or the checksum fails.
Result<std::string_view> unseal_value(std::string_view sealed);

class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(WriteBatch&&) noexcept;
  WriteBatch& operator=(WriteBatch&&) noexcept;

  // Inserts or replaces the photo record.
  void put_photo(const Photo& photo);
  // Inserts or replaces the file at file.path, keeping photo_files and event_files in step (the old
  // digest's and old event's index entries are removed when they change).
  void put_file(const File& file);
  void delete_file(const std::string& path);
  void put_event(const Event& event);
  // Inserts or replaces the article record.
  void put_article(const Article& article);
  // Replaces every link of `article_id` by `links` (positions as given), keeping photo_links in step.
  void put_links(const std::string& article_id, const std::vector<Link>& links);
  void put_thumb(const Digest& digest, ThumbSize size, std::string jpeg);
  // Removes a photo record with its thumbnails. The caller makes sure nothing refers to it.
  void delete_photo(const Digest& digest);
  void put_meta(std::string_view key, std::string_view value);

  // Raw access for extension databases (search terms, duplicates). db must be one of db::k*.
  void raw_put(std::string_view db, std::string key, std::string value);
  void raw_delete(std::string_view db, std::string key);
  // Deletes every key that starts with `prefix` (all keys when empty).
  void raw_delete_prefix(std::string_view db, std::string prefix);

  std::size_t size() const;       // operations recorded
  std::size_t byte_size() const;  // approximate bytes held
  bool empty() const { return size() == 0; }
  void clear();

  struct Op;  // private to kho::catalog (core/catalog/src/catalog_impl.h)

 private:
  friend class Catalog;
  std::vector<Op> ops_;
  std::size_t bytes_ = 0;
};

class Catalog {
 public:
  // Opens the archive in `dir`; creates the directory and the archive when there is none, unless
  // read_only or !create_if_missing. A new archive gets meta "format" = kFormatVersion in the same
  // transaction that creates its databases.
  // Errors: NotFound (read_only and no archive there, or a data.mdb in which none of the archive's
  // databases was ever committed: a process killed while it created the archive; a read-write open creates
  // the archive then), Corruption (databases but no format version), Unsupported (another format version,
  // named in the message), IOError (permissions, disk), Busy (lock table full).
  static Result<std::unique_ptr<Catalog>> open(const std::string& dir, const CatalogOptions& options = {});
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Applies the batch atomically. On MDB_MAP_FULL the map is doubled and the batch replayed.
  // Errors: InvalidArgument when the catalog is read-only or an operation names an unknown database;
  // Busy when the map must grow while this thread holds a Snapshot (close it and write again);
  // IOError; Corruption when an index entry that must be updated cannot be decoded.
  Status write(const WriteBatch& batch);

  // A consistent read-only view. Thread-safe to call; the Snapshot itself is for one thread.
  Result<std::unique_ptr<Snapshot>> snapshot() const;

  Result<CatalogStats> stats() const;

  // Lets go of this process's mappings of archive pages (they stay in the OS page cache; views stay valid
  // and fault back in when read). write() does it after each commit; long read passes over the whole
  // archive call it now and then, so resident memory stays flat however large the archive is. Does nothing
  // when the catalog was opened with CatalogOptions::keep_mapped_pages.
  void release_mapped_pages() const;
  // Maps every page of the archive file into this process now (MADV_POPULATE_READ; the pages are read into
  // the page cache when they are not there), so that later reads take no page faults: a server's first
  // searches then cost what its later ones do. Takes ~0.1 s a GB of CPU; call it from a background thread.
  // Works in 64 MB steps (a write that grows the map waits for one step at most). Does nothing for an
  // archive larger than half the machine's memory, or on kernels without MADV_POPULATE_READ (before 5.14).
  // A stop request ends it after the current step (a server that is stopped does not wait for the rest).
  void prewarm(std::stop_token stop = {}) const;
  const std::string& dir() const;
  bool read_only() const;

  struct Impl;

 private:
  explicit Catalog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A read transaction. Every call returns copies unless it says "view".
// NotFound means the key is absent; Corruption means the stored bytes fail validation.
class Snapshot {
 public:
  virtual ~Snapshot() = default;

  virtual Result<Photo> photo(const Digest& digest) const = 0;
  virtual Result<File> file(std::string_view path) const = 0;
  virtual Result<Event> event(std::string_view id) const = 0;
  virtual Result<Article> article(std::string_view id) const = 0;
  // The JPEG bytes of a derivative, as a view into the memory map, valid while the Snapshot lives.
  virtual Result<std::string_view> thumb_view(const Digest& digest, ThumbSize size) const = 0;
  virtual Result<std::string> meta(std::string_view key) const = 0;
  // The archive's version as this snapshot sees it (LMDB's id of the last committed write transaction):
  // it grows with every commit, so two snapshots with the same version see the same records. Caches of
  // derived views key on it.
  virtual std::uint64_t version() const = 0;

  // Events: dated ones newest first, then undated ones; equal dates by title, then id. `offset`/`limit`
  // page the list (each call reads and sorts every event). Corruption when an event cannot be decoded.
  virtual Result<std::vector<Event>> events_newest_first(std::size_t offset, std::size_t limit) const = 0;
  virtual Result<std::uint64_t> event_count() const = 0;
  // The same order, only events whose ISO date starts with `date_prefix` ("2021", "2021-03"; "" = every event,
  // undated ones included), from the `events_by_date` index: O(offset + limit) reads, no sort. `total` (when
  // given) gets the number of matching events. Falls back to reading and sorting every event on an archive
  // whose index was never built (opened read-only since before the index existed).
  virtual Result<std::vector<Event>> events_by_date(std::string_view date_prefix, std::size_t offset, std::size_t limit,
                                                    std::uint64_t* total = nullptr) const = 0;
  // The distinct `length`-byte prefixes of the event dates that start with `within`, newest first: years
  // (within "", length 4), the months of a year (within "2021", length 7). One seek per answer.
  virtual Result<std::vector<std::string>> event_date_prefixes(std::string_view within, std::size_t length) const = 0;
  // Links of an article, in article order (unresolved ones included).
  virtual Result<std::vector<Link>> article_links(std::string_view article_id) const = 0;
  // Links that point at a photo, from every article. Corruption when a photo_links entry has no link.
  virtual Result<std::vector<Link>> photo_links(const Digest& digest) const = 0;
  // Paths that hold this photo's bytes, sorted.
  virtual Result<std::vector<File>> photo_files(const Digest& digest) const = 0;
  // Every file in the event's folder, sorted by path (orphans included).
  virtual Result<std::vector<EventFile>> event_files(std::string_view event_id) const = 0;
  // The event's photos in article order (by article, then position), then the rest by path. Each digest
  // appears once.
  virtual Result<std::vector<EventFile>> event_photos_in_order(std::string_view event_id) const = 0;

  // Full scans (verify, duplicates, search rebuild). The callback returns false to stop early.
  // A record that fails to decode is reported through `on_error` (key, status) and skipped; without an
  // `on_error` the scan stops there and returns that Corruption.
  using ErrorFn = std::function<void(std::string_view key, const Status&)>;
  virtual Status for_each_photo(const std::function<bool(const Photo&)>& fn, const ErrorFn& on_error = {}) const = 0;
  virtual Status for_each_file(const std::function<bool(const File&)>& fn, const ErrorFn& on_error = {}) const = 0;
  virtual Status for_each_event(const std::function<bool(const Event&)>& fn, const ErrorFn& on_error = {}) const = 0;
  virtual Status for_each_article(const std::function<bool(const Article&)>& fn,
                                  const ErrorFn& on_error = {}) const = 0;
  virtual Status for_each_link(const std::function<bool(const Link&)>& fn, const ErrorFn& on_error = {}) const = 0;

  // Raw access to any named database. The views are valid while the Snapshot lives.
  // raw_get: NotFound when absent (or when the database does not exist yet).
  virtual Result<std::string_view> raw_get(std::string_view db, std::string_view key) const = 0;
  // Visits keys >= `prefix` that start with it, in key order, until the visitor says stop or fails. Returns
  // OK when the keys ran out or the visitor stopped, the visitor's error when it failed, or LMDB's error.
  // A database this archive does not have yet is empty.
  virtual Status raw_scan(std::string_view db, std::string_view prefix, const ScanFn& fn) const = 0;
  // The same over keys in [from, ∞) (for range queries that are not prefixes).
  virtual Status raw_seek(std::string_view db, std::string_view from, const ScanFn& fn) const = 0;
};

// Ingest roots (FORMAT.md, "Roots"): the folders given to `kho ingest` and `kho watch` (a file's own folder),
// so that pages can show paths below them instead of the server's absolute paths.
// Records `root` (an absolute path as normalize_path spells it) with `when` (unix seconds).
void put_ingest_root(WriteBatch& batch, std::string_view root, std::int64_t when);
// Every recorded root, in byte order (empty for archives made before roots were recorded).
// Corruption when an entry fails its checksum.
Result<std::vector<std::string>> ingest_roots(const Snapshot& snap);
// `path` as people see it: below the longest root that holds it (equal to it, or followed by '/'), written as
// the root's own folder name, '/', and the rest ("/srv/anh/2021-01-05 Lũ/IMG_1.jpg" under root "/srv/anh" is
// "anh/2021-01-05 Lũ/IMG_1.jpg"; root "/" gives the path without its first '/'). A path under no root is
// returned unchanged. Raw bytes in, raw bytes out (display_path() makes them printable). Pure function.
std::string path_below_root(const std::vector<std::string>& roots, std::string_view path);

// Problems found by verify_catalog(): one human-readable line each.
struct VerifyReport {
  std::vector<std::string> problems;
  std::uint64_t records_checked = 0;
};
// Decodes every record and checks that references hold (DESIGN.md, issue "verify").
Result<VerifyReport> verify_catalog(const Catalog& catalog);

// An event's id: 16 lower-case hex digits of the 64-bit FNV-1a hash of the folder path's bytes (as
// normalize_path spells it). Stable across runs and machines; shared by ingest and the web routes.
// (Article ids are the first 16 hex digits of a SHA-256: kho::ingest::article_id.)
std::string event_id_for_folder(std::string_view folder_path);

}  // namespace kho
