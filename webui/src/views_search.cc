// View model of the search page: hits best first, and the same hits grouped by event for people.
#include <map>

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

Json hit_json(const SearchHit& hit) {
  Json j;
  j["event_id"] = hit.event_id;
  j["event_title"] = hit.event_title;
  j["article_id"] = hit.article_id.empty() ? Json(nullptr) : Json(hit.article_id);
  j["article_title"] = hit.article_title;
  j["digest"] = hit.digest ? Json(hit.digest->hex()) : Json(nullptr);
  j["ref_index"] = hit.ref_index ? Json(*hit.ref_index) : Json(nullptr);
  j["field"] = search_field_name(hit.field);
  j["exact"] = hit.exact;
  j["snippet"] = hit.snippet;
  j["highlights"] = Json::array();
  for (const SearchSpan& s : hit.highlights) j["highlights"].push_back({s.begin, s.end});
  j["score"] = hit.score;
  j["parts"] = snippet_parts(hit);
  j["thumb"] = hit.digest ? Json(thumb_url(*hit.digest, 320)) : Json(nullptr);
  j["photo_url"] = hit.digest ? Json(photo_url(*hit.digest)) : Json(nullptr);
  j["event_url"] = hit.event_id.empty() ? Json(nullptr) : Json(event_url(hit.event_id));
  j["field_label"] = hit.field == SearchField::kTitle     ? "Tiêu đề · title"
                     : hit.field == SearchField::kCaption ? "Chú thích · caption"
                     : hit.field == SearchField::kPhoto   ? "Ảnh · photo text"
                                                          : "Bài viết · body";
  return j;
}

}  // namespace

Result<Json> search_view(const Snapshot& snap, std::string_view query, std::size_t limit) {
  Result<SearchResults> r = search(snap, query, limit);
  if (!r.ok()) return r.status();
  KHO_RETURN_IF_ERROR(show_originals(snap, *r));  // a traced web copy's caption finds its original (issue 12)
  Json out;
  out["query"] = r->query;
  out["terms"] = r->terms;
  out["more"] = r->more;
  out["hits"] = Json::array();
  out["groups"] = Json::array();
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
      it = group_of.emplace(hit.event_id, out["groups"].size()).first;
      out["groups"].push_back(std::move(g));
    }
    out["groups"][it->second]["hits"].push_back(j);
    out["hits"].push_back(std::move(j));
  }
  out["count"] = r->hits.size();
  return out;
}

}  // namespace kho::web
