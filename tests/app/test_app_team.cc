// Accounts and corrections from the command line (issue 16): each correction is journalled with its user,
// shows in `kho show`, and survives a new `kho ingest` of the same folder.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"

namespace kho {
namespace {

using nlohmann::json;
using testing::run_command;
using testing::run_kho;

struct Archive {
  testing::TempDir dir;
  std::string path = (dir / "archive").string();
  std::string samples = (testing::source_dir() / "samples").string();

  testing::CommandResult kho(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--archive", path});
    return run_kho(args);
  }
  json kho_json(std::vector<std::string> args) const {
    auto r = kho(std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }
  void ingest() const { ASSERT_LE(kho({"ingest", samples}).exit_code, 1); }
  // `kho user …` with `password` on standard input.
  testing::CommandResult user(const std::string& args, const std::string& password) const {
    return run_command({"/bin/sh", "-c", "printf '%s\\n' \"$PW\" | \"$KHO\" --archive \"$AR\" user " + args},
                       {"PW=" + password, "KHO=" + testing::kho_binary(), "AR=" + path});
  }
};

// The seed article's event and the link of "tặng sơn la tranh.jpg" in it.
struct SeedLink {
  std::string event, article, digest, caption;
  int position = -1;
};
SeedLink seed_link(const Archive& a) {
  SeedLink s;
  const json events = a.kho_json({"events", "--json"});
  for (const auto& e : events["events"]) {
    json ev = a.kho_json({"show", e["id"].get<std::string>(), "--json"});
    for (const auto& art : ev["articles"])
      for (const auto& l : art["links"])
        if (l["ref"] == "tặng sơn la tranh.jpg") {
          s.event = e["id"];
          s.article = art["id"];
          s.digest = l["digest"];
          s.caption = l["caption"].is_string() ? l["caption"].get<std::string>() : "";
          s.position = l["position"];
        }
  }
  return s;
}

std::string link_caption(const Archive& a, const SeedLink& s) {
  json ev = a.kho_json({"show", s.event, "--json"});
  for (const auto& art : ev["articles"])
    for (const auto& l : art["links"])
      if (l["position"] == s.position && art["id"] == s.article)
        return l["caption"].is_string() ? l["caption"].get<std::string>() : "(null)";
  return "(missing)";
}

TEST(AppTeam, ACaptionFixIsJournalledShownAndSurvivesReingestAndRevert) {
  Archive a;
  a.ingest();
  SeedLink s = seed_link(a);
  ASSERT_EQ(s.digest.size(), 64u);
  ASSERT_FALSE(s.caption.empty());

  const std::string fixed = "Đồng chí Lê Anh Xuân tặng đoàn Sơn La bức tranh (đã sửa)";
  auto r = a.kho({"caption", s.digest, fixed, "--credit", "Ảnh: Thu Hiền", "--user", "hien", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["recorded"].size(), 2u);
  EXPECT_EQ(link_caption(a, s), fixed);
  json photo = a.kho_json({"show", s.digest, "--json"});
  EXPECT_EQ(photo["caption"], fixed) << photo.dump().substr(0, 400);

  a.ingest();  // the machine writes its records again
  EXPECT_EQ(link_caption(a, s), fixed);

  json history = a.kho_json({"history", s.digest, "--json"});
  ASSERT_EQ(history["corrections"].size(), 2u);
  const json& c = history["corrections"][0];
  EXPECT_EQ(c["user"], "hien");
  EXPECT_EQ(c["field"], "caption");
  EXPECT_EQ(c["old"], s.caption);
  EXPECT_EQ(c["new"], fixed);
  EXPECT_GT(c["time"].get<long long>(), 1'600'000'000);

  auto revert = a.kho({"history", "--revert", std::to_string(c["seq"].get<std::uint64_t>()), "--user", "mai"});
  ASSERT_EQ(revert.exit_code, 0) << revert.err;
  EXPECT_EQ(link_caption(a, s), s.caption);  // the machine's caption again
  json latest = a.kho_json({"history", "--json"});
  ASSERT_EQ(latest["corrections"].size(), 3u);
  EXPECT_EQ(latest["corrections"][0]["user"], "mai");  // newest first
  EXPECT_EQ(latest["corrections"][0]["reverts"], c["seq"]);
}

// A photo no article links (an orphan) has only its own description: a caption fix shows on its page, in its
// event's grid and in `kho show`, survives a new ingest, and a revert brings the machine's value back.
TEST(AppTeam, AnOrphansCaptionFixShowsEverywhere) {
  Archive a;
  a.ingest();
  std::string event, digest;
  const json events = a.kho_json({"events", "--json"});  // kept: a range-for over a temporary's member dangles
  for (const auto& e : events["events"]) {
    json ev = a.kho_json({"show", e["id"].get<std::string>(), "--json"});
    for (const auto& p : ev["photos"])
      if (digest.empty() && p["orphan"] == true) {
        event = e["id"];
        digest = p["digest"];
      }
  }
  ASSERT_EQ(digest.size(), 64u) << "samples/ has an orphan photo";
  auto grid_caption = [&] {
    const json shown = a.kho_json({"show", event, "--json"});
    for (const auto& p : shown["photos"])
      if (p["digest"] == digest) return p["own_caption"].is_string() ? p["own_caption"].get<std::string>() : "(null)";
    return std::string("(missing)");
  };
  const json before = a.kho_json({"show", digest, "--json"});
  const std::string machine = before["caption"].is_string() ? before["caption"].get<std::string>() : "";

  const std::string fixed = "Khách tham quan Hội chợ ảnh (chú thích do biên tập viên viết)";
  ASSERT_EQ(a.kho({"caption", digest, fixed, "--user", "hien"}).exit_code, 0);
  EXPECT_EQ(a.kho_json({"show", digest, "--json"})["caption"], fixed);
  EXPECT_EQ(a.kho_json({"show", digest, "--json"})["own_caption"], fixed);
  EXPECT_EQ(grid_caption(), fixed);
  a.ingest();
  EXPECT_EQ(a.kho_json({"show", digest, "--json"})["caption"], fixed);
  EXPECT_EQ(grid_caption(), fixed);

  const json history = a.kho_json({"history", digest, "--json"});
  ASSERT_EQ(history["corrections"].size(), 1u);
  ASSERT_EQ(a.kho({"history", "--revert", std::to_string(history["corrections"][0]["seq"].get<std::uint64_t>()),
                   "--user", "mai"})
                .exit_code,
            0);
  const json after = a.kho_json({"show", digest, "--json"});
  EXPECT_EQ(after["caption"].is_string() ? after["caption"].get<std::string>() : "", machine);
}

TEST(AppTeam, RelinkUnlinkEventAndDuplicateDecisionsLast) {
  Archive a;
  a.ingest();
  SeedLink s = seed_link(a);
  ASSERT_FALSE(s.article.empty());

  // Unlink the reference by hand, then a re-ingest: it stays unlinked.
  auto r = a.kho({"link", s.article, "tặng sơn la tranh.jpg", "--none", "--user", "hien"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  a.ingest();
  EXPECT_EQ(link_caption(a, s), s.caption);  // the reference keeps its caption…
  json ev = a.kho_json({"show", s.event, "--json"});
  for (const auto& art : ev["articles"])
    for (const auto& l : art["links"])
      if (l["position"] == s.position) {
        EXPECT_TRUE(l["digest"].is_null()) << l.dump();  // …but shows no photo
      }
  // Link it again, by the photo's digest.
  ASSERT_EQ(a.kho({"link", s.article, "#" + std::to_string(s.position), s.digest, "--user", "hien"}).exit_code, 0);
  ev = a.kho_json({"show", s.event, "--json"});
  for (const auto& art : ev["articles"])
    for (const auto& l : art["links"])
      if (l["position"] == s.position) {
        EXPECT_EQ(l["digest"], s.digest);
      }

  // An event's title.
  ASSERT_EQ(
      a.kho({"event", s.event, "--title", "Sơn La thăm Thanh Hóa", "--date", "2020-11-18", "--user", "hien"}).exit_code,
      0);
  a.ingest();
  bool seen = false;
  const json events = a.kho_json({"events", "--json"});
  for (const auto& e : events["events"])
    if (e["id"] == s.event) {
      seen = true;
      EXPECT_EQ(e["title"], "Sơn La thăm Thanh Hóa");
      EXPECT_EQ(e["date"], "2020-11-18");
    }
  EXPECT_TRUE(seen);
  EXPECT_EQ(a.kho({"event", s.event, "--date", "18/11/2020", "--user", "hien"}).exit_code, 2);

  // The samples' one near-duplicate pair, marked "not duplicates": never grouped again.
  const json dups = a.kho_json({"dups", "--json"});
  ASSERT_EQ(dups["clusters"].size(), 1u);
  const json photos = dups["clusters"][0]["photos"];
  ASSERT_EQ(a.kho({"dups", "--not-duplicate", photos[0]["digest"], photos[1]["digest"], "--user", "hien"}).exit_code,
            0);
  EXPECT_TRUE(a.kho_json({"dups", "--json"})["clusters"].empty());
  a.ingest();
  ASSERT_EQ(a.kho({"dups", "--rebuild"}).exit_code, 0);
  EXPECT_TRUE(a.kho_json({"dups", "--json"})["clusters"].empty());
}

TEST(AppTeam, UsersAreManagedAndOnlyEditorsCorrectOnceAccountsExist) {
  Archive a;
  a.ingest();
  SeedLink s = seed_link(a);
  auto add = a.user("add hien --role editor --password-stdin", "mật khẩu dài lắm");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  ASSERT_EQ(a.user("add mai --role viewer --password-stdin", "another password").exit_code, 0);
  EXPECT_EQ(a.user("add mai --role viewer --password-stdin", "another password").exit_code, 2);  // exists
  EXPECT_EQ(a.user("add x --role boss --password-stdin", "another password").exit_code, 2);
  EXPECT_EQ(a.user("add shorty --password-stdin", "short").exit_code, 2);
  auto none = a.kho({"user", "add", "nopw"});  // stdin is not a terminal and no --password-stdin
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--password-stdin"), std::string::npos) << none.err;

  json users = a.kho_json({"user", "list", "--json"});
  ASSERT_EQ(users["users"].size(), 2u);
  EXPECT_EQ(users["users"][0]["name"], "hien");
  EXPECT_EQ(users["users"][0]["role"], "editor");
  EXPECT_EQ(users["users"][1]["role"], "viewer");

  auto viewer = a.kho({"caption", s.digest, "x", "--user", "mai"});
  EXPECT_EQ(viewer.exit_code, 2);
  EXPECT_NE(viewer.err.find("viewer"), std::string::npos) << viewer.err;
  EXPECT_EQ(a.kho({"caption", s.digest, "x", "--user", "nobody"}).exit_code, 2);
  EXPECT_EQ(run_kho({"--archive", a.path, "caption", s.digest, "x"}, {"KHO_USER=hien"}).exit_code, 0);

  EXPECT_EQ(a.user("passwd hien --password-stdin", "a new password").exit_code, 0);
  EXPECT_EQ(a.kho({"user", "remove", "mai"}).exit_code, 0);
  EXPECT_EQ(a.kho({"user", "remove", "mai"}).exit_code, 2);
  EXPECT_EQ(a.kho_json({"user", "list", "--json"})["users"].size(), 1u);
  auto verify = a.kho({"verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace kho
