// kho verify: decode every record and check that every reference holds. Exit 1 when anything is wrong.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "archive.h"
#include "kho/team.h"
#include "kho/trace.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

int run_verify(const GlobalOptions& g, bool json) {
  auto cat = open_archive(g, /*read_only=*/true);
  if (!cat) return kExitFatal;
  auto report = verify_catalog(*cat);
  if (report.ok()) {  // the team's databases: users, sessions, the corrections journal
    auto snap = cat->snapshot();
    Status st = snap.ok() ? verify_team(**snap, *report) : snap.status();
    if (st.ok()) st = verify_traces(**snap, *report);  // web copy → original records (kho/trace.h)
    if (!st.ok()) report = st;
  }
  if (!report.ok()) {
    print_error("verify could not finish: " + report.status().message());
    return kExitFatal;
  }
  if (json) {
    print_json(nlohmann::json{{"ok", report->problems.empty()},
                              {"records_checked", report->records_checked},
                              {"problems", report->problems}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    for (const auto& p : report->problems) std::printf("%s\n", terminal_safe(p).c_str());
    std::fprintf(stderr, "kho: verify checked %llu records: %s\n",
                 static_cast<unsigned long long>(report->records_checked),
                 report->problems.empty() ? "no problems"
                                          : (std::to_string(report->problems.size()) + " problem(s)").c_str());
  }
  return report->problems.empty() ? kExitOk : kExitPartial;
}

}  // namespace

void add_verify_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand(
      "verify", "Check the archive: decode every record and check that links, files and indexes agree");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "Print one JSON document on stdout");
  cmd->callback([&g, json] { set_command([&g, json] { return run_verify(g, *json); }); });
}

}  // namespace kho::app
