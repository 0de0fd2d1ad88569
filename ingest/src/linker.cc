// link_article_files (kho/ingest/linker.h): staged, one-to-one matching of references to file names.
#include "kho/ingest/linker.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "kho/ingest/scanner.h"
#include "kho/text.h"

namespace kho::ingest {
namespace {

using kho::NearMissReason;

struct Name {
  std::string raw;
  std::string stem;       // before the last '.'
  std::string ext_class;  // lower-case extension, with jpeg→jpg, tiff→tif, heif→heic
  bool image = false;
};

Name split_name(const std::string& raw) {
  Name n;
  n.raw = raw;
  const std::size_t dot = raw.rfind('.');
  if (dot == std::string::npos || dot == 0) return n;
  n.stem = raw.substr(0, dot);
  std::string ext = raw.substr(dot + 1);
  for (char& c : ext) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (ext == "jpeg" || ext == "jpe") ext = "jpg";
  if (ext == "tiff") ext = "tif";
  if (ext == "heif") ext = "heic";
  static constexpr std::array<std::string_view, 6> kImage = {"jpg", "png", "gif", "webp", "heic", "tif"};
  n.image = std::find(kImage.begin(), kImage.end(), ext) != kImage.end() || ext == "avif" || is_raw_extension(ext);
  n.ext_class = std::move(ext);
  return n;
}

struct Stage {
  LinkMethod method;
  float confidence;
  std::function<std::string(const Name&)> key;
};

const std::vector<Stage>& stages() {
  static const std::vector<Stage> kStages = {
      {LinkMethod::kExact, 1.0f, [](const Name& n) { return n.raw; }},
      {LinkMethod::kNfc, 0.99f, [](const Name& n) { return to_nfc(n.raw); }},
      {LinkMethod::kCaseFolded, 0.97f, [](const Name& n) { return fold_case(n.stem) + "." + n.ext_class; }},
      {LinkMethod::kCompareKey, 0.95f, [](const Name& n) { return compare_key(n.stem) + "." + n.ext_class; }},
      {LinkMethod::kSearchKey, 0.85f, [](const Name& n) { return search_key(n.stem) + "." + n.ext_class; }},
      {LinkMethod::kTelex, 0.8f,
       [](const Name& n) { return search_key(telex_repair(n.stem)) + "." + n.ext_class; }},
  };
  return kStages;
}

// The key the fuzzy stage measures: folded, slips repaired, without the extension.
std::string fuzzy_key(const Name& n) { return search_key(telex_repair(n.stem)); }

// The digit runs of a name: "phòng 2 (1)" → "2,1". Names that differ in a number are different photos.
std::string numbers_of(std::string_view s) {
  std::string out;
  bool in_number = false;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      out.push_back(c);
      in_number = true;
    } else if (in_number) {
      out.push_back(',');
      in_number = false;
    }
  }
  return out;
}

std::size_t count_code_points_of(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::size_t fuzzy_threshold(std::size_t length) {
  if (length < 6) return 0;
  if (length < 12) return 1;
  if (length < 24) return 2;
  return 3;
}

struct State {
  std::vector<Name> refs, files;
  std::vector<kho::Link> links;
  std::vector<bool> ref_done, file_claimed;
  std::vector<std::size_t> claimed_by;  // per file: the reference that took it (valid when file_claimed)

  void claim(std::size_t r, std::size_t f, LinkMethod m, float confidence) {
    links[r].path = files[f].raw;
    links[r].method = m;
    links[r].confidence = confidence;
    ref_done[r] = true;
    file_claimed[f] = true;
    claimed_by[f] = r;
  }
};

struct Pair {
  std::size_t r, f, d;
};

// Pairs up candidates, smallest difference first. A pair whose difference is tied with another pair
// sharing its reference or its file is ambiguous and left for weaker stages (which see the same tie,
// so the reference ends unresolved rather than guessed).
void claim_pairs(State& st, std::vector<Pair> pairs, LinkMethod m, float confidence,
                 const std::function<float(std::size_t)>& confidence_of_d = nullptr) {
  std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) { return a.d < b.d; });
  for (const Pair& p : pairs) {
    if (st.ref_done[p.r] || st.file_claimed[p.f]) continue;
    const bool tied = std::any_of(pairs.begin(), pairs.end(), [&](const Pair& q) {
      return q.d == p.d && (q.r != p.r || q.f != p.f) && (q.r == p.r || q.f == p.f) && !st.ref_done[q.r] &&
             !st.file_claimed[q.f];
    });
    if (tied) continue;
    st.claim(p.r, p.f, m, confidence_of_d ? confidence_of_d(p.d) : confidence);
  }
}

