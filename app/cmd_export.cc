// kho export SELECTOR --to DIR [--sidecar] [--names TEMPLATE] [--json]: copies of photos with their
// caption, headline, event, creator, credit, date and source written in (DESIGN.md §5, issue 13).
//
// One read snapshot plans the whole export (which photos, their fields, their files, their names) and is
// closed before any file is read or written. Each photo is then read, checked against its digest, written
// with Exiv2 (kho::ingest::Exporter) and put in place atomically. A per-photo failure is an `errors` entry
// and the run goes on.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "archive.h"
#include "kho/ingest/export.h"
#include "kho/json_model.h"
#include "kho/photo_exporter.h"
#include "kho/search.h"
#include "kho/text.h"

namespace kho::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ExportOptions {
  std::vector<std::string> selectors;
  std::string search;
  bool all = false;
  std::string to;
  bool sidecar = false;
  std::string names;
  bool json = false;
  bool verify = false;
};

// One photo to export, planned inside the snapshot.
struct PlannedPhoto {
  Digest digest;
  std::vector<File> files;  // its files, the path it was first seen at first
  CaptionFields fields;
  std::string event_title, event_date, original_name;
};

std::string base_name(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::pair<std::string, std::string> split_ext(const std::string& name) {
  std::size_t dot = name.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return {name, ""};
  return {name.substr(0, dot), name.substr(dot)};
}

// A value made safe as (part of) a file name: no slash, no control or Windows-reserved character,
// blanks collapsed, NFC, no leading dot.
std::string safe_part(std::string_view value) {
  std::string nfc = to_nfc(value);
  std::string out;
  bool blank = false;
  for (unsigned char c : nfc) {
    if (c < 0x20 || c == 0x7F || c == ' ' || c == '\t') {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(std::strchr("/\\:*?\"<>|", c) ? '_' : static_cast<char>(c));
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  return ingest::iim_cut(out, 150);  // a UTF-8 boundary well under NAME_MAX with room for suffixes
}

Result<std::string> expand_template(const std::string& tmpl, const PlannedPhoto& p, std::size_t n, std::size_t total) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    if (tmpl[i] != '{') {
      out.push_back(tmpl[i++]);
      continue;
    }
    std::size_t close = tmpl.find('}', i);
    if (close == std::string::npos) return Status::InvalidArgument("--names: unclosed '{' in " + tmpl);
    const std::string key = tmpl.substr(i + 1, close - i - 1);
    i = close + 1;
    if (key == "date") {
      std::string d = p.fields.date_created.value_or(p.event_date);
      out += d.size() >= 10 ? d.substr(0, 10) : "undated";
    } else if (key == "event") {
      out += p.event_title.empty() ? "no-event" : p.event_title;
    } else if (key == "n") {
      std::string num = std::to_string(n);
      const std::size_t width = std::max<std::size_t>(3, std::to_string(total).size());
      out += std::string(width > num.size() ? width - num.size() : 0, '0') + num;
    } else if (key == "name") {
      out += split_ext(p.original_name).first;
    } else if (key == "digest") {
      out += p.digest.hex().substr(0, 12);
    } else if (key == "article") {
      out += p.fields.article_title.empty() ? "no-article" : p.fields.article_title;
    } else {
      return Status::InvalidArgument("--names: unknown field {" + key +
                                     "} (use {date}, {event}, {n}, {name}, {digest}, {article})");
    }
  }
  return safe_part(out);
}

// Names taken in the target folder, compared case-folded (a case-insensitive disk would clash).
class NameBook {
 public:
  explicit NameBook(const std::string& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) taken_.insert(fold_case(e.path().filename().string()));
  }
  // `stem` + `ext`, or stem-2 + ext, stem-3 + ext… whichever is free (with its sidecar stem.xmp when
  // `sidecar`); reserves it.
  std::string claim(const std::string& stem, const std::string& ext, bool sidecar) {
    for (int k = 1;; ++k) {
      const std::string s = k == 1 ? stem : stem + "-" + std::to_string(k);
      if (taken_.count(fold_case(s + ext)) || (sidecar && taken_.count(fold_case(s + ".xmp")))) continue;
      taken_.insert(fold_case(s + ext));
      if (sidecar) taken_.insert(fold_case(s + ".xmp"));
      return s + ext;
    }
  }

 private:
  std::set<std::string> taken_;
};

bool is_hex(const std::string& s) { return s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos; }

