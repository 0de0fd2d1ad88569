// kho ingest PATH... [--jobs N] [--json] [--links] [--follow-links] [--no-trace]: bulk import of event folders
// (DESIGN.md §5). After the duplicate update, web copies are traced to their camera originals (kho/trace.h).
//
// Progress goes to stderr on a terminal only; --json prints the summary on stdout; without --json a short
// summary goes to stderr. Ctrl-C stops after the photos in flight are committed (exit 2, saying how far it
// got); a second Ctrl-C quits at once (the archive stays consistent either way: LMDB commits are atomic).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "archive.h"
#include "kho/dups.h"
#include "kho/ingest/pipeline.h"
#include "kho/json_model.h"
#include "kho/team.h"
#include "kho/thumbnailer/pair_verifier.h"
#include "kho/thumbnailer/thumbnailer.h"
#include "kho/trace.h"
#include "progress.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  unsigned jobs = 0;
  std::size_t batch = 64;
  bool json = false;
  bool links = false;
  bool follow_links = false;
  bool no_trace = false;
};

// What tracing adds to the summary: the count, the ambiguous references, and the original of each link.
struct TraceReport {
  bool ran = false;
  std::uint64_t traced = 0;
  std::vector<TraceAmbiguity> ambiguous;
  std::uint64_t redone = 0, pixel_checks = 0;
  std::map<std::pair<std::string, std::uint32_t>, std::pair<std::string, TraceRecord>> originals;  // → path
};

std::atomic<bool> g_stop{false};

// Async-signal-safe: only an atomic store and write(2).
extern "C" void on_sigint(int) {
  if (g_stop.exchange(true)) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  static const char kMsg[] = "\nkho: stopping after the photos in flight are saved (Ctrl-C again to quit now)\n";
  ssize_t ignored = ::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
  (void)ignored;
}

nlohmann::json original_json(const TraceReport& t, const std::string& article_id, std::uint32_t position) {
  auto it = t.originals.find({article_id, position});
  if (it == t.originals.end()) return nullptr;
  return {{"path", display_path(it->second.first)},
          {"digest", it->second.second.original->hex()},
          {"score", it->second.second.score}};
}

nlohmann::json summary_json(const ingest::IngestSummary& s, const TraceReport& t, bool all_links) {
  using nlohmann::json;
  json unresolved = json::array();
  for (const auto& u : s.unresolved) unresolved.push_back({{"article", u.article}, {"ref", u.ref}});
  json errors = json::array();
  for (const auto& e : s.errors) errors.push_back({{"path", e.path}, {"reason", e.reason}});
  json skipped_links = json::array();
  for (const auto& e : s.skipped_links) skipped_links.push_back({{"path", e.path}, {"reason", e.reason}});
  json ambiguous = json::array();
  for (const auto& a : t.ambiguous) {
    json c = json::array();
    for (const auto& p : a.candidates) c.push_back(display_path(p));
    ambiguous.push_back({{"article", a.article}, {"article_id", a.article_id}, {"ref", a.ref}, {"candidates", c}});
  }
  json methods = json::object();
  for (const auto& l : s.link_report) {
    auto& n = methods[link_method_name(l.method)];
    n = n.is_null() ? 1 : n.get<int>() + 1;
  }
  json out{{"files_seen", s.files_seen},
           {"photos_added", s.photos_added},
           {"photos_unchanged", s.photos_unchanged},
           {"articles", s.articles},
           {"links", s.links},
           {"unresolved", unresolved},
           {"orphans", s.orphans},
           {"errors", errors},
           {"skipped_links", skipped_links},
           {"skipped_types", s.skipped_types},
           {"skipped_files", s.skipped_files},
           {"traced", t.traced},
           {"ambiguous", ambiguous},
           // Extras beyond DESIGN.md §5, for people and scripts that want more.
           {"events", s.events},
           {"traces_redone", t.redone},             // references traced again this run (their input changed)
           {"trace_pixel_checks", t.pixel_checks},  // pixel comparisons tracing added to the run
           {"exact_duplicates", s.exact_duplicates},
           {"pair_files", s.pair_files},
           {"skipped_unchanged", s.skipped_by_stat},
           {"files_removed", s.files_removed},
           {"photos_removed", s.photos_removed},
           {"link_methods", methods},
           {"warnings", s.warnings},
           {"interrupted", s.interrupted},
           {"seconds", s.seconds}};
  if (all_links) {  // --json --links: every link, with its traced original (null when none)
    json list = json::array();
    for (const auto& l : s.link_report)
      list.push_back({{"article", l.article},
                      {"article_id", l.article_id},
                      {"position", l.position},
                      {"ref", l.ref},
                      {"path", l.path},
                      {"method", link_method_name(l.method)},
                      {"confidence", l.confidence},
                      {"original", original_json(t, l.article_id, l.position)}});
    out["link_list"] = std::move(list);
  }
  return out;
}

