// Opening the archive named by --archive / $KHO_ARCHIVE, with messages people understand.
#pragma once

#include <memory>

#include "commands.h"
#include "kho/catalog.h"

namespace kho::app {

// Opens the archive for reading (read_only) or writing. On failure prints "kho: …" on stderr and returns
// null; the caller exits with kExitFatal.
std::unique_ptr<Catalog> open_archive(const GlobalOptions& g, bool read_only);

// Prints one JSON document (already serialized) followed by a newline on stdout.
void print_json(const std::string& json_text);

}  // namespace kho::app
