// The duplicate-finder evaluation set (docs/duplicates.md): items made from base photos, videos and
// unrelated images, each with its ground truth. Built in memory, optionally written to a folder with
// truth.tsv so `kho ingest` + `kho dups --json` can be scored the same way (score_dups.py).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kho::eval {

struct Item {
  std::string name;      // file name when written out
  std::string bytes;     // encoded image (JPEG or PNG)
  std::string category;  // "base", "positive", "mirror", "video", "crop", "unrelated"
  std::string transform; // for positives: resize50, jpeg_q, crop, …; empty otherwise
  int group = 0;         // copies of one photo share a group (mirrors too, scored apart)
  int scene = -1;        // hard negatives of one scene share a scene (video clip, large photo)
};

struct SetOptions {
  std::string photos_dir;            // base photos (../shared/photos)
  std::vector<std::string> videos;   // clips for the burst-like hard negatives
  std::string unrelated_dir;         // extra unrelated images
  int max_bases = 1000;
  std::uint64_t seed = 1;
};

// Builds the set; prints progress on stderr. Bases that are copies of an earlier base (the test
// collections hold one picture in several files) are left out, so the truth stays true.
std::vector<Item> build_eval_set(const SetOptions& options);

// Reads a set written with its truth.tsv (kho-dups-eval --write DIR); empty when unreadable.
std::vector<Item> read_eval_set(const std::string& dir);

}  // namespace kho::eval
