#include "kho/ingest/scanner.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <boost/filesystem.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <utility>

#include "embedded_photos.h"
#include "pipeline_util.h"

namespace kho::ingest {
namespace bfs = boost::filesystem;

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::int64_t mtime_ns_of(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

}  // namespace

// "/a/b/." and "/a/b/" both become "/a/b": one spelling per folder, so event ids are stable.
std::string normalize_path(const std::string& raw) {
  std::string s;
  try {
    s = bfs::absolute(bfs::path(raw)).lexically_normal().string();
  } catch (const std::exception&) {  // the current directory is gone: keep the path as given
    s = bfs::path(raw).lexically_normal().string();
  }
  for (;;) {
    if (s.size() > 2 && s.ends_with("/.")) {
      s.resize(s.size() - 2);
    } else if (s.size() > 1 && s.back() == '/') {
      s.pop_back();
    } else {
      break;
    }
  }
  return s.empty() ? std::string("/") : s;
}

namespace {

std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string_view name_of(std::string_view path) {
  auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The canonical path (every link resolved) of `path`, or "" with errno set.
std::string canonical_of(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (!real) return {};
  std::string out(real);
  std::free(real);
  return out;
}

// True when `path` is `dir` or lies under it (both canonical).
bool is_under(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path.starts_with(dir) && (path.size() == dir.size() || path[dir.size()] == '/');
}

const char* special_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

class Walker {
 public:
  explicit Walker(const ScanOptions& options) : options_(options) {}

  // The canonical spelling of every root, for deciding whether a link leads outside. Called before any walk,
  // so a link in one root into another root is inside.
  void set_roots(const std::vector<std::string>& roots) {
    for (const auto& r : roots) {
      if (r.empty()) continue;
      std::string c = canonical_of(normalize_path(r));
      if (!c.empty()) canonical_roots_.push_back(std::move(c));
    }
  }

  void add_root(const std::string& raw_root) {
    std::string root = normalize_path(raw_root);
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0) {
      result_.problems.push_back({root, "cannot read: no such file or folder, or permission denied"});
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      walk(root);
    } else if (S_ISREG(st.st_mode)) {
      add_file(parent_of(root), root, st);
    } else {
      result_.problems.push_back({root, "not a regular file or folder"});
    }
  }

  ScanResult finish() {
    detail::add_article_photos(folders_);  // saved pages' _files/ folders, .docx media
    // Reported in path order, whatever order the directories listed them in.
    auto problem_order = [](const ScanProblem& a, const ScanProblem& b) { return a.path < b.path; };
    std::sort(result_.skipped_links.begin(), result_.skipped_links.end(), problem_order);
    std::sort(result_.not_regular.begin(), result_.not_regular.end(), problem_order);
    for (auto& [path, folder] : folders_) {
      if (folder.photos.empty() && folder.articles.empty()) continue;
      auto by_path = [](const ScannedFile& a, const ScannedFile& b) { return a.path < b.path; };
      std::sort(folder.photos.begin(), folder.photos.end(), by_path);
      std::sort(folder.articles.begin(), folder.articles.end(), by_path);
      folder.path = path;
      result_.folders.push_back(std::move(folder));
    }
    return std::move(result_);
  }

 private:
  void add_file(const std::string& folder, const std::string& path, const struct stat& st, bool via_link = false) {
    ScanKind kind = classify_name(name_of(path));
    if (kind == ScanKind::kOther) {
      ++result_.ignored_files;
      count_skipped_type(path);
      return;
    }
    if (!seen_files_.emplace(st.st_dev, st.st_ino, path).second) return;
    ScannedFile f;
    f.path = path;
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = mtime_ns_of(st);
    f.name_is_utf8 = is_valid_utf8(name_of(path));
    f.via_link = via_link;
    auto& ev = folders_[folder];
    (kind == ScanKind::kPhoto ? ev.photos : ev.articles).push_back(std::move(f));
  }

  // Iterative depth-first walk; each real folder (device, inode) is entered once, so a symlink loop or a
  // bind mount seen twice cannot make the walk run forever or count files twice.
  void walk(const std::string& root) {
    std::vector<std::string> stack{root};
    while (!stack.empty()) {
      std::string dir = std::move(stack.back());
      stack.pop_back();
      struct stat dst {};
      if (::stat(dir.c_str(), &dst) != 0) continue;
      if (!visited_dirs_.emplace(dst.st_dev, dst.st_ino).second) continue;

      boost::system::error_code ec;
      bfs::directory_iterator it(bfs::path(dir), ec), end;
      if (ec) {
        result_.problems.push_back({dir, "cannot list folder: " + ec.message()});
        continue;
      }
      std::vector<std::string> subdirs;
      for (; it != end; it.increment(ec)) {
        if (ec) {
          result_.problems.push_back({dir, "error while listing folder: " + ec.message()});
          break;
        }
        std::string path = it->path().string();
        std::string_view name = name_of(path);
        if (is_hidden_or_system(name)) {
          ++result_.skipped_hidden;
          continue;
        }
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) {
          result_.problems.push_back({path, "cannot stat"});
          continue;
        }
        const bool is_link = S_ISLNK(st.st_mode);
        if (is_link && !follow_link(path, st)) continue;
        if (S_ISDIR(st.st_mode)) {
          subdirs.push_back(std::move(path));
        } else if (S_ISREG(st.st_mode)) {
          add_file(dir, path, st, is_link);
        } else if (classify_name(name) != ScanKind::kOther) {
          result_.not_regular.push_back({path, std::string("not a regular file: ") + special_kind(st.st_mode) +
                                                   " with a photo's or an article's name; not read"});
        }
      }
      // Push in reverse so folders are visited in name order (deterministic runs and progress).
      std::sort(subdirs.begin(), subdirs.end(), std::greater<>());
      for (auto& s : subdirs) stack.push_back(std::move(s));
    }
  }

