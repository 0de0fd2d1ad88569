// Placeholder until the issue that owns `kho show` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_show_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("show", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'show' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