// The snapshot the plan reads, with each article decoded once: caption_fields() reads the article of every
// photo, and an article holds all its photo references (a 1,000-photo article decoded 1,000 times was 9%
// of `kho export`'s CPU on bench/export). Everything else is passed through.
class ArticleCache final : public Snapshot {
 public:
  explicit ArticleCache(const Snapshot& inner) : in_(inner) {}
  Result<Article> article(std::string_view id) const override {
    auto it = articles_.find(id);
    if (it == articles_.end()) it = articles_.emplace(std::string(id), in_.article(id)).first;
    return it->second;
  }
  Result<Photo> photo(const Digest& d) const override { return in_.photo(d); }
  Result<File> file(std::string_view path) const override { return in_.file(path); }
  Result<Event> event(std::string_view id) const override { return in_.event(id); }
  Result<std::string_view> thumb_view(const Digest& d, ThumbSize size) const override {
    return in_.thumb_view(d, size);
  }
  Result<std::string> meta(std::string_view key) const override { return in_.meta(key); }
  std::uint64_t version() const override { return in_.version(); }
  Result<std::vector<Event>> events_newest_first(std::size_t offset, std::size_t limit) const override {
    return in_.events_newest_first(offset, limit);
  }
  Result<std::uint64_t> event_count() const override { return in_.event_count(); }
  Result<std::vector<Event>> events_by_date(std::string_view prefix, std::size_t offset, std::size_t limit,
                                            std::uint64_t* total) const override {
    return in_.events_by_date(prefix, offset, limit, total);
  }
  Result<std::vector<std::string>> event_date_prefixes(std::string_view within, std::size_t length) const override {
    return in_.event_date_prefixes(within, length);
  }
  Result<std::vector<Link>> article_links(std::string_view id) const override { return in_.article_links(id); }
  Result<std::vector<Link>> photo_links(const Digest& d) const override { return in_.photo_links(d); }
  Result<std::vector<File>> photo_files(const Digest& d) const override { return in_.photo_files(d); }
  Result<std::vector<EventFile>> event_files(std::string_view id) const override { return in_.event_files(id); }
  Result<std::vector<EventFile>> event_photos_in_order(std::string_view id) const override {
    return in_.event_photos_in_order(id);
  }
  Status for_each_photo(const std::function<bool(const Photo&)>& fn, const ErrorFn& e) const override {
    return in_.for_each_photo(fn, e);
  }
  Status for_each_file(const std::function<bool(const File&)>& fn, const ErrorFn& e) const override {
    return in_.for_each_file(fn, e);
  }
  Status for_each_event(const std::function<bool(const Event&)>& fn, const ErrorFn& e) const override {
    return in_.for_each_event(fn, e);
  }
  Status for_each_article(const std::function<bool(const Article&)>& fn, const ErrorFn& e) const override {
    return in_.for_each_article(fn, e);
  }
  Status for_each_link(const std::function<bool(const Link&)>& fn, const ErrorFn& e) const override {
    return in_.for_each_link(fn, e);
  }
  Result<std::string_view> raw_get(std::string_view db, std::string_view key) const override {
    return in_.raw_get(db, key);
  }
  Status raw_scan(std::string_view db, std::string_view prefix, const ScanFn& fn) const override {
    return in_.raw_scan(db, prefix, fn);
  }
  Status raw_seek(std::string_view db, std::string_view from, const ScanFn& fn) const override {
    return in_.raw_seek(db, from, fn);
  }

 private:
  const Snapshot& in_;
  mutable std::map<std::string, Result<Article>, std::less<>> articles_;
};

Status plan_photo(const Snapshot& snap, const Digest& d, std::set<Digest>& seen, std::vector<PlannedPhoto>& out) {
  if (!seen.insert(d).second) return Status::OK();
  PlannedPhoto p;
  p.digest = d;
  Result<CaptionFields> f = caption_fields(snap, d);
  if (!f.ok()) return f.status().with_context("photo " + d.hex());
  p.fields = std::move(*f);
  Result<Photo> photo = snap.photo(d);
  if (!photo.ok()) return photo.status();
  Result<std::vector<File>> files = snap.photo_files(d);
  if (!files.ok()) return files.status();
  // The path it was first seen at first, then the others: any copy with the right bytes will do.
  for (const File& file : *files)
    if (file.path == photo->first_path) p.files.push_back(file);
  for (const File& file : *files)
    if (file.path != photo->first_path) p.files.push_back(file);
  p.original_name = base_name(p.files.empty() ? photo->first_path : p.files.front().path);
  for (const File& file : *files) {
    if (!p.event_title.empty() || file.event_id.empty()) continue;
    Result<Event> ev = snap.event(file.event_id);
    if (ev.ok()) {
      p.event_title = ev->title;
      p.event_date = ev->date.value_or("");
    }
  }
  out.push_back(std::move(p));
  return Status::OK();
}

