// Placeholder until the issue that owns `kho ingest` lands.
#include <CLI/CLI.hpp>

#include "commands.h"

namespace kho::app {

void add_ingest_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("ingest", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([] {
    set_command([] {
      print_error("'ingest' is not built yet");
      return kExitFatal;
    });
  });
}

}  // namespace kho::app
