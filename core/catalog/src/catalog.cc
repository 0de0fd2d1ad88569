// Opening an archive, and applying WriteBatches (with index upkeep and map growth).
#include <sys/stat.h>

#include <filesystem>
#include <mutex>

#include "catalog_impl.h"
#include "kho/crash_point.h"

namespace kho {
namespace fs = std::filesystem;

const std::vector<std::string_view>& all_databases() {
  static const std::vector<std::string_view> kAll = {
      db::kMeta,     db::kPhotos,   db::kFiles,       db::kPhotoFiles,   db::kEvents, db::kEventFiles,
      db::kArticles, db::kLinks,    db::kPhotoLinks,  db::kThumbs,       db::kDups,   db::kTerms,
      db::kUsers,    db::kSessions, db::kCorrections, db::kEventsByDate, db::kTraces, db::kRoots};
  return kAll;
}

MDB_dbi Catalog::Impl::dbi(std::string_view name) const {
  MDB_dbi d = 0;
  env.dbi(name, &d);
  return d;
}

namespace keys {
std::string photo_file(const Digest& d, std::string_view path) {
  std::string k(d.view());
  k.append(path);
  return k;
}
std::string event_file_prefix(std::string_view event_id) {
  std::string k(event_id);
  k.push_back('\0');
  return k;
}
std::string event_file(std::string_view event_id, std::string_view path) {
  std::string k = event_file_prefix(event_id);
  k.append(path);
  return k;
}
std::string link_prefix(std::string_view article_id) {
  std::string k(article_id);
  k.push_back('\0');
  return k;
}
std::string link(std::string_view article_id, std::uint32_t pos) {
  std::string k = link_prefix(article_id);
  codec::append_be32(&k, pos);
  return k;
}
std::string photo_link(const Digest& d, std::string_view article_id, std::uint32_t pos) {
  std::string k(d.view());
  k.append(link(article_id, pos));
  return k;
}
std::string thumb(const Digest& d, ThumbSize size) { return std::string(thumb_key(d, size).view()); }
}  // namespace keys

// ---------------- WriteBatch ----------------

WriteBatch::WriteBatch() = default;
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

namespace {
WriteBatch::Op raw_op(WriteBatch::Op::Kind kind, std::string_view db, std::string key, std::string value = {}) {
  WriteBatch::Op op;
  op.kind = kind;
  op.db = db;
  op.key = std::move(key);
  op.value = std::move(value);
  return op;
}
}  // namespace

void WriteBatch::raw_put(std::string_view db, std::string key, std::string value) {
  bytes_ += key.size() + value.size();
  ops_.push_back(raw_op(Op::Kind::kPut, db, std::move(key), std::move(value)));
}
void WriteBatch::raw_delete(std::string_view db, std::string key) {
  bytes_ += key.size();
  ops_.push_back(raw_op(Op::Kind::kDelete, db, std::move(key)));
}
void WriteBatch::raw_delete_prefix(std::string_view db, std::string prefix) {
  bytes_ += prefix.size();
  ops_.push_back(raw_op(Op::Kind::kDeletePrefix, db, std::move(prefix)));
}

void WriteBatch::put_photo(const Photo& photo) {
  raw_put(db::kPhotos, std::string(photo.digest.view()), codec::encode(photo));
}
void WriteBatch::put_file(const File& file) {
  Op op = raw_op(Op::Kind::kPutFile, db::kFiles, file.path, codec::encode(file));
  op.file = file;
  bytes_ += op.key.size() + op.value.size();
  ops_.push_back(std::move(op));
}
void WriteBatch::delete_file(const std::string& path) {
  bytes_ += path.size();
  ops_.push_back(raw_op(Op::Kind::kDeleteFile, db::kFiles, path));
}
void WriteBatch::put_event(const Event& event) {
  Op op = raw_op(Op::Kind::kPutEvent, db::kEvents, event.id, codec::encode(event));
  op.date_key = event_date_key(event);
  bytes_ += op.key.size() + op.value.size() + op.date_key.size();
  ops_.push_back(std::move(op));
}

std::string event_date_key_prefix(std::string_view date_prefix) {
  std::string k(1, '\0');
  for (char c : date_prefix) k.push_back(static_cast<char>(0xFF - static_cast<unsigned char>(c)));
  return k;
}

std::string event_date_key(const Event& event) {
  std::string k;
  if (event.date) {
    k = event_date_key_prefix(*event.date);
    k.push_back('\xFF');  // a date sorts after the longer dates it is a prefix of ("…T10:00" is newer)
  } else {
    k.push_back('\x01');
  }
  k.append(event.title);
  k.push_back('\0');
  k.append(event.id);
  return k;
}
void WriteBatch::put_article(const Article& article) {
  raw_put(db::kArticles, article.id, codec::encode(article));
}
void WriteBatch::put_links(const std::string& article_id, const std::vector<Link>& links) {
  Op op = raw_op(Op::Kind::kPutLinks, db::kLinks, article_id);
  op.links = links;
  for (auto& l : op.links) l.article_id = article_id;
  bytes_ += 128 * links.size();
  ops_.push_back(std::move(op));
}
void WriteBatch::put_thumb(const Digest& digest, ThumbSize size, std::string jpeg) {
  raw_put(db::kThumbs, keys::thumb(digest, size), std::move(jpeg));
}
void WriteBatch::delete_photo(const Digest& digest) {
  bytes_ += 32;
  ops_.push_back(raw_op(Op::Kind::kDeletePhoto, db::kPhotos, std::string(digest.view())));
}
void WriteBatch::put_meta(std::string_view key, std::string_view value) {
  raw_put(db::kMeta, std::string(key), std::string(value));
}
std::size_t WriteBatch::size() const { return ops_.size(); }
std::size_t WriteBatch::byte_size() const { return bytes_; }
void WriteBatch::clear() {
  ops_.clear();
  bytes_ = 0;
}

// ---------------- applying ----------------

namespace {

Status delete_prefix(lmdb::Txn& txn, MDB_dbi dbi, std::string_view prefix) {
  lmdb::Cursor cur;
  KHO_RETURN_IF_ERROR(cur.open(txn, dbi));
  std::string_view k, v;
  bool more = cur.seek(prefix, &k, &v);
  while (more && k.substr(0, prefix.size()) == prefix) {
    KHO_RETURN_IF_ERROR(cur.del_current());
    // After MDB_cursor_del the cursor sits on the next item; MDB_GET_CURRENT would re-read it, but
    // MDB_NEXT after a delete is documented to move to the item after the deleted one.
    more = cur.next(&k, &v);
  }
  return Status::OK();
}

// Removes the index entries of the file currently stored at `path`, if any.
Status unindex_file(const Catalog::Impl& c, lmdb::Txn& txn, std::string_view path) {
  auto old = txn.get(c.dbi(db::kFiles), path);
  if (!old.ok()) return old.status().is_not_found() ? Status::OK() : old.status();
  File prev;
  KHO_RETURN_IF_ERROR(codec::decode(*old, &prev).with_context("files"));
  KHO_RETURN_IF_ERROR(txn.del(c.dbi(db::kPhotoFiles), keys::photo_file(prev.digest, path)));
  if (!prev.event_id.empty())
    KHO_RETURN_IF_ERROR(txn.del(c.dbi(db::kEventFiles), keys::event_file(prev.event_id, path)));
  return Status::OK();
}

Status apply_links(const Catalog::Impl& c, lmdb::Txn& txn, const WriteBatch::Op& op) {
  const std::string prefix = keys::link_prefix(op.key);
  MDB_dbi links = c.dbi(db::kLinks), rev = c.dbi(db::kPhotoLinks);
  {  // remove the old links and their reverse entries
    lmdb::Cursor cur;
    KHO_RETURN_IF_ERROR(cur.open(txn, links));
    std::string_view k, v;
    bool more = cur.seek(prefix, &k, &v);
    while (more && k.substr(0, prefix.size()) == prefix) {
      Link old;
      if (codec::decode(v, &old).ok() && old.digest)
        KHO_RETURN_IF_ERROR(txn.del(rev, keys::photo_link(*old.digest, op.key, old.position)));
      KHO_RETURN_IF_ERROR(cur.del_current());
      more = cur.next(&k, &v);
    }
  }
  for (const Link& l : op.links) {
    KHO_RETURN_IF_ERROR(txn.put(links, keys::link(op.key, l.position), codec::encode(l)));
    if (l.digest) KHO_RETURN_IF_ERROR(txn.put(rev, keys::photo_link(*l.digest, op.key, l.position), {}));
  }
  return Status::OK();
}

// Replaces an event record and its events_by_date entry. An old record that cannot be decoded leaves its
// old entry behind (kho verify names it); the new one is written all the same.
Status apply_event(const Catalog::Impl& c, lmdb::Txn& txn, const WriteBatch::Op& op) {
  MDB_dbi events = c.dbi(db::kEvents), by_date = c.dbi(db::kEventsByDate);
  auto old = txn.get(events, op.key);
  if (!old.ok() && !old.status().is_not_found()) return old.status();
  if (old.ok()) {
    Event prev;
    if (codec::decode(*old, &prev).ok()) {
      std::string prev_key = event_date_key(prev);
      if (prev_key != op.date_key) KHO_RETURN_IF_ERROR(txn.del(by_date, prev_key));
    }
  }
  KHO_RETURN_IF_ERROR(txn.put(events, op.key, op.value));
  return txn.put(by_date, op.date_key, op.key);
}

}  // namespace

Status rebuild_events_by_date(const Catalog::Impl& c, lmdb::Txn& txn) {
  MDB_dbi events = c.dbi(db::kEvents), by_date = c.dbi(db::kEventsByDate);
  KHO_RETURN_IF_ERROR(delete_prefix(txn, by_date, {}));
  std::vector<std::pair<std::string, std::string>> entries;
  {
    lmdb::Cursor cur;
    KHO_RETURN_IF_ERROR(cur.open(txn, events));
    std::string_view k, v;
    for (bool more = cur.seek({}, &k, &v); more; more = cur.next(&k, &v)) {
      Event ev;
      if (codec::decode(v, &ev).ok()) entries.emplace_back(event_date_key(ev), std::string(k));  // else: verify
    }
  }
  for (const auto& [key, id] : entries) KHO_RETURN_IF_ERROR(txn.put(by_date, key, id));
  return txn.put(c.dbi(db::kMeta), kEventsByDateBuilt, "1");
}

namespace {

Status apply_op(const Catalog::Impl& c, lmdb::Txn& txn, const WriteBatch::Op& op) {
  using Kind = WriteBatch::Op::Kind;
  MDB_dbi d;
  if (!c.env.dbi(op.db, &d)) return Status::InvalidArgument("unknown database " + std::string(op.db));
  switch (op.kind) {
    case Kind::kPut: return txn.put(d, op.key, op.value);
    case Kind::kDelete: return txn.del(d, op.key);
    case Kind::kDeletePrefix: return delete_prefix(txn, d, op.key);
    case Kind::kPutFile: {
      KHO_RETURN_IF_ERROR(unindex_file(c, txn, op.key));
      KHO_RETURN_IF_ERROR(txn.put(d, op.key, op.value));
      KHO_RETURN_IF_ERROR(txn.put(c.dbi(db::kPhotoFiles), keys::photo_file(op.file->digest, op.key), {}));
      if (!op.file->event_id.empty())
        KHO_RETURN_IF_ERROR(txn.put(c.dbi(db::kEventFiles), keys::event_file(op.file->event_id, op.key),
                                    op.file->digest.view()));
      return Status::OK();
    }
    case Kind::kDeleteFile:
      KHO_RETURN_IF_ERROR(unindex_file(c, txn, op.key));
      return txn.del(d, op.key);
    case Kind::kPutLinks: return apply_links(c, txn, op);
    case Kind::kPutEvent: return apply_event(c, txn, op);
    case Kind::kRebuildEventsByDate: return rebuild_events_by_date(c, txn);
    case Kind::kDeletePhoto: {
      Digest dg;
      std::copy(op.key.begin(), op.key.end(), reinterpret_cast<char*>(dg.bytes.data()));
      KHO_RETURN_IF_ERROR(txn.del(d, op.key));
      KHO_RETURN_IF_ERROR(txn.del(c.dbi(db::kThumbs), keys::thumb(dg, ThumbSize::kGrid)));
      KHO_RETURN_IF_ERROR(txn.del(c.dbi(db::kThumbs), keys::thumb(dg, ThumbSize::kMid)));
      return txn.del(c.dbi(db::kThumbs), keys::thumb(dg, ThumbSize::kPreview));
    }
  }
  return Status::InvalidArgument("unknown operation");
}

// Snapshots held by this thread: growing the map waits for every snapshot of the process to end, so a
// thread that holds one must not wait for itself.
thread_local int t_snapshots_held = 0;

}  // namespace

void note_snapshot_opened() { ++t_snapshots_held; }
void note_snapshot_closed() { --t_snapshots_held; }

// ---------------- Catalog ----------------

Catalog::Catalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Catalog::~Catalog() = default;
const std::string& Catalog::dir() const { return impl_->dir; }
bool Catalog::read_only() const { return impl_->read_only; }

Result<std::unique_ptr<Catalog>> Catalog::open(const std::string& dir, const CatalogOptions& options) {
  std::error_code ec;
  const bool exists = fs::exists(fs::path(dir) / "data.mdb", ec);
  if (!exists) {
    if (options.read_only || !options.create_if_missing)
      return Status::NotFound("no archive at " + dir + " (run `kho ingest` first, or pass --archive DIR)");
    fs::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create archive directory " + dir + ": " + ec.message());
  }
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  impl->read_only = options.read_only;
  impl->keep_mapped_pages = options.keep_mapped_pages;
  // The format version is written in the transaction that creates the databases, so a crash can never
  // leave an archive without it; an existing archive's version is checked below.
  auto write_format = [](lmdb::Txn& txn, const lmdb::Env& env) -> Status {
    MDB_dbi meta;
    if (!env.dbi(db::kMeta, &meta)) return Status::Corruption("the meta database is missing");
    auto have = txn.get(meta, "format");
    if (have.ok()) return Status::OK();
    if (!have.status().is_not_found()) return have.status();
    KHO_RETURN_IF_ERROR(txn.put(meta, "format", std::to_string(kFormatVersion)));
    KHO_RETURN_IF_ERROR(txn.put(meta, "created_by", "kho " KHO_CORE_VERSION));
    KHO_RETURN_IF_ERROR(txn.put(meta, kEventsByDateBuilt, "1"));  // no events yet: the index is complete
    crash_point("catalog.create.before_commit");
    return Status::OK();
  };
  // LMDB makes data.mdb inside mdb_env_open, before any transaction commits, so a process killed during
  // its very first open leaves a data.mdb (empty, or two meta pages) in which nothing was ever committed.
  // A read-write open simply creates the archive there; a read-only one says so instead of "corrupt".
  auto never_created = [&dir] {
    return Status::NotFound("archive " + dir + " was never finished being created; run kho ingest to create it");
  };
  if (exists && options.read_only && fs::file_size(fs::path(dir) / "data.mdb", ec) == 0 && !ec) return never_created();
  KHO_RETURN_IF_ERROR(impl->env.open(dir, options.read_only, options.initial_map_size, options.max_readers,
                                     all_databases(), write_format));
  if (options.read_only && impl->env.dbis().empty()) return never_created();
  std::unique_ptr<Catalog> cat(new Catalog(std::move(impl)));

  auto snap = cat->snapshot();
  if (!snap.ok()) return snap.status();
  auto version = (*snap)->meta("format");
  snap->reset();
  if (version.ok()) {
    if (*version != std::to_string(kFormatVersion))
      return Status::Unsupported("archive " + dir + " has format version " + *version + "; this kho reads version " +
                                 std::to_string(kFormatVersion) + " only");
  } else if (!version.status().is_not_found()) {
    return version.status();
  } else {
    return Status::Corruption("archive " + dir + " has no format version");
  }
  // An archive from before `events_by_date` gets it once, in one transaction (readers sort by themselves
  // until then).
  if (!options.read_only) {
    auto check = cat->snapshot();
    if (!check.ok()) return check.status();
    auto built = (*check)->meta(kEventsByDateBuilt);
    check->reset();
    if (!built.ok() && !built.status().is_not_found()) return built.status();
    if (!built.ok()) {
      WriteBatch rebuild;
      WriteBatch::Op op;
      op.kind = WriteBatch::Op::Kind::kRebuildEventsByDate;
      op.db = db::kEventsByDate;
      rebuild.ops_.push_back(std::move(op));
      KHO_RETURN_IF_ERROR(cat->write(rebuild).with_context("building the events_by_date index of " + dir));
    }
  }
  return cat;
}

Status Catalog::write(const WriteBatch& batch) {
  if (impl_->read_only) return Status::InvalidArgument("archive " + impl_->dir + " is open read-only");
  for (int attempt = 0; attempt < 40; ++attempt) {
    bool grow = false;
    {
      std::shared_lock lock(impl_->env.resize_mutex());
      lmdb::Txn txn;
      Status st = txn.begin(impl_->env.get(), false);
      if (st.code() == Status::Code::kBusy && txn.last_rc() == MDB_MAP_RESIZED) {
        lock.unlock();
        KHO_RETURN_IF_ERROR(impl_->env.adopt_new_size());
        continue;
      }
      KHO_RETURN_IF_ERROR(st);
      for (const auto& op : batch.ops_) {
        st = apply_op(*impl_, txn, op);
        if (!st.ok()) break;
      }
      if (st.ok()) {
        crash_point("catalog.write.before_commit");
        st = txn.commit();
      }
      if (st.ok()) {
        crash_point("catalog.write.after_commit");
        // A long ingest reads pages of an ever larger map; let them go after each batch (see Env).
        release_mapped_pages();
        return st;
      }
      if (txn.last_rc() != MDB_MAP_FULL) return lmdb::explain_write_failure(st, txn.last_rc(), impl_->dir);
      grow = true;
    }
    if (grow) {
      if (t_snapshots_held > 0)
        return Status::Busy("the archive's map is full and cannot grow while this thread holds a snapshot");
      KHO_RETURN_IF_ERROR(impl_->env.grow());
    }
  }
  return Status::IOError("the archive's map could not grow enough for one batch");
}

Result<std::unique_ptr<Snapshot>> Catalog::snapshot() const {
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::shared_lock lock(impl_->env.resize_mutex());
    lmdb::Txn txn;
    Status st = txn.begin(impl_->env.get(), true);
    if (st.code() == Status::Code::kBusy && txn.last_rc() == MDB_MAP_RESIZED) {
      lock.unlock();
      KHO_RETURN_IF_ERROR(impl_->env.adopt_new_size());
      continue;
    }
    KHO_RETURN_IF_ERROR(st);
    return make_snapshot(*impl_, std::move(txn), std::move(lock));
  }
  return Status::Busy("the archive's map keeps changing size");
}

