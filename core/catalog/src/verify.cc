// verify_catalog(): decode every record and check that every reference holds.
#include <set>

#include "catalog_impl.h"

namespace kho {
namespace {

std::string short_hex(std::string_view bytes) {
  Digest d;
  if (bytes.size() >= 32) std::copy(bytes.begin(), bytes.begin() + 32, reinterpret_cast<char*>(d.bytes.data()));
  return d.hex().substr(0, 12);
}

std::string printable(std::string_view s) { return std::string(s.substr(0, 120)); }

class Verifier {
 public:
  Verifier(const Snapshot& snap, VerifyReport* report) : s_(snap), r_(report) {}

  Status run() {
    by_date_built_ = s_.meta(kEventsByDateBuilt).ok();
    auto on_error = [&](std::string_view db, std::string_view key, const Status& st) {
      problem(std::string(db) + ": record " + printable(key) + " cannot be decoded: " + st.message());
    };
    KHO_RETURN_IF_ERROR(
        s_.for_each_photo([&](const Photo& p) { return check_photo(p); },
                          [&](std::string_view k, const Status& st) { on_error("photos", short_hex(k), st); }));
    KHO_RETURN_IF_ERROR(s_.for_each_file([&](const File& f) { return check_file(f); },
                                         [&](std::string_view k, const Status& st) { on_error("files", k, st); }));
    KHO_RETURN_IF_ERROR(s_.for_each_event([&](const Event& e) { return check_event(e); },
                                          [&](std::string_view k, const Status& st) { on_error("events", k, st); }));
    KHO_RETURN_IF_ERROR(
        s_.for_each_article([&](const Article& a) { return check_article(a); },
                            [&](std::string_view k, const Status& st) { on_error("articles", k, st); }));
    KHO_RETURN_IF_ERROR(
        s_.for_each_link([&](const Link& l) { return check_link(l); },
                         [&](std::string_view k, const Status& st) { on_error("links", printable(k), st); }));
    KHO_RETURN_IF_ERROR(check_indexes());
    return Status::OK();
  }

 private:
  void problem(std::string line) { r_->problems.push_back(std::move(line)); }
  // Archives opened only read-only since before the index have none yet (Catalog::open builds it).
  bool by_date_built_ = false;
  bool exists(std::string_view db, std::string_view key) { return s_.raw_get(db, key).ok(); }

  bool check_photo(const Photo& p) {
    ++r_->records_checked;
    if (p.has_thumbs)
      for (ThumbSize size : {ThumbSize::kGrid, ThumbSize::kPreview})
        if (!s_.thumb_view(p.digest, size).ok())
          problem("photos: " + p.digest.hex() + " says it has thumbnails, but the " +
                  std::to_string(thumb_size_pixels(size)) + " px one is missing");
    if (p.has_mid_thumb && !s_.thumb_view(p.digest, ThumbSize::kMid).ok())
      problem("photos: " + p.digest.hex() + " says it has a 640 px thumbnail, but it is missing");
    return true;
  }

  bool check_file(const File& f) {
    ++r_->records_checked;
    if (!exists(db::kPhotos, f.digest.view()))
      problem("files: " + printable(f.path) + " points to photo " + f.digest.hex() + ", which does not exist");
    if (!exists(db::kPhotoFiles, keys::photo_file(f.digest, f.path)))
      problem("photo_files: missing the entry for " + printable(f.path));
    if (!f.event_id.empty()) {
      if (!exists(db::kEvents, f.event_id))
        problem("files: " + printable(f.path) + " belongs to event " + f.event_id + ", which does not exist");
      if (!exists(db::kEventFiles, keys::event_file(f.event_id, f.path)))
        problem("event_files: missing the entry for " + printable(f.path));
    }
    return true;
  }

  bool check_event(const Event& e) {
    ++r_->records_checked;
    for (const auto& aid : e.article_ids)
      if (!exists(db::kArticles, aid)) problem("events: " + e.id + " lists article " + aid + ", which does not exist");
    if (e.cover && !exists(db::kPhotos, e.cover->view()))
      problem("events: " + e.id + " has cover photo " + e.cover->hex() + ", which does not exist");
    if (by_date_built_) {
      auto id = s_.raw_get(db::kEventsByDate, event_date_key(e));
      if (!id.ok() || *id != e.id)
        problem("events_by_date: event " + printable(e.id) + " is missing from the date index (or under another id)");
    }
    return true;
  }

  bool check_article(const Article& a) {
    ++r_->records_checked;
    if (!a.event_id.empty() && !exists(db::kEvents, a.event_id))
      problem("articles: " + a.id + " belongs to event " + a.event_id + ", which does not exist");
    return true;
  }

