// `kho ingest` end to end with the real thumbnailer: the samples (links and their methods, the one
// unresolved reference, orphans), idempotence, exact copies, per-file errors, usage errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
namespace fs = std::filesystem;
using kho::testing::ingest_jpeg;
using kho::testing::read_file;
using kho::testing::run_kho;
using kho::testing::TempDir;
using kho::testing::write_file;
using nlohmann::json;

fs::path samples() { return kho::testing::source_dir() / "samples"; }


json parse_json(const std::string& out) {
  auto j = json::parse(out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "stdout is one JSON document: " << out;
  return j;
}

void expect_summary_fields(const json& j) {
  for (const char* k : {"files_seen", "photos_added", "photos_unchanged", "articles", "links"})
    EXPECT_TRUE(j.contains(k) && j[k].is_number_unsigned()) << k;
  for (const char* k : {"unresolved", "orphans", "errors"}) EXPECT_TRUE(j.contains(k) && j[k].is_array()) << k;
}

TEST(AppIngest, SamplesLinkEveryReferenceAndShowEachMethod) {
  if (!fs::exists(samples() / "2020-11-18 Sơn La thăm Thanh Hóa")) GTEST_SKIP() << "samples/ is not there yet";
  TempDir dir;
  std::string archive = (dir / "archive").string();
  auto r = run_kho({"--archive", archive, "ingest", samples().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = parse_json(r.out);
  expect_summary_fields(j);
  EXPECT_EQ(j["files_seen"], 16);  // 14 photos + 2 articles
  EXPECT_EQ(j["photos_added"], 14);
  EXPECT_EQ(j["articles"], 2);
  EXPECT_EQ(j["links"], 10) << "8 references of the seed + 2 of the third folder";
  ASSERT_EQ(j["unresolved"].size(), 1u) << j["unresolved"].dump();
  EXPECT_EQ(j["unresolved"][0]["ref"], "cắt băng khai mạc.jpg");
  EXPECT_EQ(j["errors"].size(), 0u) << j["errors"].dump();
  // The folder without an article (3 photos) and the photo beside the third folder's article.
  EXPECT_EQ(j["orphans"].size(), 4u) << j["orphans"].dump();
  for (const auto& o : j["orphans"]) EXPECT_EQ(o.get<std::string>().find("Sơn La thăm"), std::string::npos);

  // The seed's 8 references, each to its own file, and the methods that resolved them.
  auto cat = Catalog::open(archive, {.read_only = true});
  ASSERT_TRUE(cat.ok()) << cat.status().to_string();
  auto snap = (*cat)->snapshot().value();
  std::string seed_folder = (samples() / "2020-11-18 Sơn La thăm Thanh Hóa").string();
  auto ev = snap->event(event_id_for_folder(seed_folder));
  ASSERT_TRUE(ev.ok()) << ev.status().to_string();
  EXPECT_EQ(ev->title, "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA");
  ASSERT_EQ(ev->article_ids.size(), 1u);
  auto links = snap->article_links(ev->article_ids[0]);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 8u);
  std::set<std::string> paths;
  std::map<std::string, std::string> method_of;
  for (const auto& l : *links) {
    EXPECT_NE(l.method, LinkMethod::kUnresolved) << l.ref;
    EXPECT_TRUE(l.digest.has_value()) << l.ref;
    paths.insert(l.path);
    method_of[l.ref] = link_method_name(l.method);
  }
  EXPECT_EQ(paths.size(), 8u) << "one-to-one: eight references, eight different files";
  EXPECT_EQ(method_of["toanf cảnh sơn la làm việc tại điện biên.jpg"], "typing_slip");
  // The first photo's name is NFD on disk (as from a Mac): found by the NFC stage.
  EXPECT_EQ(method_of["ảnh anh xuân tiếp và làm việc với sơn la.jpg"], "nfc");
  EXPECT_EQ(method_of["tặng sơn la tranh.jpg"], "exact");
  snap.reset();

  // Without --json: a human summary on stderr that lists each link with its method.
  TempDir dir2;
  auto human = run_kho({"--archive", (dir2 / "a").string(), "ingest", samples().string()});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_TRUE(human.out.empty()) << "nothing on stdout without --json";
  EXPECT_NE(human.err.find("typing_slip"), std::string::npos) << human.err;
  EXPECT_NE(human.err.find("exact"), std::string::npos) << human.err;
  EXPECT_NE(human.err.find("unresolved: \"cắt băng khai mạc.jpg\""), std::string::npos) << human.err;
}

TEST(AppIngest, SecondRunAddsNothingAndVerifyPasses) {
  if (!fs::exists(samples() / "2020-11-18 Sơn La thăm Thanh Hóa")) GTEST_SKIP() << "samples/ is not there yet";
  TempDir dir;
  std::string archive = (dir / "archive").string();
  auto first = run_kho({"--archive", archive, "ingest", samples().string(), "--json", "--jobs", "2"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = run_kho({"--archive", archive, "ingest", samples().string(), "--json", "--jobs", "2"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  json a = parse_json(first.out), b = parse_json(second.out);
  EXPECT_EQ(b["photos_added"], 0);
  EXPECT_EQ(b["photos_unchanged"], a["photos_added"]);
  for (const char* k : {"files_seen", "articles", "links", "unresolved", "orphans", "errors"})
    EXPECT_EQ(a[k], b[k]) << k;
  auto verify = run_kho({"--archive", archive, "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(AppIngest, CopyUnderAnotherNameIsOnePhotoWithTwoFiles) {
  TempDir dir;
  write_file(dir / "tree/ev/a.jpg", ingest_jpeg(1));
  write_file(dir / "tree/ev/b.jpg", ingest_jpeg(2));
  write_file(dir / "tree/other/a (copy).jpg", ingest_jpeg(1));
  std::string archive = (dir / "archive").string();
  auto r = run_kho({"--archive", archive, "ingest", (dir / "tree").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = parse_json(r.out);
  EXPECT_EQ(j["files_seen"], 3);
  EXPECT_EQ(j["photos_added"], 2);
  auto cat = Catalog::open(archive, {.read_only = true});
  ASSERT_TRUE(cat.ok());
  auto stats = (*cat)->stats();
  ASSERT_TRUE(stats.ok());
  for (const auto& db : stats->dbs) {
    if (db.name == "photos") {
      EXPECT_EQ(db.entries, 2u);
    }
    if (db.name == "files") {
      EXPECT_EQ(db.entries, 3u);
    }
  }
  auto snap = (*cat)->snapshot().value();
  auto file = snap->file((dir / "tree/other/a (copy).jpg").string());
  ASSERT_TRUE(file.ok());
  auto files = snap->photo_files(file->digest);
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 2u);
  auto photo = snap->photo(file->digest);
  ASSERT_TRUE(photo.ok());
  EXPECT_TRUE(photo->has_thumbs);
  EXPECT_EQ(photo->width, 160u);
  auto grid = snap->thumb_view(file->digest, ThumbSize::kGrid);
  ASSERT_TRUE(grid.ok());
  EXPECT_EQ(static_cast<unsigned char>((*grid)[0]), 0xFF) << "the grid thumbnail is a JPEG";
}

TEST(AppIngest, BadFilesAreErrorsAndTheRunGoesOn) {
  TempDir dir;
  write_file(dir / "tree/ev/good.jpg", ingest_jpeg(1));
  write_file(dir / "tree/ev/empty.jpg", "");
  write_file(dir / "tree/ev/text.jpg", "hello, I am not a photo\n");
  write_file(dir / "tree/ev/truncated.jpg", ingest_jpeg(2).substr(0, ingest_jpeg(2).size() / 3));
  write_file(dir / "tree/ev/garbage.png", std::string(5000, '\x89'));
  std::string archive = (dir / "archive").string();
  auto r = run_kho({"--archive", archive, "ingest", (dir / "tree").string(), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = parse_json(r.out);
  EXPECT_GE(j["photos_added"].get<int>(), 1);
  std::set<std::string> failed;
  for (const auto& e : j["errors"]) {
    failed.insert(fs::path(e["path"].get<std::string>()).filename().string());
    EXPECT_FALSE(e["reason"].get<std::string>().empty());
  }
  EXPECT_TRUE(failed.contains("empty.jpg"));
  EXPECT_TRUE(failed.contains("text.jpg"));
  EXPECT_TRUE(failed.contains("garbage.png"));
  EXPECT_FALSE(failed.contains("good.jpg"));
  EXPECT_EQ(r.err.find("OpenCV"), std::string::npos) << "no library noise on stderr: " << r.err;
  auto verify = run_kho({"--archive", archive, "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST(AppIngest, UsageErrorsExitTwo) {
  TempDir dir;
  auto none = run_kho({"--archive", (dir / "a").string(), "ingest"});
  EXPECT_EQ(none.exit_code, 2);
  auto bad_jobs = run_kho({"--archive", (dir / "a").string(), "ingest", dir.path().string(), "--jobs", "0"});
  EXPECT_EQ(bad_jobs.exit_code, 2);
  auto help = run_kho({"ingest", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--jobs"), std::string::npos);
}

TEST(AppIngest, OneAndTwoJobsGiveTheSameArchive) {
  TempDir dir;
  for (int i = 0; i < 12; ++i) write_file(dir / "tree/ev" / (std::to_string(i) + ".jpg"), ingest_jpeg(1 + i % 4));
  write_file(dir / "tree/ev2/x.jpg", ingest_jpeg(3));
  auto one = run_kho({"--archive", (dir / "a1").string(), "ingest", (dir / "tree").string(), "--json", "--jobs", "1"});
  auto two = run_kho({"--archive", (dir / "a2").string(), "ingest", (dir / "tree").string(), "--json", "--jobs", "2"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  json a = parse_json(one.out), b = parse_json(two.out);
  for (const char* k : {"files_seen", "photos_added", "photos_unchanged", "articles", "links", "orphans", "errors"})
    EXPECT_EQ(a[k], b[k]) << k;
  EXPECT_EQ(a["photos_added"], 4);
  EXPECT_EQ(a["exact_duplicates"], 9);
}

}  // namespace
}  // namespace kho
