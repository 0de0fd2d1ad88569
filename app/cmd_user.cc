// kho user add|passwd|remove|list: the accounts of a team sharing one archive (issue 16, kho/team.h).
//
// Passwords come from standard input (`--password-stdin`, one line) or, on a terminal, from a prompt that
// does not echo; never from the command line, where other users of the machine could read them in `ps`.
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

#include "archive.h"
#include "kho/team.h"

namespace kho::app {
namespace {

struct UserArgs {
  std::string name;
  std::string role = "viewer";
  bool password_stdin = false;
  bool json = false;
};

// One line from stdin (a terminal gets a prompt without echo, asked twice). nullopt after a message.
std::optional<std::string> read_password(bool from_stdin) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  if (!from_stdin && !tty) {
    print_error("no terminal to ask for the password: pass it on standard input with --password-stdin");
    return std::nullopt;
  }
  auto read_line = [&](const char* prompt) -> std::optional<std::string> {
    termios old{};
    const bool hide = tty && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) std::fprintf(stderr, "%s", prompt);
    if (hide) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (hide) {
      tcsetattr(STDIN_FILENO, TCSANOW, &old);
      std::fprintf(stderr, "\n");
    }
    if (!got) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  };
  std::optional<std::string> pw = read_line("Password: ");
  if (!pw) {
    print_error("no password given on standard input");
    return std::nullopt;
  }
  if (tty && !from_stdin) {
    std::optional<std::string> again = read_line("Again: ");
    if (!again || *again != *pw) {
      print_error("the two passwords differ; nothing changed");
      return std::nullopt;
    }
  }
  return pw;
}

int report(const Status& st, const std::string& done) {
  if (!st.ok()) {
    print_error(st.message());
    return kExitFatal;
  }
  std::fprintf(stderr, "kho: %s\n", done.c_str());
  return kExitOk;
}

int run_add(const GlobalOptions& g, const UserArgs& a) {
  std::optional<Role> role = role_from_name(a.role);
  if (!role) {
    print_error("--role is viewer, editor or admin, not '" + a.role + "'");
    return kExitFatal;
  }
  std::optional<std::string> pw = read_password(a.password_stdin);
  if (!pw) return kExitFatal;
  auto cat = open_archive(g, /*read_only=*/false);
  if (!cat) return kExitFatal;
  return report(add_user(*cat, a.name, *role, *pw),
                "user " + a.name + " added (" + std::string(role_name(*role)) + ")");
}

int run_passwd(const GlobalOptions& g, const UserArgs& a) {
  std::optional<std::string> pw = read_password(a.password_stdin);
  if (!pw) return kExitFatal;
  auto cat = open_archive(g, /*read_only=*/false);
  if (!cat) return kExitFatal;
  return report(set_password(*cat, a.name, *pw), "password of " + a.name + " changed; their sessions are ended");
}

int run_remove(const GlobalOptions& g, const UserArgs& a) {
  auto cat = open_archive(g, /*read_only=*/false);
  if (!cat) return kExitFatal;
  return report(remove_user(*cat, a.name), "user " + a.name + " removed; their corrections stay in the history");
}

int run_list(const GlobalOptions& g, const UserArgs& a) {
  auto doc = read_view(g, [](const Snapshot& snap) -> Result<std::string> {
    Result<std::vector<User>> users = list_users(snap);
    if (!users.ok()) return users.status();
    nlohmann::json out = nlohmann::json::array();
    for (const User& u : *users)
      out.push_back({{"name", u.name}, {"role", role_name(u.role)}, {"created_at", u.created_at}});
    return nlohmann::json{{"users", out}}.dump();
  });
  if (!doc) return kExitFatal;
  if (a.json) {
    print_json(*doc);
    return kExitOk;
  }
  auto j = nlohmann::json::parse(*doc);
  for (const auto& u : j["users"])
    std::printf("%-24s %s\n", u["name"].get<std::string>().c_str(), u["role"].get<std::string>().c_str());
  if (!g.quiet) std::fprintf(stderr, "kho: %zu users\n", j["users"].size());
  return kExitOk;
}

}  // namespace

void add_user_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("user", "Manage the accounts of the people who share this archive");
  cmd->require_subcommand(1);
  cmd->footer(
      "Roles: viewer (reads the gallery), editor (also corrects captions, links, duplicates and events),\n"
      "admin (also manages accounts). Once any user exists, `kho serve` asks for a login on every page\n"
      "unless it runs with --public. Passwords are stored as argon2id hashes, never as text.\n\n"
      "Examples:\n"
      "  kho user add hien --role editor          (asks for the password twice)\n"
      "  printf '%s\\n' \"$PW\" | kho user add hien --role editor --password-stdin\n"
      "  kho user list");
  auto args = std::make_shared<UserArgs>();
  auto name_opt = [&](CLI::App* sub) { sub->add_option("NAME", args->name, "The user name")->required(); };

  auto* add = cmd->add_subcommand("add", "Add a user");
  name_opt(add);
  add->add_option("--role", args->role, "viewer, editor or admin (default viewer)")->type_name("ROLE");
  add->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input (one line)");
  add->callback([&g, args] { set_command([&g, args] { return run_add(g, *args); }); });

  auto* passwd = cmd->add_subcommand("passwd", "Set a user's password (ends their sessions)");
  name_opt(passwd);
  passwd->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input (one line)");
  passwd->callback([&g, args] { set_command([&g, args] { return run_passwd(g, *args); }); });

  auto* remove = cmd->add_subcommand("remove", "Remove a user (their corrections stay in the history)");
  name_opt(remove);
  remove->callback([&g, args] { set_command([&g, args] { return run_remove(g, *args); }); });

  auto* list = cmd->add_subcommand("list", "List the users and their roles");
  list->add_flag("--json", args->json, "Print one JSON document on stdout");
  list->callback([&g, args] { set_command([&g, args] { return run_list(g, *args); }); });
}

}  // namespace kho::app
