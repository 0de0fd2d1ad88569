// list_duplicates() and duplicates_of(): clusters from stored results (no pixels, no index).
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "dups_format.h"
#include "dups_internal.h"

namespace kho {
namespace {

struct Member {
  Photo photo;
  std::vector<File> files;
};

std::string lower_ascii(std::string_view v) {
  std::string out(v);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// Folder, lower-case stem and lower-case extension of a path.
struct NameParts {
  std::string_view folder;
  std::string stem, ext;
};
NameParts name_parts(std::string_view path) {
  const auto slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  NameParts p;
  p.folder = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
  const auto dot = name.find_last_of('.');
  p.stem = lower_ascii(dot == std::string_view::npos || dot == 0 ? name : name.substr(0, dot));
  p.ext = dot == std::string_view::npos || dot == 0 ? std::string() : lower_ascii(name.substr(dot + 1));
  return p;
}

// The raw file of a RAW+JPEG pair (core/FORMAT.md, `files`) shares its JPEG's digest without being a copy of
// it: it is not listed as an exact duplicate. A camera raw extension beside a jpg/jpeg of the same stem.
bool is_pair_raw(const File& f, const std::vector<File>& files) {
  static constexpr std::string_view kRaw[] = {"nef", "nrw", "cr2", "cr3", "crw", "arw", "raf",
                                              "rw2", "orf", "pef", "dng", "srw", "rwl"};
  const NameParts me = name_parts(f.path);
  if (std::find(std::begin(kRaw), std::end(kRaw), me.ext) == std::end(kRaw)) return false;
  for (const File& other : files) {
    const NameParts o = name_parts(other.path);
    if (o.folder == me.folder && o.stem == me.stem && (o.ext == "jpg" || o.ext == "jpeg")) return true;
  }
  return false;
}

Result<Member> load_member(const Snapshot& snap, const Digest& d) {
  auto photo = snap.photo(d);
  if (!photo.ok()) return photo.status();
  auto files = snap.photo_files(d);
  if (!files.ok()) return files.status();
  std::vector<File> kept;
  for (const File& f : *files) {
    if (!is_pair_raw(f, *files)) kept.push_back(f);
  }
  return Member{std::move(*photo), std::move(kept)};
}

// The path shown for a photo: its first path when a file still holds it, else its first file.
std::string shown_path(const Member& m) {
  for (const File& f : m.files) {
    if (f.path == m.photo.first_path) return f.path;
  }
  return m.files.empty() ? m.photo.first_path : m.files.front().path;
}

CopyFacts facts_of(const Member& m) {
  CopyFacts f;
  f.pixels = std::uint64_t{m.photo.width} * m.photo.height;
  f.has_datetime_original = m.photo.meta.datetime_original.has_value();
  for (const File& file : m.files) {
    if (file.mtime_ns != 0 && (f.oldest_mtime_ns == 0 || file.mtime_ns < f.oldest_mtime_ns)) {
      f.oldest_mtime_ns = file.mtime_ns;
    }
  }
  f.tie_break = shown_path(m);
  return f;
}

bool is_not_duplicate(const DupOptions& options, const Digest& a, const Digest& b) {
  for (const auto& [x, y] : options.not_duplicates)
    if ((x == a && y == b) || (x == b && y == a)) return true;
  return false;
}

// Builds a near cluster (best first, then by distance to it, then path) from loaded members. A member people
// chose as best is the best copy; else the rule of best_copy().
DupCluster near_cluster(const std::vector<Member>& members, const DupOptions& options) {
  std::vector<CopyFacts> facts;
  for (const Member& m : members) facts.push_back(facts_of(m));
  std::size_t best = best_copy(facts);
  BestReason reason = best_copy_reason(facts, best);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Digest& d = members[i].photo.digest;
    if (std::find(options.chosen_best.begin(), options.chosen_best.end(), d) != options.chosen_best.end()) {
      best = i;
      reason = BestReason::kChosen;
    }
  }
  DupCluster c;
  c.kind = DupKind::kNear;
  c.best_reason = reason;
  c.best = members[best].photo.digest;
  c.best_path = shown_path(members[best]);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Photo& p = members[i].photo;
    c.photos.push_back(DupPhoto{p.digest, shown_path(members[i]),
                                hamming64(p.sig.phash, members[best].photo.sig.phash), p.width, p.height,
                                i == best});
  }
  std::sort(c.photos.begin(), c.photos.end(), [](const DupPhoto& x, const DupPhoto& y) {
    if (x.best != y.best) return x.best;
    if (x.distance != y.distance) return x.distance < y.distance;
    return x.path < y.path;
  });
  return c;
}

// Every stored confirmed pair (each once, lower digest first) within `radius`.
Status stored_pairs(const Snapshot& snap, int radius, std::vector<std::pair<Digest, Digest>>& out) {
  return snap.raw_scan(db::kDups, std::string(1, dupsfmt::kPair), [&](std::string_view k, std::string_view v) {
    auto value = dupsfmt::decode_pair(v);
    if (k.size() != 65 || !value) return ScanStep(Status::Corruption("dups: bad pair entry"));
    Digest a = dupsfmt::digest_at(k, 1), b = dupsfmt::digest_at(k, 33);
    if (a < b && value->distance <= radius) out.emplace_back(a, b);
    return ScanStep::Continue();
  });
}

}  // namespace

