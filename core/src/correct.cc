// Building corrections from what readers show now (kho/correct.h), for the CLI and the gallery.
#include "kho/correct.h"

#include <algorithm>

#include "kho/text.h"

namespace kho {

Result<Digest> resolve_photo(const Snapshot& snap, const std::string& what) {
  if (std::optional<Digest> d = Digest::from_hex(what)) {
    Result<Photo> p = snap.photo(*d);
    if (!p.ok()) return p.status().is_not_found() ? Status::NotFound("no photo " + what) : p.status();
    return *d;
  }
  Result<File> f = snap.file(what);
  if (f.ok()) return f->digest;
  if (!f.status().is_not_found()) return f.status();
  return Status::NotFound("no photo with digest or path '" + what + "'");
}

Result<std::optional<std::string>> machine_caption(const Snapshot& snap, const Digest& d) {
  Result<std::vector<Link>> links = snap.photo_links(d);
  if (!links.ok()) return links.status();
  for (const Link& l : *links)
    if (l.caption) return l.caption;
  Result<Photo> p = snap.photo(d);
  if (p.ok()) return p->meta.description;
  if (!p.status().is_not_found()) return p.status();
  return std::optional<std::string>();
}

Result<std::optional<std::string>> machine_photo_field(const Snapshot& snap, const Digest& d,
                                                       const std::string& field) {
  if (field == "caption") return machine_caption(snap, d);
  if (field != "credit" && field != "headline") return Status::InvalidArgument("no photo field '" + field + "'");
  Result<Photo> p = snap.photo(d);
  if (!p.ok()) return p.status();
  return field == "credit" ? p->meta.credit : p->meta.headline;
}

Correction make_correction(const std::string& user, TargetKind kind, const std::string& target, std::string field,
                           std::optional<std::string> old_value, const std::string& value) {
  Correction c;
  c.user = user;
  c.kind = kind;
  c.target = target;
  c.field = std::move(field);
  c.old_value = std::move(old_value);
  c.new_value = to_nfc(value);
  return c;
}

Result<std::vector<Correction>> photo_text_corrections(const Snapshot& snap, const std::string& user,
                                                       const Digest& photo, const PhotoTextEdit& edit) {
  std::vector<Correction> out;
  auto add = [&](const char* field, const std::optional<std::string>& value) -> Status {
    if (!value) return Status::OK();
    Result<std::optional<std::string>> machine = machine_photo_field(snap, photo, field);
    if (!machine.ok()) return machine.status();
    Result<std::optional<std::string>> shown = value_in_force(snap, TargetKind::kPhoto, photo.hex(), field, *machine);
    if (!shown.ok()) return shown.status();
    const std::string nfc = to_nfc(*value);
    if (edit.skip_unchanged && nfc == shown->value_or("")) return Status::OK();
    out.push_back(make_correction(user, TargetKind::kPhoto, photo.hex(), field, *shown, nfc));
    return Status::OK();
  };
  KHO_RETURN_IF_ERROR(add("caption", edit.caption));
  KHO_RETURN_IF_ERROR(add("credit", edit.credit));
  KHO_RETURN_IF_ERROR(add("headline", edit.headline));
  return out;
}

Result<Correction> link_correction(const Snapshot& snap, const std::string& user, const std::string& article,
                                   const std::string& ref, const std::optional<Digest>& photo) {
  Result<std::vector<Link>> links = snap.article_links(article);
  if (!links.ok()) return links.status();
  if (links->empty()) return Status::NotFound("no article " + article + " (or it has no photos)");
  const Link* found = nullptr;
  for (const Link& l : *links)
    if (l.ref == ref || l.ref == to_nfc(ref) || "#" + std::to_string(l.position) == ref) found = &l;
  if (!found) return Status::NotFound("article " + article + " has no reference '" + ref + "'");
  Link shown = *found;
  KHO_RETURN_IF_ERROR(apply_corrections(snap, shown));
  Correction c;
  c.user = user;
  c.kind = TargetKind::kArticle;
  c.target = article;
  c.field = "link:" + std::to_string(found->position);
  c.old_value = shown.digest ? shown.digest->hex() : std::string();
  if (photo) {
    Result<Photo> p = snap.photo(*photo);
    if (!p.ok()) return p.status().is_not_found() ? Status::NotFound("no photo " + photo->hex()) : p.status();
    c.new_value = photo->hex();
  } else {
    c.new_value = std::string();
  }
  return c;
}

Result<std::vector<Correction>> event_corrections(const Snapshot& snap, const std::string& user,
                                                  const std::string& event_id, const std::optional<std::string>& title,
                                                  const std::optional<std::string>& date) {
  if (!title && !date) return Status::InvalidArgument("give a title, a date or both");
  if (title && title->find_first_not_of(" \t\r\n") == std::string::npos)
    return Status::InvalidArgument("an event's title cannot be empty");
  if (date && !is_iso_date(*date))
    return Status::InvalidArgument("the date is YYYY-MM-DD, optionally with a time (ISO 8601), not " + *date);
  Result<Event> e = snap.event(event_id);
  if (!e.ok()) return e.status().is_not_found() ? Status::NotFound("no event " + event_id) : e.status();
  Event shown = *e;
  KHO_RETURN_IF_ERROR(apply_corrections(snap, shown));
  std::vector<Correction> out;
  if (title) out.push_back(make_correction(user, TargetKind::kEvent, event_id, "title", shown.title, *title));
  if (date) out.push_back(make_correction(user, TargetKind::kEvent, event_id, "date", shown.date, *date));
  return out;
}

Result<Correction> not_duplicate_correction(const std::string& user, const Digest& a, const Digest& b) {
  if (a == b) return Status::InvalidArgument("that is one photo (the same bytes), not two");
  Correction c;
  c.user = user;
  c.kind = TargetKind::kPair;
  c.target = pair_target(a, b);
  c.field = "duplicate";
  c.new_value = "no";
  return c;
}

Correction best_copy_correction(const std::string& user, const Digest& photo) {
  Correction c;
  c.user = user;
  c.kind = TargetKind::kCluster;
  c.target = photo.hex();
  c.field = "best";
  c.new_value = "yes";
  return c;
}

Result<std::vector<Correction>> history_of(const Snapshot& snap, const std::string& id, std::size_t limit) {
  if (id.empty()) return latest_corrections(snap, limit);
  std::vector<Correction> out;
  auto add = [&](TargetKind kind, const std::string& target) -> Status {
    Result<std::vector<Correction>> list = corrections_of(snap, kind, target);
    if (!list.ok()) return list.status();
    out.insert(out.end(), list->begin(), list->end());
    return Status::OK();
  };
  std::string photo = id;
  if (!Digest::from_hex(id)) {
    Result<File> f = snap.file(id);
    if (f.ok()) photo = f->digest.hex();
  }
  KHO_RETURN_IF_ERROR(add(TargetKind::kPhoto, photo));
  KHO_RETURN_IF_ERROR(add(TargetKind::kCluster, photo));
  KHO_RETURN_IF_ERROR(add(TargetKind::kArticle, id));
  KHO_RETURN_IF_ERROR(add(TargetKind::kEvent, id));
  std::sort(out.begin(), out.end(), [](const Correction& a, const Correction& b) { return a.seq < b.seq; });
  return out;
}

Result<FieldConflict> field_conflict(const Snapshot& snap, TargetKind kind, const std::string& target,
                                     const std::string& field, const std::optional<std::string>& machine_now) {
  Result<std::vector<Correction>> list = corrections_of(snap, kind, target);
  if (!list.ok()) return list.status();
  // Walk the field's corrections oldest first. A correction made while the machine's value was shown
  // recorded that value as its old one: the last such is what the person saw the machine say.
  FieldConflict out;
  out.machine_now = machine_now;
  bool machine_shown = true;
  std::optional<std::string> in_force;
  for (const Correction& c : *list) {
    if (c.field != field) continue;
    if (machine_shown && c.new_value) out.machine_then = c.old_value;
    machine_shown = !c.new_value.has_value();
    in_force = c.new_value;
  }
  if (machine_shown) return out;
  out.in_force = in_force;
  out.changed = out.machine_then.value_or("") != machine_now.value_or("");
  return out;
}

bool is_iso_date(const std::string& s) {
  auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!digit(i)) return false;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return s.size() == 10 || s[10] == 'T';
}

}  // namespace kho
