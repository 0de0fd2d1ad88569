// Exporting a photo with what Kho knows about it written in (issue 13, DESIGN.md §5 `kho export`).
//
// caption_fields() works out, from the catalog alone, the fields an exported copy carries; PhotoExporter
// is the interface through which the gallery (webui, which never links ingest) asks for an exported copy.
// app/ fills it with kho::ingest's Exiv2 writer (kho/ingest/export.h), as it does PhotoProcessor.
#pragma once

#include <cstdint>
#include <memory>
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

// What to export: one photo, where the archive last saw its bytes, and what to write into the copy.
struct ExportRequest {
  Digest digest;
  std::vector<File> files;  // the archive's records (path, size, mtime), tried in order
  CaptionFields fields;
  bool sidecar = false;        // a plain copy plus an XMP sidecar, whatever the format
  bool verify_digest = false;  // hash the original even when its size and mtime match the record
};

// One exported photo. The copy is `head` followed by `tail_size` bytes of the original starting at
// `tail_offset`, read through `source` (the original, held open since it was checked): a JPEG's image
// data is never copied through user memory (kho export writes it with O_DIRECT from a mapping of the original,
// or copy_file_range where that cannot be done: ingest/README.md). tail_size 0: `head` is all.
struct ExportedCopy {
  std::string head;
  std::shared_ptr<const int> source;  // an open file descriptor, closed with the last holder
  std::uint64_t tail_offset = 0;
  std::uint64_t tail_size = 0;
  std::string sidecar_xmp;         // an XMP sidecar to put beside it (NAME.xmp); empty when none
  std::string source_path;         // the original it was made from
  std::string extension;           // of the file, lower case with the dot (".jpg"), from the bytes' type
  std::vector<std::string> notes;  // what happened besides writing the fields (a caption kept in history…)
  std::uint64_t size() const { return head.size() + tail_size; }
};

// The whole copy in memory (head + tail). Errors: IOError when the original cannot be read (it shrank).
Result<std::string> read_exported(const ExportedCopy& copy);

class PhotoExporter {
 public:
  virtual ~PhotoExporter() = default;
  // Opens the first of request.files that still exists and checks it is the photo: when its size and
  // mtime are the record's, as `kho ingest` decides a file is unchanged; otherwise (or with verify_digest)
  // by its SHA-256. A file changed since ingest is refused, never exported with another photo's caption.
  // With `sidecar`, or for RAW and HEIF files, the bytes stay as they are and the fields go to sidecar_xmp.
  // Errors name the file and say why: NotFound (every path vanished), InvalidArgument (changed since
  // ingest: digest mismatch), Unsupported, IOError. Thread-safe.
  virtual Result<ExportedCopy> export_photo(const ExportRequest& request) const = 0;
};

}  // namespace kho
