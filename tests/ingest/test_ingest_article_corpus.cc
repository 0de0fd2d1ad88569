// Corpus harness (issue 11): every article file NAME.{txt,html,htm,docx} under a folder, with
// NAME.expected.json beside it (the shape of ../shared/articles-html/README.md), must parse to its expected
// title, date (YYYY-MM-DD), author, and per photo ref, caption, group caption and credit. Prints a per-field
// score, then fails on every field that differs, naming the file and both values.
//
// - tests/data/articles-corpus/**: the corpus of real articles from many sites (SOURCES.md there), plus
//   real-looking text exports written for the harness (seeds/).
// - tests/data/articles-text/**: one real-looking export per text layout (caption above/below by blank
//   lines, page chrome, a title twice, …).
//
// Expected-file keys: `title`, `date` (null when the page prints none), `author`, `photos[]` with `src`
// (for .txt the photo line as written; for HTML the src attribute, or `data_src` / `data_original` when
// src is a placeholder; for .docx the part name), `caption`, `credit` (compared without a final period),
// `group_caption` (absent = null), `ambiguous` (true: either the given caption or null is right).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kho/ingest/article_parser.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

using Opt = std::optional<std::string>;

Opt str_or_null(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<std::string>();
}

std::string show(const Opt& s) { return s ? "\"" + *s + "\"" : "null"; }

Opt strip_period(Opt s) {
  while (s && !s->empty() && s->back() == '.') s->pop_back();
  return s;
}

std::string expected_ref(const nlohmann::json& p) {
  if (auto d = str_or_null(p, "data_src")) return *d;
  if (auto d = str_or_null(p, "data_original")) return *d;
  return str_or_null(p, "src").value_or("");
}

bool is_article_file(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".txt" || ext == ".html" || ext == ".htm" || ext == ".docx";
}

struct Score {
  int right = 0, total = 0;
};

struct CorpusRun {
  std::size_t files = 0;
  int right = 0, total = 0;
  std::vector<std::string> misses;
};

// Walks `dir` for article files with an expected file beside them; scores every field.
CorpusRun run_corpus(const fs::path& dir) {
  CorpusRun run;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || !is_article_file(e.path())) continue;
    fs::path json = e.path();
    json.replace_extension(".expected.json");
    if (fs::exists(json)) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  run.files = files.size();

  std::map<std::string, Score> score;
  auto check = [&](const std::string& field, const std::string& where, const Opt& want, const Opt& got,
                   bool either_or_null = false) {
    Score& s = score[field];
    ++s.total;
    if (want == got || (either_or_null && !got)) {
      ++s.right;
    } else {
      run.misses.push_back(where + " " + field + ": want " + show(want) + ", got " + show(got));
    }
  };

  for (const fs::path& file : files) {
    fs::path json_path = file;
    json_path.replace_extension(".expected.json");
    const std::string name = fs::relative(file, dir).string();
    nlohmann::json want;
    try {
      want = nlohmann::json::parse(kho::testing::read_file(json_path));
    } catch (const std::exception& e) {
      run.misses.push_back(name + ": bad expected file: " + e.what());
      continue;
    }
    auto parsed = kho::ingest::parse_article_file(file.string());
    kho::Article none;
    const kho::Article* a = &none;
    if (!parsed.ok()) {
      run.misses.push_back(name + ": parse error: " + parsed.status().message());
    } else if (parsed->articles.size() != 1) {
      run.misses.push_back(name + ": " + std::to_string(parsed->articles.size()) + " articles, want 1");
      if (!parsed->articles.empty()) a = &parsed->articles[0];
    } else {
      a = &parsed->articles[0];
    }
    check("title", name, str_or_null(want, "title"), a->title.empty() ? Opt() : Opt(a->title));
    check("date", name, str_or_null(want, "date"), a->date ? Opt(a->date->substr(0, 10)) : std::nullopt);
    check("author", name, str_or_null(want, "author"), a->author);
    const nlohmann::json photos = want.contains("photos") ? want["photos"] : nlohmann::json::array();
    check("photo count", name, std::to_string(photos.size()), std::to_string(a->refs.size()));
    for (std::size_t i = 0; i < photos.size(); ++i) {
      const std::string at = name + " photo " + std::to_string(i + 1);
      const kho::PhotoRef* r = i < a->refs.size() ? &a->refs[i] : nullptr;
      const bool ambiguous = photos[i].value("ambiguous", false);
      check("ref", at, expected_ref(photos[i]), r ? Opt(r->ref) : std::nullopt);
      check("caption", at, str_or_null(photos[i], "caption"), r ? r->caption : std::nullopt, ambiguous);
      check("group caption", at, str_or_null(photos[i], "group_caption"), r ? r->group_caption : std::nullopt);
      check("credit", at, strip_period(str_or_null(photos[i], "credit")), r ? strip_period(r->credit) : std::nullopt,
            ambiguous);
    }
  }
  std::printf("  %s\n", dir.string().c_str());
  for (const auto& [field, s] : score) {
    std::printf("  %-14s %4d / %4d\n", field.c_str(), s.right, s.total);
    run.right += s.right;
    run.total += s.total;
  }
  std::printf("  %-14s %4d / %4d (%.1f%%) over %zu files\n", "all fields", run.right, run.total,
              run.total ? 100.0 * run.right / run.total : 0.0, run.files);
  return run;
}

TEST(ArticleCorpus, EveryArticleGivesItsExpectedFields) {
  const fs::path dir = kho::testing::test_data_dir() / "articles-corpus";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  const CorpusRun run = run_corpus(dir);
  EXPECT_GE(run.files, 5u) << "the corpus lost its files";
  for (const std::string& m : run.misses) ADD_FAILURE() << m;
}

TEST(ArticleCorpus, EveryTextLayoutGivesItsExpectedFields) {
  const fs::path dir = kho::testing::test_data_dir() / "articles-text";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  const CorpusRun run = run_corpus(dir);
  EXPECT_GE(run.files, 12u) << "the layout fixtures lost their files";
  for (const std::string& m : run.misses) ADD_FAILURE() << m;
}

}  // namespace
