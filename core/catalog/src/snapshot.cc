// Snapshot: the read side of the catalog, over one LMDB read transaction.
#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "catalog_impl.h"

namespace kho {
namespace {

class LmdbSnapshot final : public Snapshot {
 public:
  LmdbSnapshot(const Catalog::Impl& impl, lmdb::Txn txn, std::shared_lock<std::shared_mutex> lock)
      : c_(impl), txn_(std::move(txn)), lock_(std::move(lock)) {
    note_snapshot_opened();
  }
  ~LmdbSnapshot() override {
    txn_.abort();
    note_snapshot_closed();
  }

  Result<Photo> photo(const Digest& digest) const override { return get_record<Photo>(db::kPhotos, digest.view()); }
  Result<File> file(std::string_view path) const override { return get_record<File>(db::kFiles, path); }
  Result<Event> event(std::string_view id) const override { return get_record<Event>(db::kEvents, id); }
  Result<Article> article(std::string_view id) const override { return get_record<Article>(db::kArticles, id); }

  Result<std::string_view> thumb_view(const Digest& digest, ThumbSize size) const override {
    return raw_get(db::kThumbs, keys::thumb_key(digest, size).view());
  }
  std::uint64_t version() const override { return static_cast<std::uint64_t>(mdb_txn_id(txn_.get())); }
  Result<std::string> meta(std::string_view key) const override {
    auto v = raw_get(db::kMeta, key);
    if (!v.ok()) return v.status();
    return std::string(*v);
  }

  Result<std::vector<Event>> events_newest_first(std::size_t offset, std::size_t limit) const override {
    return events_by_date({}, offset, limit, nullptr);
  }

  Result<std::vector<Event>> events_by_date(std::string_view date_prefix, std::size_t offset, std::size_t limit,
                                            std::uint64_t* total) const override {
    if (!index_built()) return events_sorted_here(date_prefix, offset, limit, total);
    // Every event, undated ones included (after the dated: their keys start 0x01), or the dated ones of a prefix.
    const std::string prefix = date_prefix.empty() ? std::string() : event_date_key_prefix(date_prefix);
    std::vector<std::string> ids;
    std::uint64_t seen = 0;
    const bool count_all = total && !date_prefix.empty();
    Status st = raw_scan(db::kEventsByDate, prefix, [&](std::string_view, std::string_view id) -> ScanStep {
      if (seen >= offset && ids.size() < limit) ids.emplace_back(id);
      ++seen;
      return count_all || ids.size() < limit ? ScanStep::Continue() : ScanStep::Stop();
    });
    if (!st.ok()) return st.with_context("events_by_date");
    if (total) {
      if (count_all) {
        *total = seen;
      } else {
        Result<std::uint64_t> n = event_count();
        if (!n.ok()) return n.status();
        *total = *n;
      }
    }
    std::vector<Event> out;
    out.reserve(ids.size());
    for (const std::string& id : ids) {
      Result<Event> ev = event(id);
      if (!ev.ok()) return ev.status().with_context("event " + id + " named by events_by_date");
      out.push_back(std::move(*ev));
    }
    return out;
  }

  Result<std::vector<std::string>> event_date_prefixes(std::string_view within, std::size_t length) const override {
    std::vector<std::string> out;
    if (!index_built()) {
      std::set<std::string, std::greater<>> found;
      KHO_RETURN_IF_ERROR(for_each_event(
          [&](const Event& e) {
            if (e.date && e.date->size() >= length && e.date->compare(0, within.size(), within) == 0)
              found.insert(e.date->substr(0, length));
            return true;
          },
          {}));
      return std::vector<std::string>(found.begin(), found.end());
    }
    // Skip scan: read the first key at or after `from`, take its prefix, then seek past every key that shares it.
    std::string from = event_date_key_prefix(within);
    const std::string scope = from;
    for (;;) {
      std::optional<std::string> next;
      Status st = raw_seek(db::kEventsByDate, from, [&](std::string_view k, std::string_view) -> ScanStep {
        if (k.substr(0, scope.size()) != scope) return ScanStep::Stop();
        std::string date;
        for (std::size_t i = 1; i < k.size() && static_cast<unsigned char>(k[i]) != 0xFF && date.size() < length; ++i)
          date.push_back(static_cast<char>(0xFF - static_cast<unsigned char>(k[i])));
        if (date.size() < length) return ScanStep::Continue();  // a date shorter than `length`
        next = std::move(date);
        return ScanStep::Stop();
      });
      if (!st.ok()) return st.with_context("events_by_date");
      if (!next) break;
      from = event_date_key_prefix(*next);
      // The first key after every key with this prefix: the prefix's last byte + 1 (inverted bytes are never 0xFF
      // but for the terminator, which only follows a whole date).
      from.back() = static_cast<char>(static_cast<unsigned char>(from.back()) + 1);
      out.push_back(std::move(*next));
    }
    return out;
  }

