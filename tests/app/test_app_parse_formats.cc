// `kho parse` on HTML, DOCX and unsupported files: the same JSON shape, with `credit` and `file`.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

namespace {

using kho::testing::run_kho;
using nlohmann::json;
namespace fs = std::filesystem;

const char* kSavedPage = R"(<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Lễ khai mạc hội chợ - Báo Mẫu</title>
<meta property="article:published_time" content="2020-12-01T08:00:00+07:00"></head><body>
<h1>Lễ khai mạc hội chợ</h1>
<div class="content"><p>Sáng nay, lễ khai mạc hội chợ diễn ra tại quảng trường, với sự tham dự của đông đảo người dân,
du khách và các đơn vị trưng bày sản phẩm từ nhiều tỉnh thành.</p>
<figure><img src="bai_files/bi%E1%BB%83u%20di%E1%BB%85n.jpg">
<figcaption>Biểu diễn lửa. Ảnh: Minh Anh</figcaption></figure>
<p>Hội chợ kéo dài một tuần, với nhiều hoạt động văn hóa, văn nghệ đặc sắc, các gian hàng ẩm thực và thủ công.</p>
<figure><img src="https://cdn.example.vn/a/remote.jpg?w=680&amp;h=0"><figcaption>Quảng trường</figcaption></figure>
<p style="text-align:right"><strong>Minh Anh</strong></p></div></body></html>)";

TEST(AppParseFormats, SavedHtmlPageWithItsFilesFolder) {
  kho::testing::TempDir dir;
  kho::testing::write_file(dir.path() / "bai.html", kSavedPage);
  fs::create_directories(dir.path() / "bai_files");
  kho::testing::write_file(dir.path() / "bai_files" / "biểu diễn.jpg", "not really a jpeg");
  const auto r = run_kho({"parse", (dir.path() / "bai.html").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["articles"].size(), 1u);
  const json& a = doc["articles"][0];
  EXPECT_EQ(a["title"], "Lễ khai mạc hội chợ");
  EXPECT_EQ(a["date"], "2020-12-01T08:00:00+07:00");
  EXPECT_EQ(a["author"], "Minh Anh");
  ASSERT_EQ(a["photos"].size(), 2u);
  const json& p0 = a["photos"][0];
  EXPECT_EQ(p0["ref"], "bai_files/bi%E1%BB%83u%20di%E1%BB%85n.jpg");  // as written
  EXPECT_EQ(p0["caption"], "Biểu diễn lửa. Ảnh: Minh Anh");
  EXPECT_EQ(p0["credit"], "Minh Anh");
  EXPECT_EQ(p0["file"], (dir.path() / "bai_files" / "biểu diễn.jpg").string());
  EXPECT_TRUE(p0["group_caption"].is_null());
  const json& p1 = a["photos"][1];
  EXPECT_EQ(p1["ref"], "https://cdn.example.vn/a/remote.jpg?w=680&h=0");  // entities decoded
  EXPECT_TRUE(p1["file"].is_null());
  EXPECT_TRUE(p1["credit"].is_null());
}

TEST(AppParseFormats, TextExportFilesResolveBesideIt) {
  const fs::path sample = kho::testing::source_dir() / "samples" / "2020-12-01 Lễ khai mạc" / "bai-viet.txt";
  const auto r = run_kho({"parse", sample.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  int resolved = 0;
  for (const json& p : doc["articles"][0]["photos"]) {
    ASSERT_TRUE(p.contains("file"));
    ASSERT_TRUE(p.contains("credit"));
    if (p["file"].is_string()) {
      ++resolved;
      EXPECT_TRUE(fs::exists(p["file"].get<std::string>()));
    }
  }
  EXPECT_GE(resolved, 2);  // the sample names 3 photos; 2 are on disk under those names
}

TEST(AppParseFormats, DocAndBrokenFilesAreClearErrorsAndTheRunGoesOn) {
  kho::testing::TempDir dir;
  kho::testing::write_file(dir.path() / "old.doc", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "rest");
  kho::testing::write_file(dir.path() / "photo.docx", "\xFF\xD8\xFF\xE0 a renamed jpeg");
  kho::testing::write_file(dir.path() / "ok.html", kSavedPage);
  const auto r = run_kho({"parse", (dir.path() / "old.doc").string(), (dir.path() / "photo.docx").string(),
                          (dir.path() / "ok.html").string(), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("old.doc: unsupported"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("photo.docx"), std::string::npos) << r.err;
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["articles"].size(), 1u);  // the good file is still parsed
}

}  // namespace
