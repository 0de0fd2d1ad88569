// The workbench (issue 16): what the machine could not decide, for editors. Each list shows its count and
// empties as people work, since it is computed from the archive as corrected (kho/team.h) on every visit.
//
// Near-misses: the linker keeps, with each unresolved reference's link record, the few files it would have
// looked at next and why it took none of them (kho::NearMiss); the page shows them in the linker's order
// with that reason. One click on a candidate records the relink.
#include <algorithm>
#include <map>
#include <set>

#include "kho/decisions.h"
#include "kho/trace.h"
#include "render.h"
#include "routes.h"
#include "team_routes.h"
#include "templates_team.h"

namespace kho::web {
namespace {

constexpr std::size_t kMaxItems = 200;  // per list on the page (the count is the whole list's)
constexpr std::size_t kMaxOrphansPerEvent = 24;

// Why the linker did not take a near-miss, for the editor (the method and distance in brackets).
std::string why_not(const NearMiss& m, const std::vector<Link>& links) {
  std::string why;
  switch (m.reason) {
    case NearMissReason::kTie: why = "ngang nhau với ảnh khác"; break;
    case NearMissReason::kTaken:
      why = "đã gắn cho ";
      why += m.taken_by < links.size() ? "“" + links[m.taken_by].ref + "”" : "tham chiếu khác";
      break;
    case NearMissReason::kTooFar: why = "tên khác xa"; break;
    case NearMissReason::kOtherNumber: why = "khác số trong tên"; break;
    case NearMissReason::kOtherType: why = "khác loại tệp"; break;
    case NearMissReason::kNotChosen: why = "kém ảnh đã gắn"; break;
  }
  return why + " (" + link_method_name(m.method) + ", " + std::to_string(m.distance) + ")";
}

}  // namespace

Result<Json> workbench_view(const Snapshot& snap, const http::Request::Identity& who) {
  Json out;
  out["unresolved"] = Json::array();
  out["orphan_events"] = Json::array();
  std::size_t unresolved = 0, orphans = 0;
  KHO_RETURN_IF_ERROR(snap.for_each_event([&](const Event& stored) {
    Result<Event> ev = corrected(snap, Result<Event>(stored));
    const Event& e = ev.ok() ? *ev : stored;
    Result<std::vector<EventFile>> files = snap.event_photos_in_order(e.id);
    std::vector<EventFile> photos = files.ok() ? *files : std::vector<EventFile>{};
    std::set<std::string> linked;
    struct Open {
      Link link;
      std::string article_title;
      std::vector<Link> machine;  // the article's links as the linker made them (for "taken by")
    };
    std::vector<Open> open;
    for (const std::string& aid : e.article_ids) {
      Result<Article> art = snap.article(aid);
      Result<std::vector<Link>> machine = snap.article_links(aid);
      std::vector<bool> relinked;
      Result<std::vector<Link>> links = corrected(snap, machine, &relinked);
      if (!links.ok() || !machine.ok()) continue;
      for (std::size_t i = 0; i < links->size(); ++i) {
        const Link& l = (*links)[i];
        if (l.digest) linked.insert(l.digest->hex());
        // A reference a person unlinked on purpose is decided, not open.
        else if (!(i < relinked.size() && relinked[i])) open.push_back({l, art.ok() ? art->title : aid, *machine});
      }
    }
    for (const Open& o : open) {
      ++unresolved;
      if (out["unresolved"].size() >= kMaxItems) continue;
      Json cands = Json::array();
      for (const NearMiss& m : o.link.near_misses) {
        if (!m.digest || !snap.photo(*m.digest).ok()) continue;  // its photo has left the archive since
        cands.push_back({{"digest", m.digest->hex()},
                         {"name", base_name(m.path)},
                         {"thumb", thumb_url(*m.digest, 320)},
                         {"why", why_not(m, o.machine)},
                         {"reason", near_miss_reason_name(m.reason)},
                         {"method", link_method_name(m.method)},
                         {"distance", m.distance},
                         {"article_id", o.link.article_id},
                         {"ref", o.link.ref},
                         {"ref_key", "#" + std::to_string(o.link.position)}});
      }
      out["unresolved"].push_back({{"article_id", o.link.article_id},
                                   {"article_title", o.article_title},
                                   {"event_url", event_url(e.id)},
                                   {"ref", o.link.ref},
                                   {"caption", o.link.caption.value_or("")},
                                   {"candidates", cands},
                                   {"has_candidates", !cands.empty()}});
    }
    Json ophotos = Json::array();
    std::size_t count = 0;
    for (const EventFile& f : photos) {
      if (linked.count(f.digest.hex())) continue;
      ++count;
      if (ophotos.size() < kMaxOrphansPerEvent)
        ophotos.push_back(
            {{"url", photo_url(f.digest)}, {"thumb", thumb_url(f.digest, 320)}, {"name", base_name(f.path)}});
    }
    if (count > 0) {
      orphans += count;
      if (out["orphan_events"].size() < kMaxItems)
        out["orphan_events"].push_back(
            {{"title", e.title}, {"event_url", event_url(e.id)}, {"count", count}, {"photos", ophotos}});
    }
    return true;
  }));
  out["unresolved_count"] = unresolved;
  out["orphan_count"] = orphans;

  // Ambiguous originals (issue 12): references whose web copy fits more than one exposure, so tracing chose
  // none. Each candidate is one click away from being linked in the copy's place; a reference a person has
  // relinked since is no longer listed (the next ingest drops its trace record too).
  out["ambiguous"] = Json::array();
  Result<std::vector<TraceAmbiguity>> amb = list_ambiguous(snap);
  if (!amb.ok()) return amb.status();
  Result<std::vector<TraceRecord>> traces = list_traces(snap);
  if (!traces.ok()) return traces.status();
  std::map<std::pair<std::string, std::uint32_t>, const TraceAmbiguity*> described;
  for (const TraceAmbiguity& a : *amb) described[{a.article_id, a.position}] = &a;
  std::size_t ambiguous = 0;
  for (const TraceRecord& r : *traces) {
    if (r.state != TraceState::kAmbiguous) continue;
    auto it = described.find({r.article_id, r.position});
    if (it == described.end()) continue;
    Result<std::vector<Link>> links = corrected(snap, snap.article_links(r.article_id));
    if (!links.ok()) return links.status();
    const bool still_copy = std::any_of(links->begin(), links->end(), [&](const Link& l) {
      return l.position == r.position && l.digest && *l.digest == r.copy;
    });
    if (!still_copy) continue;
    ++ambiguous;
    if (out["ambiguous"].size() >= kMaxItems) continue;
    Json cands = Json::array();
    for (std::size_t i = 0; i < r.candidates.size(); ++i) {
      const std::string path = i < it->second->candidates.size() ? it->second->candidates[i] : "";
      cands.push_back({{"digest", r.candidates[i].hex()},
                       {"name", base_name(path)},
                       {"thumb", thumb_url(r.candidates[i], 320)},
                       {"article_id", r.article_id},
                       {"ref", it->second->ref},
                       {"ref_key", "#" + std::to_string(r.position)}});
    }
    out["ambiguous"].push_back({{"article_id", r.article_id},
                                {"article_title", it->second->article},
                                {"ref", it->second->ref},
                                {"copy_url", photo_url(r.copy)},
                                {"copy_thumb", thumb_url(r.copy, 320)},
                                {"candidates", cands}});
  }
  out["ambiguous_count"] = ambiguous;

  // Duplicate clusters nobody has decided on: no copy chosen as best (a pair marked "not duplicates" no
  // longer groups at all).
  Result<DuplicateDecisions> decisions = duplicate_decisions(snap);
  if (!decisions.ok()) return decisions.status();
  std::set<std::string> chosen;
  for (const Digest& d : decisions->chosen_best) chosen.insert(d.hex());
  Result<DupOptions> decided = with_decisions(snap);
  if (!decided.ok()) return decided.status();
  Result<std::vector<DupCluster>> clusters = list_duplicates(snap, *decided);
  if (!clusters.ok()) return clusters.status();
  out["clusters"] = Json::array();
  std::size_t open_clusters = 0;
  for (const DupCluster& c : *clusters) {
    if (std::any_of(c.photos.begin(), c.photos.end(), [&](const DupPhoto& p) { return chosen.count(p.digest.hex()); }))
      continue;
    ++open_clusters;
    if (out["clusters"].size() >= kMaxItems) continue;
    Json jc;
    jc["photos"] = Json::array();
    for (const DupPhoto& p : c.photos)
      jc["photos"].push_back({{"digest", p.digest.hex()},
                              {"name", base_name(p.path)},
                              {"url", photo_url(p.digest)},
                              {"thumb", thumb_url(p.digest, 320)}});
    jc["pair"] = c.photos.size() == 2 ? Json{{"a", c.photos[0].digest.hex()}, {"b", c.photos[1].digest.hex()}}
                                      : Json(nullptr);
    out["clusters"].push_back(std::move(jc));
  }
  out["cluster_count"] = open_clusters;
  out["csrf"] = who.csrf;
  return out;
}

void add_workbench_routes(http::Router& router, const Catalog& catalog) {
  auto serve = [&catalog](const http::Request& req, http::Response& res, bool api) {
    set_security_headers(res);
    res.set_header("Cache-Control", "no-store");
    if (req.identity.role < static_cast<int>(Role::kEditor))
      return answer_refusal(req, res, req.identity.user.empty() ? 401 : 403,
                            "Bàn làm việc dành cho biên tập viên (editors only)");
    Result<Json> view = Status::Busy("archive unavailable");
    {
      Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
      if (!snap.ok()) return answer_refusal(req, res, 503, snap.status().message());
      view = workbench_view(**snap, req.identity);
    }
    if (!view.ok()) return answer_refusal(req, res, 500, view.status().message());
    if (api) {
      view->erase("csrf");
      res.set_content(view->dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
      return;
    }
    res.set_content(render_page(kWorkbenchTemplate, *view, PageInfo{"Bàn làm việc", "workbench", "", "/api/workbench"}),
                    "text/html; charset=utf-8");
  };
  router.Get("/workbench", [serve](const http::Request& req, http::Response& res) { serve(req, res, false); });
  router.Get("/api/workbench", [serve](const http::Request& req, http::Response& res) { serve(req, res, true); });
}

}  // namespace kho::web
