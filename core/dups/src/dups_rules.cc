// Small pure rules of the duplicate finder: union-find clusters, the best copy, the EXIF exposure rule.
#include <algorithm>
#include <numeric>

#include "dups_internal.h"

namespace kho {

UnionFind::UnionFind(std::size_t n) : parent_(n), size_(n, 1) {
  std::iota(parent_.begin(), parent_.end(), std::size_t{0});
}

std::size_t UnionFind::find(std::size_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];  // path halving
    x = parent_[x];
  }
  return x;
}

bool UnionFind::unite(std::size_t a, std::size_t b) {
  a = find(a);
  b = find(b);
  if (a == b) return false;
  if (size_[a] < size_[b]) std::swap(a, b);
  parent_[b] = a;
  size_[a] += size_[b];
  return true;
}

std::vector<std::vector<std::size_t>> UnionFind::groups(std::size_t min_size) {
  std::vector<std::vector<std::size_t>> by_root(parent_.size());
  for (std::size_t i = 0; i < parent_.size(); ++i) by_root[find(i)].push_back(i);
  std::vector<std::vector<std::size_t>> out;
  for (auto& g : by_root) {
    if (g.size() >= std::max<std::size_t>(min_size, 1)) out.push_back(std::move(g));
  }
  // Members were pushed in increasing order, so each group is sorted; order groups by first member.
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.front() < y.front(); });
  return out;
}

int search_radius(const DupOptions& options, std::size_t photos) {
  int r = options.phash_radius;
  if (options.widen_small_archives) {
    if (photos <= 20000) r = std::max(r, 16);
    else if (photos <= 100000) r = std::max(r, 14);
  }
  return std::clamp(r, 0, 64);
}

std::size_t best_copy(const std::vector<CopyFacts>& copies) {
  auto better = [](const CopyFacts& x, const CopyFacts& y) {
    if (x.pixels != y.pixels) return x.pixels > y.pixels;
    if (x.has_datetime_original != y.has_datetime_original) return x.has_datetime_original;
    // An unknown mtime (0) ranks after any known one.
    const bool xk = x.oldest_mtime_ns != 0, yk = y.oldest_mtime_ns != 0;
    if (xk != yk) return xk;
    if (x.oldest_mtime_ns != y.oldest_mtime_ns) return x.oldest_mtime_ns < y.oldest_mtime_ns;
    return x.tie_break < y.tie_break;
  };
  std::size_t best = 0;
  for (std::size_t i = 1; i < copies.size(); ++i) {
    if (better(copies[i], copies[best])) best = i;
  }
  return best;
}

BestReason best_copy_reason(const std::vector<CopyFacts>& copies, std::size_t best) {
  BestReason reason = BestReason::kMorePixels;
  bool any = false;
  const CopyFacts& b = copies[best];
  for (std::size_t i = 0; i < copies.size(); ++i) {
    if (i == best) continue;
    const CopyFacts& o = copies[i];
    BestReason step = BestReason::kPath;
    if (o.pixels != b.pixels) step = BestReason::kMorePixels;
    else if (o.has_datetime_original != b.has_datetime_original) step = BestReason::kDateTimeOriginal;
    else if (o.oldest_mtime_ns != b.oldest_mtime_ns) step = BestReason::kOldestFile;
    if (!any || step > reason) reason = step;
    any = true;
  }
  return any ? reason : BestReason::kPath;
}

std::string_view best_reason_name(BestReason reason) {
  switch (reason) {
    case BestReason::kChosen: return "chosen";
    case BestReason::kMorePixels: return "pixels";
    case BestReason::kDateTimeOriginal: return "datetime_original";
    case BestReason::kOldestFile: return "oldest_file";
    case BestReason::kPath: return "path";
  }
  return "path";
}

namespace {

// "2021-04-11T15:47:53.120+07:00" → seconds part "2021-04-11T15:47:53" and sub-second digits "120".
void split_time(const std::string& iso, std::string& seconds, std::string& sub) {
  seconds = iso.substr(0, std::min<std::size_t>(iso.size(), 19));
  sub.clear();
  if (iso.size() > 20 && iso[19] == '.') {
    for (std::size_t i = 20; i < iso.size() && iso[i] >= '0' && iso[i] <= '9'; ++i) sub += iso[i];
    // "5" and "50" are the same fraction; "000" is the fraction 0 (the first frame of a burst), not "absent".
    while (sub.size() > 1 && sub.back() == '0') sub.pop_back();
  }
}

}  // namespace

bool distinct_exposures(const Metadata& a, const Metadata& b) {
  if (!a.datetime_original || !b.datetime_original) return false;
  // Without a camera identity two different times could be an edit that rewrote the date.
  if (!a.make || !b.make || !a.model || !b.model) return false;
  if (*a.make != *b.make || *a.model != *b.model) return false;
  std::string sa, suba, sb, subb;
  split_time(*a.datetime_original, sa, suba);
  split_time(*b.datetime_original, sb, subb);
  if (sa != sb) return true;
  // A re-save may drop SubSecTimeOriginal: compare fractions only when both kept them.
  return !suba.empty() && !subb.empty() && suba != subb;
}

}  // namespace kho
