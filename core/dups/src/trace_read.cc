// Reading trace records (kho/trace.h): one reference, all of them, an original's published copies, the
// ambiguous ones, what a reader shows for a link, and `kho verify`'s check.
#include <algorithm>

#include "kho/trace.h"
#include "trace_format.h"

namespace kho {
namespace {

// Scans records under `prefix` (of 'r' keys).
Status scan_records(const Snapshot& snap, const std::string& prefix, const std::function<void(TraceRecord)>& fn) {
  return snap.raw_scan(db::kTraces, prefix, [&](std::string_view k, std::string_view v) {
    auto r = tracefmt::decode(v);
    if (!r || !tracefmt::split_link_part(k.substr(1), &r->article_id, &r->position))
      return ScanStep(Status::Corruption("traces: bad record"));
    fn(std::move(*r));
    return ScanStep::Continue();
  });
}

// A path of the photo: its first file, else the path it was first seen at.
std::string path_of(const Snapshot& snap, const Digest& d) {
  auto files = snap.photo_files(d);
  if (files.ok() && !files->empty()) return files->front().path;
  auto p = snap.photo(d);
  return p.ok() ? p->first_path : d.hex();
}

}  // namespace

Result<std::optional<TraceRecord>> trace_of(const Snapshot& snap, std::string_view article_id, std::uint32_t position) {
  auto v = snap.raw_get(db::kTraces, tracefmt::record_key(article_id, position));
  if (v.status().is_not_found()) return std::optional<TraceRecord>{};
  if (!v.ok()) return v.status();
  auto r = tracefmt::decode(*v);
  if (!r) return Status::Corruption("traces: bad record for article " + std::string(article_id));
  r->article_id = std::string(article_id);
  r->position = position;
  return std::optional<TraceRecord>(std::move(*r));
}

Result<std::vector<TraceRecord>> list_traces(const Snapshot& snap) {
  std::vector<TraceRecord> out;
  KHO_RETURN_IF_ERROR(
      scan_records(snap, std::string(1, tracefmt::kRecord), [&](TraceRecord r) { out.push_back(std::move(r)); }));
  return out;
}

Result<std::vector<TraceRecord>> published_copies_of(const Snapshot& snap, const Digest& original) {
  std::vector<TraceRecord> out;
  const std::string prefix = std::string(1, tracefmt::kByOriginal) + std::string(original.view());
  std::vector<std::pair<std::string, std::uint32_t>> refs;
  KHO_RETURN_IF_ERROR(snap.raw_scan(db::kTraces, prefix, [&](std::string_view k, std::string_view) {
    std::string aid;
    std::uint32_t pos = 0;
    if (tracefmt::split_link_part(k.substr(prefix.size()), &aid, &pos)) refs.emplace_back(std::move(aid), pos);
    return ScanStep::Continue();
  }));
  for (const auto& [aid, pos] : refs) {
    auto r = trace_of(snap, aid, pos);
    if (!r.ok()) return r.status();
    if (*r && (*r)->original == original) out.push_back(std::move(**r));
  }
  return out;
}

Result<std::vector<TraceAmbiguity>> list_ambiguous(const Snapshot& snap) {
  auto all = list_traces(snap);
  if (!all.ok()) return all.status();
  std::vector<TraceAmbiguity> out;
  for (const TraceRecord& r : *all) {
    if (r.state != TraceState::kAmbiguous) continue;
    TraceAmbiguity a;
    a.article_id = r.article_id;
    a.position = r.position;
    auto art = snap.article(r.article_id);
    if (art.ok()) {
      a.article = art->title;
      if (r.position < art->refs.size()) a.ref = art->refs[r.position].ref;
    }
    for (const Digest& d : r.candidates) a.candidates.push_back(path_of(snap, d));
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<TraceRecord>> original_for_link(const Snapshot& snap, const Link& link) {
  if (!link.digest) return std::optional<TraceRecord>{};
  auto r = trace_of(snap, link.article_id, link.position);
  if (!r.ok()) return r.status();
  if (!*r || (*r)->state != TraceState::kTraced || (*r)->copy != *link.digest || !(*r)->original)
    return std::optional<TraceRecord>{};
  auto p = snap.photo(*(*r)->original);
  if (!p.ok()) return std::optional<TraceRecord>{};
  return r;
}

Status verify_traces(const Snapshot& snap, VerifyReport& report) {
  std::vector<std::string> bad_keys;
  std::vector<TraceRecord> records;
  KHO_RETURN_IF_ERROR(snap.raw_scan(db::kTraces, "", [&](std::string_view k, std::string_view v) {
    ++report.records_checked;
    if (!k.empty() && k[0] == tracefmt::kRecord) {
      auto r = tracefmt::decode(v);
      if (!r || !tracefmt::split_link_part(k.substr(1), &r->article_id, &r->position)) {
        bad_keys.emplace_back(k);
        return ScanStep::Continue();
      }
      records.push_back(std::move(*r));
    } else if (k.empty() || k[0] != tracefmt::kByOriginal || k.size() < 1 + 32 + 6 || !v.empty()) {
      bad_keys.emplace_back(k);
    }
    return ScanStep::Continue();
  }));
  for (const auto& k : bad_keys)
    report.problems.push_back("traces: undecodable entry (key of " + std::to_string(k.size()) + " bytes)");
  for (const TraceRecord& r : records) {
    const std::string who = "traces: article " + r.article_id + " position " + std::to_string(r.position);
    auto links = snap.article_links(r.article_id);
    bool linked = false;
    if (links.ok())
      for (const Link& l : *links) linked |= l.position == r.position && l.digest == r.copy;
    if (!linked) report.problems.push_back(who + ": no link to the traced copy " + r.copy.hex());
    if (!snap.photo(r.copy).ok()) report.problems.push_back(who + ": copy " + r.copy.hex() + " is not in photos");
    if (r.original) {
      if (!snap.photo(*r.original).ok())
        report.problems.push_back(who + ": original " + r.original->hex() + " is not in photos");
      if (!snap.raw_get(db::kTraces, tracefmt::by_original_key(*r.original, r.article_id, r.position)).ok())
        report.problems.push_back(who + ": missing by-original index entry");
    }
    for (const Digest& d : r.candidates)
      if (!snap.photo(d).ok()) report.problems.push_back(who + ": candidate " + d.hex() + " is not in photos");
    if (r.state == TraceState::kAmbiguous && r.candidates.size() < 2)
      report.problems.push_back(who + ": ambiguous with fewer than two candidates");
  }
  return Status::OK();
}

}  // namespace kho
