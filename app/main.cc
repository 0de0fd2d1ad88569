// kho: a photo-caption archive for news offices. See README.md and DESIGN.md §5.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "terminal_text.h"

namespace kho::app {
namespace {
CommandFn g_command;
}

void set_command(CommandFn fn) { g_command = std::move(fn); }

void print_error(const std::string& msg) { std::fprintf(stderr, "kho: %s\n", terminal_safe(msg).c_str()); }

}  // namespace kho::app

int main(int argc, char** argv) {
  using namespace kho::app;
  CLI::App app{
      "Kho keeps a news office's event photos together with the articles and captions they were "
      "published with.\n\n"
      "Typical use:\n"
      "  kho ingest ~/exports/2020      import event folders (photos + article .txt exports)\n"
      "  kho watch /srv/drop            ingest what photographers drop there, as it arrives\n"
      "  kho dups                       list exact and near-duplicate photos\n"
      "  kho search \"thanh hoa\"         search captions and articles, with or without diacritics\n"
      "  kho serve                      browse the gallery at http://127.0.0.1:8080\n",
      "kho"};
  app.set_version_flag("--version", std::string("kho ") + KHO_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  GlobalOptions g;
  const char* env_archive = std::getenv("KHO_ARCHIVE");
  g.archive = env_archive && *env_archive ? env_archive : "./kho-archive";
  app.add_option("--archive", g.archive,
                 "Archive directory (default: $KHO_ARCHIVE, else ./kho-archive)")
      ->type_name("DIR");

  add_ingest_command(app, g);
  add_watch_command(app, g);
  add_parse_command(app, g);
  add_meta_command(app, g);
  add_dups_command(app, g);
  add_search_command(app, g);
  add_reindex_command(app, g);
  add_events_command(app, g);
  add_show_command(app, g);
  add_export_command(app, g);
  add_serve_command(app, g);
  add_user_command(app, g);
  add_correct_commands(app, g);
  add_stats_command(app, g);
  add_verify_command(app, g);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // --help and --version exit 0; real usage errors are exit code 2 as DESIGN.md §5 says.
    return rc == 0 ? kExitOk : kExitFatal;
  }
  if (!g_command) return kExitFatal;
  try {
    return g_command();
  } catch (const std::exception& e) {
    print_error(std::string("internal error: ") + e.what());
    return kExitFatal;
  }
}
