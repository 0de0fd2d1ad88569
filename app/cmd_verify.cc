// Placeholder until the issue that owns `kho verify` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_verify_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("verify", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'verify' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
