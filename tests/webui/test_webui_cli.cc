// `kho search`, `kho events`, `kho show` (and `kho serve`'s errors) as a user runs them, over the same
// WriteBatch-built archive as the HTTP tests.
#include <nlohmann/json.hpp>

#include "web_fixture.h"

namespace kho::webtest {
namespace {

using nlohmann::json;

std::string archive_dir(const testing::TempDir& dir) { return (dir.path() / "archive").string(); }

TEST_F(WebServerTest, CliSearchFindsFoldedPhrasesAsJson) {
  testing::CommandResult r = testing::run_kho({"--archive", archive_dir(*dir_), "search", "thanh", "hoa", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["query"], "thanh hoa");
  ASSERT_GE(j["hits"].size(), 2u);
  EXPECT_EQ(j["hits"][0]["field"], "title");
  EXPECT_EQ(j["hits"][0]["article_title"], "Đoàn công tác thăm Thanh Hóa");
  EXPECT_EQ(j["hits"][1]["field"], "caption");

  testing::CommandResult text = testing::run_kho({"--archive", archive_dir(*dir_), "search", "dien bien"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("«Điện Biên»"), std::string::npos) << text.out;

  testing::CommandResult empty = testing::run_kho({"--archive", archive_dir(*dir_), "search", "..."});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_NE(empty.err.find("no words"), std::string::npos) << empty.err;
}

TEST_F(WebServerTest, CliEventsAndShow) {
  testing::CommandResult ev = testing::run_kho({"--archive", archive_dir(*dir_), "events", "--json"});
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  json events = json::parse(ev.out);
  ASSERT_EQ(events["events"].size(), 1u);
  EXPECT_EQ(events["events"][0]["id"], archive_.event_id);

  testing::CommandResult plain = testing::run_kho({"--archive", archive_dir(*dir_), "events"});
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_NE(plain.out.find("Đoàn công tác thăm Thanh Hóa"), std::string::npos);

  const std::string archive = archive_dir(*dir_);
  json event = json::parse(testing::run_kho({"--archive", archive, "show", archive_.event_id, "--json"}).out);
  EXPECT_EQ(event["event"]["id"], archive_.event_id);
  EXPECT_EQ(event["photos"].size(), 3u);

  json article = json::parse(testing::run_kho({"--archive", archive, "show", archive_.article_id, "--json"}).out);
  EXPECT_EQ(article["article"]["title"], "Đoàn công tác thăm Thanh Hóa");
  EXPECT_EQ(article["links"].size(), 3u);

  testing::CommandResult photo = testing::run_kho({"--archive", archive_dir(*dir_), "show", archive_.p1.hex()});
  ASSERT_EQ(photo.exit_code, 0) << photo.err;
  EXPECT_NE(photo.out.find("<script>alert(1)</script>"), std::string::npos);  // a terminal shows text as is

  testing::CommandResult unknown = testing::run_kho({"--archive", archive_dir(*dir_), "show", std::string(16, '0')});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("no event, article or photo"), std::string::npos);
  EXPECT_EQ(testing::run_kho({"--archive", archive_dir(*dir_), "show", "../../etc/passwd"}).exit_code, 2);
}

TEST_F(WebServerTest, CliServeRefusesABusyPortAndAMissingArchive) {
  testing::CommandResult busy =
      testing::run_kho({"--archive", archive_dir(*dir_), "serve", "--port", std::to_string(port())});
  EXPECT_EQ(busy.exit_code, 2);
  EXPECT_NE(busy.err.find("cannot listen"), std::string::npos) << busy.err;
  testing::CommandResult missing = testing::run_kho({"--archive", (dir_->path() / "nope").string(), "serve"});
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace kho::webtest
