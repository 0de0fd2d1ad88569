// View models of the home page (events), the event page (the article rebuilt, then every photo) and
// of one article (for `kho show`).
#include <map>
#include <memory>
#include <mutex>
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

// `known`: the photo's record when the caller has read it already (the grid: it reads it for the caption).
Json photo_item(const Snapshot& snap, const Digest& d, const std::string& path, const std::string& caption,
                const Result<Photo>* known = nullptr) {
  Json j;
  j["digest"] = d.hex();
  j["path"] = shown_path(snap, path);  // below its ingest root (views.h)
  j["name"] = base_name(path);
  j["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
  j["alt"] = caption.empty() ? base_name(path) : caption;
  j["url"] = photo_url(d);
  j["thumb"] = thumb_url(d, 320);
  j["preview"] = thumb_url(d, 1280);
  std::optional<Result<Photo>> read;
  if (!known) read.emplace(snap.photo(d));
  const Result<Photo>& p = known ? *known : *read;
  j["width"] = p.ok() ? p->width : 0;
  j["height"] = p.ok() ? p->height : 0;
  j["has_thumbs"] = p.ok() && p->has_thumbs;
  if (p.ok()) viewer_fields(*p, j);  // date, camera, downloads for the viewer (views_photo.cc)
  j["srcset"] = nullptr;
  if (p.ok()) image_fields(snap, *p, j);  // preview, srcset (320, 640, 1280) and sizes (views_photo.cc)
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
    // The block's anchor, which search results link to (views_search.cc: block_anchor).
    const std::string anchor = "b-" + art.id + "-" + std::to_string(&blk - art.blocks.data());
    if (blk.kind == ArticleBlock::Kind::kPhoto) {
      blocks.push_back(photo_block(blk.ref_index));
      blocks.back()["anchor"] = anchor;
    } else {
      Json b;
      bool group = blk.kind == ArticleBlock::Kind::kGroupCaption;
      b["kind"] = group ? "group_caption" : "paragraph";
      b[group ? "is_group" : "is_paragraph"] = true;
      b["text"] = blk.text;
      b["anchor"] = anchor;
      blocks.push_back(std::move(b));
    }
  }
  // References the blocks do not place (an older parser, or a layout it could not follow) still show.
  for (std::uint32_t i = 0; i < art.refs.size(); ++i)
    if (!shown.count(i)) blocks.push_back(photo_block(i));
  return blocks;
}

const char* sort_name(GridSort sort) {
  switch (sort) {
    case GridSort::kName: return "name";
    case GridSort::kArticle: return "article";
    default: return "time";
  }
}

// Orders the grid: kArticle keeps event_photos_in_order's order (articles' order, then the rest by path);
// kTime puts photos with a capture time first, oldest first, ties and the rest by file name; kName by name.
Status sort_grid(const Snapshot& snap, GridSort sort, std::vector<EventFile>& files) {
  if (sort == GridSort::kArticle) return Status::OK();
  struct Key {
    std::optional<std::string> time;
    std::string name;
    std::size_t at;
  };
  std::vector<Key> keys(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    keys[i].at = i;
    keys[i].name = base_name(files[i].path);
    if (sort == GridSort::kTime) {
      Result<Photo> p = snap.photo(files[i].digest);
      if (p.ok()) keys[i].time = std::move(p->meta.datetime_original);
      else if (!p.status().is_not_found()) return p.status();
    }
  }
  std::stable_sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    if (a.time.has_value() != b.time.has_value()) return a.time.has_value();
    if (a.time && *a.time != *b.time) return *a.time < *b.time;
    if (a.name != b.name) return natural_less(a.name, b.name);
    return files[a.at].path < files[b.at].path;
  });
  std::vector<EventFile> sorted;
  sorted.reserve(files.size());
  for (const Key& k : keys) sorted.push_back(std::move(files[k.at]));
  files = std::move(sorted);
  return Status::OK();
}

std::string grid_url(std::string_view event_id, GridSort sort, std::size_t page) {
  std::string url = event_url(event_id);
  char sep = '?';
  if (page > 1) {
    url += "?page=" + std::to_string(page);
    sep = '&';
  }
  if (sort != GridSort::kTime) url += std::string(1, sep) + "sort=" + sort_name(sort);
  return url + "#photos";
}

