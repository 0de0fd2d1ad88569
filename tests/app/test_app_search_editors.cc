// Issue 15, "editors' queries": what a photo editor types into `kho search` against the samples (samples/,
// ingested as a newsroom would hand them over) and the photos each query must find. No diacritics, slips
// (Telex and swapped letters), abbreviations both ways, a pasted caption, a date filter, a camera and a file
// name. The held-back set of the issue is of this kind; these run through the CLI, the same view as
// /api/search.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "kho/text.h"
#include "test_support.h"

namespace kho {
namespace {
namespace fs = std::filesystem;
using kho::testing::run_kho;
using kho::testing::TempDir;
using nlohmann::json;

fs::path samples() { return kho::testing::source_dir() / "samples"; }

class EditorsQueries : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    archive_ = (dir_->path() / "archive").string();
    if (!fs::exists(samples() / "2020-11-18 Sơn La thăm Thanh Hóa")) return;
    auto r = run_kho({"--archive", archive_, "ingest", samples().string(), "--json"});
    ingested_ = r.exit_code == 0;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!fs::exists(samples() / "2020-11-18 Sơn La thăm Thanh Hóa")) GTEST_SKIP() << "samples/ is not there";
    ASSERT_TRUE(ingested_) << "kho ingest samples failed";
  }

  // `kho search --json QUERY`, parsed.
  static json search(const std::string& query) {
    auto r = run_kho({"--archive", archive_, "search", "--json", query});
    EXPECT_EQ(r.exit_code, 0) << query << ": " << r.err;
    auto j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << query << ": " << r.out;
    return j.is_discarded() ? json::object() : j;
  }

  // The file names (last path component of the first file, NFC: one sample is named in NFD) of the photos a
  // query's hits show, in hit order.
  static std::vector<std::string> photos(const json& results) {
    std::vector<std::string> out;
    if (!results.contains("hits")) return out;
    for (const json& h : results["hits"]) {
      if (!h["digest"].is_string()) continue;
      const std::string digest = h["digest"].get<std::string>();
      auto it = names_.find(digest);
      if (it == names_.end()) {
        auto r = run_kho({"--archive", archive_, "show", digest, "--json"});
        auto j = json::parse(r.out, nullptr, false);
        std::string name = "?";
        if (!j.is_discarded() && j.contains("files") && !j["files"].empty())
          name = to_nfc(fs::path(j["files"][0]["path"].get<std::string>()).filename().string());
        it = names_.emplace(digest, name).first;
      }
      out.push_back(it->second);
    }
    return out;
  }

  static bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  static inline TempDir* dir_ = nullptr;
  static inline std::string archive_;
  static inline bool ingested_ = false;
  static inline std::map<std::string, std::string> names_;
};

// Each query with the photos it must find (file names as in samples/).
struct EditorQuery {
  const char* query;
  std::vector<std::string> must_find;
};

TEST_F(EditorsQueries, EachQueryFindsItsPhotos) {
  const std::vector<EditorQuery> queries = {
      // No diacritics, words of the article's caption.
      {"anh xuan tiep doan son la", {"ảnh anh xuân tiếp và làm việc với sơn la.jpg"}},
      {"tang tranh dong son", {"tặng sơn la tranh.jpg"}},
      // The article's captions of the near-duplicate pair and the photo named without diacritics.
      {"phong truyen thong",
       {"thăm phòng truyền thống.jpg", "tham phòng truyền thống 1.jpg", "phong truyen thong 2.jpg"}},
      // An abbreviation for what the texts spell out, and the other way round: the photo's own caption says
      // "TP Thanh Hóa", the article's "thành phố Thanh Hoá".
      {"thanh pho thanh hoa tang tranh", {"tặng sơn la tranh.jpg"}},
      {"TP Thanh Hoá tặng tranh", {"tặng sơn la tranh.jpg"}},
      // The event's own words with the diacritics typed.
      {"Điện Biên", {"toàn cảnh sơn la làm việc tại điện biên.jpg"}},
      {"văn nghệ chào mừng", {"tiết mục văn nghệ chào mừng.jpg"}},
      // A date filter on the event's date.
      {"bieu dien date:2020-12", {"biểu diễn lửa.jpg"}},
      {"tiet muc van nghe date:2020-11..2020-12", {"tiết mục văn nghệ chào mừng.jpg"}},
      // The camera and a file name.
      {"nikon d7500", {"DSC_0412.JPG", "DSC_0419.JPG", "DSC_0433.JPG"}},
      {"DSC_0419", {"DSC_0419.JPG"}},
  };
  for (const EditorQuery& q : queries) {
    const json r = search(q.query);
    const std::vector<std::string> found = photos(r);
    for (const std::string& want : q.must_find) EXPECT_TRUE(has(found, want)) << q.query << " must find " << want;
  }
}

TEST_F(EditorsQueries, APastedCaptionFindsItsPhotoFirst) {
  // The article's caption, pasted whole (26 words), with its punctuation.
  const json r = search(
      "Đồng chí Lê Anh Xuân – Uỷ viên BTV tỉnh uỷ, Bí Thư Thành uỷ tiếp và làm việc với đoàn công tác của tỉnh "
      "Sơn La.");
  const auto found = photos(r);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], "ảnh anh xuân tiếp và làm việc với sơn la.jpg");
  // Without its marks and with one word mistyped.
  const json slipped = search(
      "dong chi le anh xuan uy vien BTV tinh uy bi thu thanh uy tiep va lam viec voi doan cong tac cua tinh son lq");
  const auto found2 = photos(slipped);
  ASSERT_FALSE(found2.empty());
  EXPECT_EQ(found2[0], "ảnh anh xuân tiếp và làm việc với sơn la.jpg");
}

TEST_F(EditorsQueries, SlipsAreCorrected) {
  // A Telex slip (the tone key typed after the word: "lửa" typed as "luwar"), swapped letters, one letter off.
  for (const auto& [query, want] : std::vector<std::pair<std::string, std::string>>{
           {"bieu dien luwar", "biểu diễn lửa.jpg"},
           {"dien bein", "toàn cảnh sơn la làm việc tại điện biên.jpg"},
           {"tang tranj dong son", "tặng sơn la tranh.jpg"},
       }) {
    const json r = search(query);
    ASSERT_TRUE(r.contains("suggestion")) << query;
    EXPECT_TRUE(r["suggestion"].is_string()) << query << ": a correction is offered";
    EXPECT_TRUE(has(photos(r), want)) << query << " must find " << want;
  }
  // A date filter that excludes the event finds nothing.
  EXPECT_TRUE(photos(search("bieu dien date:2020-11")).empty());
  // "thanh hao": both words exist in the samples but never together; "thanh hóa" is offered.
  const json hao = search("thanh hao");
  ASSERT_TRUE(hao["suggestion"].is_string());
  EXPECT_EQ(hao["suggestion"].get<std::string>(), "thanh hóa");
}

}  // namespace
}  // namespace kho
