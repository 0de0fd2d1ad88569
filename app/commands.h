// Subcommands of `kho`. Each lives in its own cmd_<name>.cc and registers itself on the CLI11 app.
//
// Contract (DESIGN.md §5): --json prints exactly one JSON document on stdout; messages, progress and
// warnings go to stderr. Exit codes: 0 ok, 1 finished with per-file errors, 2 usage or fatal error.
#pragma once

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace kho::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPartial = 1;  // finished, with per-file errors that were reported
inline constexpr int kExitFatal = 2;    // usage error or nothing could be done

struct GlobalOptions {
  std::string archive;  // --archive, else $KHO_ARCHIVE, else ./kho-archive
  bool quiet = false;
};

// Sets the command to run after parsing. Each add_*_command calls this from its callback.
using CommandFn = std::function<int()>;
void set_command(CommandFn fn);

void add_stats_command(CLI::App& app, GlobalOptions& g);
void add_verify_command(CLI::App& app, GlobalOptions& g);
void add_parse_command(CLI::App& app, GlobalOptions& g);
void add_meta_command(CLI::App& app, GlobalOptions& g);
void add_ingest_command(CLI::App& app, GlobalOptions& g);
void add_dups_command(CLI::App& app, GlobalOptions& g);
void add_search_command(CLI::App& app, GlobalOptions& g);
void add_reindex_command(CLI::App& app, GlobalOptions& g);
void add_events_command(CLI::App& app, GlobalOptions& g);
void add_show_command(CLI::App& app, GlobalOptions& g);
void add_serve_command(CLI::App& app, GlobalOptions& g);
void add_user_command(CLI::App& app, GlobalOptions& g);
// kho caption, kho link, kho event, kho history (cmd_correct.cc).
void add_correct_commands(CLI::App& app, GlobalOptions& g);
void add_watch_command(CLI::App& app, GlobalOptions& g);
void add_export_command(CLI::App& app, GlobalOptions& g);

// Prints "kho: <msg>" on stderr.
void print_error(const std::string& msg);

}  // namespace kho::app
