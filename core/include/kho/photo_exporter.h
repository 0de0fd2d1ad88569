// Exporting a photo with what Kho knows about it written in (issue 13, DESIGN.md §5 `kho export`).
//
// caption_fields() works out, from the catalog alone, the fields an exported copy carries; PhotoExporter
// is the interface through which the gallery (webui, which never links ingest) asks for an exported copy.
// app/ fills it with kho::ingest's Exiv2 writer (kho/ingest/export.h), as it does PhotoProcessor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho {

// The fields an exported copy carries (IPTC Photo Metadata Standard names; ingest/README.md "Export"
// gives the XMP properties and IIM datasets each one goes to). Text is NFC as stored; absent = nullopt.
struct CaptionFields {
  std::optional<std::string> caption;       // the photo's own caption, else its group caption
  std::optional<std::string> headline;      // the article's title
  std::optional<std::string> event;         // the article's title
  std::optional<std::string> creator;       // the photo credit ("Ảnh: …"), else the author's name
  std::optional<std::string> credit;        // the organisation of the author line, when there is one
  std::optional<std::string> date_created;  // the capture time as stored (ISO 8601), kept as it was
  std::optional<std::string> source;        // the article's source file or URL
  std::string article_id;                   // empty when the photo is in no article
  std::string article_title;
  friend bool operator==(const CaptionFields&, const CaptionFields&) = default;
};

// The author/source line of an article split into a person and an organisation:
// "Thu Hiền (Trung tâm VH…)" → {"Thu Hiền", "Trung tâm VH…"}; "Tin, ảnh: Minh Anh" → {"Minh Anh", –};
// "Theo Báo Thanh Hóa" / "Nguồn: VTV" → {–, "Báo Thanh Hóa"}; any other line → {the line, –}.
struct AuthorParts {
  std::optional<std::string> person;
  std::optional<std::string> organisation;
};
AuthorParts split_author_line(std::string_view author);

// The fields of one photo: of its links, the first with its own caption, else the first with a group
// caption, else the first; its article gives headline, event, author and source. A photo in no article
// gets only its capture time. Errors: NotFound when the photo is not in the archive; Corruption.
Result<CaptionFields> caption_fields(const Snapshot& snap, const Digest& digest);

// One exported photo, in memory (one photo at a time: an event's ZIP is streamed photo by photo).
struct ExportedCopy {
  std::string bytes;        // the file: metadata written in, or (sidecar) the original bytes unchanged
  std::string sidecar_xmp;  // an XMP sidecar to put beside it (NAME.xmp); empty when none
  std::string source_path;  // the original it was made from
  std::string extension;    // of the file, lower case with the dot (".jpg"), from the bytes' type
  std::vector<std::string> notes;  // what happened besides writing the fields (a caption kept in history…)
};

class PhotoExporter {
 public:
  virtual ~PhotoExporter() = default;
  // Reads the first of `paths` that still exists, checks that its SHA-256 is `digest` (a file changed
  // since ingest is refused, never exported with another photo's caption), and makes the copy. With
  // `sidecar`, or for RAW and HEIF files, the bytes stay as they are and the fields go to sidecar_xmp.
  // Errors name the file and say why: NotFound (every path vanished), InvalidArgument (changed since
  // ingest: digest mismatch), Unsupported, IOError. Thread-safe.
  virtual Result<ExportedCopy> export_photo(const std::vector<std::string>& paths, const Digest& digest,
                                            const CaptionFields& fields, bool sidecar) const = 0;
};

}  // namespace kho
