// View model of the search page and /api/search (one function for both, so they cannot disagree): hits
// best first, and the same hits grouped by event for people, photos as a grid and texts as a list.
#include <map>

#include "http.h"
#include "kho/originals.h"
#include "kho/search.h"
#include "views.h"

namespace kho::web {
namespace {

// The snippet cut at the highlights, so templates can wrap matches in <mark> and still escape all text.
Json snippet_parts(const SearchHit& hit) {
  Json parts = Json::array();
  std::size_t at = 0;
  for (const SearchSpan& s : hit.highlights) {
    if (s.begin < at || s.end > hit.snippet.size()) continue;
    if (s.begin > at) parts.push_back({{"text", hit.snippet.substr(at, s.begin - at)}, {"hit", false}});
    parts.push_back({{"text", hit.snippet.substr(s.begin, s.end - s.begin)}, {"hit", true}});
    at = s.end;
  }
  if (at < hit.snippet.size()) parts.push_back({{"text", hit.snippet.substr(at)}, {"hit", false}});
  return parts;
}

const char* field_label(SearchField f) {
  switch (f) {
    case SearchField::kTitle: return "Tiêu đề";
    case SearchField::kCaption: return "Chú thích";
    case SearchField::kPhoto: return "Thông tin trong ảnh";
    case SearchField::kBody: return "Nội dung bài";
    case SearchField::kEvent: return "Tên sự kiện, thư mục";
    case SearchField::kDetails: return "Tên tệp, tác giả, máy ảnh";
  }
  return "Nội dung bài";
}

Json hit_json(const SearchHit& hit) {
  Json j;
  j["event_id"] = hit.event_id;
  j["event_title"] = hit.event_title;
  j["article_id"] = hit.article_id.empty() ? Json(nullptr) : Json(hit.article_id);
  j["article_title"] = hit.article_title;
  j["digest"] = hit.digest ? Json(hit.digest->hex()) : Json(nullptr);
  j["ref_index"] = hit.ref_index ? Json(*hit.ref_index) : Json(nullptr);
  j["block"] = hit.block ? Json(*hit.block) : Json(nullptr);
  j["field"] = search_field_name(hit.field);
  j["exact"] = hit.exact;
  j["all_words"] = hit.all_words;
  j["adjacent"] = hit.adjacent;
  j["matched"] = hit.matched;
  j["snippet"] = hit.snippet;
  j["highlights"] = Json::array();
  for (const SearchSpan& s : hit.highlights) j["highlights"].push_back({s.begin, s.end});
  j["score"] = hit.score;
  j["parts"] = snippet_parts(hit);
  j["thumb"] = hit.digest ? Json(thumb_url(*hit.digest, 320)) : Json(nullptr);
  j["photo_url"] = hit.digest ? Json(photo_url(*hit.digest)) : Json(nullptr);
  j["event_url"] = hit.event_id.empty() ? Json(nullptr) : Json(event_url(hit.event_id));
  // The place in the article: the block's anchor on the event page (views_events.cc writes the ids).
  j["anchor_url"] = !hit.event_id.empty() && !hit.article_id.empty() && hit.block
                        ? Json(event_url(hit.event_id) + "#b-" + hit.article_id + "-" + std::to_string(*hit.block))
                        : Json(nullptr);
  // Where a click goes: the photo, else the place in the article, else the event.
  j["url"] = !j["photo_url"].is_null() ? j["photo_url"] : !j["anchor_url"].is_null() ? j["anchor_url"] : j["event_url"];
  j["field_label"] = field_label(hit.field);
  return j;
}

Json empty_view() {
  Json out;
  out["query"] = "";
  out["has_query"] = false;
  out["terms"] = Json::array();
  out["more"] = false;
  out["hits"] = Json::array();
  out["groups"] = Json::array();
  out["count"] = 0;
  out["suggestion"] = nullptr;
  out["suggestion_url"] = nullptr;
  out["corrected"] = false;
  out["date_from"] = nullptr;
  out["date_to"] = nullptr;
  out["event_filter"] = nullptr;
  return out;
}

}  // namespace

Result<Json> search_view(const Snapshot& snap, std::string_view query, std::size_t limit) {
  Result<SearchResults> r = search(snap, query, limit);
  if (!r.ok()) return r.status();
  KHO_RETURN_IF_ERROR(show_originals(snap, *r));  // a traced web copy's caption finds its original (issue 12)
  Json out = empty_view();
  out["query"] = r->query;
  out["has_query"] = true;
  out["terms"] = r->terms;
  out["more"] = r->more;
  out["suggestion"] = r->suggestion ? Json(*r->suggestion) : Json(nullptr);
  out["suggestion_url"] = r->suggestion ? Json("/search?q=" + http::query_encode(*r->suggestion)) : Json(nullptr);
  out["corrected"] = r->corrected;
  out["date_from"] = r->date_from.empty() ? Json(nullptr) : Json(r->date_from);
  out["date_to"] = r->date_to.empty() ? Json(nullptr) : Json(r->date_to);
  out["event_filter"] = r->event_filter.empty() ? Json(nullptr) : Json(r->event_filter);
  std::map<std::string, std::size_t> group_of;  // event id → index in groups, in order of first hit
  for (const SearchHit& hit : r->hits) {
    Json j = hit_json(hit);
    auto it = group_of.find(hit.event_id);
    if (it == group_of.end()) {
      Json g;
      g["event_id"] = hit.event_id;
      g["event_title"] = hit.event_title.empty() ? Json(nullptr) : Json(hit.event_title);
      g["event_date"] = date_display(hit.event_date);
      g["event_url"] = j["event_url"];
      g["hits"] = Json::array();
      g["photos"] = Json::array();  // hits with a photo: the grid
      g["texts"] = Json::array();   // titles, paragraphs, group captions, event names: the list
      it = group_of.emplace(hit.event_id, out["groups"].size()).first;
      out["groups"].push_back(std::move(g));
    }
    Json& g = out["groups"][it->second];
    g[hit.digest ? "photos" : "texts"].push_back(j);
    g["hits"].push_back(j);
    out["hits"].push_back(std::move(j));
  }
  for (Json& g : out["groups"]) {
    g["has_photos"] = !g["photos"].empty();
    g["has_texts"] = !g["texts"].empty();
  }
  out["count"] = r->hits.size();
  return out;
}

Result<Json> search_request_view(const Snapshot& snap, const std::optional<std::string>& q, const std::string& date,
                                 const std::string& event, std::size_t limit) {
  if (!q && date.empty() && event.empty()) return empty_view();
  std::string query = q.value_or("");
  if (!date.empty()) query += " date:" + date;
  if (!event.empty()) query += " event:" + event;
  return search_view(snap, query, limit);
}

}  // namespace kho::web
