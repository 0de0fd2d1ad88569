// Text for a terminal. Captions, titles, file names and reasons come from files anyone may have written;
// sent raw, an ESC or OSC sequence in them can recolour the terminal, retitle the window, hide lines or
// forge a link, and a BEL rings. Every human (non-JSON) line that shows such text goes through
// terminal_safe(); JSON output is escaped by the JSON writer instead.
#pragma once

#include <string>
#include <string_view>

namespace kho::app {

// A copy of `s` safe to print: C0 controls, DEL and C1 controls (U+0080–U+009F) become \xNN or \u00NN
// (with \n, \r and \t as such), bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) become
// \uNNNN, and bytes that are not well-formed UTF-8 become \xNN. Everything else, Vietnamese included, is
// copied as is. A backslash is copied too: the result is for reading, not for parsing back.
std::string terminal_safe(std::string_view s);

}  // namespace kho::app
