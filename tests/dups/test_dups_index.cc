// PhashIndex must return exactly the brute-force answer; union-find, best copy and the EXIF rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "core/dups/src/dups_internal.h"

namespace kho {
namespace {

// Random hashes with planted neighbours, so every radius has real answers, plus duplicates of values.
std::vector<std::uint64_t> random_hashes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::uint64_t> h;
  while (h.size() < n) {
    std::uint64_t base = rng();
    h.push_back(base);
    int copies = static_cast<int>(rng() % 3);
    for (int c = 0; c < copies && h.size() < n; ++c) {
      std::uint64_t v = base;
      int flips = static_cast<int>(rng() % 16);
      for (int f = 0; f < flips; ++f) v ^= 1ull << (rng() % 64);
      h.push_back(v);
    }
  }
  std::shuffle(h.begin(), h.end(), rng);
  return h;
}

std::vector<HashPair> brute_pairs(const std::vector<std::uint64_t>& h, int radius) {
  std::vector<HashPair> out;
  for (std::uint32_t a = 0; a < h.size(); ++a)
    for (std::uint32_t b = a + 1; b < h.size(); ++b) {
      int d = hamming64(h[a], h[b]);
      if (d <= radius) out.push_back({a, b, d});
    }
  return out;
}

TEST(DupsIndex, AllPairsEqualsBruteForceAtSeveralRadii) {
  auto h = random_hashes(3000, 7);
  std::map<int, std::vector<HashPair>> want;
  for (int radius : {0, 1, 3, 6, 10, 12, 16}) want[radius] = brute_pairs(h, radius);
  for (int parts : {0, 3, 4, 5, 7}) {
    PhashIndex index(h, 10, parts);
    for (int radius : {0, 1, 3, 6, 10, 12, 16}) {
      if (index.parts() == 3 && radius > 12) continue;  // 22-bit substrings: slow to enumerate, same code
      for (int threads : {1, 2}) {
        EXPECT_EQ(index.all_pairs(radius, threads), want[radius])
            << "parts " << index.parts() << " radius " << radius << " threads " << threads;
      }
    }
  }
}

TEST(DupsIndex, QueryEqualsBruteForceAndReportsEachOnce) {
  auto h = random_hashes(2000, 11);
  std::mt19937_64 rng(3);
  for (int design : {4, 10, 12}) {
    PhashIndex index(h, design);
    for (int radius : {0, 2, 5, 10, 12, 14}) {
      for (int q = 0; q < 60; ++q) {
        // Half the queries are indexed hashes, half perturbed ones.
        std::uint64_t probe = h[rng() % h.size()];
        if (q % 2) probe ^= 1ull << (rng() % 64);
        std::vector<std::pair<std::uint32_t, int>> got;
        index.query(probe, radius, got);
        std::sort(got.begin(), got.end());
        std::vector<std::pair<std::uint32_t, int>> want;
        for (std::uint32_t i = 0; i < h.size(); ++i) {
          int d = hamming64(probe, h[i]);
          if (d <= radius) want.emplace_back(i, d);
        }
        ASSERT_EQ(got, want) << "design " << design << " radius " << radius;
      }
    }
  }
}

// Without a cap: exactly the brute-force pairs that touch a new photo. With one: each new photo keeps
// exactly its K nearest (distance, then position), and nothing else is reported.
TEST(DupsIndex, CandidatePairsAreEachNewPhotosNearestNeighbours) {
  auto h = random_hashes(2500, 19);
  std::mt19937_64 rng(5);
  std::vector<bool> is_new(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) is_new[i] = rng() % 3 == 0;
  const int radius = 12;
  PhashIndex index(h, radius);
  std::vector<HashPair> want;
  for (const HashPair& p : brute_pairs(h, radius))
    if (is_new[p.a] || is_new[p.b]) want.push_back(p);
  for (int threads : {1, 2}) EXPECT_EQ(candidate_pairs(index, is_new, radius, 0, threads), want);

  const int k = 1;  // the planted groups have up to three members, so one neighbour binds
  auto capped = candidate_pairs(index, is_new, radius, k, 2);
  std::set<std::pair<std::uint32_t, std::uint32_t>> kept;
  for (const HashPair& p : capped) {
    EXPECT_LT(p.a, p.b);
    EXPECT_TRUE(kept.emplace(p.a, p.b).second) << "pair reported twice";
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> expected;
  for (std::uint32_t i = 0; i < h.size(); ++i) {
    if (!is_new[i]) continue;
    std::vector<std::pair<int, std::uint32_t>> near;  // (distance, position)
    for (std::uint32_t j = 0; j < h.size(); ++j) {
      int d = hamming64(h[i], h[j]);
      if (j != i && d <= radius) near.emplace_back(d, j);
    }
    std::sort(near.begin(), near.end());
    for (std::size_t n = 0; n < near.size() && n < static_cast<std::size_t>(k); ++n)
      expected.emplace(std::min(i, near[n].second), std::max(i, near[n].second));
  }
  EXPECT_EQ(kept, expected);
  EXPECT_LT(capped.size(), want.size());  // the cap did bind on this data
}

// 3,000 photos with one hash (blank frames, say): all pairs would be 4.5 million; the cap keeps it
// at most N × K.
TEST(DupsIndex, CandidatePairsStayBoundedOnAlikePhotos) {
  std::vector<std::uint64_t> h(3000, 0x5555AAAA5555AAAAull);
  PhashIndex index(h, 12);
  auto pairs = candidate_pairs(index, std::vector<bool>(h.size(), true), 12, 16, 2);
  EXPECT_LE(pairs.size(), h.size() * 16);
  EXPECT_GE(pairs.size(), h.size() * 16 / 2);  // each pair can serve both of its photos
  // Every photo is in some pair, so the whole set still forms one cluster.
  UnionFind uf(h.size());
  for (const HashPair& p : pairs) uf.unite(p.a, p.b);
  for (std::uint32_t i = 1; i < h.size(); ++i) ASSERT_EQ(uf.find(i), uf.find(0));
}

TEST(DupsIndex, EmptyAndTinyInputs) {
  PhashIndex empty({}, 10);
  EXPECT_TRUE(empty.all_pairs(10, 2).empty());
  std::vector<std::pair<std::uint32_t, int>> got;
  empty.query(123, 10, got);
  EXPECT_TRUE(got.empty());
  PhashIndex two({0x0ull, 0x7ull}, 10);
  EXPECT_EQ(two.all_pairs(3, 1), (std::vector<HashPair>{{0, 1, 3}}));
  EXPECT_TRUE(two.all_pairs(2, 1).empty());
}

TEST(DupsUnionFind, ClustersAreConnectedComponents) {
  UnionFind uf(8);
  EXPECT_TRUE(uf.unite(0, 3));
  EXPECT_TRUE(uf.unite(3, 5));
  EXPECT_FALSE(uf.unite(5, 0));  // already one cluster
  EXPECT_TRUE(uf.unite(6, 7));
  EXPECT_EQ(uf.find(0), uf.find(5));
  EXPECT_NE(uf.find(0), uf.find(6));
  auto g = uf.groups();
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0], (std::vector<std::size_t>{0, 3, 5}));
  EXPECT_EQ(g[1], (std::vector<std::size_t>{6, 7}));
  EXPECT_EQ(uf.groups(1).size(), 5u);  // with the singletons 1, 2, 4
}

