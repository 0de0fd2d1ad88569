// `kho meta FILE... --json` (DESIGN.md §5): the JSON shape, exit codes, and that broken files never
// crash the process nor make Exiv2 print on stderr.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using kho::testing::run_kho;

const char* const kFields[] = {"width", "height", "orientation", "make", "model", "lens", "datetime_original",
                               "exposure_time", "f_number", "iso", "focal_length", "gps_lat", "gps_lon",
                               "gps_alt", "description", "headline", "keywords", "creator", "credit",
                               "event", "warnings"};

std::string fixture(const std::string& name) { return (kho::testing::test_data_dir() / "metadata" / name).string(); }

TEST(AppMeta, OneFileGivesOneObjectWithEveryField) {
  auto r = run_kho({"meta", fixture("datetime_offset.jpg"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_object());
  for (const char* f : kFields) EXPECT_TRUE(j.contains(f)) << f;
  EXPECT_EQ(j["width"], 16);
  EXPECT_EQ(j["height"], 12);
  EXPECT_EQ(j["orientation"], 6);
  EXPECT_EQ(j["make"], "FUJIFILM");
  EXPECT_EQ(j["datetime_original"], "2020-05-17T08:30:15.042+07:00");
  EXPECT_DOUBLE_EQ(j["exposure_time"].get<double>(), 0.004);
  EXPECT_EQ(j["iso"], 400);
  EXPECT_TRUE(j["gps_lat"].is_null());  // absent fields are null, never missing
  EXPECT_TRUE(j["description"].is_null());
  EXPECT_TRUE(j["keywords"].is_array());
  EXPECT_TRUE(j["warnings"].is_array());
}

TEST(AppMeta, SeveralFilesGiveAListInOrder) {
  auto r = run_kho({"meta", "--json", fixture("gps_sw.jpg"), fixture("iptc_utf8.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_LT(j[0]["gps_lat"].get<double>(), 0);
  EXPECT_LT(j[0]["gps_lon"].get<double>(), 0);
  EXPECT_EQ(j[1]["description"], "Hà Nội: Lễ hội đền Hùng");
  EXPECT_EQ(j[1]["keywords"], nlohmann::json::array({"lễ hội", "Phú Thọ"}));
}

TEST(AppMeta, AFailedFileIsListedOnStderrAndExitsOne) {
  auto r = run_kho({"meta", "--json", fixture("text.jpg"), fixture("gps_ne.jpg"), "/nonexistent/x.jpg"});
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 3u);
  EXPECT_TRUE(j[0].is_null());
  EXPECT_TRUE(j[1].is_object());
  EXPECT_TRUE(j[2].is_null());
  EXPECT_NE(r.err.find("text.jpg: not an image"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/x.jpg"), std::string::npos) << r.err;
}

TEST(AppMeta, UsageErrorExitsTwo) {
  EXPECT_EQ(run_kho({"meta"}).exit_code, 2);
  EXPECT_EQ(run_kho({"meta", "--no-such-flag", fixture("gps_ne.jpg")}).exit_code, 2);
}

TEST(AppMeta, TextOutputNamesTheFields) {
  auto r = run_kho({"meta", fixture("xp_tags.jpg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Tiêu đề XP"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("headline"), std::string::npos) << r.out;
}

// Every broken file of ../shared/photos (corrupt intent, failed decode, or exiftool warnings and
// errors), plus our own damaged fixtures: a record or an error, never a crash, and nothing on stderr
// but kho's own "not an image" lines.
TEST(AppMeta, BrokenFilesNeverCrashNorPrintExiv2Output) {
  std::vector<std::string> files = {fixture("truncated_exif.jpg"), fixture("hostile_ifd_offset.jpg"),
                                    fixture("empty.jpg"), fixture("text.jpg")};
  if (auto shared = kho::testing::shared_dir()) {
    std::ifstream in(*shared / "photos" / "expected.tsv");
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::vector<std::string> c;
      std::stringstream ss(line);
      for (std::string cell; std::getline(ss, cell, '\t');) c.push_back(cell);
      if (c.size() < 22) continue;
      bool broken = c[21] == "corrupt" || c[19] == "fail" || c[19] == "warn" || c[17] != "-" || c[18] != "-";
      if (broken) files.push_back((*shared / "photos" / c[0]).string());
    }
  }
  ASSERT_GE(files.size(), 4u);
  std::vector<std::string> args = {"meta", "--json"};
  args.insert(args.end(), files.begin(), files.end());
  auto r = run_kho(args);
  ASSERT_NE(r.exit_code, -1) << "killed by a signal";
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), files.size());
  std::stringstream err(r.err);
  int error_lines = 0;
  for (std::string line; std::getline(err, line);) {
    ++error_lines;
    EXPECT_EQ(line.rfind("kho: ", 0), 0u) << "not kho's own line: " << line;
    EXPECT_NE(line.find(": not an image: "), std::string::npos) << line;
  }
  int nulls = 0;
  for (const auto& rec : j) nulls += rec.is_null() ? 1 : 0;
  EXPECT_EQ(nulls, error_lines);
  std::printf("[ broken   ] %zu files: %zu records, %d refused as not an image\n", files.size(),
              files.size() - static_cast<std::size_t>(nulls), nulls);
}

}  // namespace
