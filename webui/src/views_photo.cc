// View model of the photo page (preview, captions and credit, metadata, previous/next in its event, duplicates),
// and the event page's hook for what its grid and viewer show of each photo.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "kho/decisions.h"
#include "kho/dups.h"
#include "kho/json_model.h"
#include "kho/team.h"
#include "kho/trace.h"
#include "views.h"

namespace kho::web {
namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

Json meta_rows(const Photo& p) {
  const Metadata& m = p.meta;
  Json rows = Json::array();
  auto row = [&](const char* label, const std::string& value) {
    if (!value.empty()) rows.push_back({{"label", label}, {"value", value}});
  };
  row("Định dạng · Format", m.format.value_or(""));
  if (p.width && p.height) row("Kích thước · Pixels", std::to_string(p.width) + " × " + std::to_string(p.height));
  row("Dung lượng · File size", human_bytes(p.size));
  row("Ngày chụp · Taken", m.datetime_original ? date_display(m.datetime_original) : "");
  row("Máy ảnh · Camera", camera_display(m));
  row("Ống kính · Lens", m.lens.value_or(""));
  if (m.exposure_time && *m.exposure_time > 0)
    row("Tốc độ · Exposure", *m.exposure_time < 1 ? "1/" + fmt("%.0f", 1.0 / *m.exposure_time) + " s"
                                                  : fmt("%.1f s", *m.exposure_time));
  if (m.f_number) row("Khẩu độ · Aperture", fmt("f/%.1f", *m.f_number));
  if (m.iso) row("ISO", std::to_string(*m.iso));
  if (m.focal_length) row("Tiêu cự · Focal length", fmt("%.0f mm", *m.focal_length));
  if (m.orientation) row("Hướng · Orientation", std::to_string(*m.orientation));
  row("Tiêu đề · Headline", m.headline.value_or(""));
  row("Mô tả · Description", m.description.value_or(""));
  std::string kw;
  for (const std::string& k : m.keywords) kw += (kw.empty() ? "" : ", ") + k;
  row("Từ khóa · Keywords", kw);
  row("Tác giả · Creator", m.creator.value_or(""));
  row("Nguồn · Credit", m.credit.value_or(""));
  row("Sự kiện · Event", m.event.value_or(""));
  row("SHA-256", p.digest.hex());
  return rows;
}

Json gps(const Metadata& m) {
  if (!m.gps_lat || !m.gps_lon || !std::isfinite(*m.gps_lat) || !std::isfinite(*m.gps_lon)) return nullptr;
  const std::string lat = fmt("%.6f", *m.gps_lat), lon = fmt("%.6f", *m.gps_lon);
  Json g;
  g["lat"] = *m.gps_lat;
  g["lon"] = *m.gps_lon;
  g["alt"] = m.gps_alt ? Json(*m.gps_alt) : Json(nullptr);
  g["display"] = lat + ", " + lon;
  g["map_url"] = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=16/" + lat + "/" + lon;
  return g;
}

// The credit readers see: a person's correction (`kho caption --credit`, kho::team's journal) over the
// machine's value. An unreadable journal leaves the machine's value.
std::string credit_in_force(const Snapshot& snap, const Digest& d, const std::string& machine) {
  Result<std::optional<std::string>> v = value_in_force(
      snap, TargetKind::kPhoto, d.hex(), "credit",
      machine.empty() ? std::optional<std::string>() : std::optional<std::string>(machine));
  return v.ok() ? v->value_or("") : machine;
}

}  // namespace

Json links_with_articles(const Snapshot& snap, const Digest& d) {
  Json out = Json::array();
  Result<std::vector<Link>> links = corrected(snap, snap.photo_links(d));
  if (links.ok())  // a link a person moved to another photo no longer belongs here
    std::erase_if(*links, [&](const Link& l) { return !l.digest || !(*l.digest == d); });
  if (links.ok())  // issue 16: and one a person moved to this photo does (photo_links has only the machine's)
    if (Result<std::vector<Link>> moved = relinked_to(snap, d); moved.ok())
      links->insert(links->end(), moved->begin(), moved->end());
  if (!links.ok()) return out;
  for (const Link& l : *links) {
    Json j = parse_model(link_json(l));
    Result<Article> art = snap.article(l.article_id);
    j["article_title"] = art.ok() ? art->title : "";
    j["event_id"] = art.ok() ? art->event_id : "";
    j["event_url"] = art.ok() && !art->event_id.empty() ? Json(event_url(art->event_id)) : Json(nullptr);
    j["date_display"] = art.ok() ? date_display(art->date) : "";
    // The article's credit line for this photo ("Ảnh: …"), shown under its caption.
    const PhotoRef* ref = art.ok() && l.position < art->refs.size() ? &art->refs[l.position] : nullptr;
    const std::string credit = credit_in_force(snap, d, ref && ref->credit ? *ref->credit : "");
    j["credit"] = credit.empty() ? Json(nullptr) : Json(credit);
    out.push_back(std::move(j));
  }
  return out;
}

