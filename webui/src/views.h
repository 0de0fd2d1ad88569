// Private to webui: the view models of each page, as JSON. The HTML templates render exactly these, and
// /api/ serves them, so the page and the API can never disagree. Each reads from one Snapshot and
// returns copies.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho::web {

using Json = nlohmann::json;

Result<Json> events_view(const Snapshot& snap, std::size_t page, std::size_t page_size);
Result<Json> event_view(const Snapshot& snap, std::string_view event_id);
Result<Json> article_view(const Snapshot& snap, std::string_view article_id);
Result<Json> photo_view(const Snapshot& snap, std::string_view digest_hex);
Result<Json> dups_view(const Snapshot& snap, std::size_t page, std::size_t page_size);
Result<Json> search_view(const Snapshot& snap, std::string_view query, std::size_t limit);

// Helpers shared by the view files (view_util.cc).
std::string date_display(const std::optional<std::string>& iso);  // "15/07/2020 10:30", "" when absent
std::string excerpt(std::string_view text, std::size_t max_bytes);  // cut on a space, with "…"
std::string base_name(const std::string& raw_path);                // last component, display_path'd
std::string thumb_url(const Digest& digest, int px);
std::string event_url(std::string_view id);
std::string photo_url(const Digest& digest);
Json parse_model(const std::string& json_text);  // the output of kho/json_model.h
// Records as people corrected them (kho/team.h): links (relinks and photo captions) and events (title, date).
// `relinked` (when given) gets one flag per link: a person chose its photo.
Result<std::vector<Link>> corrected(const Snapshot& snap, Result<std::vector<Link>> links,
                                    std::vector<bool>* relinked = nullptr);
Result<Event> corrected(const Snapshot& snap, Result<Event> event);
bool is_hex_id(std::string_view id, std::size_t len);
// Links that people relinked to `d` (kho link / the gallery), as corrected: photo_links(d) holds only the
// machine's links, so the chosen photo's page adds these (views_edit.cc).
Result<std::vector<Link>> relinked_to(const Snapshot& snap, const Digest& d);
std::size_t page_count(std::uint64_t total, std::size_t page_size);

}  // namespace kho::web
