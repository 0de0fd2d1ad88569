// The scanner: walks trees of event folders and lists the photos and article exports in each folder.
//
// What it does, and why:
// - Walks with Boost.Filesystem and stat()s every entry once; it never opens a file, so re-ingest of an
//   unchanged tree costs only the walk (the pipeline compares path, size and mtime with the catalog).
// - Follows a symbolic link (to a folder or a file) only when its target, resolved to a canonical path, lies
//   inside one of the roots: a link that leads outside (`shadow.txt -> /etc/shadow`, `etc -> /etc`) is not
//   followed but listed in `skipped_links`, unless `follow_outside_links` (`kho ingest --follow-links`).
//   A link to a folder that holds a root (`loop -> ..`) is a loop and is never followed. Each real folder
//   (device, inode) is visited once: no loops, no double counts.
// - A FIFO, socket or device named like a photo or an article is listed in `not_regular`, never opened.
// - Skips hidden and system entries, by name and in any case (".*" such as ".DS_Store" and "._*",
//   "Thumbs.db", "ehthumbs.db", "desktop.ini", "@eaDir", "@__thumb*", "$RECYCLE.BIN",
//   "System Volume Information", "lost+found", "#recycle", and editor backups ending in "~").
// - Keeps names that are not valid UTF-8 as raw bytes (flagged, shown with kho::display_path).
// - Classifies by extension only (jpg, jpeg, png, gif, webp, heic, heif, hif, avif, tif, tiff and the camera raw
//   extensions of is_raw_extension() → photo; txt, html, htm, docx → article, and doc, so that it is reported
//   as unsupported);
//   the pipeline then checks the bytes. Text files that tools leave behind (CMakeLists.txt, README.txt,
//   LICENSE.txt, requirements.txt…) are not articles. Other files are ignored and counted.
// - An event folder is a folder that directly holds at least one photo or article. A saved page's
//   `<stem>_files/` folder belongs to the page's event, and a .docx's word/media images are photos at
//   `bai.docx#word/media/…` (ingest/src/embedded_photos.h).
#pragma once

#include <cstdint>
#include <map>
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
  // true: the entry was a symbolic link the scan followed. When false, readers open it without following a
  // link (O_NOFOLLOW), so a file swapped for a link after the scan is refused, not read through it.
  bool via_link = false;
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
  std::vector<ScanProblem> skipped_links;  // links not followed: target outside the roots, or a loop
  std::vector<ScanProblem> not_regular;    // photo or article names that are a FIFO, socket or device
  std::uint64_t ignored_files = 0;    // regular files that are neither photos nor articles
  std::map<std::string, std::uint64_t> skipped_types;  // those files by lower-case extension ("" for none)
  std::vector<std::string> skipped_files;              // and their paths (raw bytes), in walk order
  std::uint64_t skipped_hidden = 0;   // hidden or system entries not visited

  std::uint64_t photo_count() const;
  std::uint64_t article_count() const;
};

struct ScanOptions {
  bool follow_symlinks = true;        // follow links whose target is inside a root (false: list every link)
  bool follow_outside_links = false;  // also follow links that lead outside every root (not loops)
};

enum class ScanKind { kPhoto, kArticle, kOther };

// Classifies a file name by its extension (case-insensitive).
ScanKind classify_name(std::string_view file_name);
// The key of a skipped file in ScanResult::skipped_types: its extension in lower case, "" when it has none.
std::string skipped_type_key(std::string_view file_name);
// True for camera raw extensions (without the dot, any case): nef nrw cr2 cr3 crw arw raf rw2 orf pef dng srw rwl.
bool is_raw_extension(std::string_view ext);
// True for names the scanner never visits (hidden and system files, see above).
bool is_hidden_or_system(std::string_view file_name);

// The spelling of a path that scan_tree() uses: absolute (against the current directory), lexically
// normal, no trailing "/" or "/.". Raw bytes are kept. Event ids are derived from folders spelled so.
std::string normalize_path(const std::string& path);

// Scans each root (a folder, or a single photo or article file). A root that does not exist is a problem,
// not a failure; empty roots are skipped. Errors: InvalidArgument when `roots` is empty; IOError when a
// root cannot be made absolute (the current directory is gone).
// Thread-safe (no shared state). Paths are made absolute against the current directory.
Result<ScanResult> scan_tree(const std::vector<std::string>& roots, const ScanOptions& options = {});

}  // namespace kho::ingest
