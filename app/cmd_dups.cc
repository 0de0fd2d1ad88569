// kho dups: exact and near-duplicate clusters from stored results (DESIGN.md §5, docs/duplicates.md).
//
// `kho ingest` keeps the stored pairs current, so this only reads. --update / --rebuild recompute
// them here (for archives ingested before duplicates existed, or after changing the radius).
#include <CLI/CLI.hpp>

#include <cstdio>

#include "archive.h"
#include "correct.h"
#include "kho/decisions.h"
#include "kho/dups.h"
#include "kho/json_model.h"
#include "kho/team.h"
#include "kho/thumbnailer/pair_verifier.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

struct DupsArgs {
  bool json = false;
  int threshold = -1;  // -1: the default radius
  bool update = false;
  bool rebuild = false;
  std::vector<std::string> not_duplicate;  // two photos
  std::string best;
  std::string user;
};

// `kho dups --not-duplicate A B` / `--best PHOTO`: a person's decision, recorded in the journal.
int run_decision(const GlobalOptions& g, const DupsArgs& args) {
  Corrector w = open_for_corrections(g, args.user);
  if (!w.catalog) return kExitFatal;
  auto& cat = w.catalog;
  const std::string& user = w.user;
  Correction c;
  {
    auto snap = cat->snapshot();
    if (!snap.ok()) return fail(snap.status());
    if (!args.not_duplicate.empty()) {
      Result<Digest> a = resolve_photo(**snap, args.not_duplicate[0]), b = resolve_photo(**snap, args.not_duplicate[1]);
      if (!a.ok()) return fail(a.status());
      if (!b.ok()) return fail(b.status());
      Result<Correction> built = not_duplicate_correction(user, *a, *b);
      if (!built.ok()) return fail(built.status());
      c = std::move(*built);
    } else {
      Result<Digest> d = resolve_photo(**snap, args.best);
      if (!d.ok()) return fail(d.status());
      c = best_copy_correction(user, *d);
    }
  }
  return record_all(*cat, {std::move(c)}, args.json);
}

int run_dups(const GlobalOptions& g, const DupsArgs& args) {
  if (!args.not_duplicate.empty() || !args.best.empty()) return run_decision(g, args);
  DupOptions options;
  options.list_threshold = args.threshold;

  if (args.update || args.rebuild) {
    auto cat = open_archive(g, /*read_only=*/false);
    if (!cat) return kExitFatal;
    thumb::OpenCvPairVerifier verifier;
    DupOptions search;  // the default search; a --threshold beyond it widens the search to match
    search.phash_radius = std::max(search.phash_radius, args.threshold);
    Status st = update_duplicates(*cat, verifier, search, /*full=*/args.rebuild);
    if (!st.ok()) {
      print_error("duplicates not updated: " + st.to_string());
      return kExitFatal;
    }
  }

  auto cat = open_archive(g, /*read_only=*/true);
  if (!cat) return kExitFatal;
  auto snap = cat->snapshot();
  if (!snap.ok()) {
    print_error(snap.status().to_string());
    return kExitFatal;
  }
  if (auto searched = searched_radius(**snap); searched.ok() && *searched && args.threshold > **searched) {
    std::fprintf(stderr,
                 "kho: warning: pairs were searched up to distance %d; run `kho dups --rebuild "
                 "--threshold %d` to search farther\n",
                 **searched, args.threshold);
  }
  Result<DupOptions> decided = with_decisions(**snap, options);
  if (!decided.ok()) return fail(decided.status());
  auto clusters = list_duplicates(**snap, *decided);
  if (!clusters.ok()) {
    print_error("cannot list duplicates: " + clusters.status().to_string());
    return kExitFatal;
  }

  if (args.json) {
    std::string out = "{\"clusters\":[";
    for (std::size_t i = 0; i < clusters->size(); ++i) {
      if (i > 0) out += ',';
      out += dup_cluster_json((*clusters)[i]);
    }
    print_json(out + "]}");
    return kExitOk;
  }
  if (clusters->empty()) {
    if (!g.quiet) std::printf("No duplicates.\n");
    return kExitOk;
  }
  std::size_t exact = 0, near = 0;
  for (const DupCluster& c : *clusters) {
    (c.kind == DupKind::kExact ? exact : near) += 1;
    std::printf("%s duplicates (%zu)\n", std::string(dup_kind_name(c.kind)).c_str(), c.photos.size());
    for (const DupPhoto& p : c.photos) {
      std::printf("  %s %s  %ux%u", p.best ? "*" : " ", terminal_safe(display_path(p.path)).c_str(), p.width, p.height);
      if (c.kind == DupKind::kNear) std::printf("  distance %d", p.distance);
      std::printf("\n");
    }
  }
  if (!g.quiet) std::printf("\n%zu exact and %zu near-duplicate clusters (* = best copy)\n", exact, near);
  return kExitOk;
}

}  // namespace

void add_dups_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand(
      "dups", "List exact and near-duplicate photos (stored at ingest; the best copy is marked)");
  auto args = std::make_shared<DupsArgs>();
  cmd->add_flag("--json", args->json, "Print one JSON document on stdout");
  cmd->add_option("--threshold", args->threshold,
                  "Largest PHash distance that joins two photos (default: every stored pair; ingest "
                  "searches up to 16 below 20,000 photos, 14 below 100,000, else " +
                      std::to_string(DupOptions{}.phash_radius) + ")")
      ->check(CLI::Range(0, 64))
      ->type_name("N");
  cmd->add_flag("--update", args->update, "Check the photos added since the last update first");
  cmd->add_option("--not-duplicate", args->not_duplicate,
                  "Record that photos A and B are not copies of each other (never grouped again)")
      ->expected(2)
      ->type_name("A B");
  cmd->add_option("--best", args->best, "Record that PHOTO is the best copy of its cluster")->type_name("PHOTO");
  cmd->add_option("--user", args->user, "Who decides, with --not-duplicate or --best (default: $KHO_USER)")
      ->type_name("NAME");
  cmd->add_flag("--rebuild", args->rebuild,
                "Recompute every pair first (slow: each photo's thumbnail is compared with its 16 nearest "
                "look-alikes)");
  cmd->callback([&g, args] { set_command([&g, args] { return run_dups(g, *args); }); });
}

}  // namespace kho::app
