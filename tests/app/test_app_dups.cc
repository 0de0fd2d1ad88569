// kho dups over the ingested samples/: the one near-duplicate pair forms one cluster and nothing else
// joins it (issue 6's acceptance on the sample archive).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kho {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(AppDups, TheSampleNearDuplicatePairIsOneClusterAndNothingElseJoinsIt) {
  testing::TempDir dir;
  const std::string archive = (dir / "archive").string();
  auto ingest = testing::run_kho({"--archive", archive, "ingest", (testing::source_dir() / "samples").string()});
  ASSERT_LE(ingest.exit_code, 1) << ingest.err;

  auto r = testing::run_kho({"--archive", archive, "dups", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_TRUE(doc.contains("clusters"));
  ASSERT_EQ(doc["clusters"].size(), 1u) << r.out;
  const auto& c = doc["clusters"][0];
  EXPECT_EQ(c["kind"], "near");
  ASSERT_EQ(c["photos"].size(), 2u);
  // The larger original is the best copy; the cropped, smaller re-save is its duplicate.
  EXPECT_TRUE(ends_with(c["best"].get<std::string>(), "/thăm phòng truyền thống.jpg")) << c["best"];
  std::vector<std::string> paths;
  for (const auto& p : c["photos"]) {
    paths.push_back(p["path"].get<std::string>());
    EXPECT_EQ(p["digest"].get<std::string>().size(), 64u);
    EXPECT_TRUE(p["distance"].is_number());
    EXPECT_LE(p["distance"].get<int>(), 12);
  }
  std::sort(paths.begin(), paths.end());
  EXPECT_TRUE(ends_with(paths[0], "/tham phòng truyền thống 1.jpg")) << paths[0];
  EXPECT_TRUE(ends_with(paths[1], "/thăm phòng truyền thống.jpg")) << paths[1];

  // Re-ingesting changes nothing: the stored result is read, not recomputed differently.
  const std::string samples = (testing::source_dir() / "samples").string();
  ASSERT_LE(testing::run_kho({"--archive", archive, "ingest", samples}).exit_code, 1);
  auto again = testing::run_kho({"--archive", archive, "dups", "--json"});
  EXPECT_EQ(nlohmann::json::parse(again.out), doc);
}

}  // namespace
}  // namespace kho
