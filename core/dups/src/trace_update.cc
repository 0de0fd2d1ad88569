// update_traces(): web copies → camera originals (kho/trace.h, docs/tracing.md).
//
// 1. One snapshot: every resolved link whose file may be a web copy, its candidates (stored duplicate pairs,
//    and the event's photos within event_radius that the finder never compared), the input fingerprint;
//    stored records whose fingerprint still matches are kept, records of links that left are dropped.
// 2. The rest in chunks, each in its own snapshot: verify the event candidates on grid thumbnails, group
//    the confirmed ones into exposures, split bursts on previews, decide; close the snapshot; write.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <thread>
#include <unordered_map>

#include "dups_format.h"
#include "dups_internal.h"
#include "kho/trace.h"
#include "trace_format.h"

namespace kho {
namespace {

constexpr std::uint64_t kAlgorithmVersion = 5;  // part of the fingerprint: a new rule redoes every record
constexpr std::size_t kItemsPerChunk = 256;

struct Item {
  std::string article_id;
  std::uint32_t position = 0;
  Digest copy;
  std::string event_id;
  std::vector<Digest> confirmed;  // stored duplicate pairs (already verified on grid thumbnails)
  std::vector<Digest> to_check;   // event photos near in PHash, never compared
  std::uint64_t fingerprint = 0;
};

std::uint64_t fnv(std::uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return h;
}

bool has_camera_exif(const Metadata& m) { return m.make || m.model || m.datetime_original; }
std::uint64_t pixels(const Photo& p) { return std::uint64_t{p.width} * p.height; }

bool may_be_web_copy(const Link& link, const Photo& p, const TraceOptions& o) {
  if (link.method == LinkMethod::kEmbedded) return true;
  if (link.path.find("_files/") != std::string::npos) return true;
  if (!has_camera_exif(p.meta)) return true;
  return pixels(p) <= o.web_max_pixels || std::max(p.width, p.height) <= o.web_max_long_side;
}

// An original has more pixels than the copy, and camera EXIF or a frame larger than any web copy.
bool may_be_original_of(const Photo& cand, const Photo& copy, const TraceOptions& o) {
  if (pixels(cand) <= pixels(copy)) return false;
  return has_camera_exif(cand.meta) || pixels(cand) > o.web_max_pixels;
}

// Runs fn(i) for i in [0, n) on `threads` threads.
void parallel_for(std::size_t n, int threads, const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < threads && static_cast<std::size_t>(w) < n; ++w) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Step 1: the items, and the records to keep or drop.
Status collect(Catalog& catalog, const TraceOptions& o, std::vector<Item>* redo, WriteBatch* drops,
               TraceSummary* summary) {
  auto snap_or = catalog.snapshot();
  if (!snap_or.ok()) return snap_or.status();
  const Snapshot& snap = **snap_or;
  std::map<std::string, TraceRecord> stored;  // record key → record
  KHO_RETURN_IF_ERROR(
      snap.raw_scan(db::kTraces, std::string(1, tracefmt::kRecord), [&](std::string_view k, std::string_view v) {
        auto r = tracefmt::decode(v);
        if (!r) return ScanStep(Status::Corruption("traces: bad record"));
        tracefmt::split_link_part(k.substr(1), &r->article_id, &r->position);
        stored.emplace(std::string(k), std::move(*r));
        return ScanStep::Continue();
      }));
  std::unordered_map<std::string, Photo> photos;  // digest bytes → photo
  auto photo = [&](const Digest& d) -> const Photo* {
    std::string key(d.view());
    auto it = photos.find(key);
    if (it != photos.end()) return &it->second;
    auto p = snap.photo(d);
    if (!p.ok()) return nullptr;
    return &photos.emplace(key, std::move(*p)).first->second;
  };
  auto phash = [&](const Digest& d) -> std::optional<std::uint64_t> {
    auto v = snap.raw_get(db::kDups, dupsfmt::indexed_key(d));
    if (!v.ok()) return std::nullopt;
    return dupsfmt::decode_u64(*v);
  };
  std::unordered_map<std::string, std::vector<EventFile>> event_files;
  // Photos each article links itself: one of them is never the original of another of its references (two
  // references to two copies are two photos the article shows on purpose).
  // Links come in key order, so one article's are together: only the current article's set is kept.
  std::string cached_article;
  std::set<Digest> cached_photos;
  auto linked_by_article = [&](const std::string& article_id) -> const std::set<Digest>& {
    if (article_id == cached_article) return cached_photos;
    cached_article = article_id;
    cached_photos.clear();
    auto links = snap.article_links(article_id);
    if (links.ok())
      for (const Link& l : *links)
        if (l.digest) cached_photos.insert(*l.digest);
    return cached_photos;
  };
  std::set<std::string> live;
  Status failed = Status::OK();
  KHO_RETURN_IF_ERROR(snap.for_each_link([&](const Link& link) {
    if (!link.digest) return true;
    if (o.corrected.contains({link.article_id, link.position})) return true;
    auto copy_or = snap.photo(*link.digest);  // not cached: every linked photo passes here once
    if (!copy_or.ok() || !may_be_web_copy(link, *copy_or, o)) return true;
    const Photo* copy = &*copy_or;
    ++summary->considered;
    Item item;
    item.article_id = link.article_id;
    item.position = link.position;
    item.copy = *link.digest;
    auto file = snap.file(link.path);
    if (file.ok()) item.event_id = file->event_id;
    // Confirmed copies (both directions are stored), and the ones the finder rejected.
    std::set<Digest> seen = linked_by_article(link.article_id);  // the copy itself among them
    Status st = snap.raw_scan(db::kDups, dupsfmt::pair_prefix(item.copy), [&](std::string_view k, std::string_view) {
      if (k.size() != 65) return ScanStep::Continue();
      Digest other = dupsfmt::digest_at(k, 33);
      if (!seen.insert(other).second) return ScanStep::Continue();
      const Photo* p = photo(other);
      if (p && may_be_original_of(*p, *copy, o)) item.confirmed.push_back(other);
      return ScanStep::Continue();
    });
    if (!st.ok()) {
      failed = st;
      return false;
    }
    // The event's photos near in PHash that the finder did not compare (or rejected: its verdict stands).
    const auto h = phash(item.copy);
    if (h && !item.event_id.empty()) {
      auto it = event_files.find(item.event_id);
      if (it == event_files.end()) {
        auto files = snap.event_files(item.event_id);
        it = event_files.emplace(item.event_id, files.ok() ? std::move(*files) : std::vector<EventFile>{}).first;
      }
      std::vector<std::pair<int, Digest>> near;
      for (const EventFile& f : it->second) {
        if (seen.contains(f.digest)) continue;
        seen.insert(f.digest);
        const Digest& lo = std::min(item.copy, f.digest);
        const Digest& hi = std::max(item.copy, f.digest);
        if (snap.raw_get(db::kDups, dupsfmt::pair_key(dupsfmt::kRejected, lo, hi)).ok()) continue;
        auto fh = phash(f.digest);
        if (!fh) continue;
        const int d = hamming64(*h, *fh);
        if (d > o.event_radius) continue;
        const Photo* p = photo(f.digest);
        if (p && may_be_original_of(*p, *copy, o)) near.emplace_back(d, f.digest);
      }
      std::sort(near.begin(), near.end());
      if (near.size() > static_cast<std::size_t>(o.max_event_candidates)) near.resize(o.max_event_candidates);
      for (const auto& [d, digest] : near) item.to_check.push_back(digest);
    }
    std::sort(item.confirmed.begin(), item.confirmed.end());
    std::vector<Digest> all = item.confirmed;
    all.insert(all.end(), item.to_check.begin(), item.to_check.end());
    std::sort(all.begin(), all.end());
    std::uint64_t fp = fnv(14695981039346656037ULL,
                           std::string_view(reinterpret_cast<const char*>(&kAlgorithmVersion), 8));
    fp = fnv(fp, item.copy.view());
    for (const Digest& d : all) fp = fnv(fp, d.view());
    item.fingerprint = fp;
    const std::string key = tracefmt::record_key(item.article_id, item.position);
    live.insert(key);
    auto old = stored.find(key);
    if (old != stored.end() && old->second.fingerprint == fp && old->second.copy == item.copy) return true;
    redo->push_back(std::move(item));
    return true;
  }));
  KHO_RETURN_IF_ERROR(failed);
  // Records of links that left, were relinked by people, or are no web copies any more.
  for (const auto& [key, rec] : stored) {
    if (live.contains(key)) continue;
    drops->raw_delete(db::kTraces, key);
    if (rec.original)
      drops->raw_delete(db::kTraces, tracefmt::by_original_key(*rec.original, rec.article_id, rec.position));
  }
  return Status::OK();
}

// Step 2, one chunk: decides `items` and adds their records to `out` (replacing the stored ones).
Status decide_chunk(Catalog& catalog, const PairVerifier& verifier, const PairVerifier& fine, const TraceOptions& o,
                    std::span<const Item> items, WriteBatch* out, TraceSummary* summary) {
  auto snap_or = catalog.snapshot();
  if (!snap_or.ok()) return snap_or.status();
  const Snapshot& snap = **snap_or;
  std::map<Digest, Photo> photos;
  auto photo = [&](const Digest& d) -> const Photo* {
    auto it = photos.find(d);
    if (it != photos.end()) return &it->second;
    auto p = snap.photo(d);
    if (!p.ok()) return nullptr;
    return &photos.emplace(d, std::move(*p)).first->second;
  };
  // Grid checks of the event candidates.
  struct Check {
    std::size_t item;
    const Photo* copy;
    const Photo* cand;
    std::string_view ta, tb;
    PairVerdict verdict;
  };
  std::vector<Check> checks;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Photo* copy = photo(items[i].copy);
    auto ta = snap.thumb_view(items[i].copy, ThumbSize::kGrid);
    if (!copy || !ta.ok()) continue;
    for (const Digest& d : items[i].to_check) {
      const Photo* cand = photo(d);
      auto tb = snap.thumb_view(d, ThumbSize::kGrid);
      if (cand && tb.ok()) checks.push_back({i, copy, cand, *ta, *tb, {}});
    }
  }
  summary->grid_checks += checks.size();
  parallel_for(checks.size(), o.threads, [&](std::size_t k) {
    Check& c = checks[k];
    auto v = verifier.verify(*c.copy, c.ta, *c.cand, c.tb);
    c.verdict = v.ok() ? *v : PairVerdict{};
  });
  std::vector<std::vector<Digest>> confirmed(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) confirmed[i] = items[i].confirmed;
  for (const Check& c : checks)
    if (c.verdict.duplicate) confirmed[c.item].push_back(c.cand->digest);

