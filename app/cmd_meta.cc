// Placeholder until the issue that owns `kho meta` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_meta_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("meta", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'meta' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
