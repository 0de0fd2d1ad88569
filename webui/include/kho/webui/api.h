// The JSON documents of the web API (/api/...), also printed by `kho events/show/search --json`, so the
// CLI and the web say the same thing. Each call reads from `snap` and returns a copy (valid after it).
// Field names of the model types come from kho/json_model.h; webui/README.md lists the extra ones.
// Errors: NotFound for an unknown id or digest, InvalidArgument for a malformed one or a bad query.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kho/catalog.h"
#include "kho/status.h"

namespace kho::web {

// {"events":[…], "page", "pages", "total"}: events newest first; page counts from 1 and is clamped to
// [1, pages] (an out-of-range page gives the nearest one, not an error).
Result<std::string> api_events(const Snapshot& snap, std::size_t page, std::size_t page_size);
// {"event", "articles":[{…, "links", "blocks_view"}], "photos":[…]}
Result<std::string> api_event(const Snapshot& snap, std::string_view event_id);
// {"article", "links", "event"}
Result<std::string> api_article(const Snapshot& snap, std::string_view article_id);
// {"photo", "files", "links", "duplicates", "meta_rows", "gps", "review", "prev_url", "next_url", …}
Result<std::string> api_photo(const Snapshot& snap, std::string_view digest_hex);
// {"clusters":[{"kind", "best", "photos":[{"path", "digest", "distance", …}]}], "page", "pages", "total"}
Result<std::string> api_dups(const Snapshot& snap, std::size_t page, std::size_t page_size);
// {"query", "terms", "more", "hits":[…], "groups":[{"event_id", "event_title", "hits":[…]}]}
Result<std::string> api_search(const Snapshot& snap, std::string_view query, std::size_t limit);

}  // namespace kho::web