void Catalog::release_mapped_pages() const {
  if (!impl_->keep_mapped_pages) impl_->env.release_mapped_pages();
}
void Catalog::prewarm(std::stop_token stop) const { impl_->env.prewarm(stop); }

Result<CatalogStats> Catalog::stats() const {
  CatalogStats s;
  s.map_size = impl_->env.map_size();
  std::error_code ec;
  auto sz = fs::file_size(fs::path(impl_->dir) / "data.mdb", ec);
  s.file_size = ec ? 0 : sz;
  auto snap = snapshot();
  if (!snap.ok()) return snap.status();
  auto v = (*snap)->meta("format");
  s.format_version = v.ok() ? std::atoi(v->c_str()) : 0;
  snap->reset();
  lmdb::Txn txn;
  KHO_RETURN_IF_ERROR(txn.begin(impl_->env.get(), true));
  for (auto name : all_databases()) {
    MDB_dbi d;
    if (!impl_->env.dbi(name, &d)) continue;
    MDB_stat st;
    KHO_RETURN_IF_ERROR(lmdb::lmdb_status(mdb_stat(txn.get(), d, &st), "stat"));
    s.dbs.push_back({std::string(name), st.ms_entries,
                     std::uint64_t{st.ms_psize} * (st.ms_branch_pages + st.ms_leaf_pages + st.ms_overflow_pages)});
  }
  return s;
}

std::string event_id_for_folder(std::string_view folder_path) {
  // FNV-1a, 64 bits: stable across runs and machines, and collision-free in practice for the thousands of
  // folders an archive holds. Core stays free of a crypto dependency for this.
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : folder_path) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

}  // namespace kho
