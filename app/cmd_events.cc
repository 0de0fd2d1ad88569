// Placeholder until the issue that owns `kho events` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_events_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("events", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'events' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