void run_key_stage(State& st, const Stage& stage) {
  if (std::all_of(st.ref_done.begin(), st.ref_done.end(), [](bool b) { return b; })) return;
  std::map<std::string, std::vector<std::size_t>> files_by_key;
  for (std::size_t f = 0; f < st.files.size(); ++f) {
    if (!st.file_claimed[f]) files_by_key[stage.key(st.files[f])].push_back(f);
  }
  std::map<std::string, std::vector<std::size_t>> refs_by_key;
  for (std::size_t r = 0; r < st.refs.size(); ++r) {
    if (!st.ref_done[r]) refs_by_key[stage.key(st.refs[r])].push_back(r);
  }
  std::vector<Pair> pairs;
  for (const auto& [key, refs] : refs_by_key) {
    auto it = files_by_key.find(key);
    if (it == files_by_key.end()) continue;
    const bool contested = refs.size() > 1 || it->second.size() > 1;
    for (std::size_t r : refs) {
      for (std::size_t f : it->second) {
        // Among equal keys, prefer the names that differ least as written (NFC, case kept).
        const std::size_t d = contested ? edit_distance(to_nfc(st.refs[r].raw), to_nfc(st.files[f].raw)) : 0;
        pairs.push_back({r, f, d});
      }
    }
  }
  claim_pairs(st, std::move(pairs), stage.method, stage.confidence);
}

void run_fuzzy_stage(State& st) {
  if (std::all_of(st.ref_done.begin(), st.ref_done.end(), [](bool b) { return b; })) return;
  std::vector<std::string> file_keys(st.files.size());
  for (std::size_t f = 0; f < st.files.size(); ++f) {
    if (!st.file_claimed[f]) file_keys[f] = fuzzy_key(st.files[f]);
  }
  std::vector<Pair> pairs;
  for (std::size_t r = 0; r < st.refs.size(); ++r) {
    if (st.ref_done[r]) continue;
    const std::string key = fuzzy_key(st.refs[r]);
    const std::size_t limit = fuzzy_threshold(count_code_points_of(key));
    if (limit == 0) continue;
    const std::string numbers = numbers_of(key);
    std::size_t best = limit + 1, best_f = 0, at_best = 0;
    for (std::size_t f = 0; f < st.files.size(); ++f) {
      if (st.file_claimed[f] || st.files[f].ext_class != st.refs[r].ext_class) continue;
      if (numbers_of(file_keys[f]) != numbers) continue;
      const std::size_t d = edit_distance(key, file_keys[f]);
      if (d < best) {
        best = d;
        best_f = f;
        at_best = 1;
      } else if (d == best) {
        ++at_best;
      }
    }
    if (best <= limit && at_best == 1) pairs.push_back({r, best_f, best});
  }
  claim_pairs(st, std::move(pairs), LinkMethod::kFuzzy, 0.0f,
              [](std::size_t d) { return 0.75f - 0.1f * static_cast<float>(d); });
}

// Near-misses (kho::NearMiss): for each unresolved or low-confidence reference, the few files the linker
// would look at next, best first, each with why it was not taken. Order: files within the fuzzy stage's
// reach (a key stage's match, or a folded name within its distance), then files no reference took, then
// files another reference took; within each, by distance, then by name.
constexpr std::size_t kMaxNearMisses = 4;
constexpr float kLowConfidence = 0.9f;  // links below this keep their alternatives too

