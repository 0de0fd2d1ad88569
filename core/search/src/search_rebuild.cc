// Rebuilding the whole `terms` index (`kho reindex`) and telling an index of an older format.
#include <map>
#include <optional>

#include "kho/search.h"
#include "search_format.h"

namespace kho {
namespace si = search_internal;

Result<bool> search_index_current(const Snapshot& snap) {
  bool old = false;
  for (char prefix : {si::kOldOwnerPrefix, si::kOldFoldedPrefix}) {
    Status st = snap.raw_scan(db::kTerms, std::string(1, prefix), [&](std::string_view, std::string_view) {
      old = true;
      return ScanStep::Stop();
    });
    if (!st.ok() && !st.is_not_found()) return st;
  }
  return !old;
}

Result<RebuildStats> rebuild_search_index(Catalog& catalog, std::size_t ops_per_part) {
  RebuildStats stats;
  WriteBatch batch;
  batch.raw_delete_prefix(db::kTerms, "");
  KHO_RETURN_IF_ERROR(catalog.write(batch));
  batch.clear();
  auto commit = [&]() -> Status {
    if (batch.empty()) return Status::OK();
    Status st = catalog.write(batch);
    batch.clear();
    return st;
  };
  // Which event each photo belongs to (its first file's), and the ids of the articles: the snapshot is
  // closed before anything is written.
  std::map<Digest, std::string> photo_event;
  std::vector<std::string> article_ids;
  std::vector<Event> events;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    KHO_RETURN_IF_ERROR((*snap)->for_each_file([&](const File& f) {
      photo_event.emplace(f.digest, f.event_id);
      return true;
    }));
    KHO_RETURN_IF_ERROR((*snap)->for_each_event([&](const Event& e) {
      events.push_back(e);
      return true;
    }));
    KHO_RETURN_IF_ERROR((*snap)->for_each_article([&](const Article& a) {
      article_ids.push_back(a.id);
      return true;
    }));
  }
  for (const Event& e : events) {
    KHO_RETURN_IF_ERROR(index_event(nullptr, batch, e));
    ++stats.events;
    if (batch.size() >= ops_per_part) KHO_RETURN_IF_ERROR(commit());
  }
  KHO_RETURN_IF_ERROR(commit());
  for (const std::string& id : article_ids) {
    Result<Article> a = Status::NotFound("");
    {
      auto snap = catalog.snapshot();
      if (!snap.ok()) return snap.status();
      a = (*snap)->article(id);
    }
    if (!a.ok()) return a.status().with_context("reindex: article " + id);
    KHO_RETURN_IF_ERROR(commit());
    KHO_RETURN_IF_ERROR(reindex_article_in_parts(catalog, *a, ops_per_part));
    ++stats.articles;
  }
  std::vector<Photo> photos;
  auto flush_photos = [&]() -> Status {
    for (const Photo& p : photos) {
      auto it = photo_event.find(p.digest);
      KHO_RETURN_IF_ERROR(index_photo_text(nullptr, batch, p, it == photo_event.end() ? "" : it->second));
      ++stats.photos;
    }
    photos.clear();
    return commit();
  };
  // Photos a thousand at a time: read them in one snapshot, write them after it is closed.
  std::vector<Digest> digests;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    KHO_RETURN_IF_ERROR((*snap)->for_each_photo([&](const Photo& p) {
      digests.push_back(p.digest);
      return true;
    }));
  }
  for (std::size_t i = 0; i < digests.size();) {
    {
      auto snap = catalog.snapshot();
      if (!snap.ok()) return snap.status();
      for (; i < digests.size() && photos.size() < 1000; ++i) {
        Result<Photo> p = (*snap)->photo(digests[i]);
        if (!p.ok()) return p.status().with_context("reindex: photo " + digests[i].hex());
        photos.push_back(std::move(*p));
      }
    }
    KHO_RETURN_IF_ERROR(flush_photos());
  }
  catalog.release_mapped_pages();
  return stats;
}

}  // namespace kho
