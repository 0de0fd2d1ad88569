// `kho parse FILE... [--json]`: parse article exports only, no archive (DESIGN.md §5).
//
// --json prints {"articles":[{"title", "date", "author", "copies", "photos":[{"ref", "caption",
// "group_caption", "credit"}], "id", "sources", "paragraphs"}]}, null for absent values. Parser warnings
// go to stderr. Exit codes: 0 ok; 1 a file was not an article export (binary); 2 a file could not be read.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "kho/ingest/article_parser.h"
#include "kho/json_model.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

nlohmann::json or_null(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json article_to_json(const kho::Article& a) {
  nlohmann::json photos = nlohmann::json::array();
  for (const kho::PhotoRef& r : a.refs) {
    photos.push_back({{"ref", r.ref},
                      {"caption", or_null(r.caption)},
                      {"group_caption", or_null(r.group_caption)},
                      {"credit", or_null(r.credit)}});
  }
  nlohmann::json paragraphs = nlohmann::json::array();
  for (const kho::ArticleBlock& b : a.blocks) {
    if (b.kind == kho::ArticleBlock::Kind::kParagraph) paragraphs.push_back(b.text);
  }
  nlohmann::json sources = nlohmann::json::array();
  for (const std::string& s : a.sources) sources.push_back(display_path(s));
  return {{"title", a.title},   {"date", or_null(a.date)}, {"author", or_null(a.author)},
          {"copies", a.copies}, {"photos", photos},        {"id", a.id},
          {"sources", sources}, {"paragraphs", paragraphs}};
}

void print_summary(const kho::Article& a) {
  std::cout << terminal_safe(a.title) << "\n";
  std::cout << "  date:   " << terminal_safe(a.date.value_or("(none)")) << "\n";
  std::cout << "  author: " << terminal_safe(a.author.value_or("(none)")) << "\n";
  std::cout << "  copies: " << a.copies << "   photos: " << a.refs.size() << "   id: " << a.id << "\n";
  const std::string* group = nullptr;
  for (std::size_t i = 0; i < a.refs.size(); ++i) {
    const kho::PhotoRef& r = a.refs[i];
    if (r.group_caption && (!group || *group != *r.group_caption)) {
      std::cout << "  group: " << terminal_safe(*r.group_caption) << "\n";
    }
    group = r.group_caption ? &*r.group_caption : nullptr;
    std::cout << "  " << (i + 1) << ". " << terminal_safe(r.ref) << "\n";
    if (r.caption) std::cout << "       " << terminal_safe(*r.caption) << "\n";
    if (r.credit) std::cout << "       (credit: " << terminal_safe(*r.credit) << ")\n";
  }
}

int run_parse(const std::vector<std::string>& files, bool json) {
  int rc = kExitOk;
  // The same article in two files is one article (DESIGN.md §1): collapsed by id, in first-seen order.
  std::vector<kho::Article> all;
  for (const std::string& path : files) {
    auto parsed = kho::ingest::parse_article_file(path);
    if (!parsed.ok()) {
      const Status st = parsed.status();
      print_error(st.message());
      const bool unreadable =
          st.is_not_found() || st.is_io_error() ||
          (st.is_invalid_argument() && st.message().find("directory") != std::string::npos);
      rc = std::max(rc, unreadable ? kExitFatal : kExitPartial);
      continue;
    }
    for (const std::string& w : parsed->warnings) std::fprintf(stderr, "kho: warning: %s\n", terminal_safe(w).c_str());
    for (kho::Article& a : parsed->articles) {
      auto same = std::find_if(all.begin(), all.end(), [&](const kho::Article& b) { return b.id == a.id; });
      if (same != all.end()) {
        kho::ingest::merge_copies(*same, std::move(a));
      } else {
        all.push_back(std::move(a));
      }
    }
  }
  if (json) {
    nlohmann::json articles = nlohmann::json::array();
    for (const kho::Article& a : all) articles.push_back(article_to_json(a));
    std::cout << nlohmann::json{{"articles", articles}}.dump(2) << std::endl;
  } else {
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (i > 0) std::cout << "\n";
      print_summary(all[i]);
    }
  }
  return rc;
}

}  // namespace

void add_parse_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("parse", "Parse article exports (.txt) and show their photos and captions");
  auto files = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("FILE", *files, "Article export(s) to parse")->required();
  cmd->add_flag("--json", *json, "Print one JSON document (DESIGN.md §5)");
  cmd->callback([files, json] { set_command([files, json] { return run_parse(*files, *json); }); });
}

}  // namespace kho::app