  // A symbolic link met in the walk: true when it is to be followed (`st` is then its target's stat);
  // otherwise it is reported, in `skipped_links` when it leads outside the roots or into a loop.
  // Only links pay for realpath(); plain files and folders cost no more than before.
  bool follow_link(const std::string& path, struct stat& st) {
    if (!options_.follow_symlinks) {
      result_.skipped_links.push_back({path, "symbolic link: not followed (links are off)"});
      return false;
    }
    std::string target = canonical_of(path);
    if (target.empty() || ::stat(target.c_str(), &st) != 0) {
      result_.problems.push_back({path, errno == ELOOP ? "symbolic link loop: it never ends in a file or folder"
                                        : errno == ENOENT || errno == ENOTDIR
                                            ? "symbolic link to nothing (dangling)"
                                            : std::string("cannot follow symbolic link: ") + std::strerror(errno)});
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      for (const auto& root : canonical_roots_) {
        if (is_under(root, target) && root != target) {
          result_.skipped_links.push_back({path, "symbolic link to " + detail::display(target) +
                                                     ", a folder that holds the folder being ingested (a loop): "
                                                     "never followed"});
          return false;
        }
      }
    }
    if (options_.follow_outside_links) return true;
    for (const auto& root : canonical_roots_)
      if (is_under(target, root)) return true;
    result_.skipped_links.push_back({path, "symbolic link to " + detail::display(target) +
                                               ", outside the folders being ingested: not followed "
                                               "(--follow-links follows it)"});
    return false;
  }

  // skipped_types / skipped_files: every file left out for its type is counted and named (DESIGN.md §5).
  void count_skipped_type(const std::string& path) {
    ++result_.skipped_types[skipped_type_key(name_of(path))];
    result_.skipped_files.push_back(path);
  }