// (article id, position) of every link a person relinked (the newest correction of "link:N" is in force and
// chose something other than the machine's value): tracing leaves those alone.
Result<std::set<std::pair<std::string, std::uint32_t>>> corrected_links(Catalog& catalog) {
  std::set<std::pair<std::string, std::uint32_t>> out;
  auto snap = catalog.snapshot();
  if (!snap.ok()) return snap.status();
  auto all = latest_corrections(**snap, std::numeric_limits<std::size_t>::max());
  if (!all.ok()) return all.status();
  std::set<std::pair<std::string, std::string>> seen;  // newest first: the first of each field is in force
  for (const Correction& c : *all) {
    if (c.kind != TargetKind::kArticle || c.field.rfind("link:", 0) != 0) continue;
    if (!seen.insert({c.target, c.field}).second) continue;
    if (!c.new_value) continue;  // back to the machine's link
    try {
      out.insert({c.target, static_cast<std::uint32_t>(std::stoul(c.field.substr(5)))});
    } catch (const std::exception&) {
    }
  }
  return out;
}

// Traces the web copies to their originals; a failure is a warning (links stay as they are).
TraceReport run_trace(Catalog& catalog, unsigned jobs, ingest::IngestSummary& s) {
  TraceReport report;
  TraceOptions options;
  options.threads = static_cast<int>(jobs);
  auto corrected = corrected_links(catalog);
  if (!corrected.ok()) {
    s.warnings.push_back("originals not traced: " + corrected.status().message());
    return report;
  }
  options.corrected = std::move(*corrected);
  thumb::OpenCvPairVerifier grid;
  thumb::PairVerifierOptions fine_options;
  fine_options.work_px = 480;  // 1 % of a shift is ~5 px here; 640 gave the same answers on the CI set
  fine_options.score_by_coverage = true;
  fine_options.orb_levels = 1;  // rule version 5 (pair_verifier.h)
  thumb::OpenCvPairVerifier fine(fine_options);
  auto summary = update_traces(catalog, grid, fine, options);
  if (!summary.ok()) {
    s.warnings.push_back("originals not traced: " + summary.status().message());
    return report;
  }
  report.ran = true;
  report.traced = summary->traced;
  report.redone = summary->redone;
  report.pixel_checks = summary->grid_checks + summary->fine_checks;
  report.ambiguous = std::move(summary->ambiguous);
  auto snap = catalog.snapshot();
  if (!snap.ok()) return report;
  auto all = list_traces(**snap);
  if (!all.ok()) return report;
  std::set<std::string> original_paths;
  for (TraceRecord& r : *all) {
    if (r.state != TraceState::kTraced || !r.original) continue;
    auto files = (*snap)->photo_files(*r.original);
    if (!files.ok() || files->empty()) continue;
    for (const File& f : *files) original_paths.insert(display_path(f.path));
    std::string path = files->front().path;
    std::pair<std::string, std::uint32_t> key{r.article_id, r.position};
    report.originals[std::move(key)] = {std::move(path), std::move(r)};
  }
  // A traced original carries the article's caption now: it is no orphan.
  std::erase_if(s.orphans, [&](const std::string& p) { return original_paths.contains(p); });
  return report;
}

