// Opening the archive named by --archive / $KHO_ARCHIVE, with messages people understand.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "commands.h"
#include "kho/catalog.h"

namespace kho::app {

// Opens the archive for reading (read_only) or writing. On failure prints "kho: …" on stderr and returns
// null; the caller exits with kExitFatal.
std::unique_ptr<Catalog> open_archive(const GlobalOptions& g, bool read_only);

// Opens the archive read-only, runs `view` over one snapshot (released before anything is printed) and
// returns the JSON document it made. On failure prints "kho: reason" (NotFound as `not_found`, when given)
// and returns nullopt; the caller exits with kExitFatal.
std::optional<std::string> read_view(const GlobalOptions& g,
                                     const std::function<Result<std::string>(const Snapshot&)>& view,
                                     const std::string& not_found = {});

// Prints one JSON document (already serialized) followed by a newline on stdout.
void print_json(const std::string& json_text);

}  // namespace kho::app