TEST(DupsBestCopy, PixelsThenOriginalDateThenOldestFile) {
  CopyFacts small{640 * 480, true, 100, "a"};
  CopyFacts big{1280 * 960, false, 900, "b"};
  EXPECT_EQ(best_copy({small, big}), 1u);  // pixel count first, whatever else
  CopyFacts big_dated{1280 * 960, true, 950, "c"};
  EXPECT_EQ(best_copy({small, big, big_dated}), 2u);  // then an original DateTimeOriginal
  CopyFacts big_dated_older{1280 * 960, true, 500, "d"};
  EXPECT_EQ(best_copy({big_dated, big_dated_older}), 1u);  // then the oldest file
  CopyFacts unknown_mtime{1280 * 960, true, 0, "0"};
  EXPECT_EQ(best_copy({unknown_mtime, big_dated}), 1u);  // an unknown mtime is not "oldest"
  CopyFacts twin{1280 * 960, true, 500, "a"};
  EXPECT_EQ(best_copy({big_dated_older, twin}), 1u);  // deterministic tie-break
}

// The reason is the step that decided against the closest rival, so the page can say it in words.
TEST(DupsBestCopy, ReasonIsTheStepThatBeatTheClosestRival) {
  CopyFacts small{640 * 480, true, 100, "a"};
  CopyFacts big{1280 * 960, false, 900, "b"};
  CopyFacts big_dated{1280 * 960, true, 950, "c"};
  CopyFacts big_dated_older{1280 * 960, true, 500, "d"};
  CopyFacts twin{1280 * 960, true, 500, "a"};
  EXPECT_EQ(best_copy_reason({small, big}, 1), BestReason::kMorePixels);
  EXPECT_EQ(best_copy_reason({small, big, big_dated}, 2), BestReason::kDateTimeOriginal);  // big ties on pixels
  EXPECT_EQ(best_copy_reason({small, big_dated, big_dated_older}, 2), BestReason::kOldestFile);
  EXPECT_EQ(best_copy_reason({big_dated_older, twin}, 1), BestReason::kPath);
  EXPECT_EQ(best_copy_reason({big}, 0), BestReason::kPath);  // alone: nothing to beat
  EXPECT_EQ(best_reason_name(BestReason::kMorePixels), "pixels");
  EXPECT_EQ(best_reason_name(BestReason::kChosen), "chosen");
}