  // Event first: when a confirmed candidate has a file in the event, the others are not considered.
  auto in_event = [&](const Digest& d, const std::string& event_id) {
    auto files = snap.photo_files(d);
    if (!files.ok()) return false;
    return std::any_of(files->begin(), files->end(), [&](const File& f) { return f.event_id == event_id; });
  };
  auto stored_pair = [&](const Digest& a, const Digest& b) {
    return snap.raw_get(db::kDups, dupsfmt::pair_key(dupsfmt::kPair, a, b)).ok();
  };
  struct Fine {
    std::size_t item;
    const Photo* copy;
    const Photo* cand;
    std::string_view ta, tb;
    PairVerdict verdict;
    bool ok = false;
  };
  std::vector<TraceRecord> records(items.size());
  std::vector<std::vector<Digest>> reps(items.size());  // one per exposure, when there are several
  std::vector<std::size_t> burst;                       // items with two or more exposures
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    TraceRecord& r = records[i];
    r.article_id = it.article_id;
    r.position = it.position;
    r.copy = it.copy;
    r.fingerprint = it.fingerprint;
    std::vector<Digest> cands = confirmed[i];
    std::sort(cands.begin(), cands.end());
    cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
    std::vector<const Photo*> ps;
    for (const Digest& d : cands)
      if (const Photo* p = photo(d)) ps.push_back(p);
    if (!it.event_id.empty()) {
      std::vector<const Photo*> local;
      for (const Photo* p : ps)
        if (in_event(p->digest, it.event_id)) local.push_back(p);
      if (!local.empty()) ps = std::move(local);
    }
    if (ps.empty()) continue;  // kNone
    // Exposures: copies with one capture time, or a stored duplicate pair, are one shot.
    UnionFind uf(ps.size());
    for (std::size_t a = 0; a < ps.size(); ++a) {
      for (std::size_t b = a + 1; b < ps.size(); ++b) {
        const Metadata &ma = ps[a]->meta, &mb = ps[b]->meta;
        const bool same_time = ma.datetime_original && mb.datetime_original && !distinct_exposures(ma, mb) &&
                               *ma.datetime_original == *mb.datetime_original;
        if (same_time || (!distinct_exposures(ma, mb) && stored_pair(ps[a]->digest, ps[b]->digest))) uf.unite(a, b);
      }
    }
    for (const auto& group : uf.groups(1)) {
      std::vector<CopyFacts> facts;
      for (std::size_t m : group)
        facts.push_back({pixels(*ps[m]), ps[m]->meta.datetime_original.has_value(), 0, ps[m]->digest.hex()});
      reps[i].push_back(ps[group[best_copy(facts)]]->digest);
    }
    if (reps[i].size() == 1) {
      r.state = TraceState::kTraced;
      r.original = reps[i][0];
      auto v = snap.raw_get(db::kDups, dupsfmt::pair_key(dupsfmt::kPair, it.copy, reps[i][0]));
      auto pv = v.ok() ? dupsfmt::decode_pair(*v) : std::nullopt;
      r.score = pv ? pv->score : 0.0f;
      for (const Check& c : checks)
        if (c.item == i && c.cand->digest == reps[i][0]) r.score = c.verdict.score;
      continue;
    }
    // A burst: every exposure fits the grid check. Look closer: first on the grid thumbnails (cheap), then on
    // the previews for the exposures the grid thumbnails cannot rule out.
    burst.push_back(i);
  }
  // Stage 1: the burst's exposures scored on grid thumbnails by the fine verifier.
  auto run = [&](ThumbSize size, const std::vector<std::pair<std::size_t, std::vector<Digest>>>& todo) {
    std::vector<Fine> batch;
    for (const auto& [i, ds] : todo) {
      const Photo* copy = photo(items[i].copy);
      auto ta = snap.thumb_view(items[i].copy, size);
      for (const Digest& d : ds) {
        const Photo* cand = photo(d);
        auto tb = snap.thumb_view(d, size);
        Fine f{i, copy, cand, {}, {}, {}, copy && cand && ta.ok() && tb.ok()};
        if (f.ok) f.ta = *ta, f.tb = *tb;
        batch.push_back(f);
      }
    }
    parallel_for(batch.size(), o.threads, [&](std::size_t k) {
      Fine& f = batch[k];
      if (!f.ok) return;
      auto v = fine.verify(*f.copy, f.ta, *f.cand, f.tb);
      if (v.ok()) f.verdict = *v;
      else f.ok = false;
    });
    return batch;
  };
  // Scores of one item's checks among `among` (all when empty), best first (a failed check is left out). When the
  // verifier gives cell residuals over the copy (PairVerdict::cells), a frame's score is its fit minus its
  // third-worst residual over the cells every frame holds and at least one frame fits well (below
  // shared_residual), counted only above residual_floor: a cell that is bad against every frame (a logo, the
  // copy's own border or re-encoding) is the copy's, and a residual every frame stays under differs only by
  // resampling; neither must decide between frames.
  auto scores_of = [&o](const std::vector<Fine>& fs, std::size_t i, const std::set<Digest>& among = {}) {
    std::vector<const Fine*> mine;
    for (const Fine& f : fs)
      if (f.item == i && f.ok && (among.empty() || among.contains(f.cand->digest))) mine.push_back(&f);
    const std::size_t n = mine.empty() ? 0 : mine[0]->verdict.cells.size();
    const bool by_cells = n > 0 && std::all_of(mine.begin(), mine.end(),
                                               [n](const Fine* f) { return f->verdict.cells.size() == n; });
    std::vector<std::size_t> shared;  // cells every frame holds and one of them fits well
    for (std::size_t c = 0; by_cells && c < n; ++c) {
      float best = 1e9f;
      bool held = true;
      for (const Fine* f : mine) {
        held = held && f->verdict.cells[c] >= 0;
        best = std::min(best, f->verdict.cells[c]);
      }
      if (held && best < o.shared_residual) shared.push_back(c);
    }
    std::vector<std::pair<float, Digest>> scored;
    for (const Fine* f : mine) {
      float score = f->verdict.score;
      if (by_cells) {
        std::vector<float> vals;
        for (std::size_t c : shared) vals.push_back(f->verdict.cells[c]);
        std::sort(vals.begin(), vals.end());
        const float third = vals.empty() ? 0.0f : vals[vals.size() >= 3 ? vals.size() - 3 : 0];
        score = f->verdict.fit - std::max(0.0f, third - o.residual_floor) / 255.0f;
      }
      scored.emplace_back(score, f->cand->digest);
    }
    std::sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    return scored;
  };
  static const bool debug = std::getenv("KHO_TRACE_DEBUG") != nullptr;
  std::vector<std::pair<std::size_t, std::vector<Digest>>> todo;
  for (std::size_t i : burst) todo.emplace_back(i, reps[i]);
  const std::vector<Fine> coarse = run(ThumbSize::kGrid, todo);
  summary->grid_checks += coarse.size();
  todo.clear();
  std::map<std::size_t, std::vector<std::pair<float, Digest>>> coarse_scores;
  std::map<std::size_t, std::set<Digest>> kept;  // burst items the grid thumbnails cannot decide: their contenders
  for (std::size_t i : burst) {
    auto scored = scores_of(coarse, i);
    // Exposures the grid thumbnails cannot rule out (or could not check), by the same score the decision uses.
    std::set<Digest> keep;
    for (const Fine& f : coarse) {
      if (f.item != i) continue;
      auto s = std::find_if(scored.begin(), scored.end(), [&](const auto& e) { return e.second == f.cand->digest; });
      if (!f.ok || s == scored.end() || s->first > scored[0].first - o.coarse_margin) keep.insert(f.cand->digest);
    }
    // KHO_TRACE_DEBUG (bench/trace/README.md): every exposure is also scored on previews and every score is
    // printed; the decisions stay the same.
    if (keep.size() > 1) kept[i] = keep;
    if (debug || keep.size() > 1) todo.emplace_back(i, debug ? reps[i] : std::vector<Digest>(keep.begin(), keep.end()));
    coarse_scores[i] = std::move(scored);
  }
  const std::vector<Fine> fines = run(ThumbSize::kPreview, todo);
  summary->fine_checks += fines.size();
  for (std::size_t i : burst) {
    TraceRecord& r = records[i];
    const auto contenders = kept.find(i);
    const bool on_previews = contenders != kept.end();
    std::vector<std::pair<float, Digest>> scored = on_previews ? scores_of(fines, i, contenders->second)
                                                               : coarse_scores[i];
    if (debug) {
      auto name = [&](const Digest& d) {
        auto p = photo(d);
        return p ? p->first_path.substr(p->first_path.rfind('/') + 1) : d.hex();
      };
      const Photo* copy = photo(items[i].copy);
      std::fprintf(stderr, "BURST %s", copy ? copy->first_path.c_str() : "?");
      for (const auto& [s, d] : coarse_scores[i]) std::fprintf(stderr, " | grid %s %.4f", name(d).c_str(), s);
      for (const auto& [s, d] : scores_of(fines, i)) std::fprintf(stderr, " | fine %s %.4f", name(d).c_str(), s);
      std::fprintf(stderr, "\n");
      for (const auto* fs : {&coarse, &fines})
        for (const Fine& f : *fs)
          if (f.item == i)
            std::fprintf(stderr, "  %s %s %.4f %s\n", fs == &coarse ? "grid" : "fine", name(f.cand->digest).c_str(),
                         f.verdict.score, f.verdict.reason.c_str());
    }
    const float margin = on_previews ? o.ambiguity_margin : o.coarse_margin;
    if (scored.size() == 1 || (scored.size() >= 2 && scored[0].first - scored[1].first >= margin)) {
      r.state = TraceState::kTraced;
      r.original = scored[0].second;
      r.score = scored[0].first;
      continue;
    }
    r.state = TraceState::kAmbiguous;
    if (scored.empty()) {
      r.candidates = reps[i];
    } else {
      for (const auto& [s, d] : scored) r.candidates.push_back(d);
    }
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const TraceRecord& r = records[i];
    const std::string key = tracefmt::record_key(r.article_id, r.position);
    auto old = snap.raw_get(db::kTraces, key);
    if (old.ok()) {
      auto rec = tracefmt::decode(*old);
      if (rec && rec->original)
        out->raw_delete(db::kTraces, tracefmt::by_original_key(*rec->original, r.article_id, r.position));
    }
    out->raw_put(db::kTraces, key, tracefmt::encode(r));
    if (r.original) out->raw_put(db::kTraces, tracefmt::by_original_key(*r.original, r.article_id, r.position), "");
  }
  return Status::OK();
}

}  // namespace