Status plan_event(const Snapshot& snap, const std::string& id, std::set<Digest>& seen, std::vector<PlannedPhoto>& out) {
  Result<std::vector<EventFile>> files = snap.event_photos_in_order(id);
  if (!files.ok()) return files.status();
  for (const EventFile& f : *files)
    if (Status st = plan_photo(snap, f.digest, seen, out); !st.ok()) return st;
  return Status::OK();
}

Status plan_article(const Snapshot& snap, const std::string& id, std::set<Digest>& seen,
                    std::vector<PlannedPhoto>& out) {
  Result<std::vector<Link>> links = snap.article_links(id);
  if (!links.ok()) return links.status();
  for (const Link& l : *links)
    if (l.digest)
      if (Status st = plan_photo(snap, *l.digest, seen, out); !st.ok()) return st;
  return Status::OK();
}

Result<std::vector<PlannedPhoto>> plan(const Snapshot& snap, const ExportOptions& o) {
  std::vector<PlannedPhoto> out;
  std::set<Digest> seen;
  for (const std::string& sel : o.selectors) {
    Status st;
    if (sel.size() == 64 && is_hex(sel)) {
      st = plan_photo(snap, *Digest::from_hex(sel), seen, out);
      if (st.is_not_found()) return Status::NotFound("no photo has the digest " + sel);
    } else if (sel.size() == 16 && is_hex(sel)) {
      if (snap.event(sel).ok()) {
        st = plan_event(snap, sel, seen, out);
      } else if (snap.article(sel).ok()) {
        st = plan_article(snap, sel, seen, out);
      } else {
        return Status::NotFound("no event or article has the id " + sel);
      }
    } else {
      return Status::InvalidArgument("'" + sel + "' is not an id: events and articles have 16 hex digits, photos 64");
    }
    if (!st.ok()) return st;
  }
  if (!o.search.empty()) {
    Result<SearchResults> r = search(snap, o.search, 1000000);
    if (!r.ok()) return r.status();
    for (const SearchHit& h : r->hits) {
      Status st = h.digest ? plan_photo(snap, *h.digest, seen, out) : plan_article(snap, h.article_id, seen, out);
      if (!st.ok()) return st;
    }
  }
  if (o.all) {
    Result<std::vector<Event>> events = snap.events_newest_first(0, SIZE_MAX);
    if (!events.ok()) return events.status();
    for (const Event& e : *events)
      if (Status st = plan_event(snap, e.id, seen, out); !st.ok()) return st;
    std::vector<Digest> rest;
    Status st = snap.for_each_photo([&](const Photo& p) {
      if (!seen.count(p.digest)) rest.push_back(p.digest);
      return true;
    });
    if (!st.ok()) return st;
    for (const Digest& d : rest)
      if (Status s = plan_photo(snap, d, seen, out); !s.ok()) return s;
  }
  return out;
}

