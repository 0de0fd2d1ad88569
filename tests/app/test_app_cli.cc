// Smoke tests of the kho command line: --help, --version, usage errors, stats and verify.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kho {
namespace {
using testing::run_kho;

TEST(Cli, HelpListsEverySubcommandAndExitsZero) {
  auto r = run_kho({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"ingest", "parse", "meta", "dups", "search", "events", "show", "serve", "stats", "verify"})
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
  EXPECT_NE(r.out.find("--archive"), std::string::npos);
}

TEST(Cli, VersionPrintsTheVersion) {
  auto r = run_kho({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("kho " KHO_TEST_VERSION), std::string::npos) << r.out;
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run_kho({}).exit_code, 2);
  EXPECT_EQ(run_kho({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_kho({"stats", "--no-such-flag"}).exit_code, 2);
}

TEST(Cli, StatsAndVerifyOnAMissingArchiveExplainAndExitTwo) {
  testing::TempDir dir;
  auto r = run_kho({"--archive", (dir / "none").string(), "stats"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no archive"), std::string::npos) << r.err;
}

TEST(Cli, ArchiveComesFromTheEnvironmentWhenNotGiven) {
  testing::TempDir dir;
  auto r = run_kho({"verify"}, {"KHO_ARCHIVE=" + (dir / "from-env").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("from-env"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace kho