Result<std::vector<DupCluster>> list_duplicates(const Snapshot& snap, const DupOptions& options) {
  std::vector<DupCluster> clusters;

  // Exact: photo_files keys are digest(32) path, so one digest's files are adjacent.
  std::vector<std::pair<Digest, std::size_t>> multi;  // digest, file count
  {
    Digest current;
    std::size_t count = 0;
    bool any = false;
    KHO_RETURN_IF_ERROR(snap.raw_scan(db::kPhotoFiles, "", [&](std::string_view k, std::string_view) {
      if (k.size() < 32) return ScanStep::Continue();
      Digest d = dupsfmt::digest_at(k, 0);
      if (any && d == current) {
        ++count;
      } else {
        if (any && count >= 2) multi.emplace_back(current, count);
        current = d, count = 1, any = true;
      }
      return ScanStep::Continue();
    }));
    if (any && count >= 2) multi.emplace_back(current, count);
  }
  for (const auto& [digest, count] : multi) {
    auto m = load_member(snap, digest);
    if (!m.ok()) return m.status().with_context("dups: photo " + digest.hex());
    if (m->files.size() < 2) continue;  // a RAW+JPEG pair, not two copies
    DupCluster c;
    c.kind = DupKind::kExact;
    c.best = digest;
    // Same bytes, so the rule reduces to the oldest file, then the path.
    std::vector<CopyFacts> facts;
    for (const File& f : m->files) facts.push_back(CopyFacts{0, false, f.mtime_ns, f.path});
    const std::size_t best = best_copy(facts);
    for (std::size_t i = 0; i < m->files.size(); ++i) {
      c.photos.push_back(DupPhoto{digest, m->files[i].path, 0, m->photo.width, m->photo.height, i == best});
    }
    c.best_path = m->files[best].path;
    c.best_reason = best_copy_reason(facts, best);
    std::stable_sort(c.photos.begin(), c.photos.end(),
                     [](const DupPhoto& x, const DupPhoto& y) { return x.best && !y.best; });
    clusters.push_back(std::move(c));
  }

  // Near: connected components of the stored confirmed pairs.
  std::vector<std::pair<Digest, Digest>> pairs;
  KHO_RETURN_IF_ERROR(stored_pairs(snap, options.list_threshold < 0 ? 64 : options.list_threshold, pairs));
  std::map<Digest, std::size_t> ids;
  std::vector<Digest> digests;
  auto id_of = [&](const Digest& d) {
    auto [it, added] = ids.emplace(d, digests.size());
    if (added) digests.push_back(d);
    return it->second;
  };
  std::vector<std::pair<std::size_t, std::size_t>> edges;
  for (const auto& [a, b] : pairs)
    if (!is_not_duplicate(options, a, b)) edges.emplace_back(id_of(a), id_of(b));
  UnionFind uf(digests.size());
  for (auto [a, b] : edges) uf.unite(a, b);
  std::vector<DupCluster> near;
  for (const auto& group : uf.groups(2)) {
    std::vector<Member> members;
    for (std::size_t i : group) {
      auto m = load_member(snap, digests[i]);
      if (m.status().is_not_found()) continue;  // removed since the last update
      if (!m.ok()) return m.status().with_context("dups: photo " + digests[i].hex());
      members.push_back(std::move(*m));
    }
    if (members.size() >= 2) near.push_back(near_cluster(members, options));
  }
  std::sort(near.begin(), near.end(),
            [](const DupCluster& x, const DupCluster& y) { return x.best_path < y.best_path; });
  for (auto& c : near) clusters.push_back(std::move(c));
  return clusters;
}