void CaptionNotes::note(const Article& art, const Link& link) {
  if (!link.digest || notes_.count(*link.digest)) return;
  const PhotoRef* ref = link.position < art.refs.size() ? &art.refs[link.position] : nullptr;
  Note n;
  n.own = link.caption.value_or("");
  n.group = link.group_caption.value_or("");
  n.credit = ref && ref->credit ? *ref->credit : "";
  notes_.emplace(*link.digest, std::move(n));
}

void CaptionNotes::apply(const Snapshot& snap, const Digest& d, Json& item) const {
  auto it = notes_.find(d);
  std::string own, group;
  if (it != notes_.end()) {
    own = it->second.own;
    group = it->second.group;
    if (!it->second.credit.empty()) item["credit"] = it->second.credit;
  } else if (item.contains("caption") && item["caption"].is_string()) {
    own = item["caption"].get<std::string>();  // an orphan's own description
  }
  const std::string machine = item.contains("credit") && item["credit"].is_string() ? item["credit"].get<std::string>()
                                                                                    : "";
  const std::string credit = credit_in_force(snap, d, machine);
  item["credit"] = credit.empty() ? Json(nullptr) : Json(credit);
  item["own_caption"] = own.empty() ? Json(nullptr) : Json(own);
  item["group_caption"] = own.empty() && !group.empty() ? Json(group) : Json(nullptr);
}

void viewer_fields(const Photo& p, Json& item) {
  item["taken_display"] = date_display(p.meta.datetime_original);
  item["camera"] = camera_display(p.meta);
  item["original"] = "/original/" + p.digest.hex();
  item["download"] = "/photo/" + p.digest.hex() + "/download";
  // Zoom to 100%: the original when a browser shows its format, else the largest preview (RAW, HEIF).
  std::string format = p.meta.format.value_or("");
  for (char& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool shown = format == "jpeg" || format == "jpg" || format == "png" || format == "webp" || format == "gif";
  item["zoom"] = shown ? "/original/" + p.digest.hex() : thumb_url(p.digest, 1280);
  if (!item.contains("credit") || item["credit"].is_null())
    item["credit"] = p.meta.credit && !p.meta.credit->empty() ? Json(*p.meta.credit) : Json(nullptr);
}

namespace {

// "Caption\nẢnh: Credit": what "copy caption and credit" puts on the clipboard (credits are stored without
// the "Ảnh:" the article wrote before them).
std::string copy_text(const std::string& caption, const std::string& credit) {
  if (credit.empty()) return caption;
  return caption.empty() ? "Ảnh: " + credit : caption + "\nẢnh: " + credit;
}

// Previous and next photo of `event_id` in the event's own order (the grid's), and this one's place.
void event_neighbours(const Snapshot& snap, const std::string& event_id, const Digest& d, Json& out,
                      GridOrders* orders) {
  out["prev_url"] = nullptr;
  out["next_url"] = nullptr;
  out["position"] = nullptr;
  Result<std::shared_ptr<const std::vector<EventFile>>> files = grid_order(snap, event_id, GridPage{}.sort, orders);
  if (!files.ok()) return;
  // One photo can sit in an event under two names: each digest counts once, at its first place.
  std::vector<Digest> order;
  std::set<Digest> seen;
  for (const EventFile& f : **files)
    if (seen.insert(f.digest).second) order.push_back(f.digest);
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (!(order[i] == d)) continue;
    if (i > 0) out["prev_url"] = photo_url(order[i - 1]);
    if (i + 1 < order.size()) out["next_url"] = photo_url(order[i + 1]);
    out["position"] = std::to_string(i + 1) + " / " + std::to_string(order.size());
    return;
  }
}

}  // namespace

