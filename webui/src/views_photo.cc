// View models of the photo page (preview, captions, metadata, duplicates) and the duplicates page.
#include <cmath>
#include <cstdio>

#include "kho/decisions.h"
#include "kho/dups.h"
#include "kho/json_model.h"
#include "views.h"

namespace kho::web {
namespace {

std::string human_bytes(std::uint64_t n) {
  char buf[32];
  if (n >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1 << 20));
  else if (n >= 1024) std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(n) / 1024);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  return buf;
}

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
  // Cameras often repeat the make in the model ("Canon" + "Canon EOS 80D").
  std::string camera = m.model.value_or("");
  if (m.make && camera.rfind(*m.make, 0) != 0) camera = camera.empty() ? *m.make : *m.make + " " + camera;
  row("Máy ảnh · Camera", camera);
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

// Links of a photo with their article's title and event, for "where it was published".
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
    out.push_back(std::move(j));
  }
  return out;
}

std::string first_caption(const Snapshot& snap, const Digest& d) {
  Result<std::vector<Link>> links = corrected(snap, snap.photo_links(d));
  if (links.ok())  // a link a person moved to another photo no longer belongs here
    std::erase_if(*links, [&](const Link& l) { return !l.digest || !(*l.digest == d); });
  if (links.ok())  // issue 16: and one a person moved to this photo does (photo_links has only the machine's)
    if (Result<std::vector<Link>> moved = relinked_to(snap, d); moved.ok())
      links->insert(links->end(), moved->begin(), moved->end());
  if (!links.ok()) return "";
  for (const Link& l : *links)
    if (l.caption && !l.caption->empty()) return *l.caption;
  for (const Link& l : *links)
    if (l.group_caption && !l.group_caption->empty()) return *l.group_caption;
  return "";
}

}  // namespace

Result<Json> photo_view(const Snapshot& snap, std::string_view digest_hex) {
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
      out["files"].push_back(std::move(j));
    }
  out["links"] = links_with_articles(snap, *d);
  out["event_url"] = nullptr;
  out["event_title"] = nullptr;
  if (files.ok())
    for (const File& f : *files) {
      Result<Event> ev = corrected(snap, snap.event(f.event_id));
      if (!ev.ok()) continue;
      out["event_url"] = event_url(ev->id);
      out["event_title"] = ev->title;
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
  return out;
}

Result<Json> dups_view(const Snapshot& snap, std::size_t page, std::size_t page_size) {
  Result<DupOptions> decided = with_decisions(snap);
  if (!decided.ok()) return decided.status();
  Result<std::vector<DupCluster>> clusters = list_duplicates(snap, *decided);
  if (!clusters.ok()) return clusters.status();
  const std::size_t pages = page_count(clusters->size(), page_size);
  page = std::clamp<std::size_t>(page, 1, pages);
  Json out;
  out["clusters"] = Json::array();
  for (std::size_t i = (page - 1) * page_size; i < clusters->size() && i < page * page_size; ++i) {
    const DupCluster& c = (*clusters)[i];
    Json jc = Json::parse(dup_cluster_json(c));  // DESIGN.md §5's fields, then the gallery's own
    jc["is_exact"] = c.kind == DupKind::kExact;
    for (std::size_t k = 0; k < c.photos.size(); ++k) {
      const DupPhoto& dp = c.photos[k];
      Json& j = jc["photos"][k];
      j["name"] = base_name(dp.path);
      j["url"] = photo_url(dp.digest);
      j["thumb"] = thumb_url(dp.digest, 320);
      Result<Photo> p = snap.photo(dp.digest);
      if (p.ok()) {
        j["width"] = p->width;
        j["height"] = p->height;
      }
      j["size"] = p.ok() ? p->size : 0;
      j["size_display"] = p.ok() ? human_bytes(p->size) : "";
      j["taken"] = p.ok() ? date_display(p->meta.datetime_original) : "";
      std::string caption = first_caption(snap, dp.digest);
      j["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
    }
    out["clusters"].push_back(std::move(jc));
  }
  out["page"] = page;
  out["pages"] = pages;
  out["total"] = clusters->size();
  out["prev_url"] = page > 1 ? Json("/dups?page=" + std::to_string(page - 1)) : Json(nullptr);
  out["next_url"] = page < pages ? Json("/dups?page=" + std::to_string(page + 1)) : Json(nullptr);
  return out;
}

}  // namespace kho::web