namespace {

// The members of `digest`'s near cluster, itself first, by breadth-first search over stored pairs (each
// node's pairs are one prefix scan). Fewer than two when it has no (remaining) duplicate.
Result<std::vector<Member>> near_members_of(const Snapshot& snap, const Digest& digest, const DupOptions& options) {
  std::vector<Digest> order{digest};
  std::set<Digest> seen{digest};
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::string prefix = dupsfmt::pair_prefix(order[i]);
    KHO_RETURN_IF_ERROR(snap.raw_scan(db::kDups, prefix, [&](std::string_view k, std::string_view) {
      if (k.size() != 65) return ScanStep(Status::Corruption("dups: bad pair key"));
      Digest other = dupsfmt::digest_at(k, 33);
      if (is_not_duplicate(options, order[i], other)) return ScanStep::Continue();
      if (seen.insert(other).second) order.push_back(other);
      return ScanStep::Continue();
    }));
  }
  std::vector<Member> members;
  if (order.size() < 2) return members;
  for (const Digest& d : order) {
    auto m = load_member(snap, d);
    if (m.status().is_not_found()) continue;
    if (!m.ok()) return m.status().with_context("dups: photo " + d.hex());
    members.push_back(std::move(*m));
  }
  if (members.size() < 2 || !(members.front().photo.digest == digest)) members.clear();
  return members;
}

}  // namespace

Result<std::optional<DupCluster>> near_cluster_of(const Snapshot& snap, const Digest& digest,
                                                  const DupOptions& options) {
  Result<std::vector<Member>> members = near_members_of(snap, digest, options);
  if (!members.ok()) return members.status();
  if (members->empty()) return std::optional<DupCluster>();
  return std::optional<DupCluster>(near_cluster(*members, options));
}

Result<std::vector<DupPhoto>> duplicates_of(const Snapshot& snap, const Digest& digest, const DupOptions& options) {
  Result<std::vector<Member>> found = near_members_of(snap, digest, options);
  if (!found.ok()) return found.status();
  const std::vector<Member>& members = *found;
  if (members.empty()) return std::vector<DupPhoto>{};
  DupCluster c = near_cluster(members, options);
  const std::uint64_t self = members.front().photo.sig.phash;
  std::vector<DupPhoto> out;
  for (DupPhoto& p : c.photos) {
    if (p.digest == digest) continue;
    for (const Member& m : members) {
      if (m.photo.digest == p.digest) p.distance = hamming64(m.photo.sig.phash, self);
    }
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const DupPhoto& x, const DupPhoto& y) {
    return x.distance != y.distance ? x.distance < y.distance : x.path < y.path;
  });
  return out;
}

std::string_view dup_kind_name(DupKind kind) { return kind == DupKind::kExact ? "exact" : "near"; }

Result<std::optional<int>> searched_radius(const Snapshot& snap) {
  Result<std::string_view> raw = snap.raw_get(db::kDups, dupsfmt::kRadiusKey);
  if (!raw.ok()) {
    if (raw.status().is_not_found()) return std::optional<int>();
    return raw.status();
  }
  int radius = 0;
  const char* end = raw->data() + raw->size();
  auto [ptr, ec] = std::from_chars(raw->data(), end, radius);
  if (ec != std::errc() || ptr != end) return Status::Corruption("dups: the stored search radius is not a number");
  return std::optional<int>(radius);
}

}  // namespace kho
