// Placeholder until the issue that owns `kho serve` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_serve_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("serve", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'serve' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
