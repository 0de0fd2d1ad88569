// Shared by the commands that record corrections (cmd_correct.cc, cmd_dups.cc): who acts, how a failure is
// reported, and how recorded corrections are printed.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "kho/catalog.h"
#include "kho/correct.h"
#include "kho/team.h"
#include "terminal_text.h"

namespace kho::app {

// The acting user: `given` (--user), else $KHO_USER. Once the archive has accounts it must name one whose
// role allows `needed`; an archive without accounts takes any valid name.
// Errors: InvalidArgument (no name, or an invalid one), NotFound (no such user), PermissionDenied-like
// InvalidArgument when the role is too low (the message says so).
Result<std::string> acting_user(const Catalog& catalog, const std::string& given, Role needed);

// The archive open for writing and the acting editor (acting_user with Role::kEditor), for the commands that
// record corrections. On failure it prints "kho: <reason>" and `catalog` is null; the caller exits kExitFatal.
struct Corrector {
  std::unique_ptr<Catalog> catalog;
  std::string user;
};
Corrector open_for_corrections(const GlobalOptions& g, const std::string& given_user);

// Prints "kho: <message>" and returns kExitFatal.
int fail(const Status& status);

// Records each correction; prints {"recorded":[seq…]} with --json, else one line per correction on stderr.
int record_all(Catalog& catalog, std::vector<Correction> corrections, bool json);

}  // namespace kho::app