void print_human_summary(const ingest::IngestSummary& s, const TraceReport& t, bool all_links) {
  std::string skipped = s.skipped_links.empty() ? ""
                                                : ", " + std::to_string(s.skipped_links.size()) + " links not followed";
  std::fprintf(stderr,
               "kho: %llu files seen in %llu events: %llu photos added, %llu unchanged, %llu exact copies; "
               "%llu articles, %llu links, %zu unresolved, %zu orphans, %zu errors%s (%.1f s)\n",
               static_cast<unsigned long long>(s.files_seen), static_cast<unsigned long long>(s.events),
               static_cast<unsigned long long>(s.photos_added), static_cast<unsigned long long>(s.photos_unchanged),
               static_cast<unsigned long long>(s.exact_duplicates), static_cast<unsigned long long>(s.articles),
               static_cast<unsigned long long>(s.links), s.unresolved.size(), s.orphans.size(), s.errors.size(),
               skipped.c_str(), s.seconds);
  // Each link with the way it was resolved, so a person can check the linker's work; a big import
  // shows the counts per method unless --links asks for every line.
  constexpr std::size_t kListAll = 40;
  if (!s.link_report.empty()) {
    if (all_links || s.link_report.size() <= kListAll) {
      std::fprintf(stderr, "links (method, confidence, reference → file in the article's folder):\n");
      for (const auto& l : s.link_report) {
        auto slash = l.path.find_last_of('/');
        std::string name = slash == std::string::npos ? l.path : l.path.substr(slash + 1);
        std::fprintf(stderr, "  %-14s %.2f  %s  →  %s\n", link_method_name(l.method), static_cast<double>(l.confidence),
                     terminal_safe(l.ref).c_str(), terminal_safe(name).c_str());
      }
    } else {
      std::map<std::string, int> counts;
      for (const auto& l : s.link_report) ++counts[link_method_name(l.method)];
      std::fprintf(stderr, "links by method:");
      for (const auto& [m, n] : counts) std::fprintf(stderr, " %s %d", m.c_str(), n);
      std::fprintf(stderr, " (--links lists each)\n");
    }
  }
  if (t.ran) {
    std::fprintf(stderr, "originals: %llu references traced to their camera original, %zu ambiguous\n",
                 static_cast<unsigned long long>(t.traced), t.ambiguous.size());
    for (const auto& a : t.ambiguous) {
      std::string c;
      for (const auto& p : a.candidates) c += (c.empty() ? "" : ", ") + terminal_safe(display_path(p));
      std::fprintf(stderr, "ambiguous: \"%s\" in \"%s\": %s\n", terminal_safe(a.ref).c_str(),
                   terminal_safe(a.article).c_str(), c.c_str());
    }
  }
  for (const auto& u : s.unresolved)
    std::fprintf(stderr, "unresolved: \"%s\" in \"%s\" (no such photo in %s)\n", terminal_safe(u.ref).c_str(),
                 terminal_safe(u.article).c_str(), terminal_safe(u.folder).c_str());
  constexpr std::size_t kListOrphans = 20;
  for (std::size_t i = 0; i < s.orphans.size() && (all_links || i < kListOrphans); ++i)
    std::fprintf(stderr, "orphan: %s\n", terminal_safe(s.orphans[i]).c_str());
  if (!all_links && s.orphans.size() > kListOrphans)
    std::fprintf(stderr, "orphan: … and %zu more (--json or --links lists them all)\n",
                 s.orphans.size() - kListOrphans);
  for (const auto& e : s.skipped_links)
    std::fprintf(stderr, "skipped link: %s: %s\n", terminal_safe(e.path).c_str(), terminal_safe(e.reason).c_str());
  for (const auto& e : s.errors)
    std::fprintf(stderr, "error: %s: %s\n", terminal_safe(e.path).c_str(), terminal_safe(e.reason).c_str());
  if (!s.skipped_types.empty()) {
    std::string line;
    for (const auto& [ext, n] : s.skipped_types) {
      line += (line.empty() ? " " : ", ") + (ext.empty() ? std::string("(no extension)") : "." + ext) + " " +
              std::to_string(n);
    }
    std::fprintf(stderr, "skipped (not a photo or article type):%s (--json names each file)\n", line.c_str());
  }
}

