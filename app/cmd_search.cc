// kho search: all-words search over titles, captions, body text, photo text, event names and photo details
// (the `terms` index), through the same view as /api/search (webui's api_search), so the CLI, the page and the
// API give the same hits and the same errors.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "archive.h"
#include "kho/webui/api.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

int run_search(const GlobalOptions& g, const std::vector<std::string>& words, bool json, std::size_t limit) {
  std::string query;
  for (const std::string& w : words) query += (query.empty() ? "" : " ") + w;
  auto doc = read_view(g, [&](const Snapshot& snap) { return web::api_search(snap, query, limit); });
  if (!doc) return kExitFatal;
  if (json) {
    print_json(*doc);
    return kExitOk;
  }
  auto r = nlohmann::json::parse(*doc);
  if (r["suggestion"].is_string()) {
    const std::string s = terminal_safe(r["suggestion"].get<std::string>());
    if (r["corrected"].get<bool>())
      std::fprintf(stderr, "kho: nothing found for \"%s\"; showing \"%s\"\n", terminal_safe(query).c_str(), s.c_str());
    else std::fprintf(stderr, "kho: did you mean \"%s\"?\n", s.c_str());
  }
  if (r["hits"].empty()) {
    std::fprintf(stderr, "kho: nothing found for \"%s\"\n", terminal_safe(query).c_str());
    return kExitOk;
  }
  for (const auto& group : r["groups"]) {
    std::string title = group["event_title"].is_string() ? group["event_title"].get<std::string>() : "(no event)";
    std::printf("%s  %s  [%s]\n", terminal_safe(title).c_str(),
                terminal_safe(group["event_date"].get<std::string>()).c_str(),
                terminal_safe(group["event_id"].get<std::string>()).c_str());
    for (const auto& hit : group["hits"]) {
      std::string line;
      for (const auto& part : hit["parts"]) {
        bool mark = part["hit"].get<bool>();
        line += (mark ? "«" : "") + part["text"].get<std::string>() + (mark ? "»" : "");
      }
      std::printf("  %-7s %s\n", terminal_safe(hit["field"].get<std::string>()).c_str(), terminal_safe(line).c_str());
    }
  }
  if (r["more"].get<bool>()) std::fprintf(stderr, "kho: more results exist; use --limit to see them\n");
  return kExitOk;
}

}  // namespace

void add_search_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("search",
                                 "Search captions, titles, articles, events and file names, with or without "
                                 "diacritics");
  auto words = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  auto limit = std::make_shared<std::size_t>(50);
  cmd->add_option("QUERY", *words,
                  "Words to find, anywhere in one article or photo (\"thanh hoa\" finds Thanh Hóa); \"quoted\" words "
                  "are a phrase; date:2021, date:2021-01..2021-06 and event:ID filter")
      ->required();
  cmd->add_flag("--json", *json, "Print one JSON document on stdout");
  cmd->add_option("--limit", *limit, "At most this many hits (default 50)")->check(CLI::Range(1, 100000));
  cmd->callback([&g, words, json, limit] {
    set_command([&g, words, json, limit] { return run_search(g, *words, *json, *limit); });
  });
}

}  // namespace kho::app
