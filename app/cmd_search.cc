// Placeholder until the issue that owns `kho search` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_search_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("search", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'search' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
