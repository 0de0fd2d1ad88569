// The corrections journal (kho/team.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>

#include "team_format.h"

namespace kho {
namespace {

// Sequence numbers are nanoseconds since the epoch, made strictly increasing within the process: unique
// across processes in practice, and they sort as the corrections were made.
std::uint64_t next_seq() {
  static std::atomic<std::uint64_t> last{0};
  const auto now = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::uint64_t prev = last.load();
  std::uint64_t seq;
  do {
    seq = now > prev ? now : prev + 1;
  } while (!last.compare_exchange_weak(prev, seq));
  return seq;
}

}  // namespace

std::string_view target_kind_name(TargetKind kind) {
  switch (kind) {
    case TargetKind::kPhoto: return "photo";
    case TargetKind::kArticle: return "article";
    case TargetKind::kEvent: return "event";
    case TargetKind::kPair: return "pair";
    case TargetKind::kCluster: return "cluster";
  }
  return "photo";
}

std::string pair_target(const Digest& a, const Digest& b) {
  return a < b ? a.hex() + ":" + b.hex() : b.hex() + ":" + a.hex();
}

Result<std::vector<std::uint64_t>> record_corrections(Catalog& catalog, std::vector<Correction> cs) {
  WriteBatch batch;
  std::vector<std::uint64_t> seqs;
  for (Correction& c : cs) {
    if (c.user.empty()) return Status::InvalidArgument("a correction needs the user who makes it");
    if (c.target.empty() || c.field.empty()) return Status::InvalidArgument("a correction needs a target and a field");
    c.seq = next_seq();
    c.time = teamfmt::now_seconds();
    batch.raw_put(db::kCorrections, teamfmt::entry_key(c.seq), teamfmt::encode(c));
    batch.raw_put(db::kCorrections, teamfmt::target_key(c.kind, c.target, c.seq), "");
    seqs.push_back(c.seq);
  }
  if (!batch.empty()) KHO_RETURN_IF_ERROR(catalog.write(batch));
  return seqs;
}

Result<std::uint64_t> record_correction(Catalog& catalog, Correction c) {
  std::vector<Correction> one;
  one.push_back(std::move(c));
  Result<std::vector<std::uint64_t>> seqs = record_corrections(catalog, std::move(one));
  if (!seqs.ok()) return seqs.status();
  return seqs->front();
}

Result<Correction> find_correction(const Snapshot& snap, std::uint64_t seq) {
  Result<std::string_view> v = snap.raw_get(db::kCorrections, teamfmt::entry_key(seq));
  if (!v.ok()) {
    if (v.status().is_not_found()) return Status::NotFound("no correction " + std::to_string(seq));
    return v.status();
  }
  Correction c;
  KHO_RETURN_IF_ERROR(teamfmt::decode(*v, &c));
  return c;
}

Result<std::vector<Correction>> corrections_of(const Snapshot& snap, TargetKind kind, std::string_view target) {
  const std::string prefix = teamfmt::target_prefix(kind, target);
  std::vector<Correction> out;
  Status st = snap.raw_scan(db::kCorrections, prefix, [&](std::string_view k, std::string_view) -> ScanStep {
    if (k.size() != prefix.size() + 8) return Status::Corruption("corrections: malformed target key");
    Result<Correction> c = find_correction(snap, teamfmt::seq_at(k.substr(prefix.size())));
    if (!c.ok()) return c.status().is_not_found() ? Status::Corruption("corrections: index without entry") : c.status();
    out.push_back(std::move(*c));
    return ScanStep::Continue();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<Correction>> latest_corrections(const Snapshot& snap, std::size_t limit) {
  // Entries sort by seq; keep the last `limit` of one forward pass (the journal is small: people write it).
  std::vector<Correction> ring;
  std::size_t next = 0;
  const std::string entries(1, teamfmt::kEntry);
  Status st = snap.raw_scan(db::kCorrections, entries, [&](std::string_view, std::string_view v) -> ScanStep {
    Correction c;
    KHO_RETURN_IF_ERROR(teamfmt::decode(v, &c));
    if (limit == 0) return ScanStep::Stop();
    if (ring.size() < limit) {
      ring.push_back(std::move(c));
    } else {
      ring[next] = std::move(c);
      next = (next + 1) % limit;
    }
    return ScanStep::Continue();
  });
  if (!st.ok()) return st;
  std::rotate(ring.begin(), ring.begin() + static_cast<std::ptrdiff_t>(next), ring.end());
  std::reverse(ring.begin(), ring.end());
  return ring;
}

Result<std::optional<Correction>> correction_in_force(const Snapshot& snap, TargetKind kind, std::string_view target,
                                                      std::string_view field) {
  // The target index alone (keys, nothing decoded), then entries newest first until the field is met: a
  // photo corrected a thousand times costs one decode here, not a thousand (every caption fix asks this).
  const std::string prefix = teamfmt::target_prefix(kind, target);
  std::vector<std::uint64_t> seqs;
  Status st = snap.raw_scan(db::kCorrections, prefix, [&](std::string_view k, std::string_view) -> ScanStep {
    if (k.size() != prefix.size() + 8) return Status::Corruption("corrections: malformed target key");
    seqs.push_back(teamfmt::seq_at(k.substr(prefix.size())));
    return ScanStep::Continue();
  });
  if (!st.ok()) return st;
  for (auto it = seqs.rbegin(); it != seqs.rend(); ++it) {
    Result<Correction> c = find_correction(snap, *it);
    if (!c.ok()) return c.status().is_not_found() ? Status::Corruption("corrections: index without entry") : c.status();
    if (c->field == field) return std::optional<Correction>(std::move(*c));
  }
  return std::optional<Correction>();
}

Result<std::uint64_t> revert_correction(Catalog& catalog, std::uint64_t seq, std::string_view user) {
  Correction undo;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    Result<Correction> c = find_correction(**snap, seq);
    if (!c.ok()) return c.status();
    Result<std::vector<Correction>> all = corrections_of(**snap, c->kind, c->target);
    if (!all.ok()) return all.status();
    // What was in force just before `c`: the newest earlier correction of the field, else the machine's value
    // (nullopt, so that what ingest finds later shows again).
    std::optional<std::string> before;
    const Correction* in_force = nullptr;
    for (const Correction& e : *all) {
      if (e.field != c->field) continue;
      if (e.seq < seq) before = e.new_value;
      in_force = &e;
    }
    undo.kind = c->kind;
    undo.target = c->target;
    undo.field = c->field;
    undo.old_value = in_force ? in_force->new_value : c->new_value;  // what readers show now
    undo.new_value = std::move(before);
    undo.reverts = seq;
  }
  undo.user = std::string(user);
  return record_correction(catalog, std::move(undo));
}

}  // namespace kho

namespace kho {

Result<std::optional<std::string>> value_in_force(const Snapshot& snap, TargetKind kind, std::string_view target,
                                                  std::string_view field, std::optional<std::string> machine) {
  Result<std::optional<Correction>> c = correction_in_force(snap, kind, target, field);
  if (!c.ok()) return c.status();
  if (*c && (*c)->new_value) return (*c)->new_value;
  return machine;
}

Status apply_corrections(const Snapshot& snap, Event& event) {
  Result<std::vector<Correction>> all = corrections_of(snap, TargetKind::kEvent, event.id);
  if (!all.ok()) return all.status();
  for (const Correction& c : *all) {  // oldest first: the newest of each field wins
    if (c.field == "title" && c.new_value) event.title = *c.new_value;
    if (c.field == "date") event.date = c.new_value;
  }
  return Status::OK();
}

Status apply_corrections(const Snapshot& snap, Link& link, bool* relinked) {
  if (relinked) *relinked = false;
  Result<std::optional<Correction>> c = correction_in_force(snap, TargetKind::kArticle, link.article_id,
                                                            "link:" + std::to_string(link.position));
  if (!c.ok()) return c.status();
  if (*c && (*c)->new_value) {
    if (relinked) *relinked = true;
    link.digest.reset();
    link.path.clear();
    link.method = LinkMethod::kUnresolved;
    link.confidence = 1.0f;
    if (std::optional<Digest> d = Digest::from_hex(*(*c)->new_value)) {
      Result<Photo> p = snap.photo(*d);
      if (p.ok()) {
        link.digest = d;
        link.path = p->first_path;
      } else if (!p.status().is_not_found()) {
        return p.status();
      }
    }
  }
  if (link.digest) {
    Result<std::optional<std::string>> caption = value_in_force(snap, TargetKind::kPhoto, link.digest->hex(), "caption",
                                                                link.caption);
    if (!caption.ok()) return caption.status();
    link.caption = std::move(*caption);
  }
  return Status::OK();
}

Result<DuplicateDecisions> duplicate_decisions(const Snapshot& snap) {
  // Only the decision kinds are read, through the by-target index: the rest of the journal is never decoded.
  DuplicateDecisions out;
  for (TargetKind kind : {TargetKind::kPair, TargetKind::kCluster}) {
    const std::string prefix{teamfmt::kByTarget, static_cast<char>(kind)};
    const std::string_view field = kind == TargetKind::kPair ? "duplicate" : "best";
    std::map<std::string, std::optional<std::string>> newest;  // target → newest value (keys sort by seq)
    KHO_RETURN_IF_ERROR(snap.raw_scan(db::kCorrections, prefix, [&](std::string_view k, std::string_view) -> ScanStep {
      if (k.size() < prefix.size() + 9) return Status::Corruption("corrections: malformed target key");
      Result<Correction> c = find_correction(snap, teamfmt::seq_at(k.substr(k.size() - 8)));
      if (!c.ok()) return c.status();
      if (c->field == field) newest[c->target] = c->new_value;
      return ScanStep::Continue();
    }));
    for (const auto& [target, value] : newest) {
      if (kind == TargetKind::kPair && value == "no") {
        const auto colon = target.find(':');
        std::optional<Digest> a = Digest::from_hex(target.substr(0, colon));
        std::optional<Digest> b = colon == std::string::npos ? std::nullopt
                                                             : Digest::from_hex(target.substr(colon + 1));
        if (a && b) out.not_duplicates.emplace_back(*a, *b);
      } else if (kind == TargetKind::kCluster && value == "yes") {
        if (std::optional<Digest> d = Digest::from_hex(target)) out.chosen_best.push_back(*d);
      }
    }
  }
  return out;
}

}  // namespace kho

namespace kho {

Status verify_team(const Snapshot& snap, VerifyReport& report) {
  auto problem = [&](std::string text) { report.problems.push_back(std::move(text)); };
  KHO_RETURN_IF_ERROR(snap.raw_scan(db::kUsers, "", [&](std::string_view k, std::string_view v) {
    ++report.records_checked;
    User u;
    Status st = teamfmt::decode(v, &u);
    if (!st.ok()) problem("users: " + teamfmt::hex(k.substr(0, 16)) + ": " + st.message());
    else if (k.substr(1) != u.name) problem("users: the record of " + u.name + " sits under another key");
    return ScanStep::Continue();
  }));
  KHO_RETURN_IF_ERROR(snap.raw_scan(db::kSessions, "", [&](std::string_view k, std::string_view v) {
    ++report.records_checked;
    Session s;
    Status st = teamfmt::decode(v, &s);
    if (!st.ok()) problem("sessions: " + teamfmt::hex(k.substr(0, 9)) + "…: " + st.message());
    return ScanStep::Continue();
  }));
  // Entries ('c' seq) and the by-target index ('t' kind target \0 seq) must name each other.
  std::map<std::uint64_t, std::string> index_of_entry;  // seq → its index key, from the entries
  KHO_RETURN_IF_ERROR(
      snap.raw_scan(db::kCorrections, std::string(1, teamfmt::kEntry), [&](std::string_view k, std::string_view v) {
        ++report.records_checked;
        Correction c;
        Status st = teamfmt::decode(v, &c);
        const std::uint64_t seq = teamfmt::seq_at(k.substr(1));
        if (!st.ok() || k.size() != 9 || c.seq != seq) {
          problem("corrections: entry " + std::to_string(seq) + ": " +
                  (st.ok() ? "its key and its seq differ" : st.message()));
          return ScanStep::Continue();
        }
        index_of_entry[seq] = teamfmt::target_key(c.kind, c.target, c.seq);
        return ScanStep::Continue();
      }));
  std::size_t indexed = 0;
  KHO_RETURN_IF_ERROR(
      snap.raw_scan(db::kCorrections, std::string(1, teamfmt::kByTarget), [&](std::string_view k, std::string_view) {
        ++indexed;
        const std::uint64_t seq = k.size() >= 8 ? teamfmt::seq_at(k.substr(k.size() - 8)) : 0;
        auto it = index_of_entry.find(seq);
        if (it == index_of_entry.end() || it->second != k)
          problem("corrections: an index entry names correction " + std::to_string(seq) +
                  ", which is not there under that target");
        return ScanStep::Continue();
      }));
  if (indexed < index_of_entry.size())
    problem("corrections: " + std::to_string(index_of_entry.size() - indexed) + " entries have no index entry");
  return Status::OK();
}

}  // namespace kho
