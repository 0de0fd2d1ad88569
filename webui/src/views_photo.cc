// View model of the photo page (preview, captions and credit, metadata, previous/next in its event, duplicates),
// and the event page's hook for what its grid and viewer show of each photo.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

// A code the tables below do not know, shown as the number the camera wrote.
std::string unknown_code(std::int64_t code) { return "Không rõ (mã " + std::to_string(code) + ")"; }

}  // namespace

// Readable values of the EXIF codes (views.h). Sources: EXIF 2.32 (CIPA DC-008), tags 0x0112, 0x9209,
// 0x8822, 0x9207, 0xA403; the wording follows what Vietnamese camera menus say.
std::string orientation_display(int code) {
  switch (code) {
    case 1: return "Bình thường (không xoay)";
    case 2: return "Lật ngang (ảnh gương)";
    case 3: return "Xoay 180°";
    case 4: return "Lật dọc";
    case 5: return "Lật ngang rồi xoay 90° ngược chiều kim đồng hồ";
    case 6: return "Xoay 90° theo chiều kim đồng hồ";
    case 7: return "Lật ngang rồi xoay 90° theo chiều kim đồng hồ";
    case 8: return "Xoay 90° ngược chiều kim đồng hồ";
  }
  return unknown_code(code);
}

std::string flash_display(std::int64_t code) {
  if (code < 0 || code > 0xFFFF) return unknown_code(code);
  if (code & 0x20) return "Máy không có đèn flash";
  const bool fired = code & 0x01;
  const int ret = static_cast<int>((code >> 1) & 0x03), mode = static_cast<int>((code >> 3) & 0x03);
  std::vector<std::string> notes;
  if (mode == 1) notes.emplace_back("đèn bật bắt buộc");
  if (mode == 2) notes.emplace_back("đèn tắt bắt buộc");
  if (mode == 3) notes.emplace_back("chế độ tự động");
  if (code & 0x40) notes.emplace_back("giảm mắt đỏ");
  if (fired && ret == 2) notes.emplace_back("không nhận được ánh sáng phản hồi");
  if (fired && ret == 3) notes.emplace_back("có ánh sáng phản hồi");
  std::string out = fired ? "Có đánh đèn" : "Không đánh đèn";
  for (std::size_t i = 0; i < notes.size(); ++i) out += (i == 0 ? " (" : ", ") + notes[i];
  return notes.empty() ? out : out + ")";
}

std::string exposure_program_display(std::int64_t code) {
  switch (code) {
    case 0: return "Không xác định";
    case 1: return "Chỉnh tay (M)";
    case 2: return "Tự động theo chương trình (P)";
    case 3: return "Ưu tiên khẩu độ (A/Av)";
    case 4: return "Ưu tiên tốc độ (S/Tv)";
    case 5: return "Sáng tạo (ưu tiên độ sâu trường ảnh)";
    case 6: return "Thể thao (ưu tiên tốc độ nhanh)";
    case 7: return "Chân dung";
    case 8: return "Phong cảnh";
  }
  return unknown_code(code);
}

std::string metering_display(std::int64_t code) {
  switch (code) {
    case 0: return "Không xác định";
    case 1: return "Trung bình";
    case 2: return "Trung bình ưu tiên trung tâm";
    case 3: return "Đo điểm";
    case 4: return "Đa điểm";
    case 5: return "Ma trận (đa vùng)";
    case 6: return "Một phần";
    case 255: return "Khác";
  }
  return unknown_code(code);
}

std::string white_balance_display(std::int64_t code) {
  switch (code) {
    case 0: return "Tự động";
    case 1: return "Chỉnh tay";
  }
  return unknown_code(code);
}