  Result<std::uint64_t> event_count() const override {
    MDB_stat st;
    MDB_dbi d;
    if (!c_.env.dbi(db::kEvents, &d)) return std::uint64_t{0};
    KHO_RETURN_IF_ERROR(lmdb::lmdb_status(mdb_stat(txn_.get(), d, &st), "stat events"));
    return std::uint64_t{st.ms_entries};
  }

  Result<std::vector<Link>> article_links(std::string_view article_id) const override {
    std::vector<Link> out;
    const std::string prefix = keys::link_prefix(article_id);
    Status st = raw_scan(db::kLinks, prefix, [&](std::string_view, std::string_view v) -> ScanStep {
      KHO_RETURN_IF_ERROR(codec::decode(v, &out.emplace_back()));
      return ScanStep::Continue();
    });
    if (!st.ok()) return st.with_context("links of article " + std::string(article_id));
    return out;
  }

  Result<std::vector<Link>> photo_links(const Digest& digest) const override {
    std::vector<Link> out;
    Status st = raw_scan(db::kPhotoLinks, digest.view(), [&](std::string_view k, std::string_view) -> ScanStep {
      auto link = raw_get(db::kLinks, k.substr(32));
      if (!link.ok())
        return link.status().is_not_found() ? Status::Corruption("photo_links entry without its link") : link.status();
      return codec::decode(*link, &out.emplace_back());
    });
    if (!st.ok()) return st.with_context("links of photo " + digest.hex());
    return out;
  }

  Result<std::vector<File>> photo_files(const Digest& digest) const override {
    std::vector<File> out;
    Status st = raw_scan(db::kPhotoFiles, digest.view(), [&](std::string_view k, std::string_view) -> ScanStep {
      auto f = file(k.substr(32));
      if (!f.ok()) return f.status();
      out.push_back(std::move(*f));
      return ScanStep::Continue();
    });
    if (!st.ok()) return st.with_context("files of photo " + digest.hex());
    return out;
  }

  Result<std::vector<EventFile>> event_files(std::string_view event_id) const override {
    std::vector<EventFile> out;
    const std::string prefix = keys::event_file_prefix(event_id);
    KHO_RETURN_IF_ERROR(raw_scan(db::kEventFiles, prefix, [&](std::string_view k, std::string_view v) -> ScanStep {
      if (v.size() != 32) return Status::Corruption("event_files value is not a digest");
      EventFile ef;
      ef.path = std::string(k.substr(prefix.size()));
      std::copy(v.begin(), v.end(), reinterpret_cast<char*>(ef.digest.bytes.data()));
      out.push_back(std::move(ef));
      return ScanStep::Continue();
    }));
    return out;
  }

  Result<std::vector<EventFile>> event_photos_in_order(std::string_view event_id) const override {
    auto ev = event(event_id);
    if (!ev.ok()) return ev.status();
    std::vector<EventFile> out;
    std::set<Digest> seen;
    for (const auto& aid : ev->article_ids) {
      auto links = article_links(aid);
      if (!links.ok()) return links.status();
      for (const auto& l : *links)
        if (l.digest && seen.insert(*l.digest).second) out.push_back({l.path, *l.digest});
    }
    auto files = event_files(event_id);
    if (!files.ok()) return files.status();
    for (auto& f : *files)
      if (seen.insert(f.digest).second) out.push_back(std::move(f));
    return out;
  }

  Status for_each_photo(const std::function<bool(const Photo&)>& fn, const ErrorFn& on_error) const override {
    return for_each_record<Photo>(db::kPhotos, fn, on_error);
  }
  Status for_each_file(const std::function<bool(const File&)>& fn, const ErrorFn& on_error) const override {
    return for_each_record<File>(db::kFiles, fn, on_error);
  }
  Status for_each_event(const std::function<bool(const Event&)>& fn, const ErrorFn& on_error) const override {
    return for_each_record<Event>(db::kEvents, fn, on_error);
  }
  Status for_each_article(const std::function<bool(const Article&)>& fn, const ErrorFn& on_error) const override {
    return for_each_record<Article>(db::kArticles, fn, on_error);
  }
  Status for_each_link(const std::function<bool(const Link&)>& fn, const ErrorFn& on_error) const override {
    return for_each_record<Link>(db::kLinks, fn, on_error);
  }

