// kho events: the archive's events, newest first.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "archive.h"
#include "kho/webui/api.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

int run_events(const GlobalOptions& g, bool json) {
  auto doc = read_view(g, [](const Snapshot& snap) -> Result<std::string> {
    Result<std::uint64_t> n = snap.event_count();
    if (!n.ok()) return n.status();
    return web::api_events(snap, 1, static_cast<std::size_t>(std::max<std::uint64_t>(*n, 1)));
  });
  if (!doc) return kExitFatal;
  if (json) {
    print_json(*doc);
    return kExitOk;
  }
  auto r = nlohmann::json::parse(*doc);
  for (const auto& e : r["events"]) {
    std::printf("%-16s  %-16s  %4u photos  %s\n", e["id"].get<std::string>().c_str(),
                e["date_display"].get<std::string>().c_str(), e["photo_count"].get<unsigned>(),
                terminal_safe(e["title"].get<std::string>()).c_str());
  }
  std::fprintf(stderr, "kho: %llu events\n", static_cast<unsigned long long>(r["total"].get<std::uint64_t>()));
  return kExitOk;
}

}  // namespace

void add_events_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("events", "List the events (event folders), newest first");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON document on stdout");
  cmd->callback([&g, json] { set_command([&g, json] { return run_events(g, *json); }); });
}

}  // namespace kho::app
