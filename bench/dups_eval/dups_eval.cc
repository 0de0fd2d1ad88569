// kho-dups-eval: builds the evaluation set, runs it through the ingest's own thumbnailer and the
// duplicate finder (index → EXIF rule → OpenCvPairVerifier → union-find) and scores it against plain
// PHash at threshold 10. Prints one JSON document. See docs/duplicates.md for the figures.
//
//   kho-dups-eval [--photos DIR] [--video FILE]... [--unrelated DIR] [--radius R] [--write DIR]
//                 [--pairs FILE.tsv]
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <span>
#include <thread>

#include "core/dups/src/dups_internal.h"  // PhashIndex, candidate_pairs (through kho::internals)
#include "core/dups/src/dups_internal.h"
#include "eval_set.h"
#include "kho/thumbnailer/pair_verifier.h"
#include "kho/thumbnailer/thumbnailer.h"
#include "scoring.h"

namespace {

struct Processed {
  kho::Photo photo;
  std::string grid;
  bool ok = false;
};

}  // namespace

int main(int argc, char** argv) {
  kho::eval::SetOptions set;
  set.photos_dir = KHO_SOURCE_DIR "/../shared/photos";
  set.unrelated_dir = "/usr/share/doc/opencv-doc/examples/data";
  std::string write_dir, pairs_file, from_dir;
  int radius = -1;  // default: what update_duplicates would use for a set this size
  bool default_videos = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--photos") set.photos_dir = next();
    else if (a == "--video") set.videos.push_back(next()), default_videos = false;
    else if (a == "--unrelated") set.unrelated_dir = next();
    else if (a == "--radius") radius = std::stoi(next());
    else if (a == "--write") write_dir = next();
    else if (a == "--pairs") pairs_file = next();
    else if (a == "--from") from_dir = next();
    else if (a == "--max-bases") set.max_bases = std::stoi(next());
    else {
      std::fprintf(stderr, "usage: see bench/dups_eval/README.md\n");
      return 2;
    }
  }
  if (default_videos) {
    for (const char* v : {"vtest.avi", "Megamind.avi", "tree.avi"})
      set.videos.push_back(std::string("/usr/share/doc/opencv-doc/examples/data/") + v);
  }
  // A set written by an earlier --write is read back as is (quicker while tuning).
  std::vector<kho::eval::Item> items =
      from_dir.empty() ? kho::eval::build_eval_set(set) : kho::eval::read_eval_set(from_dir);

  if (!write_dir.empty()) {
    std::filesystem::create_directories(write_dir);
    std::ofstream truth(write_dir + "/truth.tsv");
    truth << "name\tcategory\ttransform\tgroup\tscene\n";
    for (const auto& it : items) {
      std::ofstream(write_dir + "/" + it.name, std::ios::binary) << it.bytes;
      truth << it.name << '\t' << it.category << '\t' << it.transform << '\t' << it.group << '\t' << it.scene
            << '\n';
    }
  }

  // Each item through the same thumbnailer as `kho ingest` (grid thumbnail + signatures).
  kho::thumb::Thumbnailer thumbnailer;
  std::vector<Processed> done(items.size());
  std::atomic<std::size_t> next{0};
  auto process = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < items.size();) {
      const std::string& b = items[i].bytes;
      auto r = thumbnailer.process(std::span(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()), 1);
      if (!r.ok()) continue;
      Processed& p = done[i];
      p.photo.digest.bytes[0] = static_cast<std::uint8_t>(i & 0xff);
      p.photo.digest.bytes[1] = static_cast<std::uint8_t>((i >> 8) & 0xff);
      p.photo.digest.bytes[2] = static_cast<std::uint8_t>((i >> 16) & 0xff);
      p.photo.width = r->width;
      p.photo.height = r->height;
      p.photo.sig = r->sig;
      p.photo.has_signatures = true;
      p.grid = std::move(r->grid_jpeg);
      p.ok = true;
    }
  };
  {
    std::thread t(process);
    process();
    t.join();
  }
  std::vector<std::uint64_t> hashes;
  std::vector<std::size_t> item_of;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!done[i].ok) {
      std::fprintf(stderr, "eval: %s could not be processed\n", items[i].name.c_str());
      continue;
    }
    item_of.push_back(i);
    hashes.push_back(done[i].photo.sig.phash);
  }

  if (radius < 0) radius = kho::search_radius(kho::DupOptions{}, hashes.size());
  kho::PhashIndex index(hashes, radius);
  // The candidates update_duplicates() checks: each photo's nearest neighbours within the radius.
  auto candidates = kho::candidate_pairs(index, std::vector<bool>(hashes.size(), true), radius,
                                         kho::DupOptions{}.max_candidates_per_photo, 2);
  kho::thumb::OpenCvPairVerifier verifier;
  std::vector<kho::PairVerdict> verdicts(candidates.size());
  next = 0;
  auto verify = [&] {
    for (std::size_t c; (c = next.fetch_add(1)) < candidates.size();) {
      const Processed& a = done[item_of[candidates[c].a]];
      const Processed& b = done[item_of[candidates[c].b]];
      auto v = verifier.verify(a.photo, a.grid, b.photo, b.grid);
      verdicts[c] = v.ok() ? *v : kho::PairVerdict{false, 0, v.status().message()};
    }
  };
  {
    std::thread t(verify);
    verify();
    t.join();
  }

  std::vector<kho::eval::Truth> truth;
  for (std::size_t k : item_of)
    truth.push_back({items[k].category, items[k].transform, items[k].group, items[k].scene});
  std::vector<std::pair<std::size_t, std::size_t>> ours, baseline;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (verdicts[c].duplicate) ours.emplace_back(candidates[c].a, candidates[c].b);
  }
  for (const auto& p : index.all_pairs(10, 2)) baseline.emplace_back(p.a, p.b);

  if (!pairs_file.empty()) {
    std::ofstream out(pairs_file);
    out << "a\tb\tdistance\tsame_group\tsame_scene\tduplicate\treason\n";
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const auto& ta = truth[candidates[c].a];
      const auto& tb = truth[candidates[c].b];
      out << items[item_of[candidates[c].a]].name << '\t' << items[item_of[candidates[c].b]].name << '\t'
          << candidates[c].distance << '\t' << (ta.group == tb.group) << '\t'
          << (ta.scene >= 0 && ta.scene == tb.scene) << '\t' << verdicts[c].duplicate << '\t' << verdicts[c].reason
          << '\n';
    }
  }
  std::printf("{\"items\":%zu,\"radius\":%d,\"candidates\":%zu,\n \"kho\":%s,\n \"phash10\":%s}\n", truth.size(),
              radius, candidates.size(), kho::eval::score_json(truth, ours).c_str(),
              kho::eval::score_json(truth, baseline).c_str());
  return 0;
}