namespace {

// "+0.7 EV", "−1.3 EV", "0 EV" (a real minus sign, as camera screens show).
std::string exposure_bias_display(double ev) {
  if (std::fabs(ev) < 0.05) return "0 EV";
  return (ev > 0 ? "+" : "−") + fmt("%.1f EV", std::fabs(ev));
}

std::string format_display(std::string f) {
  for (char& c : f) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return f;
}

// The photo page's table: every label in Vietnamese, every coded value in words. `code` keeps the raw value
// (EXIF codes) for tools; null for plain values.
Json meta_rows(const Photo& p) {
  const Metadata& m = p.meta;
  Json rows = Json::array();
  auto row = [&](const char* label, const std::string& value, Json code = nullptr) {
    if (!value.empty()) rows.push_back({{"label", label}, {"value", value}, {"code", std::move(code)}});
  };
  row("Định dạng", m.format ? format_display(*m.format) : "");
  if (p.width && p.height) row("Kích thước", std::to_string(p.width) + " × " + std::to_string(p.height) + " điểm ảnh");
  row("Dung lượng", human_bytes(p.size));
  row("Ngày chụp", m.datetime_original ? date_display(m.datetime_original) : "");
  row("Máy ảnh", camera_display(m));
  row("Ống kính", m.lens.value_or(""));
  if (m.exposure_time && *m.exposure_time > 0)
    row("Tốc độ màn trập", *m.exposure_time < 1 ? "1/" + fmt("%.0f", 1.0 / *m.exposure_time) + " giây"
                                                : fmt("%.1f giây", *m.exposure_time));
  if (m.f_number) row("Khẩu độ", fmt("f/%.1f", *m.f_number));
  if (m.iso) row("ISO", std::to_string(*m.iso));
  if (m.focal_length) row("Tiêu cự", fmt("%.0f mm", *m.focal_length));
  if (m.exposure_bias) row("Bù phơi sáng", exposure_bias_display(*m.exposure_bias));
  if (m.exposure_program) row("Chế độ chụp", exposure_program_display(*m.exposure_program), *m.exposure_program);
  if (m.metering_mode) row("Đo sáng", metering_display(*m.metering_mode), *m.metering_mode);
  if (m.white_balance) row("Cân bằng trắng", white_balance_display(*m.white_balance), *m.white_balance);
  if (m.flash) row("Đèn flash", flash_display(*m.flash), *m.flash);
  if (m.orientation) row("Hướng ảnh", orientation_display(*m.orientation), *m.orientation);
  row("Tiêu đề", m.headline.value_or(""));
  row("Mô tả", m.description.value_or(""));
  std::string kw;
  for (const std::string& k : m.keywords) kw += (kw.empty() ? "" : ", ") + k;
  row("Từ khóa", kw);
  row("Tác giả", m.creator.value_or(""));
  row("Nguồn ảnh", m.credit.value_or(""));
  row("Sự kiện", m.event.value_or(""));
  row("Mã SHA-256", p.digest.hex());
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

// A photo's field as readers see it ("caption", "credit"): a person's correction (`kho caption`, kho::team's
// journal) over the machine's value. An unreadable journal leaves the machine's value.
std::string photo_field_in_force(const Snapshot& snap, const Digest& d, const char* field, const std::string& machine) {
  Result<std::optional<std::string>> v = value_in_force(
      snap, TargetKind::kPhoto, d.hex(), field,
      machine.empty() ? std::optional<std::string>() : std::optional<std::string>(machine));
  return v.ok() ? v->value_or("") : machine;
}
std::string credit_in_force(const Snapshot& snap, const Digest& d, const std::string& machine) {
  return photo_field_in_force(snap, d, "credit", machine);
}
// The caption of a photo no article links (an orphan: its own description). A linked photo's caption is
// corrected through its links (kho::apply_corrections), which carry the same journal entry.
std::string orphan_caption_in_force(const Snapshot& snap, const Digest& d, const std::string& machine) {
  return photo_field_in_force(snap, d, "caption", machine);
}

// A format browsers show (the rest, RAW and HEIF, only through the previews).
bool browser_format(const Photo& p) {
  std::string format = p.meta.format.value_or("");
  for (char& c : format) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return format == "jpeg" || format == "jpg" || format == "png" || format == "webp" || format == "gif";
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
  } else {  // an orphan: its own description, as people corrected it
    own = orphan_caption_in_force(
        snap, d, item.contains("caption") && item["caption"].is_string() ? item["caption"].get<std::string>() : "");
    item["caption"] = own.empty() ? Json(nullptr) : Json(own);
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
  item["zoom"] = browser_format(p) ? "/original/" + p.digest.hex() : thumb_url(p.digest, 1280);
  if (!item.contains("credit") || item["credit"].is_null())
    item["credit"] = p.meta.credit && !p.meta.credit->empty() ? Json(*p.meta.credit) : Json(nullptr);
}

namespace {

// The width of `p` shown inside a `box` px square (never upscaled), at least 1.
std::uint32_t width_in_box(const Photo& p, int box) {
  const std::uint32_t longest = std::max(p.width, p.height);
  if (longest == 0 || longest <= static_cast<std::uint32_t>(box)) return std::max<std::uint32_t>(1, p.width);
  return std::max<std::uint32_t>(
      1,
      static_cast<std::uint32_t>((std::uint64_t{p.width} * static_cast<std::uint64_t>(box) + longest / 2) / longest));
}

}  // namespace

std::string grid_sizes(std::uint32_t width, std::uint32_t height) {
  // A tile is a square the image covers (object-fit: cover): a wide photo is scaled to the tile's height, so
  // it needs width/height times the tile's width in pixels. Tiles are at most 13rem wide on a desktop; on a
  // phone two columns share the width less 2.5rem of padding and gap (kho.css).
  const double ratio = width > height && height > 0 ? static_cast<double>(width) / height : 1.0;
  if (ratio < 1.005) return "(max-width: 40rem) calc(50vw - 1.25rem), 13rem";
  const std::string r = fmt("%.2f", std::min(ratio, 20.0));
  return "(max-width: 40rem) calc((50vw - 1.25rem) * " + r + "), calc(13rem * " + r + ")";
}

void image_fields(const Snapshot& snap, const Photo& p, Json& item) {
  const std::string original = "/original/" + p.digest.hex();
  item["preview"] = thumb_url(p.digest, 1280);
  item["srcset"] = nullptr;
  item["sizes"] = grid_sizes(p.width, p.height);
  if (!p.has_thumbs) return;
  // A preview is never larger in bytes than its original: a small JPEG, PNG or WebP is served as it is, for
  // the 640 px size as for the 1280 px one.
  const bool shown = browser_format(p) && p.size > 0;
  std::vector<std::pair<std::string, std::uint32_t>> set;
  auto add = [&](const std::string& url, std::uint32_t w) {
    for (const auto& [u, have] : set)
      if (u == url || have == w) return;  // the same image, or one as wide and no smaller in bytes
    set.emplace_back(url, w);
  };
  add(thumb_url(p.digest, 320), width_in_box(p, 320));
  for (const ThumbSize size : {ThumbSize::kMid, ThumbSize::kPreview}) {
    const int px = thumb_size_pixels(size);
    // Without a 640 px entry (an old archive, or a photo no larger: its preview is that image) the 1280 px
    // entry stands in.
    if (size == ThumbSize::kMid && !p.has_mid_thumb) continue;
    Result<std::string_view> bytes = snap.thumb_view(p.digest, size);
    if (!bytes.ok()) continue;
    if (shown && p.size <= bytes->size()) {
      if (size == ThumbSize::kPreview) item["preview"] = original;
      add(original, std::max<std::uint32_t>(1, p.width));
    } else {
      add(thumb_url(p.digest, px), width_in_box(p, px));
    }
  }
  if (p.width == 0 || p.height == 0) return;
  std::string srcset;
  for (const auto& [url, w] : set) srcset += (srcset.empty() ? "" : ", ") + url + " " + std::to_string(w) + "w";
  item["srcset"] = srcset;
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
  image_fields(snap, *p, out);  // preview (or the original, when smaller), srcset
  out.erase("sizes");           // the photo page's own sizes are in its template
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
      j["path_display"] = shown_path(snap, f.path);  // below its ingest root; `path` stays the absolute model field
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
  const bool linked = !out["links"].empty();
  if (!linked) caption = orphan_caption_in_force(snap, *d, p->meta.description.value_or(""));
  else if (caption.empty() && p->meta.description) caption = *p->meta.description;
  out["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
  out["alt"] = caption.empty() ? out["name"].get<std::string>() : caption;
  // Shown apart: its own caption, else its group's caption labelled as the group's; the credit under it.
  std::string own, group, credit;
  for (const Json& l : out["links"]) {
    if (own.empty() && l.contains("caption") && l["caption"].is_string()) own = l["caption"];
    if (group.empty() && l.contains("group_caption") && l["group_caption"].is_string()) group = l["group_caption"];
    if (credit.empty() && l.contains("credit") && l["credit"].is_string()) credit = l["credit"];
  }
  if (!linked) own = caption;
  else if (own.empty() && group.empty() && p->meta.description) own = *p->meta.description;
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
      j["path_display"] = shown_path(snap, dp.path);
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