Result<Json> photo_view(const Snapshot& snap, std::string_view digest_hex, GridOrders* orders) {
  std::optional<Digest> d = Digest::from_hex(digest_hex);
  if (!d) return Status::InvalidArgument("not a photo digest (64 hex digits)");
  Result<Photo> p = snap.photo(*d);
  if (!p.ok()) return p.status();
  Json out;
  out["photo"] = parse_model(photo_json(*p));
  out["preview"] = thumb_url(*d, 1280);
  out["original"] = "/original/" + d->hex();
  out["name"] = base_name(p->first_path);
  out["size_display"] = human_bytes(p->size);
  out["files"] = Json::array();
  Result<std::vector<File>> files = snap.photo_files(*d);
  if (files.ok())
    for (const File& f : *files) {
      Json j = parse_model(file_json(f));
      j["event_url"] = f.event_id.empty() ? Json(nullptr) : Json(event_url(f.event_id));
      // Each file's own bytes (a RAW+JPEG pair's raw file too): media.cc, /original/{digest}/file/{n}.
      j["url"] = "/original/" + d->hex() + "/file/" + std::to_string(out["files"].size());
      out["files"].push_back(std::move(j));
    }
  out["links"] = links_with_articles(snap, *d);
  // Issue 12: an original traced from web copies shows them as "the published copy" (bản đã đăng), and their
  // articles and captions as its own.
  out["published_copies"] = Json::array();
  Result<std::vector<TraceRecord>> published = published_copies_of(snap, *d);
  if (published.ok())
    for (const TraceRecord& r : *published) {
      Result<std::vector<Link>> al = corrected(snap, snap.article_links(r.article_id));
      if (!al.ok()) continue;
      for (const Link& l : *al) {
        if (l.position != r.position || !l.digest || *l.digest != r.copy) continue;
        Json j = parse_model(link_json(l));
        Result<Article> art = snap.article(l.article_id);
        j["article_title"] = art.ok() ? art->title : "";
        j["event_url"] = art.ok() && !art->event_id.empty() ? Json(event_url(art->event_id)) : Json(nullptr);
        j["date_display"] = art.ok() ? date_display(art->date) : "";
        out["links"].push_back(j);
        Result<Photo> cp = snap.photo(r.copy);
        j["copy_url"] = photo_url(r.copy);
        j["copy_thumb"] = thumb_url(r.copy, 320);
        j["copy_name"] = base_name(l.path);
        j["copy_width"] = cp.ok() ? cp->width : 0;
        j["copy_height"] = cp.ok() ? cp->height : 0;
        out["published_copies"].push_back(std::move(j));
      }
    }
  out["event_url"] = nullptr;
  out["event_title"] = nullptr;
  out["prev_url"] = nullptr;
  out["next_url"] = nullptr;
  out["position"] = nullptr;
  if (files.ok())
    for (const File& f : *files) {
      Result<Event> ev = corrected(snap, snap.event(f.event_id));
      if (!ev.ok()) continue;
      out["event_url"] = event_url(ev->id);
      out["event_title"] = ev->title;
      event_neighbours(snap, ev->id, *d, out, orders);
      break;
    }
  std::string caption;
  for (const char* key : {"caption", "group_caption"}) {  // its own caption first, else its group's
    for (const Json& l : out["links"])
      if (caption.empty() && l.contains(key) && l[key].is_string()) caption = l[key].get<std::string>();
  }
  if (caption.empty() && p->meta.description) caption = *p->meta.description;
  out["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
  out["alt"] = caption.empty() ? out["name"].get<std::string>() : caption;
  // Shown apart: its own caption, else its group's caption labelled as the group's; the credit under it.
  std::string own, group, credit;
  for (const Json& l : out["links"]) {
    if (own.empty() && l.contains("caption") && l["caption"].is_string()) own = l["caption"];
    if (group.empty() && l.contains("group_caption") && l["group_caption"].is_string()) group = l["group_caption"];
    if (credit.empty() && l.contains("credit") && l["credit"].is_string()) credit = l["credit"];
  }
  if (own.empty() && group.empty() && p->meta.description) own = *p->meta.description;
  if (credit.empty() && p->meta.credit) credit = *p->meta.credit;
  credit = credit_in_force(snap, *d, credit);
  out["own_caption"] = own.empty() ? Json(nullptr) : Json(own);
  out["group_caption"] = own.empty() && !group.empty() ? Json(group) : Json(nullptr);
  out["credit"] = credit.empty() ? Json(nullptr) : Json(credit);
  out["copy_text"] = copy_text(own.empty() ? group : own, credit);
  out["download"] = "/photo/" + d->hex() + "/download";
  out["taken_display"] = date_display(p->meta.datetime_original);
  out["camera"] = camera_display(p->meta);
  out["meta_rows"] = meta_rows(*p);
  out["gps"] = gps(p->meta);
  out["duplicates"] = Json::array();
  Result<DupOptions> decided = with_decisions(snap);
  if (!decided.ok()) return decided.status();
  Result<std::vector<DupPhoto>> dups = duplicates_of(snap, *d, *decided);
  if (dups.ok())
    for (const DupPhoto& dp : *dups) {
      Json j;
      j["digest"] = dp.digest.hex();
      j["path"] = display_path(dp.path);
      j["name"] = base_name(dp.path);
      j["distance"] = dp.distance;
      j["width"] = dp.width;
      j["height"] = dp.height;
      j["best"] = dp.best;
      j["url"] = photo_url(dp.digest);
      j["thumb"] = thumb_url(dp.digest, 320);
      j["links"] = links_with_articles(snap, dp.digest);  // captions follow duplicates
      out["duplicates"].push_back(std::move(j));
    }
  // The copies side by side, as on /dups, this one marked.
  Result<std::optional<DupCluster>> cluster = near_cluster_of(snap, *d, *decided);
  out["review"] = cluster.ok() && cluster->has_value() ? dup_review(snap, **cluster, &*d) : Json(nullptr);
  return out;
}

}  // namespace kho::web
