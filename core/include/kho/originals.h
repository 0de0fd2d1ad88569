// What readers show for traced web copies (issue 12, kho/trace.h): the original in the article view, the
// `original` field of links[] (DESIGN.md §5 as extended in README.md), the published copies of an original.
// Reads only; people's corrections are applied to the links first (kho/team.h), and a relinked reference
// never shows a traced original (original_for_link() compares the link's photo with the traced copy).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/search.h"
#include "kho/trace.h"

namespace kho {

struct LinkOriginal {
  std::string path;  // a file of the original (raw bytes; display_path() for people and JSON)
  Digest digest;
  float score = 0;  // the verifier's score of web copy ↔ original
};

// The traced original of a link (after corrections), or nullopt. Errors: Corruption of a stored trace.
Result<std::optional<LinkOriginal>> link_original(const Snapshot& snap, const Link& link);

// `links` as the gallery shows them: each traced link's digest and path become its original's (caption,
// position and method stay), and `copies` (when given) maps each such original to the web copy it replaced.
Result<std::vector<Link>> links_showing_originals(const Snapshot& snap, std::vector<Link> links,
                                                  std::map<Digest, Digest>* copies = nullptr);

// Search finds the original by the article's caption: each caption hit of a traced reference names the
// original's digest instead of the web copy's (search resolves hits through the links; it cannot read traces).
Status show_originals(const Snapshot& snap, SearchResults& results);

// The cover to show for an event: the traced original of its cover when the cover is a web copy that one of
// the event's articles links (after corrections are not considered here: a cover is the machine's choice).
Result<std::optional<Digest>> shown_cover(const Snapshot& snap, const Event& event);

}  // namespace kho
