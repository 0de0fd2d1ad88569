// ingest(): scan, skip unchanged files, the oneTBB photo pipeline, then events and clean-up.
// The photo stages live in pipeline_photos.cc; this file orders the phases and owns the summary.
#include "kho/ingest/pipeline.h"

#include <sys/stat.h>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>
#include <thread>
#include <unordered_map>

#include "event_builder.h"
#include "kho/crash_point.h"
#include "kho/ingest/scanner.h"
#include "kho/search.h"
#include "pairs.h"
#include "pipeline_photos.h"
#include "pipeline_util.h"
#include "raw_preview.h"

namespace kho::ingest {
namespace {

using detail::display;

// Commits `batch` (if it holds anything) and clears it.
Status flush(Catalog& catalog, WriteBatch& batch) {
  if (batch.empty()) return Status::OK();
  Status st = catalog.write(batch);
  batch.clear();
  return st;
}

// Files the catalog knows under a scanned folder root that the scan did not find any more (deleted or
// moved away): forget them, and remember their photos for the garbage check.
Status remove_missing(Catalog& catalog, const std::vector<std::string>& dir_roots,
                      const std::set<std::string, std::less<>>& scanned, std::set<Digest>& gc,
                      IngestSummary& summary) {
  std::vector<std::pair<std::string, Digest>> gone;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    for (const auto& root : dir_roots) {
      std::string prefix = root == "/" ? root : root + "/";
      KHO_RETURN_IF_ERROR((*snap)->raw_scan(db::kFiles, prefix, [&](std::string_view key, std::string_view) {
        if (!scanned.contains(key)) gone.emplace_back(std::string(key), Digest{});
        return ScanStep::Continue();
      }));
    }
    for (auto& [path, digest] : gone) {
      auto f = (*snap)->file(path);
      if (f.ok()) digest = f->digest;
    }
  }
  WriteBatch batch;
  for (const auto& [path, digest] : gone) {
    batch.delete_file(path);
    gc.insert(digest);
    ++summary.files_removed;
  }
  return flush(catalog, batch);
}

// Photos that lost their last file and their last link (a changed file's old bytes) are deleted; a photo
// that anything still refers to is kept.
Status collect_garbage(Catalog& catalog, const std::set<Digest>& candidates, IngestSummary& summary) {
  if (candidates.empty()) return Status::OK();
  WriteBatch batch;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    // An event whose folder was not scanned this time may still show one of them as its cover.
    std::set<Digest> covers;
    KHO_RETURN_IF_ERROR((*snap)->for_each_event([&](const Event& e) {
      if (e.cover && candidates.contains(*e.cover)) covers.insert(*e.cover);
      return true;
    }));
    for (const auto& d : candidates) {
      if (covers.contains(d)) continue;
      if (!(*snap)->photo(d).ok()) continue;
      auto files = (*snap)->photo_files(d);
      auto links = (*snap)->photo_links(d);
      if (!files.ok() || !links.ok() || !files->empty() || !links->empty()) continue;
      batch.delete_photo(d);
      ++summary.photos_removed;
    }
  }
  return flush(catalog, batch);
}

// Articles too long to index in one batch (event_builder.h): indexed in parts, after their records are
// committed, with no snapshot held. Postings per part, measured on a 16 MB article (peak RSS, wall time):
// 100,000: 303 MB, 21 s; 50,000: 253 MB, 35 s; 25,000: 209 MB, 52 s (smaller parts rewrite more B-tree
// pages per posting). 50,000 keeps ingest under its 300 MB budget.
Status index_long_articles(Catalog& catalog, std::vector<Article>& articles) {
  constexpr std::size_t kOpsPerPart = 50'000;
  for (const auto& a : articles) KHO_RETURN_IF_ERROR(reindex_article_in_parts(catalog, a, kOpsPerPart));
  articles.clear();
  return Status::OK();
}

