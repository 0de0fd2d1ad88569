// Placeholder until the issue that owns `kho parse` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_parse_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("parse", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'parse' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
