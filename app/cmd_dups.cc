// Placeholder until the issue that owns `kho dups` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_dups_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("dups", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'dups' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
