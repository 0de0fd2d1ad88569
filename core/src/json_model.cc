#include "kho/json_model.h"

#include "kho/dups.h"
#include "kho/text.h"

#include <nlohmann/json.hpp>

#include <ctime>

namespace kho {
namespace {
using nlohmann::json;

json opt(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
template <typename T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}
json text(const std::string& s) { return json(display_path(s)); }  // never throws on bad UTF-8

json metadata_obj(const Metadata& m) {
  return json{{"format", opt(m.format)},
              {"width", opt(m.width)},
              {"height", opt(m.height)},
              {"orientation", opt(m.orientation)},
              {"make", opt(m.make)},
              {"model", opt(m.model)},
              {"lens", opt(m.lens)},
              {"datetime_original", opt(m.datetime_original)},
              {"exposure_time", opt(m.exposure_time)},
              {"f_number", opt(m.f_number)},
              {"iso", opt(m.iso)},
              {"focal_length", opt(m.focal_length)},
              {"gps_lat", opt(m.gps_lat)},
              {"gps_lon", opt(m.gps_lon)},
              {"gps_alt", opt(m.gps_alt)},
              {"description", opt(m.description)},
              {"headline", opt(m.headline)},
              {"keywords", m.keywords},
              {"creator", opt(m.creator)},
              {"credit", opt(m.credit)},
              {"event", opt(m.event)},
              {"warnings", m.warnings},
              {"flash", opt(m.flash)},
              {"exposure_program", opt(m.exposure_program)},
              {"metering_mode", opt(m.metering_mode)},
              {"white_balance", opt(m.white_balance)},
              {"exposure_bias", opt(m.exposure_bias)}};
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string display_path(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    std::uint32_t cp = 0;
    const size_t n = next_code_point(raw, i, &cp);
    if (n == 0) {
      static const char* kHex = "0123456789ABCDEF";
      auto c = static_cast<unsigned char>(raw[i]);
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    } else {
      out.append(raw, i, n);
      i += n;
    }
  }
  return out;
}

std::string metadata_json(const Metadata& meta) { return dump(metadata_obj(meta)); }

std::string photo_json(const Photo& p) {
  char phash[17];
  std::snprintf(phash, sizeof phash, "%016llx", static_cast<unsigned long long>(p.sig.phash));
  return dump(json{{"digest", p.digest.hex()},
                   {"size", p.size},
                   {"width", p.width},
                   {"height", p.height},
                   {"path", text(p.first_path)},
                   {"added_at", p.added_at},
                   {"has_thumbs", p.has_thumbs},
                   {"phash", p.has_signatures ? json(phash) : json(nullptr)},
                   {"metadata", metadata_obj(p.meta)}});
}

std::string file_json(const File& f) {
  return dump(json{{"path", text(f.path)},
                   {"digest", f.digest.hex()},
                   {"size", f.size},
                   {"mtime_ns", f.mtime_ns},
                   {"event_id", f.event_id}});
}

std::string event_json(const Event& e) {
  return dump(json{{"id", e.id},
                   {"folder", text(e.folder)},
                   {"title", e.title},
                   {"date", opt(e.date)},
                   {"article_ids", e.article_ids},
                   {"cover", e.cover ? json(e.cover->hex()) : json(nullptr)},
                   {"photo_count", e.photo_count}});
}

std::string article_json(const Article& a) {
  json photos = json::array();
  for (const auto& r : a.refs)
    photos.push_back(json{{"ref", r.ref},
                          {"caption", opt(r.caption)},
                          {"group_caption", opt(r.group_caption)},
                          {"credit", opt(r.credit)}});
  json blocks = json::array();
  for (const auto& b : a.blocks) {
    static const char* kKinds[] = {"paragraph", "photo", "group_caption"};
    json jb{{"kind", kKinds[static_cast<int>(b.kind)]}};
    if (b.kind == ArticleBlock::Kind::kPhoto)
      jb["ref_index"] = b.ref_index;
    else
      jb["text"] = b.text;
    blocks.push_back(std::move(jb));
  }
  json sources = json::array();
  for (const auto& s : a.sources) sources.push_back(display_path(s));
  return dump(json{{"id", a.id},
                   {"title", a.title},
                   {"date", opt(a.date)},
                   {"author", opt(a.author)},
                   {"copies", a.copies},
                   {"sources", sources},
                   {"event_id", a.event_id},
                   {"photos", photos},
                   {"blocks", blocks}});
}

std::string link_json(const Link& l, const std::optional<LinkOriginal>& original) {
  json orig = nullptr;
  if (original)
    orig = json{{"path", text(original->path)}, {"digest", original->digest.hex()}, {"score", original->score}};
  return dump(json{{"article_id", l.article_id},
                   {"position", l.position},
                   {"digest", l.digest ? json(l.digest->hex()) : json(nullptr)},
                   {"path", l.path.empty() ? json(nullptr) : text(l.path)},
                   {"ref", l.ref},
                   {"caption", opt(l.caption)},
                   {"group_caption", opt(l.group_caption)},
                   {"method", link_method_name(l.method)},
                   {"confidence", l.confidence},
                   {"original", orig}});
}

std::string dup_cluster_json(const DupCluster& c) {
  json photos = json::array();
  for (const DupPhoto& p : c.photos) {
    photos.push_back(json{{"path", text(p.path)},
                          {"digest", p.digest.hex()},
                          {"distance", p.distance},
                          {"width", p.width},
                          {"height", p.height},
                          {"best", p.best}});
  }
  return dump(json{{"kind", dup_kind_name(c.kind)}, {"best", text(c.best_path)}, {"photos", std::move(photos)}});
}

std::string correction_json(const Correction& c) {
  char iso[32] = "";
  const std::time_t t = static_cast<std::time_t>(c.time);
  std::tm tm{};
  if (gmtime_r(&t, &tm)) std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
  json j = json::parse(correction_record_json(c));  // the journal's own form, plus a readable time
  j["time_iso"] = iso;
  return dump(j);
}

}  // namespace kho
