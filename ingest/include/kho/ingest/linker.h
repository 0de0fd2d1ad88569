// The linker: resolves an article's photo references to the image files of its event folder.
// See ingest/README.md, "Linker".
//
// Stages, strongest first (kho::LinkMethod):
//   exact        byte-identical name
//   nfc          equal after NFC (names from a Mac are NFD)
//   casefold     equal after case folding ("ẢNH.JPG" = "ảnh.jpg"; .jpg = .jpeg = .jpe, .tif = .tiff,
//                .heic = .heif, in this stage and every later one)
//   tone_placement  equal by compare_key ("hòa" = "hoà")
//   diacritics   equal by search_key ("thăm" = "tham")
//   typing_slip  equal by search_key after telex_repair ("toanf" = "toàn")
//   fuzzy        small edit distance on that folded key: at most 1 for 6–11 characters, 2 for 12–23,
//                3 beyond, never for shorter names; the extensions and the numbers in both names must
//                be the same; and the best file must be the only one at that distance.
// Confidence: 1.0, 0.99, 0.97, 0.95, 0.85, 0.8 for the key stages, 0.75 − 0.1 × distance for fuzzy.
// The assignment is one-to-one: each stage only sees the files no stronger stage has claimed, so the
// exact `thăm bộ phân một cửa.jpg` and `tham bộ phận một cửa.jpg` each keep their own file. When one
// stage finds several equally good pairings, the pair whose names (NFC) differ least wins, and a tie
// is left unresolved: a reference stays unresolved rather than take a file that may be wrong.
//
// Near-misses: each unresolved link, and each link below 0.9 confidence, carries in Link::near_misses the
// best 4 file names it did not take, with the stage that matched (or fuzzy), the distance and the reason
// (kho::NearMissReason); ingest/README.md, "Linker", gives their order. Names here; the pipeline makes the
// paths full and fills the digests.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "kho/model.h"

namespace kho::ingest {

struct LinkResult {
  // One per reference, in order: position = index into Article::refs. Unresolved references have
  // method kUnresolved, confidence 0 and an empty path. `path` is the matched file NAME as given; the
  // pipeline makes it a full path and fills `digest`.
  std::vector<kho::Link> links;
  // The image names that no reference claimed, in input order. Names that are not images (by
  // extension: jpg, jpeg, jpe, png, gif, webp, heic, heif, tif, tiff) are ignored and never listed.
  std::vector<std::string> unclaimed;
};

// Links one article against the file names (raw bytes: maybe NFD, maybe not UTF-8) of its folder.
LinkResult link_article_files(const kho::Article& article, const std::vector<std::string>& file_names);

// The links alone (see link_article_files).
std::vector<kho::Link> link_article(const kho::Article& article, const std::vector<std::string>& file_names);

// Every article of one event folder. Each article is linked on its own (one photo may illustrate two
// articles); `orphans` are the image names that no article claimed: they still belong to the event.
struct FolderLinks {
  std::vector<std::vector<kho::Link>> links;  // parallel to the articles
  std::vector<std::string> orphans;
};
FolderLinks link_folder(const std::vector<kho::Article>& articles,
                        const std::vector<std::string>& file_names);

}  // namespace kho::ingest
