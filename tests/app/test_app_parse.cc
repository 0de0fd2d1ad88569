// `kho parse`: the acceptance case on the seed, the JSON contract (DESIGN.md §5) and exit codes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace {

using kho::testing::run_kho;
using nlohmann::json;

std::string seed_path() {
  const auto shared = kho::testing::shared_dir();
  if (shared && std::filesystem::exists(*shared / "seed" / "000_b3632f37396194da.txt")) {
    return (*shared / "seed" / "000_b3632f37396194da.txt").string();
  }
  return (kho::testing::test_data_dir() / "articles" / "seed_thanh_hoa.txt").string();
}

TEST(AppParse, SeedJsonMatchesTheAcceptanceCase) {
  const auto r = run_kho({"parse", seed_path(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);  // exactly one document on stdout
  ASSERT_EQ(doc["articles"].size(), 1u);
  const json& a = doc["articles"][0];
  EXPECT_EQ(a["title"], "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA");
  ASSERT_TRUE(a["date"].is_string());
  EXPECT_EQ(a["date"].get<std::string>().substr(0, 10), "2020-11-18");
  EXPECT_NE(a["author"].get<std::string>().find("Thu Hiền"), std::string::npos);
  EXPECT_EQ(a["copies"], 2);
  const json& photos = a["photos"];
  ASSERT_EQ(photos.size(), 8u);
  EXPECT_EQ(photos[0]["ref"], "ảnh anh xuân tiếp và làm việc với sơn la.jpg");
  EXPECT_EQ(photos[7]["ref"], "tham phòng truyền thống 1.jpg");
  EXPECT_EQ(photos[0]["caption"].get<std::string>().rfind("Đồng chí Lê Anh Xuân – ", 0), 0u);
  EXPECT_EQ(photos[1]["caption"].get<std::string>().rfind("Toàn cảnh đoàn công tác", 0), 0u);
  EXPECT_EQ(photos[2]["caption"].get<std::string>().rfind("Lãnh đạo thành phố Thanh Hoá tặng", 0), 0u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(photos[i]["group_caption"].is_null()) << i;
  for (int i = 3; i < 8; ++i) {
    EXPECT_TRUE(photos[i]["caption"].is_null()) << i;
    EXPECT_EQ(photos[i]["group_caption"],
              "Một số hình ảnh đoàn công tác thăm phòng truyền thống "
              "Thành uỷ và bộ phận một cửa UBND thành phố.")
        << i;
  }
}

TEST(AppParse, HumanSummaryWithoutJson) {
  const auto r = run_kho({"parse", seed_path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ĐOÀN CÔNG TÁC TỈNH SƠN LA"), std::string::npos);
  EXPECT_NE(r.out.find("copies: 2"), std::string::npos);
  EXPECT_NE(r.out.find("8. tham phòng truyền thống 1.jpg"), std::string::npos);
}

TEST(AppParse, SameArticleInTwoFilesIsOneArticle) {
  kho::testing::TempDir dir;
  const std::string bytes = kho::testing::read_file(seed_path());
  kho::testing::write_file(dir / "a.txt", bytes);
  kho::testing::write_file(dir / "b.txt", bytes);
  const auto r = run_kho({"parse", (dir / "a.txt").string(), (dir / "b.txt").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["articles"].size(), 1u);
  EXPECT_EQ(doc["articles"][0]["copies"], 4);
  EXPECT_EQ(doc["articles"][0]["sources"].size(), 2u);
}

TEST(AppParse, UnreadableFileExitsTwoAndNamesIt) {
  kho::testing::TempDir dir;
  const std::string missing = (dir / "không có.txt").string();
  const auto r = run_kho({"parse", missing, "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(missing), std::string::npos);
}

TEST(AppParse, BinaryFileIsAReportedErrorNotACrash) {
  kho::testing::TempDir dir;
  kho::testing::write_file(dir / "x.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  const auto r = run_kho({"parse", (dir / "x.txt").string(), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("x.txt"), std::string::npos);
  EXPECT_EQ(json::parse(r.out)["articles"].size(), 0u);
}

TEST(AppParse, NoFileIsAUsageError) {
  const auto r = run_kho({"parse"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
