// kho reindex: rebuild the search index (the `terms` database) from the archive's events, articles and photos.
// Needed once after an upgrade that changed the index's format (search then says so), harmless any time.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "archive.h"
#include "kho/search.h"

namespace kho::app {
namespace {

int run_reindex(const GlobalOptions& g, bool json) {
  auto cat = open_archive(g, /*read_only=*/false);
  if (!cat) return kExitFatal;
  const auto t0 = std::chrono::steady_clock::now();
  Result<RebuildStats> r = rebuild_search_index(*cat);
  if (!r.ok()) {
    print_error("reindex failed: " + r.status().message());
    return kExitFatal;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (json) {
    print_json(
        nlohmann::json{{"events", r->events}, {"articles", r->articles}, {"photos", r->photos}, {"seconds", seconds}}
            .dump());
  } else {
    std::fprintf(stderr, "kho: search index rebuilt: %zu events, %zu articles, %zu photos in %.1f s\n", r->events,
                 r->articles, r->photos, seconds);
  }
  return kExitOk;
}

}  // namespace

void add_reindex_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("reindex", "Rebuild the search index from the archive (after an upgrade)");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON document on stdout");
  cmd->callback([&g, json] { set_command([&g, json] { return run_reindex(g, *json); }); });
}

}  // namespace kho::app