// RAW+JPEG pairs: the raw file of a pair gets a File pointing at its JPEG's photo, so the pair is one photo with
// two files (counted once in photos_added, once in the event, never a duplicate of itself). Its bytes are not
// read. When the JPEG did not make it into the archive (it failed), the raw file is ingested as a photo of its
// own. Runs after the JPEGs are committed, so a kill in between only leaves the raw file for the next run.
template <typename CompanionList>
Status file_companions(Catalog& catalog, const PhotoProcessor& processor, const CompanionList& companions,
                       const IngestOptions& options, std::unordered_map<std::string, Digest>& stored,
                       std::set<Digest>& gc, IngestSummary& summary, IngestProgress& progress,
                       std::chrono::steady_clock::time_point t0) {
  WriteBatch batch;
  std::vector<detail::PhotoJob> alone;
  for (const auto& c : companions) {
    auto jpeg = stored.find(c.jpeg_path);
    if (jpeg == stored.end()) {
      alone.push_back(c.job);
      continue;
    }
    if (c.unchanged && c.job.old_digest == jpeg->second) {
      stored[c.job.file->path] = jpeg->second;
      ++summary.photos_unchanged;
      ++summary.skipped_by_stat;
      ++progress.done;
      ++progress.committed;
      continue;
    }
    File file;
    file.path = c.job.file->path;
    file.digest = jpeg->second;
    file.size = c.job.file->size;
    file.mtime_ns = c.job.file->mtime_ns;
    file.event_id = c.job.event_id;
    batch.put_file(file);
    stored[file.path] = file.digest;
    if (c.job.old_digest && *c.job.old_digest != file.digest) gc.insert(*c.job.old_digest);
    ++summary.pair_files;
    ++progress.done;
    ++progress.committed;
  }
  if (!batch.empty()) KHO_RETURN_IF_ERROR(catalog.write(batch));
  if (alone.empty()) return Status::OK();
  auto photos = detail::run_photo_pipeline(catalog, processor, alone, options, summary, progress, t0);
  if (!photos.ok()) return photos.status();
  for (auto& [path, digest] : photos->stored) stored[path] = digest;
  gc.insert(photos->replaced.begin(), photos->replaced.end());
  return Status::OK();
}

// Events, articles and links of every scanned folder, a few folders per transaction.
Status build_events(Catalog& catalog, const ScanResult& scan,
                    const std::unordered_map<std::string, Digest>& stored, IngestSummary& summary,
                    const IngestOptions& options, IngestProgress& progress) {
  constexpr std::size_t kFoldersPerBatch = 32;
  std::set<std::string> indexed;
  std::vector<Article> index_later;
  for (std::size_t start = 0; start < scan.folders.size(); start += kFoldersPerBatch) {
    WriteBatch batch;
    {
      auto snap = catalog.snapshot();
      if (!snap.ok()) return snap.status();
      std::size_t end = std::min(scan.folders.size(), start + kFoldersPerBatch);
      for (std::size_t i = start; i < end; ++i) {
        detail::FolderWork work;
        work.folder = &scan.folders[i];
        work.max_article_bytes = options.max_article_bytes;
        work.index_later = &index_later;
        for (const auto& f : scan.folders[i].photos) {
          auto it = stored.find(f.path);
          if (it != stored.end()) work.photos.push_back({f.path, it->second});
        }
        KHO_RETURN_IF_ERROR(detail::build_event(snap->get(), work, batch, summary, indexed));
      }
    }  // the snapshot ends before the write: a write that must grow the map needs no reader in this process
    KHO_RETURN_IF_ERROR(flush(catalog, batch));
    KHO_RETURN_IF_ERROR(index_long_articles(catalog, index_later));
    indexed.clear();
    if (options.progress) options.progress(progress);
  }
  return Status::OK();
}

// The folders given to ingest (a file's own folder), recorded once so that pages show paths below them
// (FORMAT.md, "Roots"). Roots that do not exist are not recorded, nor folders inside a recorded root: `kho watch`
// ingests each changed event folder as a root of its own, and its watched folder (recorded by the catch-up
// ingest) must stay the one paths are shown below.
Status record_roots(Catalog& catalog, const std::vector<std::string>& roots) {
  WriteBatch batch;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    Result<std::vector<std::string>> recorded = ingest_roots(**snap);
    if (!recorded.ok()) return recorded.status();
    auto covered = [&](const std::string& root) {
      for (const std::string& r : *recorded)
        if (root == r || r == "/" || (root.size() > r.size() && root.starts_with(r) && root[r.size()] == '/'))
          return true;
      return false;
    };
    std::set<std::string> known;
    for (const auto& r : roots) {
      struct stat st {};
      if (r.empty() || ::stat(r.c_str(), &st) != 0) continue;
      std::string root = normalize_path(r);
      if (!S_ISDIR(st.st_mode)) {
        const std::size_t slash = root.rfind('/');
        root = slash == 0 ? "/" : root.substr(0, slash);
      }
      if (root.empty() || !known.insert(root).second || covered(root)) continue;
      put_ingest_root(batch, root, static_cast<std::int64_t>(std::time(nullptr)));
    }
  }
  return flush(catalog, batch);
}

}  // namespace