  bool check_link(const Link& l) {
    ++r_->records_checked;
    std::string where = "links: article " + l.article_id + " position " + std::to_string(l.position);
    if (!exists(db::kArticles, l.article_id)) problem(where + ": the article does not exist");
    if (l.digest) {
      if (!exists(db::kPhotos, l.digest->view())) problem(where + ": photo " + l.digest->hex() + " does not exist");
      if (!exists(db::kPhotoLinks, keys::photo_link(*l.digest, l.article_id, l.position)))
        problem(where + ": missing its photo_links entry");
    }
    // The linker's near-misses (FORMAT.md, Link field 10): files of the folder it did not take. While such
    // a file is still in the archive, it must still be the photo the near-miss names.
    for (const NearMiss& m : l.near_misses) {
      const std::string at = where + ": near-miss " + printable(m.path);
      if (m.path.empty() || !m.digest) problem(where + ": a near-miss without its file or photo");
      else if (!l.path.empty() && m.path == l.path) problem(at + " is the linked file itself");
      else if (Result<File> f = s_.file(m.path); f.ok() && f->digest != *m.digest)
        problem(at + " names photo " + m.digest->hex() + ", but the file is now photo " + f->digest.hex());
      if (m.reason == NearMissReason::kTaken && m.taken_by == l.position)
        problem(at + " is said to be taken by its own reference");
    }
    return true;
  }

  // Reverse indexes must point at records that agree with them.
  Status check_indexes() {
    if (by_date_built_)
      KHO_RETURN_IF_ERROR(s_.raw_scan(db::kEventsByDate, {}, [&](std::string_view k, std::string_view id) {
        ++r_->records_checked;
        auto e = s_.event(id);
        if (!e.ok() || event_date_key(*e) != k)
          problem("events_by_date: an entry for event " + printable(id) +
                  (e.ok() ? " does not match the event's date and title" : " names no event"));
        return ScanStep::Continue();
      }));
    KHO_RETURN_IF_ERROR(s_.raw_scan(db::kPhotoFiles, {}, [&](std::string_view k, std::string_view) {
      ++r_->records_checked;
      if (k.size() < 32) {
        problem("photo_files: malformed key");
        return ScanStep::Continue();
      }
      auto f = s_.file(k.substr(32));
      if (!f.ok() || f->digest.view() != k.substr(0, 32))
        problem("photo_files: " + printable(k.substr(32)) + " does not match its file record");
      return ScanStep::Continue();
    }));
    KHO_RETURN_IF_ERROR(s_.raw_scan(db::kEventFiles, {}, [&](std::string_view k, std::string_view v) {
      ++r_->records_checked;
      auto nul = k.find('\0');
      if (nul == std::string_view::npos || v.size() != 32) {
        problem("event_files: malformed entry");
        return ScanStep::Continue();
      }
      auto f = s_.file(k.substr(nul + 1));
      if (!f.ok() || f->event_id != k.substr(0, nul) || f->digest.view() != v)
        problem("event_files: " + printable(k.substr(nul + 1)) + " does not match its file record");
      return ScanStep::Continue();
    }));
    KHO_RETURN_IF_ERROR(s_.raw_scan(db::kPhotoLinks, {}, [&](std::string_view k, std::string_view) {
      ++r_->records_checked;
      if (k.size() < 32 || !exists(db::kLinks, k.substr(32)))
        problem("photo_links: an entry for photo " + short_hex(k) + " has no link");
      return ScanStep::Continue();
    }));
    KHO_RETURN_IF_ERROR(s_.raw_scan(db::kRoots, {}, [&](std::string_view k, std::string_view v) {
      ++r_->records_checked;
      if (k.empty() || k.front() != '/') problem("roots: '" + printable(k) + "' is not an absolute path");
      if (Result<std::string_view> when = unseal_value(v); !when.ok())
        problem("roots: the entry of " + printable(k) + " cannot be decoded: " + when.status().message());
      return ScanStep::Continue();
    }));
    KHO_RETURN_IF_ERROR(s_.raw_scan(db::kThumbs, {}, [&](std::string_view k, std::string_view) {
      ++r_->records_checked;
      if (k.size() != 33 || !exists(db::kPhotos, k.substr(0, 32)))
        problem("thumbs: a thumbnail of photo " + short_hex(k) + " has no photo");
      else if (static_cast<unsigned char>(k[32]) > static_cast<unsigned char>(ThumbSize::kMid))
        problem("thumbs: a thumbnail of photo " + short_hex(k) + " has an unknown size byte " +
                std::to_string(static_cast<unsigned char>(k[32])));
      return ScanStep::Continue();
    }));
    return Status::OK();
  }

  const Snapshot& s_;
  VerifyReport* r_;
};

}  // namespace

Result<VerifyReport> verify_catalog(const Catalog& catalog) {
  auto snap = catalog.snapshot();
  if (!snap.ok()) return snap.status();
  VerifyReport report;
  auto format = (*snap)->meta("format");
  if (!format.ok()) report.problems.push_back("meta: the format version is missing");
  Verifier v(**snap, &report);
  KHO_RETURN_IF_ERROR(v.run());
  return report;
}

}  // namespace kho
