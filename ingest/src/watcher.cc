#include "kho/ingest/watcher.h"

#include <dirent.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>

#include "kho/ingest/scanner.h"
#include "pipeline_util.h"

namespace kho::ingest {

using Clock = std::chrono::steady_clock;

bool is_partial_name(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.front() == '~' || name.back() == '~') return true;
  auto dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return false;
  std::string ext(name.substr(dot + 1));
  for (char& c : ext) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return ext == "part" || ext == "tmp" || ext == "partial" || ext == "crdownload" || ext == "filepart" ||
         ext == "download" || ext == "temp";
}

struct FolderWatcher::State {
  int fd = -1;
  WatchOptions options;
  std::vector<std::string> roots;
  std::map<int, std::string> dirs;                   // watch descriptor → folder
  std::map<std::string, Clock::time_point> pending;  // folder → last activity that makes it due
  std::set<std::string> open_files;                  // files modified but not yet closed (their folder waits)
  bool warned_limit = false;

  void report(const std::string& s) const {
    if (options.report) options.report(s);
  }

  void add_tree(const std::string& top) {
    std::vector<std::string> stack{top};
    while (!stack.empty()) {
      std::string dir = std::move(stack.back());
      stack.pop_back();
      const int wd = inotify_add_watch(fd, dir.c_str(),
                                       IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |
                                           IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
      if (wd < 0) {
        if (errno == ENOSPC && !warned_limit) {
          warned_limit = true;
          std::string limit = "?";
          std::ifstream in("/proc/sys/fs/inotify/max_user_watches");
          in >> limit;
          report("cannot watch " + display_path(dir) +
                 ": the inotify watch limit (fs.inotify.max_user_watches = " + limit +
                 ") is reached; raise it (sysctl fs.inotify.max_user_watches=524288) — folders beyond it "
                 "are only seen by the catch-up scan at the next start");
        } else if (errno != ENOSPC) {
          report("cannot watch " + display_path(dir) + ": " + std::strerror(errno));
        }
        continue;
      }
      dirs[wd] = dir;
      try {
        for (const auto& e : subfolders(dir)) stack.push_back(e);
      } catch (...) {
      }
    }
  }

  // Subfolders of `dir`, skipping hidden and system names as the scanner does.
  static std::vector<std::string> subfolders(const std::string& dir) {
    std::vector<std::string> out;
    if (auto* d = ::opendir(dir.c_str())) {
      while (auto* e = ::readdir(d)) {
        std::string_view n(e->d_name);
        if (n == "." || n == ".." || is_hidden_or_system(n)) continue;
        std::string path = dir + "/" + std::string(n);
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) out.push_back(std::move(path));
      }
      ::closedir(d);
    }
    return out;
  }

  void handle(const inotify_event& ev) {
    if (ev.mask & IN_Q_OVERFLOW) {
      report("inotify queue overflow: re-scanning every root");
      for (const auto& r : roots) pending[r] = Clock::now();
      return;
    }
    auto it = dirs.find(ev.wd);
    if (it == dirs.end()) return;
    const std::string dir = it->second;
    if (ev.mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
      report("watched folder vanished: " + display_path(dir) + " (no longer watched)");
      return;
    }
    if (ev.mask & IN_IGNORED) {
      dirs.erase(it);
      return;
    }
    const std::string name = ev.len ? std::string(ev.name) : std::string();
    if (name.empty()) return;
    const std::string path = dir + "/" + name;
    if (ev.mask & IN_ISDIR) {
      if (is_hidden_or_system(name)) return;
      if (ev.mask & (IN_CREATE | IN_MOVED_TO)) {
        add_tree(path);
        pending[path] = Clock::now();  // a folder moved in (or created and filled at once) is ingested whole
      } else if (ev.mask & (IN_MOVED_FROM | IN_DELETE)) {
        pending[dir] = Clock::now();
      }
      return;
    }
    if (is_partial_name(name)) return;
    if (ev.mask & IN_MODIFY) {
      open_files.insert(path);
      pending[dir] = Clock::now();  // restarts the folder's clock; it stays waiting while the file is open
    } else if (ev.mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
      open_files.erase(path);
      pending[dir] = Clock::now();
    } else if (ev.mask & (IN_MOVED_FROM | IN_DELETE)) {
      open_files.erase(path);
      pending[dir] = Clock::now();
    }
  }

  bool folder_busy(const std::string& dir) const {
    for (const auto& f : open_files) {
      if (f.size() > dir.size() && f.compare(0, dir.size(), dir) == 0 && f[dir.size()] == '/' &&
          f.find('/', dir.size() + 1) == std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

FolderWatcher::FolderWatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}

FolderWatcher::~FolderWatcher() {
  if (state_ && state_->fd >= 0) ::close(state_->fd);
}

std::size_t FolderWatcher::watched_folders() const { return state_->dirs.size(); }

Result<std::unique_ptr<FolderWatcher>> FolderWatcher::open(const std::vector<std::string>& roots,
                                                           WatchOptions options) {
  if (roots.empty()) return Status::InvalidArgument("nothing to watch: no folder given");
  auto state = std::make_unique<State>();
  state->options = std::move(options);
  state->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (state->fd < 0) return Status::IOError(std::string("inotify is not available: ") + std::strerror(errno));
  for (const auto& r : roots) {
    const std::string root = normalize_path(r);
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      state->report("not a folder (not watched): " + display_path(root));
      continue;
    }
    state->roots.push_back(root);
    state->add_tree(root);
  }
  return std::unique_ptr<FolderWatcher>(new FolderWatcher(std::move(state)));
}

Result<std::vector<std::string>> FolderWatcher::next_batch() {
  State& s = *state_;
  const auto settle = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s.options.settle_s));
  alignas(inotify_event) char buf[64 * 1024];
  for (;;) {
    if (s.options.stop && s.options.stop->load()) return std::vector<std::string>{};
    // Due folders: quiet for `settle` and no file in them still open for writing.
    const auto now = Clock::now();
    std::vector<std::string> due;
    Clock::time_point next_due = now + std::chrono::milliseconds(250);
    for (const auto& [dir, t] : s.pending) {
      if (now - t >= settle && !s.folder_busy(dir)) {
        due.push_back(dir);
      } else if (t + settle < next_due) {
        next_due = t + settle;
      }
    }
    if (!due.empty()) {
      for (const auto& d : due) s.pending.erase(d);
      std::sort(due.begin(), due.end());
      return due;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_due - now).count();
    pollfd p{s.fd, POLLIN, 0};
    const int n = ::poll(&p, 1, static_cast<int>(std::clamp<long long>(wait, 10, 250)));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("watching failed: ") + std::strerror(errno));
    }
    if (n == 0) continue;
    for (;;) {
      const ssize_t len = ::read(s.fd, buf, sizeof buf);
      if (len < 0) {
        if (errno == EAGAIN || errno == EINTR) break;
        return Status::IOError(std::string("reading inotify events failed: ") + std::strerror(errno));
      }
      if (len == 0) break;
      for (char* at = buf; at < buf + len;) {
        const auto* ev = reinterpret_cast<const inotify_event*>(at);
        s.handle(*ev);
        at += sizeof(inotify_event) + ev->len;
      }
    }
  }
}

}  // namespace kho::ingest