int run_export(const GlobalOptions& g, const ExportOptions& o) {
  const int selector_kinds = (!o.selectors.empty()) + (!o.search.empty()) + o.all;
  if (selector_kinds != 1) {
    print_error(
        "say what to export: event ids, article ids or photo digests, or --search QUERY, or --all "
        "(one of them)");
    return kExitFatal;
  }
  if (!o.names.empty()) {  // check the template before anything is done
    PlannedPhoto probe;
    if (auto t = expand_template(o.names, probe, 1, 1); !t.ok()) {
      print_error(t.status().message());
      return kExitFatal;
    }
  }
  std::vector<PlannedPhoto> photos;
  {
    auto cat = open_archive(g, /*read_only=*/true);
    if (!cat) return kExitFatal;
    auto snap = cat->snapshot();
    if (!snap.ok()) {
      print_error(snap.status().message());
      return kExitFatal;
    }
    const ArticleCache cached(**snap);
    Result<std::vector<PlannedPhoto>> p = plan(cached, o);
    if (!p.ok()) {
      print_error(p.status().message());
      return kExitFatal;
    }
    photos = std::move(*p);
  }  // the snapshot is closed before any file is read or written
  std::error_code ec;
  fs::create_directories(o.to, ec);
  if (!fs::is_directory(o.to)) {
    print_error("cannot create the target folder " + o.to + (ec ? ": " + ec.message() : ""));
    return kExitFatal;
  }

  const bool tty = !o.json && ::isatty(STDERR_FILENO);
  NameBook names(o.to);
  ingest::Exporter exporter;
  json exported = json::array(), errors = json::array();
  for (std::size_t i = 0; i < photos.size(); ++i) {
    const PlannedPhoto& p = photos[i];
    if (tty) std::fprintf(stderr, "\rkho: exporting %zu/%zu", i + 1, photos.size());
    const std::string shown = display_path(p.files.empty() ? p.digest.hex() : p.files.front().path);
    ExportRequest request;
    request.digest = p.digest;
    request.files = p.files;
    request.fields = p.fields;
    request.sidecar = o.sidecar;
    request.verify_digest = o.verify;
    Result<ExportedCopy> copy = exporter.export_photo(request);
    if (!copy.ok()) {
      errors.push_back({{"path", shown}, {"reason", copy.status().message()}});
      continue;
    }
    std::string stem, ext;
    if (o.names.empty()) {
      std::tie(stem, ext) = split_ext(p.original_name);
      if (ext.empty()) ext = copy->extension;
      stem = safe_part(stem);
    } else {
      stem = *expand_template(o.names, p, i + 1, photos.size());
      ext = split_ext(p.original_name).second;
      if (ext.empty()) ext = copy->extension;
    }
    if (stem.empty()) stem = "photo";
    const bool with_sidecar = !copy->sidecar_xmp.empty();
    const std::string name = names.claim(stem, ext, with_sidecar);
    const std::string sidecar_name = split_ext(name).first + ".xmp";
    // Durable once, at the end (sync_folder below), rather than one fsync per file.
    Status st = ingest::write_copy_atomic(o.to, name, *copy, ingest::Sync::kDeferred);
    if (st.ok() && with_sidecar) {
      st = ingest::write_file_atomic(o.to, sidecar_name, copy->sidecar_xmp, ingest::Sync::kDeferred);
      if (!st.ok()) ::unlink((o.to + "/" + name).c_str());  // a copy without its sidecar has no caption
    }
    if (!st.ok()) {
      errors.push_back({{"path", display_path(copy->source_path)}, {"reason", st.message()}});
      continue;
    }
    json e = {{"digest", p.digest.hex()},
              {"source", display_path(copy->source_path)},
              {"path", display_path(o.to + "/" + name)},
              {"sidecar", with_sidecar ? json(display_path(o.to + "/" + sidecar_name)) : json(nullptr)},
              {"notes", copy->notes}};
    exported.push_back(std::move(e));
  }
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!exported.empty()) {
    if (Status st = ingest::sync_folder(o.to); !st.ok()) {
      // Every copy may be short on disk: each one is reported, none is claimed done.
      for (json& e : exported) errors.push_back({{"path", e["path"]}, {"reason", st.message()}});
      exported = json::array();
    }
  }
  if (o.json) {
    print_json(json{{"exported", exported}, {"errors", errors}}.dump(-1, ' ', false, json::error_handler_t::replace));
  } else {
    for (const json& e : errors) print_error(e["path"].get<std::string>() + ": " + e["reason"].get<std::string>());
  }
  std::fprintf(stderr, "kho: exported %zu of %zu photos to %s%s\n", exported.size(), photos.size(), o.to.c_str(),
               errors.empty() ? "" : (" (" + std::to_string(errors.size()) + " errors)").c_str());
  if (errors.empty()) return kExitOk;
  return exported.empty() ? kExitFatal : kExitPartial;
}

}  // namespace

void add_export_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand(
      "export", "Copy photos with their caption, headline, creator, credit and date written in (IPTC + XMP)");
  auto o = std::make_shared<ExportOptions>();
  cmd->add_option("SELECTOR", o->selectors, "Event ids, article ids (16 hex digits) or photo digests (64)");
  cmd->add_option("--search", o->search, "Export the photos this search finds (as `kho search`)");
  cmd->add_flag("--all", o->all, "Export every photo of the archive");
  cmd->add_option("--to", o->to, "Target folder (created if missing); existing files are never overwritten")
      ->required()
      ->type_name("DIR");
  cmd->add_flag("--sidecar", o->sidecar, "Plain copies with an XMP sidecar NAME.xmp (RAW and HEIC always get one)");
  cmd->add_option("--names", o->names,
                  "File names from a template: {date} {event} {n} {name} {digest} {article}, e.g. "
                  "{date}_{event}_{n} (default: the original name; clashes get -2, -3…)")
      ->type_name("TEMPLATE");
  cmd->add_flag("--json", o->json, "Print {\"exported\":[…],\"errors\":[…]} on stdout");
  cmd->add_flag("--verify", o->verify,
                "Check every original's SHA-256 (default: only files whose size or mtime changed since ingest)");
  cmd->callback([&g, o] { set_command([&g, o] { return run_export(g, *o); }); });
}

}  // namespace kho::app