// Pager and sort switch of the grid: page_links holds the first and last pages, and three either side of
// the current one, with gaps marked, so a 50,000-photo event still has a short pager.
void grid_navigation(Json& out, std::string_view id, GridSort sort, std::size_t page, std::size_t pages,
                     std::size_t first, std::size_t last) {
  out["page"] = page;
  out["pages"] = pages;
  out["paged"] = pages > 1;
  out["first_page"] = page == 1;
  out["photo_from"] = last > first ? first + 1 : 0;
  out["photo_to"] = last;
  out["sort"] = sort_name(sort);
  out["prev_url"] = page > 1 ? Json(grid_url(id, sort, page - 1)) : Json(nullptr);
  out["next_url"] = page < pages ? Json(grid_url(id, sort, page + 1)) : Json(nullptr);
  out["page_links"] = Json::array();
  std::size_t shown = 0;
  for (std::size_t p = 1; p <= pages; ++p) {
    if (p != 1 && p != pages && (p + 3 < page || p > page + 3)) continue;
    Json l;
    l["page"] = p;
    l["url"] = grid_url(id, sort, p);
    l["current"] = p == page;
    l["gap_before"] = shown + 1 != p;
    out["page_links"].push_back(std::move(l));
    shown = p;
  }
  out["sort_links"] = Json::array();
  for (GridSort s : {GridSort::kTime, GridSort::kName, GridSort::kArticle}) {
    Json l;
    l["sort"] = sort_name(s);
    l["label"] = s == GridSort::kTime ? "Giờ chụp" : s == GridSort::kName ? "Tên tệp" : "Thứ tự trong bài";
    l["url"] = grid_url(id, s, 1);
    l["current"] = s == sort;
    out["sort_links"].push_back(std::move(l));
  }
}

}  // namespace

namespace {

// The event's photos in the grid's order, computed: sorted, then each traced original in its web copy's place.
Result<std::shared_ptr<const std::vector<EventFile>>> compute_grid_order(const Snapshot& snap,
                                                                         const std::string& event_id, GridSort sort) {
  Result<std::vector<EventFile>> files = snap.event_photos_in_order(event_id);
  if (!files.ok()) return files.status();
  KHO_RETURN_IF_ERROR(sort_grid(snap, sort, *files));
  // The event's first photos are the articles' photos: a traced original takes its web copy's place (and the
  // copy the original's), so the archive's best picture leads with the article's caption (issue 12). Done
  // here, not in the page, so that the photo page's previous/next walk the grid's own order.
  Result<Event> ev = snap.event(event_id);
  if (!ev.ok()) return ev.status();
  std::map<Digest, Digest> shown_for;  // web copy → its original
  for (const std::string& aid : ev->article_ids) {
    Result<Article> art = snap.article(aid);
    if (art.status().is_not_found()) continue;  // as the page: an id without its record is skipped
    if (!art.ok()) return art.status();
    Result<std::vector<Link>> machine = corrected(snap, snap.article_links(aid));
    if (!machine.ok()) return machine.status();
    std::map<Digest, Digest> copies;
    Result<std::vector<Link>> links = links_showing_originals(snap, std::move(*machine), &copies);
    if (!links.ok()) return links.status();
    for (const auto& [original, copy] : copies) shown_for[copy] = original;
  }
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
  return std::make_shared<const std::vector<EventFile>>(std::move(*files));
}

}  // namespace

GridOrders::GridOrders(std::size_t max_files) : max_files_(max_files) {}