Result<IngestSummary> ingest(Catalog& catalog, const PhotoProcessor& processor,
                             const std::vector<std::string>& roots, const IngestOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  IngestSummary summary;
  IngestProgress progress;
  auto report = [&](IngestProgress::Phase phase) {
    progress.phase = phase;
    progress.elapsed_s = elapsed();
    if (options.progress) options.progress(progress);
  };
  report(IngestProgress::Phase::kScanning);

  ScanOptions scan_options;
  scan_options.follow_outside_links = options.follow_links;
  auto scanned = scan_tree(roots, scan_options);
  if (!scanned.ok()) return scanned.status();
  const ScanResult& scan = *scanned;
  KHO_RETURN_IF_ERROR(record_roots(catalog, roots));
  for (const auto& p : scan.problems) summary.warnings.push_back(display(p.path) + ": " + p.reason);
  for (const auto& p : scan.skipped_links) summary.skipped_links.push_back({display(p.path), p.reason});
  for (const auto& p : scan.not_regular) summary.errors.push_back({display(p.path), p.reason});
  summary.files_seen = scan.photo_count() + scan.article_count();
  summary.skipped_types = scan.skipped_types;
  for (const auto& p : scan.skipped_files) summary.skipped_files.push_back(display(p));
  std::sort(summary.skipped_files.begin(), summary.skipped_files.end());
  summary.photo_files_total = scan.photo_count();

  // The stat check: a file whose path, size and mtime match its File record is not read at all.
  std::unordered_map<std::string, Digest> stored;  // path → digest of every photo file now in the catalog
  std::vector<detail::PhotoJob> jobs;
  struct Companion {
    detail::PhotoJob job;
    std::string jpeg_path;
    bool unchanged = false;  // same size and mtime, and already filed with a JPEG
  };
  std::vector<Companion> companions;  // raw files of RAW+JPEG pairs, filed once their JPEG is stored
  std::set<std::string, std::less<>> scanned_paths;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    for (const auto& folder : scan.folders) {
      std::string event_id = event_id_for_folder(folder.path);
      const auto pairs = detail::raw_jpeg_pairs(folder);
      for (const auto& f : folder.photos) {
        scanned_paths.insert(f.path);
        if (!f.name_is_utf8)
          summary.errors.push_back({display(f.path),
                                    "file name is not valid UTF-8 (stored under its raw bytes, shown escaped)"});
        auto known = (*snap)->file(f.path);
        auto pair = pairs.find(f.path);
        // A raw file stored as the companion of a JPEG points at the JPEG's photo (FORMAT.md, `files`).
        bool was_companion = false;
        if (known.ok() && is_raw_extension(detail::extension_of(f.path))) {
          auto photo = (*snap)->photo(known->digest);
          was_companion = photo.ok() && photo->first_path != f.path &&
                          !detail::is_raw_format(photo->meta.format.value_or(""));
        }
        const bool companion_now = pair != pairs.end();
        const bool same_stat = known.ok() && known->size == f.size && known->mtime_ns == f.mtime_ns;
        if (same_stat && !was_companion && !companion_now) {
          stored.emplace(f.path, known->digest);
          ++summary.photos_unchanged;
          ++summary.skipped_by_stat;
          continue;
        }
        detail::PhotoJob job;
        job.file = &f;
        job.folder = &folder.path;
        job.event_id = event_id;
        if (known.ok()) job.old_digest = known->digest;
        if (companion_now) {
          // Filed after the photo pipeline, also when unchanged: its JPEG may have changed since.
          companions.push_back({std::move(job), pair->second, same_stat && was_companion});
        } else {
          // Its JPEG is gone (or it never had one): the raw file is a photo of its own again, shown from its
          // own preview; the pair's old photo is collected once nothing refers to it.
          jobs.push_back(std::move(job));
        }
      }
    }
  }
  progress.total = summary.photo_files_total;
  progress.done = summary.skipped_by_stat;
  progress.committed = summary.skipped_by_stat;
  progress.to_read = jobs.size();
  report(IngestProgress::Phase::kPhotos);

  // The photo pipeline.
  std::set<Digest> gc;
  auto photos = detail::run_photo_pipeline(catalog, processor, jobs, options, summary, progress, t0);
  if (!photos.ok()) return photos.status();
  for (auto& [path, digest] : photos->stored) stored.emplace(path, digest);
  gc.insert(photos->replaced.begin(), photos->replaced.end());
  if (!summary.interrupted && !companions.empty()) {
    KHO_RETURN_IF_ERROR(file_companions(catalog, processor, companions, options, stored, gc, summary, progress, t0));
  }
  summary.photo_files_committed = progress.committed;
  if (summary.interrupted) {
    summary.seconds = elapsed();
    return summary;
  }

  // Clean-up of vanished files, then events and articles, then photos nothing refers to.
  report(IngestProgress::Phase::kArticles);
  crash_point("ingest.before_articles");
  if (options.remove_missing) {
    std::vector<std::string> dir_roots;
    for (const auto& r : roots) {
      struct stat st {};
      if (!r.empty() && ::stat(r.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) dir_roots.push_back(normalize_path(r));
    }
    KHO_RETURN_IF_ERROR(remove_missing(catalog, dir_roots, scanned_paths, gc, summary));
  }
  KHO_RETURN_IF_ERROR(build_events(catalog, scan, stored, summary, options, progress));
  report(IngestProgress::Phase::kFinishing);
  KHO_RETURN_IF_ERROR(collect_garbage(catalog, gc, summary));
  summary.seconds = elapsed();
  return summary;
}

}  // namespace kho::ingest
