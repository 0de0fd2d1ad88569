// Scores predicted duplicate pairs against the evaluation set's truth (pairwise, after clustering).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace kho::eval {

struct Truth {
  std::string category;   // base, positive, mirror, video, crop, unrelated
  std::string transform;
  int group = 0;
  int scene = -1;
};

// Clusters the pairs (union-find) and reports, mirrors left out of precision and recall:
// {"precision", "recall", "tp", "fp", "fn", "precision_unrelated", "hard_negatives_grouped",
//  "hard_negatives", "hard_negative_rate", "mirror_grouped", "mirrors", "per_transform": {t: recall}}
std::string score_json(const std::vector<Truth>& truth, const std::vector<std::pair<std::size_t, std::size_t>>& pairs);

}  // namespace kho::eval