  Result<std::string_view> raw_get(std::string_view db, std::string_view key) const override {
    MDB_dbi d;
    if (!c_.env.dbi(db, &d)) return Status::NotFound("no database " + std::string(db));
    auto v = txn_.get(d, key);
    if (!v.ok() && v.status().is_not_found()) return Status::NotFound(std::string(db) + ": key not found");
    return v;
  }

  Status raw_scan(std::string_view db, std::string_view prefix, const ScanFn& fn) const override {
    return raw_seek(db, prefix, [&](std::string_view k, std::string_view v) {
      if (k.substr(0, prefix.size()) != prefix) return ScanStep::Stop();
      return fn(k, v);
    });
  }

  Status raw_seek(std::string_view db, std::string_view from, const ScanFn& fn) const override {
    MDB_dbi d;
    if (!c_.env.dbi(db, &d)) return Status::OK();  // a database this archive does not have yet is empty
    lmdb::Cursor cur;
    KHO_RETURN_IF_ERROR(cur.open(txn_, d));
    std::string_view k, v;
    for (bool more = cur.seek(from, &k, &v); more; more = cur.next(&k, &v)) {
      ScanStep step = fn(k, v);
      if (step.ends_scan()) return step.status();
    }
    if (cur.last_rc() != MDB_SUCCESS && cur.last_rc() != MDB_NOTFOUND)
      return lmdb::lmdb_status(cur.last_rc(), "scanning " + std::string(db));
    return Status::OK();
  }

 private:
  template <typename T>
  Result<T> get_record(std::string_view db, std::string_view key) const {
    // One return of one named object: decoded in place and returned by NRVO (a Photo is ~1 KB of
    // fields; moving it cost more than decoding its strings).
    Result<T> out(std::in_place);
    if (auto v = raw_get(db, key); !v.ok()) {
      out = v.status();
    } else if (Status st = codec::decode(*v, &*out); !st.ok()) {
      out = st.with_context(std::string(db) + " record");
    }
    return out;
  }

  template <typename T>
  Status for_each_record(std::string_view db, const std::function<bool(const T&)>& fn, const ErrorFn& on_error) const {
    return raw_seek(db, {}, [&](std::string_view k, std::string_view v) -> ScanStep {
      T rec;
      Status st = codec::decode(v, &rec);
      if (!st.ok()) {
        if (!on_error) return st.with_context(std::string(db) + " record");
        on_error(k, st);
        return ScanStep::Continue();
      }
      return fn(rec) ? ScanStep::Continue() : ScanStep::Stop();
    });
  }

  bool index_built() const { return raw_get(db::kMeta, kEventsByDateBuilt).ok(); }

  // Without the index: read every event, sort, filter by date prefix, page.
  Result<std::vector<Event>> events_sorted_here(std::string_view date_prefix, std::size_t offset, std::size_t limit,
                                                std::uint64_t* total) const {
    std::vector<Event> all;
    KHO_RETURN_IF_ERROR(for_each_event(
        [&](const Event& e) {
          if (date_prefix.empty() || (e.date && e.date->compare(0, date_prefix.size(), date_prefix) == 0))
            all.push_back(e);
          return true;
        },
        {}));
    std::sort(all.begin(), all.end(),
              [](const Event& a, const Event& b) { return event_date_key(a) < event_date_key(b); });
    if (total) *total = all.size();
    if (offset >= all.size()) return std::vector<Event>{};
    auto end = all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), offset + limit));
    return std::vector<Event>(all.begin() + static_cast<std::ptrdiff_t>(offset), end);
  }

  const Catalog::Impl& c_;
  lmdb::Txn txn_;
  std::shared_lock<std::shared_mutex> lock_;
};

}  // namespace

std::unique_ptr<Snapshot> make_snapshot(const Catalog::Impl& impl, lmdb::Txn txn,
                                        std::shared_lock<std::shared_mutex> lock) {
  return std::make_unique<LmdbSnapshot>(impl, std::move(txn), std::move(lock));
}

}  // namespace kho
