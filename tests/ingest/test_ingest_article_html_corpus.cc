// The HTML reader against the hand-checked developer set ../shared/articles-html/ (README.md there):
// every page must give its expected title, date, author, and per photo the ref, caption, group caption
// and credit. Prints a per-field score, then fails on any field that differs.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kho/ingest/article_parser.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::optional<std::string> str_or_null(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::string>();
}

std::string show(const std::optional<std::string>& s) { return s ? "\"" + *s + "\"" : "null"; }

std::optional<std::string> strip_period(std::optional<std::string> s) {
  while (s && !s->empty() && s->back() == '.') s->pop_back();
  return s;
}

// The reference the page means: the lazy-loading attribute when src is a placeholder.
std::string expected_ref(const nlohmann::json& p) {
  if (p.contains("data_src") && !p["data_src"].is_null()) return p["data_src"];
  if (p.contains("data_original") && !p["data_original"].is_null()) return p["data_original"];
  return p["src"];
}

struct Score {
  int right = 0, total = 0;
};

TEST(HtmlCorpus, EveryPageGivesItsExpectedFields) {
  auto shared = kho::testing::shared_dir();
  if (!shared || !fs::is_directory(*shared / "articles-html")) {
    GTEST_SKIP() << "../shared/articles-html is not beside the checkout: corpus test skipped";
  }
  std::vector<fs::path> pages;
  for (const auto& e : fs::directory_iterator(*shared / "articles-html")) {
    if (e.path().extension() == ".html") pages.push_back(e.path());
  }
  std::sort(pages.begin(), pages.end());
  ASSERT_GE(pages.size(), 8u);

  std::map<std::string, Score> score;
  std::vector<std::string> misses;
  auto check = [&](const std::string& field, const std::string& page, const std::optional<std::string>& want,
                   const std::optional<std::string>& got) {
    Score& s = score[field];
    ++s.total;
    if (want == got) {
      ++s.right;
    } else {
      misses.push_back(page + " " + field + ": want " + show(want) + ", got " + show(got));
    }
  };

  for (const fs::path& page : pages) {
    fs::path json_path = page;
    json_path.replace_extension(".expected.json");
    const nlohmann::json want = nlohmann::json::parse(kho::testing::read_file(json_path));
    const std::string name = page.filename().string();
    auto parsed = kho::ingest::parse_article_file(page.string());
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.status().message();
    ASSERT_EQ(parsed->articles.size(), 1u) << name;
    const kho::Article& a = parsed->articles[0];
    check("title", name, str_or_null(want, "title"), a.title);
    check("date", name, str_or_null(want, "date"),
          a.date ? std::optional<std::string>(a.date->substr(0, 10)) : std::nullopt);
    check("author", name, str_or_null(want, "author"), a.author);
    const auto& photos = want["photos"];
    check("photo count", name, std::to_string(photos.size()), std::to_string(a.refs.size()));
    for (std::size_t i = 0; i < photos.size(); ++i) {
      const std::string at = name + " photo " + std::to_string(i + 1);
      const kho::PhotoRef* r = i < a.refs.size() ? &a.refs[i] : nullptr;
      check("ref", at, expected_ref(photos[i]), r ? std::optional<std::string>(r->ref) : std::nullopt);
      check("caption", at, str_or_null(photos[i], "caption"), r ? r->caption : std::nullopt);
      check("group caption", at, str_or_null(photos[i], "group_caption"), r ? r->group_caption : std::nullopt);
      check("credit", at, strip_period(str_or_null(photos[i], "credit")), r ? strip_period(r->credit) : std::nullopt);
    }
  }
  int right = 0, total = 0;
  for (const auto& [field, s] : score) {
    std::printf("  %-14s %3d / %3d\n", field.c_str(), s.right, s.total);
    right += s.right;
    total += s.total;
  }
  std::printf("  %-14s %3d / %3d (%.1f%%) over %zu pages\n", "all fields", right, total,
              total ? 100.0 * right / total : 0.0, pages.size());
  for (const std::string& m : misses) ADD_FAILURE() << m;
}

}  // namespace
