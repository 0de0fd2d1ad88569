// kho stats: what the archive holds, per database, and its size on disk.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "archive.h"

namespace kho::app {
namespace {

std::string human_bytes(std::uint64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
  return buf;
}

int run_stats(const GlobalOptions& g, bool json) {
  auto cat = open_archive(g, /*read_only=*/true);
  if (!cat) return kExitFatal;
  auto st = cat->stats();
  if (!st.ok()) {
    print_error(st.status().message());
    return kExitFatal;
  }
  if (json) {
    nlohmann::json dbs = nlohmann::json::object();
    for (const auto& d : st->dbs) dbs[d.name] = {{"entries", d.entries}, {"bytes", d.bytes}};
    print_json(nlohmann::json{{"archive", g.archive},
                              {"format_version", st->format_version},
                              {"file_size", st->file_size},
                              {"map_size", st->map_size},
                              {"databases", dbs}}
                   .dump());
    return kExitOk;
  }
  std::printf("archive      %s (format %d)\n", g.archive.c_str(), st->format_version);
  std::printf("size on disk %s (map %s)\n", human_bytes(st->file_size).c_str(), human_bytes(st->map_size).c_str());
  std::printf("\n%-12s %12s %12s\n", "database", "entries", "size");
  for (const auto& d : st->dbs)
    std::printf("%-12s %12llu %12s\n", d.name.c_str(), static_cast<unsigned long long>(d.entries),
                human_bytes(d.bytes).c_str());
  return kExitOk;
}

}  // namespace

void add_stats_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("stats", "Show what the archive holds: entries and size per database");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON document on stdout");
  cmd->callback([&g, json] { set_command([&g, json] { return run_stats(g, *json); }); });
}

}  // namespace kho::app
