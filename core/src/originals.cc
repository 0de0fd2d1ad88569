// Readers' view of traced web copies (kho/originals.h).
#include "kho/originals.h"

namespace kho {

Result<std::optional<LinkOriginal>> link_original(const Snapshot& snap, const Link& link) {
  auto r = original_for_link(snap, link);
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<LinkOriginal>{};
  LinkOriginal o;
  o.digest = *(*r)->original;
  o.score = (*r)->score;
  auto files = snap.photo_files(o.digest);
  if (files.ok() && !files->empty()) {
    o.path = files->front().path;
  } else {
    auto p = snap.photo(o.digest);
    if (p.ok()) o.path = p->first_path;
  }
  return std::optional<LinkOriginal>(std::move(o));
}

Result<std::vector<Link>> links_showing_originals(const Snapshot& snap, std::vector<Link> links,
                                                  std::map<Digest, Digest>* copies) {
  for (Link& l : links) {
    auto o = link_original(snap, l);
    if (!o.ok()) return o.status();
    if (!*o) continue;
    if (copies) (*copies)[(*o)->digest] = *l.digest;
    l.digest = (*o)->digest;
    l.path = (*o)->path;
  }
  return links;
}

Status show_originals(const Snapshot& snap, SearchResults& results) {
  for (SearchHit& hit : results.hits) {
    if (!hit.digest || !hit.ref_index || hit.article_id.empty()) continue;
    Link l;
    l.article_id = hit.article_id;
    l.position = *hit.ref_index;
    l.digest = hit.digest;
    auto o = original_for_link(snap, l);
    if (!o.ok()) return o.status();
    if (*o) hit.digest = (*o)->original;
  }
  return Status::OK();
}

Result<std::optional<Digest>> shown_cover(const Snapshot& snap, const Event& event) {
  if (!event.cover) return std::optional<Digest>{};
  for (const std::string& aid : event.article_ids) {
    auto links = snap.article_links(aid);
    if (!links.ok()) continue;
    for (const Link& l : *links) {
      if (!l.digest || *l.digest != *event.cover) continue;
      auto o = link_original(snap, l);
      if (!o.ok()) return o.status();
      if (*o) return std::optional<Digest>((*o)->digest);
    }
  }
  return event.cover;
}

}  // namespace kho