Metadata camera(std::string when) {
  Metadata m;
  m.make = "NIKON CORPORATION";
  m.model = "NIKON D5";
  m.datetime_original = std::move(when);
  return m;
}

TEST(DupsExifRule, BurstFramesAreDistinctExposures) {
  // A burst: same second, different sub-seconds.
  EXPECT_TRUE(distinct_exposures(camera("2020-05-01T09:30:12.10"), camera("2020-05-01T09:30:12.35")));
  EXPECT_TRUE(distinct_exposures(camera("2020-05-01T09:30:12"), camera("2020-05-01T09:30:14")));
  // A copy keeps the time; a re-save that lost SubSec is still the same exposure.
  EXPECT_FALSE(distinct_exposures(camera("2020-05-01T09:30:12.10"), camera("2020-05-01T09:30:12.1")));
  // The burst's first frame at sub-second 0 is a fraction, not a missing one (issue 12's sets).
  EXPECT_TRUE(distinct_exposures(camera("2020-05-01T09:30:12.000"), camera("2020-05-01T09:30:12.300")));
  EXPECT_FALSE(distinct_exposures(camera("2020-05-01T09:30:12.000"), camera("2020-05-01T09:30:12.0")));
  EXPECT_FALSE(distinct_exposures(camera("2020-05-01T09:30:12.10"), camera("2020-05-01T09:30:12")));
  // No date, or another camera: the rule says nothing.
  Metadata stripped;
  EXPECT_FALSE(distinct_exposures(camera("2020-05-01T09:30:12"), stripped));
  Metadata other = camera("2020-05-01T09:31:00");
  other.model = "NIKON D850";
  EXPECT_FALSE(distinct_exposures(camera("2020-05-01T09:30:12"), other));
}

}  // namespace
}  // namespace kho

namespace kho {
namespace {

TEST(DupsRadius, WidensForSmallArchivesOnly) {
  DupOptions o;
  EXPECT_EQ(search_radius(o, 1000), 16);
  EXPECT_EQ(search_radius(o, 50000), 14);
  EXPECT_EQ(search_radius(o, 1000000), o.phash_radius);
  o.widen_small_archives = false;
  EXPECT_EQ(search_radius(o, 1000), o.phash_radius);
  o.phash_radius = 20;  // an explicit wider radius is never narrowed
  o.widen_small_archives = true;
  EXPECT_EQ(search_radius(o, 1000), 20);
}

}  // namespace
}  // namespace kho