Result<GridOrders::Order> GridOrders::get(const Snapshot& snap, const std::string& event_id, GridSort sort) {
  const std::string key = event_id + "/" + sort_name(sort);
  const std::uint64_t version = snap.version();
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end() && it->second.version == version) {
      lru_.splice(lru_.begin(), lru_, it->second.used);
      return it->second.order;
    }
  }
  // Computed outside the lock: other events' pages are served meanwhile.
  Result<Order> order = compute_grid_order(snap, event_id, sort);
  if (!order.ok()) return order.status();
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    // A request on an older snapshot may finish after one on a newer: the newer order stays.
    if (it->second.version > version) return order;
    files_ -= it->second.order->size();
    lru_.erase(it->second.used);
    entries_.erase(it);
  }
  if ((*order)->size() > max_files_) return order;  // larger than the whole budget: not kept
  lru_.push_front(key);
  entries_.emplace(key, Entry{version, *order, lru_.begin()});
  files_ += (*order)->size();
  while (files_ > max_files_ && !lru_.empty()) {  // the least recently used go first
    auto last = entries_.find(lru_.back());
    files_ -= last->second.order->size();
    entries_.erase(last);
    lru_.pop_back();
  }
  return order;
}

std::size_t GridOrders::files_held() const {
  std::lock_guard lock(mu_);
  return files_;
}

std::size_t GridOrders::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

Result<std::shared_ptr<const std::vector<EventFile>>> grid_order(const Snapshot& snap, const std::string& event_id,
                                                                 GridSort sort, GridOrders* orders) {
  if (orders) return orders->get(snap, event_id, sort);
  return compute_grid_order(snap, event_id, sort);
}

std::optional<GridSort> grid_sort_from_name(std::string_view name) {
  if (name == "time") return GridSort::kTime;
  if (name == "name") return GridSort::kName;
  if (name == "article") return GridSort::kArticle;
  return std::nullopt;
}

bool natural_less(std::string_view a, std::string_view b) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t i0 = i, j0 = j;
      while (i < a.size() && digit(a[i])) ++i;
      while (j < b.size() && digit(b[j])) ++j;
      std::string_view x = a.substr(i0, i - i0), y = b.substr(j0, j - j0);
      while (x.size() > 1 && x.front() == '0') x.remove_prefix(1);
      while (y.size() > 1 && y.front() == '0') y.remove_prefix(1);
      if (x.size() != y.size()) return x.size() < y.size();
      if (x != y) return x < y;
      continue;
    }
    char x = lower(a[i]), y = lower(b[j]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
    ++i;
    ++j;
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;  // equal but for case or leading zeros: a fixed order all the same
}

bool is_date_filter(std::string_view date) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (i >= date.size() || date[i] < '0' || date[i] > '9') return false;
    return true;
  };
  if (date.empty()) return true;
  if (date.size() == 4) return digits(0, 4);
  if (date.size() == 7)
    return digits(0, 4) && date[4] == '-' && digits(5, 2) && date.substr(5, 2) >= "01" && date.substr(5, 2) <= "12";
  return false;
}

Result<Json> events_view(const Snapshot& snap, std::size_t page, std::size_t page_size, std::string_view date) {
  if (!is_date_filter(date)) return Status::InvalidArgument("date must be a year (2021) or a month (2021-03)");
  page = std::max<std::size_t>(page, 1);
  std::uint64_t total = 0;
  // The first read pages the index; a page past the end is answered with the last page, read again.
  Result<std::vector<Event>> events = snap.events_by_date(date, (page - 1) * page_size, page_size, &total);
  if (!events.ok()) return events.status();
  const std::size_t pages = page_count(total, page_size);
  if (page > pages) {
    page = pages;
    events = snap.events_by_date(date, (page - 1) * page_size, page_size, nullptr);
    if (!events.ok()) return events.status();
  }
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
  out["total"] = total;
  const std::string filter = date.empty() ? "" : "date=" + std::string(date);
  auto page_url = [&](std::size_t p) {
    std::string q = filter;
    if (p > 1) q += (q.empty() ? "" : "&") + std::string("page=") + std::to_string(p);
    return q.empty() ? std::string("/") : "/?" + q;
  };
  out["prev_url"] = page > 1 ? Json(page_url(page - 1)) : Json(nullptr);
  out["next_url"] = page < pages ? Json(page_url(page + 1)) : Json(nullptr);

  // The timeline: every year with events, and the months of the year in view.
  out["date"] = std::string(date);
  out["filtered"] = !date.empty();
  Result<std::vector<std::string>> years = snap.event_date_prefixes("", 4);
  if (!years.ok()) return years.status();
  const std::string year(date.substr(0, std::min<std::size_t>(date.size(), 4)));
  out["years"] = Json::array();
  for (const std::string& y : *years)
    out["years"].push_back({{"label", y}, {"url", "/?date=" + y}, {"current", y == year}});
  out["months"] = Json::array();
  if (!year.empty()) {
    Result<std::vector<std::string>> months = snap.event_date_prefixes(year, 7);
    if (!months.ok()) return months.status();
    for (auto it = months->rbegin(); it != months->rend(); ++it)  // January first within the year
      out["months"].push_back({{"label", "Tháng " + std::to_string(std::stoi(it->substr(5, 2)))},
                               {"url", "/?date=" + *it},
                               {"current", *it == date}});
  }
  out["has_timeline"] = !out["years"].empty();
  out["filter_label"] = date.empty()       ? ""
                        : date.size() == 4 ? "năm " + std::string(date)
                                           : "tháng " + std::string(date.substr(5, 2)) + "/" + year;
  return out;
}

