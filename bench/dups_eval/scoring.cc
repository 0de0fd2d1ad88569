// Pairwise scoring of clusters (scoring.h).
#include "scoring.h"

#include <cstdio>
#include <map>

#include "core/dups/src/dups_internal.h"  // UnionFind (through kho::internals)
#include "kho/dups.h"

namespace kho::eval {

std::string score_json(const std::vector<Truth>& truth, const std::vector<std::pair<std::size_t, std::size_t>>& pairs) {
  const std::size_t n = truth.size();
  UnionFind uf(n);
  for (auto [a, b] : pairs) uf.unite(a, b);
  std::vector<std::size_t> comp(n);
  for (std::size_t i = 0; i < n; ++i) comp[i] = uf.find(i);

  // Pairwise counts over all item pairs (n is a few thousand: n² / 2 is fine).
  std::uint64_t tp = 0, fp = 0, fn = 0, fp_unrelated = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (truth[i].category == "mirror") continue;
    for (std::size_t j = i + 1; j < n; ++j) {
      if (truth[j].category == "mirror") continue;
      const bool same = truth[i].group == truth[j].group;
      const bool predicted = comp[i] == comp[j];
      if (same && predicted) ++tp;
      else if (same) ++fn;
      else if (predicted) {
        ++fp;
        const bool same_scene = truth[i].scene >= 0 && truth[i].scene == truth[j].scene;
        if (!same_scene) ++fp_unrelated;
      }
    }
  }
  // Per transform: is the copy in its base's cluster?
  std::map<int, std::size_t> base_of;
  for (std::size_t i = 0; i < n; ++i)
    if (truth[i].category == "base") base_of[truth[i].group] = i;
  std::map<std::string, std::pair<int, int>> per;  // transform → (grouped, total)
  int mirrors = 0, mirror_grouped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (truth[i].category != "positive" && truth[i].category != "mirror") continue;
    auto b = base_of.find(truth[i].group);
    if (b == base_of.end()) continue;
    const bool together = comp[i] == comp[b->second];
    if (truth[i].category == "mirror") {
      ++mirrors;
      mirror_grouped += together;
    } else {
      auto& [g, t] = per[truth[i].transform];
      g += together;
      ++t;
    }
  }
  // Hard negatives: an image grouped with another shot of its own scene.
  std::map<std::size_t, std::map<int, int>> scenes_in_comp;  // comp → scene → count
  for (std::size_t i = 0; i < n; ++i)
    if (truth[i].scene >= 0) ++scenes_in_comp[comp[i]][truth[i].scene];
  int hard = 0, hard_grouped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (truth[i].scene < 0) continue;
    ++hard;
    hard_grouped += scenes_in_comp[comp[i]][truth[i].scene] >= 2;
  }
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 1.0; };
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"precision\":%.4f,\"recall\":%.4f,\"tp\":%llu,\"fp\":%llu,\"fn\":%llu,"
                "\"precision_unrelated\":%.4f,\"hard_negatives_grouped\":%d,\"hard_negatives\":%d,"
                "\"hard_negative_rate\":%.4f,\"mirror_grouped\":%d,\"mirrors\":%d,\"per_transform\":{",
                ratio(static_cast<double>(tp), static_cast<double>(tp + fp)),
                ratio(static_cast<double>(tp), static_cast<double>(tp + fn)), static_cast<unsigned long long>(tp),
                static_cast<unsigned long long>(fp), static_cast<unsigned long long>(fn),
                ratio(static_cast<double>(tp), static_cast<double>(tp + fp_unrelated)), hard_grouped, hard,
                ratio(hard_grouped, hard) * (hard > 0), mirror_grouped, mirrors);
  std::string out = buf;
  bool first = true;
  for (const auto& [t, gt] : per) {
    std::snprintf(buf, sizeof buf, "%s\"%s\":%.3f", first ? "" : ",", t.c_str(),
                  ratio(gt.first, gt.second));
    out += buf;
    first = false;
  }
  return out + "}}";
}

}  // namespace kho::eval