int run_ingest(const GlobalOptions& g, const IngestArgs& args) {
  // The handler goes in before anything is written, so a Ctrl-C at any moment is a clean stop.
  g_stop = false;
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  struct sigaction old {};
  ::sigaction(SIGINT, &sa, &old);
  auto catalog = open_archive(g, /*read_only=*/false);
  if (!catalog) return kExitFatal;
  thumb::Thumbnailer thumbnailer;
  ProgressBar bar(::isatty(STDERR_FILENO) != 0 && !g.quiet);

  ingest::IngestOptions opt;
  opt.jobs = args.jobs;
  opt.batch_size = args.batch;
  opt.stop = &g_stop;
  opt.follow_links = args.follow_links;
  opt.progress = [&bar](const ingest::IngestProgress& p) { bar.update(p); };
  auto result = ingest::ingest(*catalog, thumbnailer, args.paths, opt);
  bar.clear();
  if (!result.ok()) {
    ::sigaction(SIGINT, &old, nullptr);
    print_error("ingest failed: " + result.status().message() +
                " (batches committed before this stay; run the same command again to continue)");
    return kExitFatal;
  }
  ingest::IngestSummary& s = *result;

  TraceReport trace;
  // Keep the duplicate index current so `kho dups` and the gallery only read stored results.
  if (!s.interrupted && !g_stop.load()) {
    thumb::OpenCvPairVerifier verifier;
    DupOptions dups;
    dups.threads = static_cast<int>(args.jobs);  // 0: all cores, as for the photos
    Status st = update_duplicates(*catalog, verifier, dups);
    if (!st.ok()) s.warnings.push_back("duplicates not updated: " + st.message());
    if (st.ok() && !args.no_trace && !g_stop.load()) trace = run_trace(*catalog, args.jobs, s);
  }
  ::sigaction(SIGINT, &old, nullptr);

  for (const auto& w : s.warnings) std::fprintf(stderr, "kho: warning: %s\n", terminal_safe(w).c_str());
  if (args.json)
    print_json(summary_json(s, trace, args.links).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  else if (!g.quiet) print_human_summary(s, trace, args.links);

  if (s.interrupted || g_stop.load()) {
    print_error("interrupted: " + std::to_string(s.photo_files_committed) + " of " +
                std::to_string(s.photo_files_total) +
                " photo files are saved; run the same command again to finish (saved files are skipped)");
    return kExitFatal;
  }
  return s.errors.empty() ? kExitOk : kExitPartial;
}

}  // namespace

void add_ingest_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("ingest",
                                 "Import event folders: photos (digest, metadata, thumbnails, signatures) and "
                                 "article exports (.txt), linked photo by photo");
  auto args = std::make_shared<IngestArgs>();
  cmd->add_option("PATH", args->paths, "Folders (trees of event folders) or single files")->required();
  cmd->add_option("--jobs,-j", args->jobs, "Worker threads (default: all cores)")->check(CLI::Range(1, 256));
  cmd->add_option("--batch", args->batch, "Photos per archive transaction (default 64)")->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", args->json, "Print the summary as one JSON document on stdout");
  cmd->add_flag("--links", args->links, "List every link with its method, and every orphan");
  cmd->add_flag("--follow-links", args->follow_links,
                "Also follow symbolic links that lead outside the PATHs (default: list them as skipped_links)");
  cmd->add_flag("--no-trace", args->no_trace,
                "Do not trace web copies to their camera originals (for measuring what tracing costs)");
  cmd->callback([&g, args] { set_command([&g, args] { return run_ingest(g, *args); }); });
}

}  // namespace kho::app
