// `kho parse FILE... [--json]`: parse article exports only, no archive (DESIGN.md §5).
//
// Takes .txt, .html/.htm and .docx (kho::ingest::article_format). --json prints {"articles":[{"title",
// "date", "author", "copies", "photos":[{"ref", "caption", "group_caption", "credit", "file",
// "caption_weak"}], "id", "sources", "paragraphs"}]}, null for absent values. `file` is the local path
// the ref resolves to: for a text export the linker's match among the files beside it, for HTML a file
// beside the page or in its saved `_files/` folder, for DOCX "FILE.docx#word/media/…"; null when none.
// Parser warnings go to stderr. Exit codes: 0 ok; 1 a file was not an article (binary, unsupported,
// corrupt); 2 a file could not be read.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "kho/ingest/article_parser.h"
#include "kho/ingest/linker.h"
#include "kho/json_model.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

nlohmann::json or_null(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// The local file each reference resolves to ("" when none), from the article's first source.
std::vector<std::string> resolve_files(const kho::Article& a) {
  std::vector<std::string> files(a.refs.size());
  if (a.sources.empty()) return files;
  const std::string& source = a.sources.front();
  if (kho::ingest::article_format(source) == kho::ingest::ArticleFormat::kHtml ||
      kho::ingest::article_format(source) == kho::ingest::ArticleFormat::kDocx) {
    for (std::size_t i = 0; i < a.refs.size(); ++i) files[i] = kho::ingest::resolve_embedded_ref(source, a.refs[i].ref);
    return files;
  }
  // A text export names files in its own folder: the linker decides, as ingest would.
  std::filesystem::path dir = std::filesystem::path(source).parent_path();
  if (dir.empty()) dir = ".";
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) names.push_back(e.path().filename().string());
  }
  for (const kho::Link& l : kho::ingest::link_article(a, names)) {
    if (l.method != kho::LinkMethod::kUnresolved && l.position < files.size()) {
      files[l.position] = (dir / l.path).string();
    }
  }
  return files;
}

nlohmann::json article_to_json(const kho::Article& a) {
  nlohmann::json photos = nlohmann::json::array();
  const std::vector<std::string> files = resolve_files(a);
  for (std::size_t i = 0; i < a.refs.size(); ++i) {
    const kho::PhotoRef& r = a.refs[i];
    nlohmann::json p = {{"ref", r.ref},
                        {"caption", or_null(r.caption)},
                        {"group_caption", or_null(r.group_caption)},
                        {"credit", or_null(r.credit)},
                        {"file", files[i].empty() ? nlohmann::json(nullptr) : nlohmann::json(display_path(files[i]))}};
    if (r.caption_weak) p["caption_weak"] = true;
    photos.push_back(std::move(p));
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
    if (r.caption)
      std::cout << "       " << terminal_safe(*r.caption) << (r.caption_weak ? "   (from the image's alt text)" : "")
                << "\n";
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
  auto* cmd = app.add_subcommand("parse",
                                 "Parse articles (.txt, .html, .htm, .docx) and show their photos and captions");
  auto files = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("FILE", *files, "Article export(s) to parse")->required();
  cmd->add_flag("--json", *json, "Print one JSON document (DESIGN.md §5)");
  cmd->callback([files, json] { set_command([files, json] { return run_parse(*files, *json); }); });
}

}  // namespace kho::app