  const ScanOptions& options_;
  std::vector<std::string> canonical_roots_;
  ScanResult result_;
  std::map<std::string, EventFolder> folders_;
  std::set<std::pair<dev_t, ino_t>> visited_dirs_;
  std::set<std::tuple<dev_t, ino_t, std::string>> seen_files_;
};

}  // namespace

std::uint64_t ScanResult::photo_count() const {
  std::uint64_t n = 0;
  for (const auto& f : folders) n += f.photos.size();
  return n;
}

std::uint64_t ScanResult::article_count() const {
  std::uint64_t n = 0;
  for (const auto& f : folders) n += f.articles.size();
  return n;
}

ScanKind classify_name(std::string_view file_name) {
  auto dot = file_name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return ScanKind::kOther;
  std::string ext = lower(file_name.substr(dot + 1));
  static constexpr std::array<std::string_view, 11> kPhotoExt = {"jpg",  "jpeg", "png",  "gif", "webp", "heic",
                                                                 "heif", "hif",  "avif", "tif", "tiff"};
  if (std::find(kPhotoExt.begin(), kPhotoExt.end(), ext) != kPhotoExt.end()) return ScanKind::kPhoto;
  if (is_raw_extension(ext)) return ScanKind::kPhoto;
  if (ext == "html" || ext == "htm" || ext == "docx" || ext == "doc")
    return ScanKind::kArticle;  // .doc: to say "unsupported"
  if (ext == "txt") {
    // Text files that software and repositories leave in folders are not article exports.
    std::string stem = lower(file_name.substr(0, dot));
    static constexpr std::array<std::string_view, 10> kNotArticles = {
        "cmakelists", "requirements", "robots", "license", "licence", "copying", "notice", "changelog",
        "readme", "authors"};
    for (auto n : kNotArticles)
      if (stem == n || (stem.starts_with(n) && std::string_view("-_.").find(stem[n.size()]) != std::string_view::npos))
        return ScanKind::kOther;
    return ScanKind::kArticle;
  }
  return ScanKind::kOther;
}

std::string skipped_type_key(std::string_view file_name) {
  auto dot = file_name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == file_name.size()) return "";
  return lower(file_name.substr(dot + 1));
}

bool is_raw_extension(std::string_view ext) {
  static constexpr std::array<std::string_view, 13> kRawExt = {"nef", "nrw", "cr2", "cr3", "crw", "arw", "raf",
                                                               "rw2", "orf", "pef", "dng", "srw", "rwl"};
  const std::string e = lower(ext);
  return std::find(kRawExt.begin(), kRawExt.end(), e) != kRawExt.end();
}

bool is_hidden_or_system(std::string_view file_name) {
  if (file_name.empty()) return true;
  // Dot files cover .DS_Store, ._* (macOS resource forks), .AppleDouble, .Trashes, .thumbnails…
  if (file_name.front() == '.') return true;
  std::string n = lower(file_name);
  static constexpr std::array<std::string_view, 8> kSystem = {
      "thumbs.db", "desktop.ini", "@eadir", "$recycle.bin", "system volume information",
      "lost+found", "#recycle", "ehthumbs.db"};
  if (std::find(kSystem.begin(), kSystem.end(), n) != kSystem.end()) return true;
  return n.starts_with("@__thumb") || n.ends_with("~");  // QNAP thumbnails, editor backups
}

Result<ScanResult> scan_tree(const std::vector<std::string>& roots, const ScanOptions& options) {
  if (roots.empty()) return Status::InvalidArgument("nothing to scan: no path given");
  Walker walker(options);
  walker.set_roots(roots);
  for (const auto& r : roots) {
    if (r.empty()) continue;
    try {
      walker.add_root(r);
    } catch (const std::exception& e) {  // bfs::absolute can throw on a broken current directory
      return Status::IOError(std::string("cannot scan ") + r + ": " + e.what());
    }
  }
  return walker.finish();
}

}  // namespace kho::ingest
