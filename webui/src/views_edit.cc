// Corrections in the gallery (issue 16): the write routes and the editing sections of the photo and event
// pages. The corrections are built by kho/correct.h, the code `kho caption`, `kho link`, `kho event` and
// `kho dups` use, so the gallery and the command line record the same journal entries.
#include <ctime>
#include <set>

#include "kho/correct.h"
#include "kho/decisions.h"
#include "kho/team.h"
#include "render.h"
#include "routes.h"
#include "team_routes.h"
#include "templates_team.h"

namespace kho::web {
namespace {

using Form = std::multimap<std::string, std::string>;
using Identity = http::Request::Identity;
// Builds what to record from one snapshot (closed before anything is written).
using BuildFn = std::function<Result<std::vector<Correction>>(const Snapshot&, const http::Request&, const Form&,
                                                              const std::string& user)>;

int status_of(const Status& st) {
  if (st.is_not_found()) return 404;
  if (st.is_invalid_argument()) return 400;
  if (st.code() == Status::Code::kBusy) return 503;
  return 500;
}

bool wants_json(const http::Request& req) {
  return req.get_header_value("Accept").find("application/json") != std::string::npos;
}

// After a write: JSON {"recorded":[seq…]} for scripts, else back to the page the form came from.
void answer_recorded(const http::Request& req, http::Response& res, const Form& form, const std::string& back,
                     const std::vector<std::uint64_t>& seqs) {
  res.set_header("Cache-Control", "no-store");
  if (wants_json(req)) {
    res.set_content(Json{{"recorded", seqs}}.dump(), "application/json");
    return;
  }
  std::string to = form_value(form, "back");
  res.status = 303;
  res.set_header("Location", safe_local_path(to.empty() ? back : to));
}

void add_write(http::Router& router, Catalog& catalog, Auth& auth, const std::string& pattern,
               std::function<std::string(const http::Request&)> back, BuildFn build) {
  router.Post(pattern, [&catalog, &auth, back = std::move(back), build = std::move(build)](const http::Request& req,
                                                                                           http::Response& res) {
    set_security_headers(res);
    if (!auth.allow_write(req, res, Role::kEditor)) return;
    const Form form = form_fields(req.body);
    Result<std::vector<Correction>> todo = Status::Busy("archive unavailable");
    {
      Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
      if (!snap.ok()) return answer_refusal(req, res, 503, snap.status().message());
      todo = build(**snap, req, form, req.identity.user);
    }
    if (!todo.ok()) return answer_refusal(req, res, status_of(todo.status()), todo.status().message());
    // One write transaction for the whole form: the request waits for the write lock and the disk once.
    Result<std::vector<std::uint64_t>> seqs = record_corrections(catalog, std::move(*todo));
    if (!seqs.ok()) return answer_refusal(req, res, status_of(seqs.status()), seqs.status().message());
    answer_recorded(req, res, form, back(req), *seqs);
  });
}

Result<Digest> digest_param(const Snapshot& snap, const std::string& hex) {
  std::optional<Digest> d = Digest::from_hex(hex);
  if (!d) return Status::InvalidArgument("not a photo digest (64 hex digits): " + hex);
  Result<Photo> p = snap.photo(*d);
  if (!p.ok()) return p.status().is_not_found() ? Status::NotFound("no photo " + hex) : p.status();
  return *d;
}

std::optional<std::string> form_opt(const Form& form, const std::string& name) {
  auto it = form.find(name);
  if (it == form.end()) return std::nullopt;
  return it->second;
}

std::string time_display(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%d/%m/%Y %H:%M UTC", &tm);
  return buf;
}

const char* field_label(const Correction& c) {
  if (c.field == "caption") return "Chú thích";
  if (c.field == "credit") return "Nguồn";
  if (c.field == "headline") return "Tiêu đề ảnh";
  if (c.field == "title") return "Tiêu đề sự kiện";
  if (c.field == "date") return "Ngày";
  if (c.field == "best") return "Bản tốt nhất";
  if (c.field == "duplicate") return "Không phải ảnh trùng";
  if (c.field.rfind("link:", 0) == 0) return "Liên kết ảnh";
  return "Trường khác";
}

std::string value_display(const Correction& c, const std::optional<std::string>& v) {
  if (!v) return "(giá trị của máy)";
  if (v->empty()) return c.field.rfind("link:", 0) == 0 ? "(không ảnh)" : "(trống)";
  if (c.field.rfind("link:", 0) == 0 && v->size() == 64) return "ảnh " + v->substr(0, 12) + "…";
  return *v;
}

Json history_json(const std::vector<Correction>& list) {
  Json out = Json::array();
  for (auto it = list.rbegin(); it != list.rend(); ++it) {  // newest first
    const Correction& c = *it;
    out.push_back({{"seq", c.seq},
                   {"time_display", time_display(c.time)},
                   {"user", c.user},
                   {"field_label", field_label(c)},
                   {"old_display", value_display(c, c.old_value)},
                   {"new_display", value_display(c, c.new_value)},
                   {"is_revert", c.reverts != 0},
                   {"reverts", c.reverts}});
  }
  return out;
}

}  // namespace

// ---- the photo page's section -------------------------------------------------------------------------

std::string photo_team_html(const Snapshot& snap, std::string_view digest_hex, const Identity& who) {
  if (who.user.empty()) return "";
  std::optional<Digest> d = Digest::from_hex(digest_hex);
  if (!d) return "";
  const std::string hex = d->hex();
  Json t;
  t["editor"] = who.role >= static_cast<int>(Role::kEditor);
  t["csrf"] = who.csrf;
  t["digest"] = hex;
  t["self"] = hex;
  t["back"] = photo_url(*d) + "#team";
  t["conflicts"] = Json::array();
  for (const char* field : {"caption", "credit", "headline"}) {
    Result<std::optional<std::string>> machine = machine_photo_field(snap, *d, field);
    if (!machine.ok()) continue;
    Result<std::optional<std::string>> shown = value_in_force(snap, TargetKind::kPhoto, hex, field, *machine);
    t[field] = shown.ok() ? shown->value_or("") : "";
    Result<FieldConflict> conflict = field_conflict(snap, TargetKind::kPhoto, hex, field, *machine);
    if (conflict.ok() && conflict->changed)
      t["conflicts"].push_back({{"field", field},
                                {"label", field == std::string("caption")  ? "Chú thích"
                                          : field == std::string("credit") ? "Nguồn"
                                                                           : "Tiêu đề"},
                                {"in_force", conflict->in_force.value_or("")},
                                {"machine_now", conflict->machine_now.value_or("(trống)")}});
  }
  t["links"] = Json::array();
  Result<std::vector<Link>> links = corrected(snap, snap.photo_links(*d));
  if (links.ok()) {
    Result<std::vector<Link>> moved = relinked_to(snap, *d);
    if (moved.ok()) links->insert(links->end(), moved->begin(), moved->end());
    for (const Link& l : *links) {
      if (!l.digest || !(*l.digest == *d)) continue;
      Result<Article> art = snap.article(l.article_id);
      t["links"].push_back({{"article_id", l.article_id},
                            {"ref", "#" + std::to_string(l.position)},
                            {"article_title", art.ok() ? art->title : l.article_id}});
    }
  }
  t["duplicates"] = Json::array();
  Result<DupOptions> decided = with_decisions(snap);
  if (decided.ok()) {
    Result<std::vector<DupPhoto>> dups = duplicates_of(snap, *d, *decided);
    if (dups.ok())
      for (const DupPhoto& dp : *dups) {
        if (dp.digest == *d) continue;
        t["duplicates"].push_back({{"digest", dp.digest.hex()},
                                   {"name", base_name(dp.path)},
                                   {"url", photo_url(dp.digest)},
                                   {"thumb", thumb_url(dp.digest, 320)}});
      }
  }
  t["has_duplicates"] = !t["duplicates"].empty();
  Result<std::vector<Correction>> history = history_of(snap, hex, 0);
  std::vector<Correction> list = history.ok() ? *history : std::vector<Correction>{};
  // Its duplicate decisions too: the pairs it is part of.
  Result<std::vector<Correction>> recent = latest_corrections(snap, 100000);
  if (recent.ok())
    for (const Correction& c : *recent)
      if (c.kind == TargetKind::kPair && c.target.find(hex) != std::string::npos) list.push_back(c);
  std::sort(list.begin(), list.end(), [](const Correction& a, const Correction& b) { return a.seq < b.seq; });
  t["history"] = history_json(list);
  t["has_history"] = !list.empty();
  return render_fragment(kPhotoTeamTemplate, t);
}

// ---- the event page's section -------------------------------------------------------------------------

std::string event_team_html(const Snapshot& snap, std::string_view event_id, const Identity& who) {
  if (who.role < static_cast<int>(Role::kEditor)) return "";
  Result<Event> ev = corrected(snap, snap.event(event_id));
  if (!ev.ok()) return "";
  Json t;
  t["csrf"] = who.csrf;
  t["event_id"] = ev->id;
  t["title"] = ev->title;
  t["date"] = ev->date.value_or("");
  t["back"] = event_url(ev->id) + "#team";
  Json choices = Json::array();
  Result<std::vector<EventFile>> files = snap.event_photos_in_order(event_id);
  if (files.ok())
    for (const EventFile& f : *files) choices.push_back({{"digest", f.digest.hex()}, {"name", base_name(f.path)}});
  t["articles"] = Json::array();
  for (const std::string& aid : ev->article_ids) {
    Result<Article> art = snap.article(aid);
    std::vector<bool> relinked;
    Result<std::vector<Link>> links = corrected(snap, snap.article_links(aid), &relinked);
    if (!art.ok() || !links.ok()) continue;
    Json ja = {{"title", art->title}, {"refs", Json::array()}};
    for (std::size_t i = 0; i < links->size(); ++i) {
      const Link& l = (*links)[i];
      Json r = {{"article_id", aid},
                {"ref", l.ref},
                {"ref_key", "#" + std::to_string(l.position)},
                {"relinked", i < relinked.size() && relinked[i]},
                {"thumb", l.digest ? Json(thumb_url(*l.digest, 320)) : Json(nullptr)}};
      Json cs = choices;
      for (Json& c : cs) c["selected"] = l.digest && c["digest"] == l.digest->hex();
      r["choices"] = std::move(cs);
      ja["refs"].push_back(std::move(r));
    }
    t["articles"].push_back(std::move(ja));
  }
  return render_fragment(kEventTeamTemplate, t);
}

// ---- relinks seen from the chosen photo ---------------------------------------------------------------

Result<std::vector<Link>> relinked_to(const Snapshot& snap, const Digest& d) {
  std::vector<Link> out;
  const std::string hex = d.hex();
  Result<std::vector<Correction>> all = latest_corrections(snap, 100000);
  if (!all.ok()) return all.status();
  std::set<std::pair<std::string, std::uint32_t>> seen;
  for (const Correction& c : *all) {
    if (c.kind != TargetKind::kArticle || c.field.rfind("link:", 0) != 0 || c.new_value != hex) continue;
    Result<std::vector<Link>> links = snap.article_links(c.target);
    if (!links.ok()) continue;
    for (Link l : *links) {
      if ("link:" + std::to_string(l.position) != c.field) continue;
      if (l.digest && *l.digest == d) break;  // the machine's own link: photo_links has it already
      if (!seen.insert({l.article_id, l.position}).second) break;
      bool relinked = false;
      KHO_RETURN_IF_ERROR(apply_corrections(snap, l, &relinked));
      if (relinked && l.digest && *l.digest == d) out.push_back(std::move(l));
      break;
    }
  }
  return out;
}

// ---- write routes -------------------------------------------------------------------------------------

void add_edit_routes(http::Router& router, Catalog& catalog, Auth& auth) {
  auto photo_back = [](const http::Request& req) { return "/photo/" + req.matches[1].str() + "#team"; };
  auto home = [](const http::Request&) { return std::string("/"); };

  // Caption, credit, headline of one photo; fields left out of the form stay as they are, unchanged
  // ones are not recorded.
  add_write(router, catalog, auth, R"(/photo/([0-9a-f]{64})/edit)", photo_back,
            [](const Snapshot& snap, const http::Request& req, const Form& form,
               const std::string& user) -> Result<std::vector<Correction>> {
              Result<Digest> d = digest_param(snap, req.matches[1].str());
              if (!d.ok()) return d.status();
              PhotoTextEdit edit;
              edit.caption = form_opt(form, "caption");
              edit.credit = form_opt(form, "credit");
              edit.headline = form_opt(form, "headline");
              edit.skip_unchanged = true;
              return photo_text_corrections(snap, user, *d, edit);
            });

  // The article changed under a corrected field: keep the person's value (choice=mine) or take the
  // article's (choice=machine).
  add_write(
      router, catalog, auth, R"(/photo/([0-9a-f]{64})/choose)", photo_back,
      [](const Snapshot& snap, const http::Request& req, const Form& form,
         const std::string& user) -> Result<std::vector<Correction>> {
        Result<Digest> d = digest_param(snap, req.matches[1].str());
        if (!d.ok()) return d.status();
        const std::string field = form_value(form, "field"), choice = form_value(form, "choice");
        if (choice != "mine" && choice != "machine") return Status::InvalidArgument("choice is mine or machine");
        Result<std::optional<std::string>> machine = machine_photo_field(snap, *d, field);
        if (!machine.ok()) return machine.status();
        Result<FieldConflict> conflict = field_conflict(snap, TargetKind::kPhoto, d->hex(), field, *machine);
        if (!conflict.ok()) return conflict.status();
        if (!conflict->changed) return Status::InvalidArgument("nothing to choose: the article did not change");
        std::vector<Correction> out;
        Correction back = make_correction(user, TargetKind::kPhoto, d->hex(), field, conflict->in_force, "");
        back.new_value.reset();  // to the article's value
        out.push_back(std::move(back));
        if (choice == "mine")  // and the person's value again, now over the article's new one
          out.push_back(make_correction(user, TargetKind::kPhoto, d->hex(), field, *machine, *conflict->in_force));
        return out;
      });

  // Relink an article's reference (ref: as written or #N) to a photo, or to none (photo empty).
  add_write(router, catalog, auth, R"(/article/([0-9a-f]{16})/link)", home,
            [](const Snapshot& snap, const http::Request& req, const Form& form,
               const std::string& user) -> Result<std::vector<Correction>> {
              std::optional<Digest> photo;
              const std::string what = form_value(form, "photo");
              if (!what.empty()) {
                Result<Digest> d = resolve_photo(snap, what);
                if (!d.ok()) return d.status();
                photo = *d;
              }
              Result<Correction> c = link_correction(snap, user, req.matches[1].str(), form_value(form, "ref"), photo);
              if (!c.ok()) return c.status();
              return std::vector<Correction>{std::move(*c)};
            });

  add_write(
      router, catalog, auth, R"(/event/([^/]+)/edit)",
      [](const http::Request& req) { return event_url(req.matches[1].str()); },
      [](const Snapshot& snap, const http::Request& req, const Form& form,
         const std::string& user) -> Result<std::vector<Correction>> {
        std::optional<std::string> title = form_opt(form, "title"), date = form_opt(form, "date");
        if (date && date->empty()) date.reset();
        Result<Event> ev = corrected(snap, snap.event(req.matches[1].str()));
        if (!ev.ok()) return ev.status();
        if (title && *title == ev->title) title.reset();  // the form sends both: record what changed
        if (date && ev->date && *date == *ev->date) date.reset();
        if (!title && !date) return std::vector<Correction>{};
        return event_corrections(snap, user, req.matches[1].str(), title, date);
      });

  add_write(
      router, catalog, auth, "/dups/not-duplicate", [](const http::Request&) { return std::string("/dups"); },
      [](const Snapshot& snap, const http::Request&, const Form& form,
         const std::string& user) -> Result<std::vector<Correction>> {
        Result<Digest> a = resolve_photo(snap, form_value(form, "a"));
        if (!a.ok()) return a.status();
        Result<Digest> b = resolve_photo(snap, form_value(form, "b"));
        if (!b.ok()) return b.status();
        Result<Correction> c = not_duplicate_correction(user, *a, *b);
        if (!c.ok()) return c.status();
        return std::vector<Correction>{std::move(*c)};
      });

  add_write(
      router, catalog, auth, "/dups/best", [](const http::Request&) { return std::string("/dups"); },
      [](const Snapshot& snap, const http::Request&, const Form& form,
         const std::string& user) -> Result<std::vector<Correction>> {
        Result<Digest> d = resolve_photo(snap, form_value(form, "photo"));
        if (!d.ok()) return d.status();
        return std::vector<Correction>{best_copy_correction(user, *d)};
      });

  // Revert: itself a correction (kho::revert_correction reads and writes in its own short steps).
  router.Post(R"(/correction/([0-9]{1,19})/revert)", [&catalog, &auth](const http::Request& req, http::Response& res) {
    set_security_headers(res);
    if (!auth.allow_write(req, res, Role::kEditor)) return;
    const Form form = form_fields(req.body);
    const std::uint64_t seq = std::stoull(req.matches[1].str());
    Result<std::uint64_t> done = revert_correction(catalog, seq, req.identity.user);
    if (!done.ok()) return answer_refusal(req, res, status_of(done.status()), done.status().message());
    answer_recorded(req, res, form, "/", {*done});
  });
}

}  // namespace kho::web
