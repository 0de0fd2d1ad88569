// Placeholder until the issue that owns `kho stats` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_stats_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("stats", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'stats' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
