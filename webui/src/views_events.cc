// View models of the home page (events), the event page (the article rebuilt, then every photo) and
// of one article (for `kho show`).
#include <map>
#include <set>

#include "kho/json_model.h"
#include "kho/originals.h"
#include "kho/team.h"
#include "views.h"

namespace kho::web {
namespace {

constexpr std::size_t kExcerptBytes = 180;

// The start of an event's caption text: its first article's first caption, else first paragraph.
std::string event_excerpt(const Snapshot& snap, const Event& ev) {
  for (const std::string& aid : ev.article_ids) {
    Result<Article> art = snap.article(aid);
    if (!art.ok()) continue;
    for (const PhotoRef& r : art->refs)
      if (r.caption && !r.caption->empty()) return excerpt(*r.caption, kExcerptBytes);
    for (const ArticleBlock& b : art->blocks)
      if (b.kind == ArticleBlock::Kind::kParagraph && !b.text.empty()) return excerpt(b.text, kExcerptBytes);
  }
  return "";
}

Json photo_item(const Snapshot& snap, const Digest& d, const std::string& path, const std::string& caption) {
  Json j;
  j["digest"] = d.hex();
  j["path"] = display_path(path);
  j["name"] = base_name(path);
  j["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
  j["alt"] = caption.empty() ? base_name(path) : caption;
  j["url"] = photo_url(d);
  j["thumb"] = thumb_url(d, 320);
  j["preview"] = thumb_url(d, 1280);
  Result<Photo> p = snap.photo(d);
  j["width"] = p.ok() ? p->width : 0;
  j["height"] = p.ok() ? p->height : 0;
  j["has_thumbs"] = p.ok() && p->has_thumbs;
  return j;
}

// links[] of DESIGN.md §5 with each one's traced original (issue 12).
Json links_json(const Snapshot& snap, const std::vector<Link>& links) {
  Json out = Json::array();
  for (const Link& l : links) {
    Result<std::optional<LinkOriginal>> o = link_original(snap, l);
    out.push_back(parse_model(link_json(l, o.ok() ? *o : std::nullopt)));
  }
  return out;
}

// An article's body in published order, each photo block carrying its link (or marked unresolved).
Json article_blocks(const Snapshot& snap, const Article& art, const std::vector<Link>& links) {
  std::map<std::uint32_t, const Link*> by_pos;
  for (const Link& l : links) by_pos[l.position] = &l;
  Json blocks = Json::array();
  std::set<std::uint32_t> shown;
  auto photo_block = [&](std::uint32_t idx) {
    Json b;
    b["kind"] = "photo";
    b["is_photo"] = true;
    const PhotoRef* ref = idx < art.refs.size() ? &art.refs[idx] : nullptr;
    const Link* link = by_pos.count(idx) ? by_pos[idx] : nullptr;
    std::string caption = ref && ref->caption ? *ref->caption : (link && link->caption ? *link->caption : "");
    // A photo under a group caption has no caption of its own: the group's text describes it (alt text,
    // lightbox), while the page shows the group caption once, above the photos.
    std::string group = ref && ref->group_caption ? *ref->group_caption
                                                  : (link && link->group_caption ? *link->group_caption : "");
    const std::string& describe = caption.empty() ? group : caption;
    b["ref"] = ref ? ref->ref : (link ? link->ref : "");
    b["ref_index"] = idx;
    b["credit"] = ref && ref->credit ? Json(*ref->credit) : Json(nullptr);
    if (link && link->digest) {
      b["photo"] = photo_item(snap, *link->digest, link->path, describe);
      b["method"] = link_method_name(link->method);
      b["resolved"] = true;
    } else {
      b["photo"] = nullptr;
      b["resolved"] = false;
    }
    b["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
    shown.insert(idx);
    return b;
  };
  for (const ArticleBlock& blk : art.blocks) {
    if (blk.kind == ArticleBlock::Kind::kPhoto) {
      blocks.push_back(photo_block(blk.ref_index));
    } else {
      Json b;
      bool group = blk.kind == ArticleBlock::Kind::kGroupCaption;
      b["kind"] = group ? "group_caption" : "paragraph";
      b[group ? "is_group" : "is_paragraph"] = true;
      b["text"] = blk.text;
      blocks.push_back(std::move(b));
    }
  }
  // References the blocks do not place (an older parser, or a layout it could not follow) still show.
  for (std::uint32_t i = 0; i < art.refs.size(); ++i)
    if (!shown.count(i)) blocks.push_back(photo_block(i));
  return blocks;
}

}  // namespace

Result<Json> events_view(const Snapshot& snap, std::size_t page, std::size_t page_size) {
  Result<std::uint64_t> total = snap.event_count();
  if (!total.ok()) return total.status();
  const std::size_t pages = page_count(*total, page_size);
  page = std::clamp<std::size_t>(page, 1, pages);
  Result<std::vector<Event>> events = snap.events_newest_first((page - 1) * page_size, page_size);
  if (!events.ok()) return events.status();
  for (Event& ev : *events) KHO_RETURN_IF_ERROR(apply_corrections(snap, ev));
  Json out;
  out["events"] = Json::array();
  for (const Event& ev : *events) {
    Json j = parse_model(event_json(ev));
    j["url"] = event_url(ev.id);
    j["date_display"] = date_display(ev.date);
    Result<std::optional<Digest>> cover = shown_cover(snap, ev);  // a traced web copy shows its original
    const std::optional<Digest> shown = cover.ok() ? *cover : ev.cover;
    j["cover_thumb"] = shown ? Json(thumb_url(*shown, 320)) : Json(nullptr);
    j["excerpt"] = event_excerpt(snap, ev);
    out["events"].push_back(std::move(j));
  }
  out["has_events"] = !out["events"].empty();
  out["page"] = page;
  out["pages"] = pages;
  out["total"] = *total;
  out["prev_url"] = page > 1 ? Json("/?page=" + std::to_string(page - 1)) : Json(nullptr);
  out["next_url"] = page < pages ? Json("/?page=" + std::to_string(page + 1)) : Json(nullptr);
  return out;
}

Result<Json> event_view(const Snapshot& snap, std::string_view event_id) {
  if (!is_hex_id(event_id, 16)) return Status::InvalidArgument("not an event id");
  Result<Event> ev = corrected(snap, snap.event(event_id));
  if (!ev.ok()) return ev.status();
  Json out;
  out["event"] = parse_model(event_json(*ev));
  out["event"]["date_display"] = date_display(ev->date);
  out["event"]["url"] = event_url(ev->id);
  out["event"]["folder_display"] = display_path(ev->folder);

  std::map<Digest, std::string> captions;  // first caption of each linked photo
  std::set<Digest> linked;
  std::map<Digest, Digest> shown_for;  // traced web copy → its original
  std::size_t unresolved = 0;
  out["articles"] = Json::array();
  for (const std::string& aid : ev->article_ids) {
    Result<Article> art = snap.article(aid);
    if (art.status().is_not_found()) continue;  // an id without its record: verify reports it
    if (!art.ok()) return art.status();
    Result<std::vector<Link>> machine = corrected(snap, snap.article_links(aid));
    if (!machine.ok()) return machine.status();
    // Traced web copies show their camera original (issue 12); the copy is no orphan either.
    std::map<Digest, Digest> copies;
    Result<std::vector<Link>> links = links_showing_originals(snap, *machine, &copies);
    if (!links.ok()) return links.status();
    for (const auto& [original, copy] : copies) {
      linked.insert(copy);
      shown_for[copy] = original;
    }
    for (const Link& l : *links) {
      if (!l.digest) {
        ++unresolved;
        continue;
      }
      linked.insert(*l.digest);
      const std::optional<std::string>& text = l.caption ? l.caption : l.group_caption;
      if (text && !captions.count(*l.digest)) captions[*l.digest] = *text;
    }
    Json a = parse_model(article_json(*art));
    a["date_display"] = date_display(art->date);
    a["blocks_view"] = article_blocks(snap, *art, *links);
    a["links"] = links_json(snap, *machine);
    out["articles"].push_back(std::move(a));
  }
  Result<std::vector<EventFile>> files = snap.event_photos_in_order(event_id);
  if (!files.ok()) return files.status();
  // The event's first photos are the articles' photos: a traced original takes its web copy's place (and the
  // copy the original's), so the archive's best picture leads with the article's caption.
  if (!shown_for.empty()) {
    std::map<Digest, std::size_t> at;
    for (std::size_t i = 0; i < files->size(); ++i) at.emplace((*files)[i].digest, i);
    for (const auto& [copy, original] : shown_for) {
      auto c = at.find(copy), o = at.find(original);
      if (c == at.end() || o == at.end() || o->second < c->second) continue;
      std::swap((*files)[c->second], (*files)[o->second]);
      std::swap(c->second, o->second);
    }
  }
  out["photos"] = Json::array();
  std::size_t orphans = 0;
  for (const EventFile& f : *files) {
    std::string caption = captions.count(f.digest) ? captions[f.digest] : "";
    if (caption.empty()) {  // an orphan may still carry its own description
      Result<Photo> p = snap.photo(f.digest);
      if (p.ok() && p->meta.description) caption = *p->meta.description;
    }
    Json j = photo_item(snap, f.digest, f.path, caption);
    j["orphan"] = !linked.count(f.digest);
    j["index"] = out["photos"].size();
    if (!linked.count(f.digest)) ++orphans;
    out["photos"].push_back(std::move(j));
  }
  out["photo_total"] = out["photos"].size();
  out["orphan_count"] = orphans;
  out["unresolved_count"] = unresolved;
  out["has_orphans"] = orphans > 0;
  out["has_unresolved"] = unresolved > 0;
  return out;
}

Result<Json> article_view(const Snapshot& snap, std::string_view article_id) {
  if (!is_hex_id(article_id, 16)) return Status::InvalidArgument("not an article id");
  Result<Article> art = snap.article(article_id);
  if (!art.ok()) return art.status();
  Result<std::vector<Link>> links = corrected(snap, snap.article_links(article_id));
  if (!links.ok()) return links.status();
  Json out;
  out["article"] = parse_model(article_json(*art));
  out["links"] = links_json(snap, *links);
  Result<Event> ev = corrected(snap, snap.event(art->event_id));
  out["event"] = ev.ok() ? parse_model(event_json(*ev)) : Json(nullptr);
  return out;
}

}  // namespace kho::web
