// Small formatting helpers shared by the page views.
#include <algorithm>

#include "kho/json_model.h"
#include "kho/team.h"
#include "views.h"

namespace kho::web {

std::string date_display(const std::optional<std::string>& iso) {
  if (!iso || iso->size() < 10) return iso ? *iso : "";
  const std::string& s = *iso;
  // ISO 8601 "YYYY-MM-DD[THH:MM…]" → the day-first form Vietnamese readers expect.
  std::string out;
  out.append(s, 8, 2).append("/").append(s, 5, 2).append("/").append(s, 0, 4);
  // Midnight exactly is how a date without a time is stored: show the day only.
  if (s.size() >= 16 && (s[10] == 'T' || s[10] == ' ') && s.compare(11, 8, "00:00:00") != 0)
    out.append(" ").append(s, 11, 5);
  return out;
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up to a UTF-8 lead byte, then to a space when one is near.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  std::size_t space = text.rfind(' ', cut);
  if (space != std::string_view::npos && space > max_bytes / 2) cut = space;
  return std::string(text.substr(0, cut)) + "…";
}

std::string base_name(const std::string& raw_path) {
  std::size_t slash = raw_path.find_last_of('/');
  return display_path(slash == std::string::npos ? raw_path : raw_path.substr(slash + 1));
}

std::string shown_path(const Snapshot& snap, const std::string& raw_path) {
  // A handful of roots: one short cursor scan, cheaper than any cache that must know which archive it is.
  Result<std::vector<std::string>> roots = ingest_roots(snap);
  return display_path(roots.ok() ? path_below_root(*roots, raw_path) : raw_path);
}

std::string thumb_url(const Digest& digest, int px) { return "/thumb/" + digest.hex() + "/" + std::to_string(px); }
std::string event_url(std::string_view id) { return "/event/" + std::string(id); }
std::string photo_url(const Digest& digest) { return "/photo/" + digest.hex(); }

Json parse_model(const std::string& json_text) {
  Json j = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? Json::object() : j;
}

bool is_hex_id(std::string_view id, std::size_t len) {
  return id.size() == len && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::size_t page_count(std::uint64_t total, std::size_t page_size) {
  if (page_size == 0) return 1;
  return std::max<std::size_t>(1, static_cast<std::size_t>((total + page_size - 1) / page_size));
}

Result<std::vector<Link>> corrected(const Snapshot& snap, Result<std::vector<Link>> links,
                                    std::vector<bool>* relinked) {
  if (!links.ok()) return links;
  if (relinked) relinked->assign(links->size(), false);
  for (std::size_t i = 0; i < links->size(); ++i) {
    bool by_hand = false;
    KHO_RETURN_IF_ERROR(apply_corrections(snap, (*links)[i], &by_hand));
    if (relinked) (*relinked)[i] = by_hand;
  }
  return links;
}

Result<Event> corrected(const Snapshot& snap, Result<Event> event) {
  if (!event.ok()) return event;
  KHO_RETURN_IF_ERROR(apply_corrections(snap, *event));
  return event;
}

}  // namespace kho::web
