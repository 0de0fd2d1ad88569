// JSON text for the model types, with the field names of DESIGN.md §5 (fixed: tools outside rely on
// them). Used by the CLI's --json output and by the web API, so both say the same thing.
// Keys are written in alphabetical order (the lists below are sets). Absent optional fields are written
// as null, never left out (a photo without signatures has "phash": null, an unresolved link "path": null);
// the one exception is an article block, which has "ref_index" (photo) or "text" (the others). Text is
// written as stored (NFC UTF-8); paths, which may hold bytes that are not UTF-8, go through
// display_path() first. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kho/dups.h"
#include "kho/model.h"
#include "kho/originals.h"
#include "kho/team.h"

namespace kho {

// {"width", "height", "orientation", "make", "model", "lens", "datetime_original", "exposure_time",
//  "f_number", "iso", "focal_length", "gps_lat", "gps_lon", "gps_alt", "description", "headline",
//  "keywords", "creator", "credit", "event", "warnings", "format", and (additions) the EXIF codes "flash",
//  "exposure_program", "metering_mode", "white_balance" and "exposure_bias" (EV)}
std::string metadata_json(const Metadata& meta);

// {"digest", "size", "width", "height", "path" (first_path), "added_at", "has_thumbs", "phash" (16 hex
//  digits), "metadata": {…}}
std::string photo_json(const Photo& photo);

// {"path", "digest", "size", "mtime_ns", "event_id"}
std::string file_json(const File& file);

// {"id", "folder", "title", "date", "article_ids", "cover", "photo_count"}
std::string event_json(const Event& event);

// {"id", "title", "date", "author", "copies", "sources", "event_id",
//  "photos": [{"ref", "caption", "group_caption", "credit"}],
//  "blocks": [{"kind": "paragraph"|"group_caption", "text"} | {"kind": "photo", "ref_index"}]}
std::string article_json(const Article& article);

// {"article_id", "position", "digest", "path", "ref", "caption", "group_caption", "method", "confidence",
//  "original": null | {"path", "digest", "score"}} (the traced camera original, kho/originals.h)
std::string link_json(const Link& link, const std::optional<LinkOriginal>& original = std::nullopt);

// {"kind": "exact"|"near", "best", "photos": [{"path", "digest", "distance", "width", "height", "best"}]}
// (DESIGN.md §5, `kho dups --json`); the gallery adds its own fields to each photo.
std::string dup_cluster_json(const DupCluster& cluster);

// {"seq", "time", "time_iso", "user", "kind", "target", "field", "old", "new", "reverts"}: one entry of the
// corrections journal (kho/team.h); "old"/"new" null mean the machine's value.
std::string correction_json(const Correction& correction);

// A path for people and JSON: valid UTF-8 is kept as is; each invalid byte becomes \xNN (upper-case hex).
std::string display_path(const std::string& raw_path);

}  // namespace kho