const char* trace_state_name(TraceState s) {
  switch (s) {
    case TraceState::kTraced: return "traced";
    case TraceState::kAmbiguous: return "ambiguous";
    case TraceState::kNone: break;
  }
  return "none";
}

Result<TraceSummary> update_traces(Catalog& catalog, const PairVerifier& verifier, const PairVerifier& fine_verifier,
                                   const TraceOptions& requested) {
  TraceOptions o = requested;
  if (o.threads <= 0) o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  TraceSummary summary;
  std::vector<Item> redo;
  WriteBatch batch;
  KHO_RETURN_IF_ERROR(collect(catalog, o, &redo, &batch, &summary));
  if (!batch.empty()) KHO_RETURN_IF_ERROR(catalog.write(batch));
  batch.clear();
  for (std::size_t first = 0; first < redo.size(); first += kItemsPerChunk) {
    const std::size_t n = std::min(kItemsPerChunk, redo.size() - first);
    KHO_RETURN_IF_ERROR(decide_chunk(catalog, verifier, fine_verifier, o, std::span<const Item>(redo.data() + first, n),
                                     &batch, &summary));
    KHO_RETURN_IF_ERROR(catalog.write(batch));
    batch.clear();
  }
  summary.redone = redo.size();
  auto snap = catalog.snapshot();
  if (!snap.ok()) return snap.status();
  auto all = list_traces(**snap);
  if (!all.ok()) return all.status();
  for (const TraceRecord& r : *all)
    if (r.state == TraceState::kTraced) ++summary.traced;
  auto amb = list_ambiguous(**snap);
  if (!amb.ok()) return amb.status();
  summary.ambiguous = std::move(*amb);
  return summary;
}

}  // namespace kho
