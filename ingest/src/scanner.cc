#include "kho/ingest/scanner.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <boost/filesystem.hpp>
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

class Walker {
 public:
  explicit Walker(const ScanOptions& options) : options_(options) {}

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
  void add_file(const std::string& folder, const std::string& path, const struct stat& st) {
    ScanKind kind = classify_name(name_of(path));
    if (kind == ScanKind::kOther) {
      ++result_.ignored_files;
      return;
    }
    if (!seen_files_.emplace(st.st_dev, st.st_ino, path).second) return;
    ScannedFile f;
    f.path = path;
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = mtime_ns_of(st);
    f.name_is_utf8 = is_valid_utf8(name_of(path));
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
        if (S_ISLNK(st.st_mode)) {
          if (!options_.follow_symlinks) continue;
          if (::stat(path.c_str(), &st) != 0) {
            result_.problems.push_back({path, "symbolic link to nothing (dangling)"});
            continue;
          }
        }
        if (S_ISDIR(st.st_mode)) {
          subdirs.push_back(std::move(path));
        } else if (S_ISREG(st.st_mode)) {
          add_file(dir, path, st);
        }
      }
      // Push in reverse so folders are visited in name order (deterministic runs and progress).
      std::sort(subdirs.begin(), subdirs.end(), std::greater<>());
      for (auto& s : subdirs) stack.push_back(std::move(s));
    }
  }

  const ScanOptions& options_;
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
  static constexpr std::array<std::string_view, 9> kPhotoExt = {"jpg",  "jpeg", "png", "gif", "webp",
                                                                "heic", "heif", "tif", "tiff"};
  if (std::find(kPhotoExt.begin(), kPhotoExt.end(), ext) != kPhotoExt.end()) return ScanKind::kPhoto;
  if (ext == "html" || ext == "htm" || ext == "docx" || ext == "doc") return ScanKind::kArticle;  // .doc: to say "unsupported"
  if (ext == "txt") {
    // Text files that software and repositories leave in folders are not article exports.
    std::string stem = lower(file_name.substr(0, dot));
    static constexpr std::array<std::string_view, 10> kNotArticles = {
        "cmakelists", "requirements", "robots", "license", "licence", "copying", "notice", "changelog",
        "readme", "authors"};
    for (auto n : kNotArticles)
      if (stem == n || (stem.starts_with(n) && (stem[n.size()] == '-' || stem[n.size()] == '_' || stem[n.size()] == '.')))
        return ScanKind::kOther;
    return ScanKind::kArticle;
  }
  return ScanKind::kOther;
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