void record_near_misses(State& st) {
  std::vector<std::string> file_keys;
  std::vector<std::vector<std::string>> file_stage_keys;  // per file, each stage's key (computed once)
  for (std::size_t r = 0; r < st.refs.size(); ++r) {
    kho::Link& link = st.links[r];
    const bool resolved = st.ref_done[r];
    if (resolved && link.confidence >= kLowConfidence) continue;
    if (file_keys.empty() && !st.files.empty()) {
      for (const Name& file : st.files) {
        file_keys.push_back(fuzzy_key(file));
        file_stage_keys.emplace_back();
        for (const Stage& stage : stages()) file_stage_keys.back().push_back(stage.key(file));
      }
    }
    const Name& ref = st.refs[r];
    std::vector<std::string> ref_stage_keys;
    for (const Stage& stage : stages()) ref_stage_keys.push_back(stage.key(ref));
    const std::string key = fuzzy_key(ref);
    const std::size_t limit = fuzzy_threshold(count_code_points_of(key));
    const std::string numbers = numbers_of(key);
    struct Ranked {
      int tier;
      kho::NearMiss miss;
      const std::string* name;
    };
    std::vector<Ranked> ranked;
    for (std::size_t f = 0; f < st.files.size(); ++f) {
      const Name& file = st.files[f];
      if (resolved && file.raw == link.path) continue;
      kho::NearMiss m;
      m.path = file.raw;
      m.distance = static_cast<std::uint32_t>(edit_distance(key, file_keys[f]));
      m.method = LinkMethod::kFuzzy;
      for (std::size_t k = 0; k < ref_stage_keys.size(); ++k) {
        if (ref_stage_keys[k] == file_stage_keys[f][k]) {
          m.method = stages()[k].method;
          break;
        }
      }
      const bool same_key = m.method != LinkMethod::kFuzzy;
      const bool in_reach = same_key || (limit > 0 && m.distance <= limit) || m.distance == 0;
      if (st.file_claimed[f] && st.claimed_by[f] != r) {
        m.reason = NearMissReason::kTaken;
        m.taken_by = static_cast<std::uint32_t>(st.claimed_by[f]);
      } else if (file.ext_class != ref.ext_class && in_reach) {
        m.reason = NearMissReason::kOtherType;
      } else if (!same_key && in_reach && numbers_of(file_keys[f]) != numbers) {
        m.reason = NearMissReason::kOtherNumber;
      } else if (in_reach) {
        m.reason = resolved ? NearMissReason::kNotChosen : NearMissReason::kTie;
      } else {
        m.reason = NearMissReason::kTooFar;
      }
      // A low-confidence link's alternatives: only the files within reach.
      if (resolved && !in_reach) continue;
      const int tier = in_reach ? 0 : (m.reason == NearMissReason::kTaken ? 2 : 1);
      ranked.push_back({tier, std::move(m), &file.raw});
    }
    const std::size_t keep = std::min(kMaxNearMisses, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end(),
                      [](const Ranked& a, const Ranked& b) {
                        if (a.tier != b.tier) return a.tier < b.tier;
                        if (a.miss.distance != b.miss.distance) return a.miss.distance < b.miss.distance;
                        return *a.name < *b.name;
                      });
    for (std::size_t i = 0; i < keep; ++i) link.near_misses.push_back(std::move(ranked[i].miss));
  }
}

}  // namespace

LinkResult link_article_files(const kho::Article& article, const std::vector<std::string>& file_names) {
  State st;
  for (const kho::PhotoRef& ref : article.refs) {
    st.refs.push_back(split_name(ref.ref));
    kho::Link link;
    link.article_id = article.id;
    link.position = static_cast<std::uint32_t>(st.links.size());
    link.ref = ref.ref;
    link.caption = ref.caption;
    link.group_caption = ref.group_caption;
    st.links.push_back(std::move(link));
  }
  for (const std::string& raw : file_names) {
    Name n = split_name(raw);
    if (n.image) st.files.push_back(std::move(n));
  }
  st.ref_done.assign(st.refs.size(), false);
  st.file_claimed.assign(st.files.size(), false);
  st.claimed_by.assign(st.files.size(), 0);

  for (const Stage& stage : stages()) run_key_stage(st, stage);
  run_fuzzy_stage(st);
  record_near_misses(st);

  LinkResult out;
  out.links = std::move(st.links);
  for (std::size_t f = 0; f < st.files.size(); ++f) {
    if (!st.file_claimed[f]) out.unclaimed.push_back(st.files[f].raw);
  }
  return out;
}

std::vector<kho::Link> link_article(const kho::Article& article, const std::vector<std::string>& file_names) {
  return link_article_files(article, file_names).links;
}

FolderLinks link_folder(const std::vector<kho::Article>& articles,
                        const std::vector<std::string>& file_names) {
  FolderLinks out;
  std::vector<std::string> claimed;
  for (const kho::Article& a : articles) {
    LinkResult r = link_article_files(a, file_names);
    for (const kho::Link& l : r.links) {
      if (l.method != LinkMethod::kUnresolved) claimed.push_back(l.path);
    }
    out.links.push_back(std::move(r.links));
  }
  std::sort(claimed.begin(), claimed.end());
  for (const std::string& raw : file_names) {
    if (split_name(raw).image && !std::binary_search(claimed.begin(), claimed.end(), raw)) {
      out.orphans.push_back(raw);
    }
  }
  return out;
}

}  // namespace kho::ingest
