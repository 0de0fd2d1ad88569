// kho watch DIR... [--settle SECONDS] [--jobs N]: a hot folder (DESIGN.md §5). Photographers and FTP uploads
// write into DIR; the archive fills itself.
//
// 1. The inotify watches go in first (kho::ingest::FolderWatcher), then a catch-up ingest of every DIR takes
//    what changed while kho was down (the stat check makes it cheap: unchanged files are not read).
// 2. Then, batch by batch: the watcher returns the folders whose changes have been quiet for --settle
//    seconds, and the ordinary ingest runs on exactly those folders. So an article arriving after its photos
//    (or before) relinks its whole event folder, deleted files are forgotten, and the duplicate index is
//    brought up to date after each batch, as `kho ingest` does.
// 3. SIGINT/SIGTERM: the batch being ingested finishes, then kho exits 0. A second signal quits at once
//    (LMDB commits are atomic; the next start's catch-up finishes the job). kill -9 is the same: nothing is
//    lost or duplicated, because ingest is idempotent and identity is the bytes' SHA-256.
// Each batch prints one line on stderr ("kho watch: …"); errors of single files are reported and skipped.
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "archive.h"
#include "kho/dups.h"
#include "kho/ingest/pipeline.h"
#include "kho/ingest/watcher.h"
#include "kho/thumbnailer/pair_verifier.h"
#include "kho/thumbnailer/thumbnailer.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

struct WatchArgs {
  std::vector<std::string> dirs;
  double settle = 2.0;
  unsigned jobs = 0;
};

std::atomic<bool> g_watch_stop{false};

extern "C" void on_watch_signal(int sig) {
  if (g_watch_stop.exchange(true)) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
    return;
  }
  static const char kMsg[] = "\nkho watch: stopping after the current batch (signal again to quit now)\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  (void)ignored;
}

void note(const std::string& s) { std::fprintf(stderr, "kho watch: %s\n", s.c_str()); }

// One ingest of `roots` and the duplicate index. Returns false on a fatal archive error.
bool ingest_batch(Catalog& catalog, const thumb::Thumbnailer& thumbnailer, const std::vector<std::string>& roots,
                  const WatchArgs& args, const char* what) {
  const auto t0 = std::chrono::steady_clock::now();
  ingest::IngestOptions opt;
  opt.jobs = args.jobs;
  auto result = ingest::ingest(catalog, thumbnailer, roots, opt);
  if (!result.ok()) {
    note(std::string(what) + " failed: " + result.status().message() + " (committed batches stay)");
    return false;
  }
  const ingest::IngestSummary& s = *result;
  thumb::OpenCvPairVerifier verifier;
  DupOptions dups;
  dups.threads = static_cast<int>(args.jobs);  // 0: all cores, as for the photos
  Status st = update_duplicates(catalog, verifier, dups);
  if (!st.ok()) note("duplicates not updated: " + st.message());
  for (const auto& e : s.errors) note("error: " + terminal_safe(e.path) + ": " + terminal_safe(e.reason));
  for (const auto& w : s.warnings) note("warning: " + terminal_safe(w));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  char line[512];
  std::snprintf(line, sizeof line,
                "%s: %zu folder(s), %llu photos added, %llu unchanged, %llu articles, %llu links, %zu unresolved, "
                "%llu files forgotten, %zu errors (%.0f ms)",
                what, roots.size(), static_cast<unsigned long long>(s.photos_added),
                static_cast<unsigned long long>(s.photos_unchanged), static_cast<unsigned long long>(s.articles),
                static_cast<unsigned long long>(s.links), s.unresolved.size(),
                static_cast<unsigned long long>(s.files_removed), s.errors.size(), ms);
  note(line);
  return true;
}

int run_watch(const GlobalOptions& g, const WatchArgs& args) {
  g_watch_stop = false;
  struct sigaction sa {};
  sa.sa_handler = on_watch_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);

  auto catalog = open_archive(g, /*read_only=*/false);
  if (!catalog) return kExitFatal;
  ingest::WatchOptions wopt;
  wopt.settle_s = args.settle;
  wopt.stop = &g_watch_stop;
  wopt.report = note;
  auto watcher = ingest::FolderWatcher::open(args.dirs, wopt);
  if (!watcher.ok()) {
    print_error(watcher.status().message());
    return kExitFatal;
  }
  note("watching " + std::to_string((*watcher)->watched_folders()) + " folder(s), settle " +
       std::to_string(args.settle).substr(0, 4) + " s");
  thumb::Thumbnailer thumbnailer;

  // Catch-up: whatever changed while kho was not running. Roots that do not exist yet are skipped.
  std::vector<std::string> existing;
  for (const auto& d : args.dirs) {
    if (::access(d.c_str(), F_OK) == 0) existing.push_back(d);
  }
  if (!existing.empty() && !ingest_batch(*catalog, thumbnailer, existing, args, "catch-up")) return kExitFatal;

  while (!g_watch_stop.load()) {
    auto batch = (*watcher)->next_batch();
    if (!batch.ok()) {
      print_error(batch.status().message());
      return kExitFatal;
    }
    if (batch->empty()) continue;  // stopping
    // Folders that vanished before their turn are skipped (their files are forgotten by a later batch of
    // the parent, or by the next catch-up).
    std::vector<std::string> roots;
    for (const auto& d : *batch) {
      if (::access(d.c_str(), F_OK) == 0) roots.push_back(d);
    }
    if (roots.empty()) continue;
    if (!ingest_batch(*catalog, thumbnailer, roots, args, "batch")) return kExitFatal;
  }
  note("stopped cleanly");
  return kExitOk;
}

}  // namespace

void add_watch_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("watch",
                                 "Hot folder: ingest photos and articles as they arrive in DIR (inotify), once "
                                 "each file has been quiet for --settle seconds");
  auto args = std::make_shared<WatchArgs>();
  cmd->add_option("DIR", args->dirs, "Folders to watch (trees of event folders)")->required();
  cmd->add_option("--settle", args->settle, "Seconds a file must be quiet before it is taken (default 2)")
      ->check(CLI::Range(0.05, 3600.0));
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: all cores)")->check(CLI::Range(1, 256));
  cmd->callback([&g, args] { set_command([&g, args] { return run_watch(g, *args); }); });
}

}  // namespace kho::app