Result<Json> event_view(const Snapshot& snap, std::string_view event_id, const GridPage& grid) {
  if (!is_hex_id(event_id, 16)) return Status::InvalidArgument("not an event id");
  Result<Event> ev = corrected(snap, snap.event(event_id));
  if (!ev.ok()) return ev.status();
  Json out;
  out["event"] = parse_model(event_json(*ev));
  out["event"]["date_display"] = date_display(ev->date);
  out["event"]["url"] = event_url(ev->id);
  out["event"]["folder_display"] = shown_path(snap, ev->folder);  // below its ingest root (views.h)

  std::map<Digest, std::string> captions;  // first caption of each linked photo
  std::set<Digest> linked;
  CaptionNotes notes;  // own and group caption, credit: for the grid and the viewer (views_photo.cc)
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
    for (const auto& [original, copy] : copies) linked.insert(copy);
    for (const Link& l : *links) {
      if (!l.digest) {
        ++unresolved;
        continue;
      }
      linked.insert(*l.digest);
      notes.note(*art, l);
      const std::optional<std::string>& text = l.caption ? l.caption : l.group_caption;
      if (text && !captions.count(*l.digest)) captions[*l.digest] = *text;
    }
    Json a = parse_model(article_json(*art));
    a["date_display"] = date_display(art->date);
    a["blocks_view"] = article_blocks(snap, *art, *links);
    a["links"] = links_json(snap, *machine);
    out["articles"].push_back(std::move(a));
  }
  // The grid's order, traced originals already in their web copies' places (compute_grid_order).
  Result<std::shared_ptr<const std::vector<EventFile>>> ordered = grid_order(snap, ev->id, grid.sort, grid.orders);
  if (!ordered.ok()) return ordered.status();
  const std::vector<EventFile>* files = ordered->get();
  std::size_t orphans = 0;
  for (const EventFile& f : *files)
    if (!linked.count(f.digest)) ++orphans;

  const std::size_t total = files->size();
  const std::size_t size = grid.page_size == 0 ? std::max<std::size_t>(total, 1) : grid.page_size;
  const std::size_t pages = page_count(total, size);
  const std::size_t page = std::clamp<std::size_t>(grid.page, 1, pages);
  const std::size_t first = (page - 1) * size, last = std::min(total, first + size);
  out["photos"] = Json::array();
  for (std::size_t i = first; i < last; ++i) {
    const EventFile& f = (*files)[i];
    auto found = captions.find(f.digest);
    std::string caption = found != captions.end() ? found->second : "";
    const Result<Photo> p = snap.photo(f.digest);
    if (caption.empty() && p.ok() && p->meta.description) caption = *p->meta.description;  // an orphan's own
    Json j = photo_item(snap, f.digest, f.path, caption, &p);
    notes.apply(snap, f.digest, j);
    j["orphan"] = !linked.count(f.digest);
    j["index"] = i;
    out["photos"].push_back(std::move(j));
  }
  out["has_articles"] = !out["articles"].empty();
  out["photo_total"] = total;
  out["orphan_count"] = orphans;
  out["unresolved_count"] = unresolved;
  out["has_orphans"] = orphans > 0;
  out["has_unresolved"] = unresolved > 0;
  grid_navigation(out, ev->id, grid.sort, page, pages, first, last);
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
