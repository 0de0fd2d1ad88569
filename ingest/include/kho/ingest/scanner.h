// The scanner: walks trees of event folders and lists the photos and article exports in each folder.
//
// What it does, and why:
// - Walks with Boost.Filesystem and stat()s every entry once; it never opens a file, so re-ingest of an
//   unchanged tree costs only the walk (the pipeline compares path, size and mtime with the catalog).
// - Follows symlinks to folders, but visits each real folder (device, inode) once: no loops, no double counts.
// - Skips hidden and system entries (".*", "._*", ".DS_Store", "Thumbs.db", "desktop.ini", "@eaDir",
//   "$RECYCLE.BIN", "System Volume Information", "lost+found", "#recycle").
// - Keeps names that are not valid UTF-8 as raw bytes (flagged, shown with kho::display_path).
// - Classifies by extension only (jpg, jpeg, png, gif, webp, heic, heif, tif, tiff → photo; txt, html, htm,
//   docx → article, and doc, so that it is reported as unsupported);
//   the pipeline then checks the bytes. Text files that tools leave behind (CMakeLists.txt, README.txt,
//   LICENSE.txt, requirements.txt…) are not articles. Other files are ignored and counted.
// - An event folder is a folder that directly holds at least one photo or article. A saved page's
//   `<stem>_files/` folder belongs to the page's event, and a .docx's word/media images are photos at
//   `bai.docx#word/media/…` (ingest/src/embedded_photos.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kho/status.h"

namespace kho::ingest {

struct ScannedFile {
  std::string path;          // absolute, lexically normal, raw bytes as the OS gave them
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool name_is_utf8 = true;  // false: the name's bytes are not valid UTF-8
};

struct EventFolder {
  std::string path;                   // absolute folder path (raw bytes)
  std::vector<ScannedFile> photos;    // sorted by path
  std::vector<ScannedFile> articles;  // .txt/.html/.htm/.docx/.doc articles, sorted by path
};

struct ScanProblem {
  std::string path;    // raw bytes
  std::string reason;  // for people
};

struct ScanResult {
  std::vector<EventFolder> folders;   // sorted by path; each holds ≥ 1 photo or article
  std::vector<ScanProblem> problems;  // unreadable folders, dangling links, missing roots…
  std::uint64_t ignored_files = 0;    // regular files that are neither photos nor articles
  std::uint64_t skipped_hidden = 0;   // hidden or system entries not visited

  std::uint64_t photo_count() const;
  std::uint64_t article_count() const;
};

struct ScanOptions {
  bool follow_symlinks = true;  // follow links to folders and files (loops are still visited once)
};

enum class ScanKind { kPhoto, kArticle, kOther };

// Classifies a file name by its extension (case-insensitive).
ScanKind classify_name(std::string_view file_name);
// True for names the scanner never visits (hidden and system files, see above).
bool is_hidden_or_system(std::string_view file_name);

// The spelling of a path that scan_tree() uses: absolute (against the current directory), lexically
// normal, no trailing "/" or "/.". Raw bytes are kept. Event ids are derived from folders spelled so.
std::string normalize_path(const std::string& path);

// Scans each root (a folder, or a single photo or article file). A root that does not exist is a problem,
// not a failure; the result is an error (InvalidArgument) only when `roots` is empty.
// Thread-safe (no shared state). Paths are made absolute against the current directory.
Result<ScanResult> scan_tree(const std::vector<std::string>& roots, const ScanOptions& options = {});

}  // namespace kho::ingest
