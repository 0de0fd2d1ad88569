// Building corrections (issue 16, kho/team.h) from what readers show now: shared by the command line
// (app/cmd_correct.cc) and the gallery (webui), so a caption fixed in either is the same journal entry.
//
// Each builder reads one Snapshot and returns the corrections to record (record_correction); it writes
// nothing, so callers keep their write transactions short: read, close the snapshot, then write.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "kho/team.h"

namespace kho {

// A photo named by its digest (64 hex digits) or by the path of one of its files. NotFound names `what`.
Result<Digest> resolve_photo(const Snapshot& snap, const std::string& what);

// The machine's caption of a photo: its first link's caption, else its embedded description.
Result<std::optional<std::string>> machine_caption(const Snapshot& snap, const Digest& d);
// The machine's value of a photo field ("caption", "credit", "headline"). InvalidArgument for other fields.
Result<std::optional<std::string>> machine_photo_field(const Snapshot& snap, const Digest& d, const std::string& field);

// A correction of `field` of (kind, target) by `user`: from `old_value` (what readers showed) to `value`
// (stored in NFC).
Correction make_correction(const std::string& user, TargetKind kind, const std::string& target, std::string field,
                           std::optional<std::string> old_value, const std::string& value);

// New values for a photo's text fields; nullopt leaves a field alone.
struct PhotoTextEdit {
  std::optional<std::string> caption, credit, headline;
  // Leave out a field whose new value equals what readers show now (the gallery's form sends all three).
  bool skip_unchanged = false;
};
Result<std::vector<Correction>> photo_text_corrections(const Snapshot& snap, const std::string& user,
                                                       const Digest& photo, const PhotoTextEdit& edit);

// Relinks the reference `ref` (as written, or "#N" for position N) of `article` to `photo`, or to no photo
// when nullopt. NotFound for an unknown article or reference.
Result<Correction> link_correction(const Snapshot& snap, const std::string& user, const std::string& article,
                                   const std::string& ref, const std::optional<Digest>& photo);

// An event's title and/or date (YYYY-MM-DD, optionally with a time). InvalidArgument for a bad date or when
// both are absent; NotFound for an unknown event.
Result<std::vector<Correction>> event_corrections(const Snapshot& snap, const std::string& user,
                                                  const std::string& event_id, const std::optional<std::string>& title,
                                                  const std::optional<std::string>& date);

// Duplicate decisions: the pair (a, b) is not a duplicate (InvalidArgument when a == b); `photo` is the best
// copy of its cluster.
Result<Correction> not_duplicate_correction(const std::string& user, const Digest& a, const Digest& b);
Correction best_copy_correction(const std::string& user, const Digest& photo);

// The corrections of a photo (digest or a file's path, with its cluster's "best" decisions), an article or
// an event id, oldest first; with an empty id, the newest `limit` across the archive, newest first.
Result<std::vector<Correction>> history_of(const Snapshot& snap, const std::string& id, std::size_t limit);

// When the machine's value of a corrected field changed after people corrected it (the article file was
// edited and re-ingested), readers still show the person's value; this says what the machine says now, so
// the gallery can show both and let an editor choose. `changed` is false when nothing is in force or the
// machine's value is still the one the correction replaced.
struct FieldConflict {
  bool changed = false;
  std::optional<std::string> in_force;      // the person's value shown now
  std::optional<std::string> machine_then;  // the machine's value when the person corrected it
  std::optional<std::string> machine_now;
};
Result<FieldConflict> field_conflict(const Snapshot& snap, TargetKind kind, const std::string& target,
                                     const std::string& field, const std::optional<std::string>& machine_now);

// YYYY-MM-DD, optionally followed by 'T' and a time.
bool is_iso_date(const std::string& s);

}  // namespace kho
