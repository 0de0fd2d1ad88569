// Answering a query from the `terms` index (see kho/search.h for what a query means and how hits rank).
//
// A word's postings are sorted by owner (article, photo, event), so "all the words in the same owner" is
// a merge: the rarest word's postings (the driver, at most kMaxCandidateDocs of them) name the candidate
// owners, and each other word's postings are read only inside those owners: one cursor walk across them
// while that is cheap, else one short prefix scan per owner. Documents are scored from their positions;
// only the best few are decoded for snippets, photos and events.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "kho/search.h"
#include "kho/text.h"
#include "search_format.h"
#include "search_text.h"

namespace kho {
namespace si = search_internal;
namespace {

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kLongQueryWords = 8;       // more distinct words than this: a long (pasted) query
constexpr std::size_t kLongQueryKeep = 6;        // a long query is answered from its rarest words
constexpr std::size_t kMaxCandidateDocs = 1500;  // driver postings looked at; beyond, `more` is set
constexpr std::size_t kMaxLongListDocs = 8000;   // a long query's rarest words: postings read
constexpr std::size_t kMaxLongCandidates = 400;  // a long query's documents checked for its other rare words
constexpr std::size_t kLongQueryScored = 100;    // a long query's best documents scored with every word
constexpr std::size_t kSlipTries = 3;            // alternatives searched for a query with slips
constexpr std::size_t kSlipSampleDocs = 300;     // an alternative is compared on this many driver postings
constexpr std::size_t kSnippetBytes = 240;
constexpr std::size_t kSnippetLead = 80;

struct QueryWord {
  std::string text;    // as typed
  std::string folded;  // search key
  std::string accent;  // compare key (the diacritics as typed)
};

struct Query {
  std::vector<QueryWord> words;                   // in order, repeats kept
  std::vector<std::vector<std::size_t>> phrases;  // quoted groups of two or more words (indexes into words)
  std::string date_from, date_to, event;
};

struct Posting {
  std::string_view doc;    // doc key (owner first), a view into the snapshot's map
  std::string_view value;  // positions
};

// ---------------------------------------------------------------------------------------------------------
// Parsing

bool valid_date_bound(std::string_view d) {
  static constexpr std::size_t kLens[] = {4, 7, 10};
  if (std::find(std::begin(kLens), std::end(kLens), d.size()) == std::end(kLens)) return false;
  for (std::size_t i = 0; i < d.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? d[i] != '-' : (d[i] < '0' || d[i] > '9')) return false;
  }
  return true;
}

Status bad_date(std::string_view v) {
  return Status::InvalidArgument("Bộ lọc ngày không hợp lệ: “" + std::string(v) +
                                 "”. Viết date:2021, date:2021-03, date:2021-03-05 hoặc date:2021-01..2021-06.");
}

Status parse_filter(std::string_view key, std::string_view value, Query& q) {
  if (key == "date" || key == "ngay") {
    const std::size_t dots = value.find("..");
    std::string_view from = value, to = value;
    if (dots != std::string_view::npos) {
      from = value.substr(0, dots);
      to = value.substr(dots + 2);
    }
    if ((from.empty() && to.empty()) || (!from.empty() && !valid_date_bound(from)) ||
        (!to.empty() && !valid_date_bound(to)))
      return bad_date(value);
    q.date_from = std::string(from);
    q.date_to = std::string(to);
    return Status::OK();
  }
  // key == "event"
  bool hex = value.size() == 16;
  for (char c : value) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!hex)
    return Status::InvalidArgument("Bộ lọc sự kiện không hợp lệ: “" + std::string(value) +
                                   "”. Viết event: và mã sự kiện 16 chữ số hex, như trong địa chỉ trang sự kiện.");
  q.event = std::string(value);
  return Status::OK();
}

void add_words(std::string_view text, Query& q, bool phrase) {
  std::vector<std::size_t> group;
  for (const si::Token& t : si::tokenize(text)) {
    group.push_back(q.words.size());
    std::string word(text.substr(t.begin, t.end - t.begin));
    std::string accent = compare_key(word);
    q.words.push_back({std::move(word), t.folded, std::move(accent)});
  }
  if (phrase && group.size() > 1) q.phrases.push_back(std::move(group));
}

// Quotes ("…" or “…”) make phrases; `date:` and `event:` chunks are filters; the rest are words.
Result<Query> parse_query(std::string_view s) {
  Query q;
  std::string loose;
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < s.size()) {
    const bool ascii_quote = s[i] == '"';
    const bool curly_quote = s.compare(i, 3, "\xe2\x80\x9c") == 0;  // “
    if (ascii_quote || curly_quote) {
      add_words(loose, q, false);
      loose.clear();
      const std::size_t open = i + (ascii_quote ? 1 : 3);
      const std::size_t close = s.find(ascii_quote ? "\"" : "\xe2\x80\x9d", open);  // ” closes “
      if (close == std::string_view::npos) {  // a stray quote (pasted text): not a phrase
        loose.push_back(' ');
        i = open;
        continue;
      }
      add_words(s.substr(open, close - open), q, true);
      i = close + (ascii_quote ? 1 : 3);
      continue;
    }
    if (is_space(s[i])) {
      loose.push_back(' ');
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < s.size() && !is_space(s[end]) && s[end] != '"') ++end;
    std::string_view chunk = s.substr(i, end - i);
    const std::size_t colon = chunk.find(':');
    if (colon != std::string_view::npos) {
      std::string key = search_key(chunk.substr(0, colon));
      if (key == "date" || key == "ngay" || key == "event") {
        KHO_RETURN_IF_ERROR(parse_filter(key, chunk.substr(colon + 1), q));
        i = end;
        continue;
      }
    }
    loose.append(chunk);
    i = end;
  }
  add_words(loose, q, false);
  return q;
}

// ---------------------------------------------------------------------------------------------------------
// Reading postings

// The first 8 bytes of a doc key as a big-endian number (zero-padded): ordering by it, then by the whole
// key, is the keys' byte order.
std::uint64_t key_head(std::string_view doc) {
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < 8; ++i) h = (h << 8) | (i < doc.size() ? static_cast<std::uint8_t>(doc[i]) : 0u);
  return h;
}

std::string list_prefix(const std::string& word) {
  std::string p(1, si::kPostingPrefix);
  p += word;
  p.push_back('\0');
  return p;
}

// An estimate of how many postings `word` has, from its first kSample: exact below that, else from how far
// into its owners' id space the sample reached (article and event ids are hex digests, photo owners raw
// digest bytes: both spread evenly), so rare and common words are told apart for ~64 cursor steps.
Result<double> estimate(const Snapshot& snap, const std::string& word) {
  constexpr std::size_t kSample = 64;
  const std::string prefix = list_prefix(word);
  std::size_t n = 0, in_kind = 0;
  char kind = 0;
  std::string_view last;
  Status st = snap.raw_seek(db::kTerms, prefix, [&](std::string_view key, std::string_view) {
    if (key.size() < prefix.size() || std::memcmp(key.data(), prefix.data(), prefix.size()) != 0)
      return ScanStep::Stop();
    last = key.substr(prefix.size());
    if (last.empty() || last[0] != kind) {
      kind = last.empty() ? 0 : last[0];
      in_kind = 0;
    }
    ++in_kind;
    return ++n >= kSample ? ScanStep::Stop() : ScanStep::Continue();
  });
  if (!st.ok() && !st.is_not_found()) return st;
  std::string_view owner = si::doc_owner(last);
  if (n < kSample || owner.size() < 6) return static_cast<double>(n);
  double frac = 0;
  if (kind == si::kOwnerPhoto) {
    for (std::size_t i = 2; i < 6; ++i) frac = frac * 256 + static_cast<std::uint8_t>(owner[i]);
  } else {
    for (std::size_t i = 2; i < std::min<std::size_t>(owner.size(), 10); ++i) {
      const char c = owner[i];
      frac = frac * 16 + (c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : 0);
    }
  }
  frac = (frac + 1) / 4294967296.0;
  return static_cast<double>(n - in_kind) + static_cast<double>(in_kind) / frac;
}

// The first `cap` postings of `word` (sets *truncated when there were more).
Status load_list(const Snapshot& snap, const std::string& word, std::size_t cap, std::vector<Posting>& out,
                 bool* truncated) {
  const std::string prefix = list_prefix(word);
  std::size_t taken = 0;
  // raw_seek with the prefix checked here: raw_scan would wrap this visitor in another std::function.
  Status st = snap.raw_seek(db::kTerms, prefix, [&](std::string_view key, std::string_view val) {
    if (key.size() < prefix.size() || std::memcmp(key.data(), prefix.data(), prefix.size()) != 0)
      return ScanStep::Stop();
    if (taken++ >= cap) {
      *truncated = true;
      return ScanStep::Stop();
    }
    out.push_back({key.substr(prefix.size()), val});
    return ScanStep::Continue();
  });
  return st.is_not_found() ? Status::OK() : st;
}

// The postings of `word` inside each of `owners` (sorted, distinct): out[k] for owners[k]. One cursor walk
// across the owners while it stays within a budget; beyond it, one prefix scan per remaining owner.
Status fetch_in_owners(const Snapshot& snap, const std::string& word, const std::vector<std::string_view>& owners,
                       std::vector<std::vector<Posting>>& out) {
  out.assign(owners.size(), {});
  if (owners.empty()) return Status::OK();
  const std::string prefix = list_prefix(word);
  const std::size_t budget = 8 * owners.size() + 256;
  std::size_t k = 0, walked = 0;
  bool over_budget = false;
  Status st = snap.raw_seek(db::kTerms, prefix + std::string(owners[0]),
                            [&](std::string_view key, std::string_view val) {
                              if (key.substr(0, prefix.size()) != prefix) return ScanStep::Stop();
                              std::string_view doc = key.substr(prefix.size());
                              std::string_view owner = si::doc_owner(doc);
                              while (k < owners.size() && owners[k] < owner) ++k;
                              if (k == owners.size()) return ScanStep::Stop();
                              if (owners[k] == owner) out[k].push_back({doc, val});
                              if (++walked >= budget) {
                                over_budget = true;
                                return ScanStep::Stop();
                              }
                              return ScanStep::Continue();
                            });
  if (!st.ok() && !st.is_not_found()) return st;
  if (!over_budget) return Status::OK();
  for (std::size_t j = k; j < owners.size(); ++j) {
    out[j].clear();
    const std::string p = prefix + std::string(owners[j]);
    st = snap.raw_scan(db::kTerms, p, [&](std::string_view key, std::string_view val) {
      out[j].push_back({key.substr(prefix.size()), val});
      return ScanStep::Continue();
    });
    if (!st.ok() && !st.is_not_found()) return st;
  }
  return Status::OK();
}

// The values of `word`'s postings for `docs` (sorted, distinct doc keys): out[k] for docs[k], empty when the
// word is not in it. One cursor walk from the first while it costs at most 8 steps a document, else one
// lookup per remaining document.
Status lookup_in_docs(const Snapshot& snap, const std::string& word, const std::vector<std::string_view>& docs,
                      std::vector<std::string_view>& out) {
  out.assign(docs.size(), {});
  if (docs.empty()) return Status::OK();
  const std::string prefix = list_prefix(word);
  const std::size_t budget = 8 * docs.size() + 64;
  std::size_t k = 0, walked = 0;
  Status st = snap.raw_seek(db::kTerms, prefix + std::string(docs[0]), [&](std::string_view key, std::string_view val) {
    if (key.size() < prefix.size() || std::memcmp(key.data(), prefix.data(), prefix.size()) != 0)
      return ScanStep::Stop();
    const std::string_view doc = key.substr(prefix.size());
    while (k < docs.size() && docs[k] < doc) ++k;
    if (k == docs.size()) return ScanStep::Stop();
    if (docs[k] == doc) out[k++] = val;
    if (k == docs.size()) return ScanStep::Stop();
    return ++walked >= budget ? ScanStep::Stop() : ScanStep::Continue();
  });
  if (!st.ok() && !st.is_not_found()) return st;
  if (walked < budget) {  // the walk reached the list's end or the last document: the rest are absent
    return Status::OK();
  }
  for (; k < docs.size(); ++k) {
    Result<std::string_view> v = snap.raw_get(db::kTerms, si::posting_key(word, docs[k]));
    if (v.ok()) out[k] = *v;
    else if (!v.status().is_not_found()) return v.status();
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------------------------------------
// Scoring

double field_weight(SearchField f) {
  switch (f) {
    case SearchField::kTitle: return 6;
    case SearchField::kCaption: return 5;
    case SearchField::kPhoto: return 4;
    case SearchField::kEvent: return 4;
    case SearchField::kDetails: return 3;
    case SearchField::kBody: return 1;
  }
  return 1;
}

// One scored document. Its postings' values (one per term, empty when the term is not in it) live in
// Engine::values from `first`: no allocation per candidate.
struct Candidate {
  std::string_view doc;  // a view into the snapshot's map
  std::size_t first = 0;
  std::size_t matched = 0;
  bool all_words = false;
  bool adjacent = false;
  double score = 0;
};

// Whether words (as term indexes, in query order) occur consecutively somewhere: each next word at the same
// position (an abbreviation and its expansion share one) or the one after.
bool consecutive(const std::vector<std::size_t>& seq, const std::vector<std::vector<std::uint32_t>>& pos) {
  if (seq.empty()) return false;
  for (std::size_t t : seq)
    if (pos[t].empty()) return false;
  for (std::uint32_t start : pos[seq[0]]) {
    // Depth-first over the (at most two) ways each next word can follow.
    std::vector<std::pair<std::size_t, std::uint32_t>> stack = {{1, start}};
    while (!stack.empty()) {
      auto [i, at] = stack.back();
      stack.pop_back();
      if (i == seq.size()) return true;
      const auto& p = pos[seq[i]];
      for (std::uint32_t d : {1u, 0u})
        if (std::binary_search(p.begin(), p.end(), at + d)) stack.push_back({i + 1, at + d});
    }
  }
  return false;
}

struct Plan {
  std::vector<std::string> terms;                 // distinct folded words
  std::vector<std::size_t> sequence;              // the query's words as term indexes, in order
  std::vector<std::vector<std::size_t>> phrases;  // as term indexes
  std::vector<double> weight;                     // per term: rarer is heavier
};

Plan make_plan(const Query& q) {
  Plan p;
  std::map<std::string, std::size_t> index;
  for (const QueryWord& w : q.words) {
    if (w.folded.size() > si::kMaxWordBytes) continue;
    auto [it, added] = index.emplace(w.folded, p.terms.size());
    if (added) p.terms.push_back(w.folded);
    p.sequence.push_back(it->second);
  }
  for (const auto& group : q.phrases) {
    std::vector<std::size_t> g;
    for (std::size_t w : group) {
      auto it = index.find(q.words[w].folded);
      if (it != index.end()) g.push_back(it->second);
    }
    if (g.size() > 1) p.phrases.push_back(std::move(g));
  }
  return p;
}

Status positions_of(std::string_view value, std::vector<std::uint32_t>& out) {
  return si::decode_positions_into(value, out);
}

struct Engine {
  const Snapshot& snap;
  const Plan& plan;
  bool truncated = false;
  std::vector<std::string_view> values;                            // candidates' posting values, plan.terms.size() each
  std::vector<std::vector<std::uint32_t>> scratch;                 // decoded positions of the candidate being scored
  std::deque<std::string> owned;                                   // positions encoded here (values may point into it)
  std::unordered_map<std::string_view, std::string_view> records;  // document records already read, by doc
  std::size_t driver_cap = kMaxCandidateDocs;                      // all_words: the rarest word's postings read
  double scale = 1;                                                // all_words: its postings / those read, when cut

  Status decode(const Candidate& c) {
    scratch.resize(plan.terms.size());
    for (std::size_t t = 0; t < plan.terms.size(); ++t)
      KHO_RETURN_IF_ERROR(positions_of(values[c.first + t], scratch[t]));
    return Status::OK();
  }

  // Scores `c` counting the terms `counted`; false when a quoted phrase is not in it.
  Result<bool> score(const std::vector<std::size_t>& counted, Candidate& c, bool check_phrases = true) {
    KHO_RETURN_IF_ERROR(decode(c));
    for (const auto& g : plan.phrases)
      if (check_phrases && !consecutive(g, scratch)) return false;
    c.matched = 0;
    double rare = 0;
    for (std::size_t t : counted)
      if (!values[c.first + t].empty()) {
        ++c.matched;
        rare += plan.weight[t];
      }
    c.all_words = c.matched == counted.size();
    c.adjacent = plan.sequence.size() > 1 && consecutive(plan.sequence, scratch);
    const double coverage = counted.empty() ? 0 : static_cast<double>(c.matched) / static_cast<double>(counted.size());
    c.score = (c.all_words ? 100 : 60 * coverage) + (c.adjacent ? 40 : 0) + 5 * field_weight(si::doc_field(c.doc)) +
              std::min(rare, 10.0);
    return true;
  }

  // Every document of `owners` holding any term; postings[t][k] are term t's in owners[k] (postings[t] may
  // be empty: term not read). Candidates come out in doc-key order, so grouped by owner.
  void gather(std::size_t owners, const std::vector<std::vector<std::vector<Posting>>>& postings,
              std::vector<Candidate>& out) {
    const std::size_t n = plan.terms.size();
    struct Entry {
      std::string_view doc;
      std::size_t term;
      std::string_view value;
    };
    std::vector<Entry> entries;
    for (std::size_t k = 0; k < owners; ++k) {
      entries.clear();
      // Each term's postings are sorted by doc: merging them in term order is the stable sort by doc.
      for (std::size_t t = 0; t < n; ++t) {
        if (postings[t].empty()) continue;
        const auto mid = static_cast<long>(entries.size());
        for (const Posting& p : postings[t][k]) entries.push_back({p.doc, t, p.value});
        if (mid > 0 && static_cast<std::size_t>(mid) < entries.size() && entries[mid].doc < entries[mid - 1].doc)
          std::inplace_merge(entries.begin(), entries.begin() + mid, entries.end(),
                             [](const Entry& a, const Entry& b) { return a.doc < b.doc; });
      }
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i == 0 || entries[i].doc != entries[i - 1].doc) {
          out.push_back({entries[i].doc, values.size()});
          values.resize(values.size() + n);
        }
        values[out.back().first + entries[i].term] = entries[i].value;
      }
    }
  }

  // All the words, anywhere in one owner. Returns the scored documents: those holding every word, and for
  // owners where no single one does, the one that holds most.
  Status all_words(const std::vector<std::size_t>& df, std::vector<Candidate>& out) {
    const std::size_t n = plan.terms.size();
    for (std::size_t t = 0; t < n; ++t)
      if (df[t] == 0) return Status::OK();
    std::size_t driver = 0;
    for (std::size_t t = 1; t < n; ++t)
      if (df[t] < df[driver] || (df[t] == df[driver] && plan.terms[t].size() > plan.terms[driver].size())) driver = t;
    std::vector<Posting> list;
    KHO_RETURN_IF_ERROR(load_list(snap, plan.terms[driver], driver_cap, list, &truncated));
    if (truncated && !list.empty())
      scale = std::max(1.0, static_cast<double>(df[driver]) / static_cast<double>(list.size()));
    std::vector<std::string_view> owners;
    for (const Posting& p : list) {
      std::string_view o = si::doc_owner(p.doc);
      if (owners.empty() || owners.back() != o) owners.push_back(o);
    }
    // Each other word narrows the owners; the driver's own postings are already read.
    std::vector<std::vector<std::vector<Posting>>> postings(n);
    postings[driver].assign(owners.size(), {});
    for (std::size_t i = 0, k = 0; i < list.size(); ++i) {
      while (owners[k] != si::doc_owner(list[i].doc)) ++k;
      postings[driver][k].push_back(list[i]);
    }
    std::vector<std::size_t> alive(owners.size());
    for (std::size_t k = 0; k < owners.size(); ++k) alive[k] = k;
    std::vector<std::size_t> order;
    for (std::size_t t = 0; t < n; ++t)
      if (t != driver) order.push_back(t);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return df[a] < df[b]; });
    for (std::size_t t : order) {
      std::vector<std::string_view> ask;
      for (std::size_t k : alive) ask.push_back(owners[k]);
      std::vector<std::vector<Posting>> got;
      KHO_RETURN_IF_ERROR(fetch_in_owners(snap, plan.terms[t], ask, got));
      postings[t].assign(owners.size(), {});
      std::vector<std::size_t> still;
      for (std::size_t j = 0; j < ask.size(); ++j) {
        if (got[j].empty()) continue;
        still.push_back(alive[j]);
        postings[t][alive[j]] = std::move(got[j]);
      }
      alive = std::move(still);
      if (alive.empty()) return Status::OK();
    }
    std::vector<std::vector<std::vector<Posting>>> kept(n);
    for (std::size_t t = 0; t < n; ++t)
      for (std::size_t k : alive) kept[t].push_back(std::move(postings[t][k]));
    std::vector<Candidate> docs;
    gather(alive.size(), kept, docs);
    std::vector<std::size_t> all(n);
    for (std::size_t t = 0; t < n; ++t) all[t] = t;
    // Per owner: the documents with every word; else the best of the others.
    std::string_view owner;
    std::optional<Candidate> best_partial;
    bool owner_has_full = false;
    auto close_owner = [&]() {
      if (!owner_has_full && best_partial) out.push_back(*best_partial);
      best_partial.reset();
      owner_has_full = false;
    };
    for (Candidate& c : docs) {
      std::string_view o = si::doc_owner(c.doc);
      if (o != owner) {
        close_owner();
        owner = o;
      }
      Result<bool> ok = score(all, c);
      if (!ok.ok()) return ok.status();
      if (!*ok) continue;
      if (c.all_words) {
        owner_has_full = true;
        out.push_back(c);
      } else if (!best_partial || c.score > best_partial->score) {
        best_partial = c;
      }
    }
    close_owner();
    return Status::OK();
  }

  // A long query: documents holding at least two thirds of the rarest words, scored by all the words.
  Status long_query(const std::vector<std::size_t>& df, std::vector<Candidate>& out) {
    const std::size_t n = plan.terms.size();
    std::vector<std::size_t> order;
    for (std::size_t t = 0; t < n; ++t)
      if (df[t] > 0) order.push_back(t);
    if (order.empty()) return Status::OK();
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return df[a] < df[b]; });
    std::vector<std::size_t> rare(order.begin(),
                                  order.begin() + static_cast<long>(std::min(order.size(), kLongQueryKeep)));
    const std::size_t need = (rare.size() * 2 + 2) / 3;
    // Candidates: the documents in at least two of the three rarest words' lists (one may be a slip), read
    // whole up to kMaxLongListDocs each. Each list is sorted by doc key: merged in place, no full sort. The
    // postings read give those words' values; only the other rare words are looked up, per candidate.
    // A list cut at kMaxLongListDocs says nothing of the documents after its last one: there, a document in
    // every other list is a candidate, and the cut list's word is looked up for it.
    // `head` is the doc key's first 8 bytes as a big-endian number (hex owner ids: nearly always distinct),
    // so most comparisons are one integer compare. The buffers are kept per thread: a query reads up to
    // 24,000 postings, and allocating them afresh cost page faults on every query.
    struct Tagged {
      std::uint64_t head;
      std::string_view doc, value;
      std::size_t term;
    };
    auto before = [](const Tagged& x, const Tagged& y) { return x.head != y.head ? x.head < y.head : x.doc < y.doc; };
    thread_local std::vector<Tagged> merged;
    thread_local std::vector<Posting> list;
    merged.clear();
    const std::size_t lists_read = std::min<std::size_t>(3, rare.size());
    std::vector<std::string_view> cut_after(lists_read);  // empty: read whole
    for (std::size_t i = 0; i < lists_read; ++i) {
      list.clear();
      bool cut = false;
      KHO_RETURN_IF_ERROR(load_list(snap, plan.terms[rare[i]], kMaxLongListDocs, list, &cut));
      truncated = truncated || cut;
      if (cut && !list.empty()) cut_after[i] = list.back().doc;
      const auto mid = static_cast<long>(merged.size());
      for (const Posting& p : list) merged.push_back({key_head(p.doc), p.doc, p.value, rare[i]});
      std::inplace_merge(merged.begin(), merged.begin() + mid, merged.end(), before);
    }
    const std::size_t in_lists = lists_read == 1 ? 1 : 2;
    std::vector<std::uint64_t> cut_head(lists_read);
    for (std::size_t k = 0; k < lists_read; ++k) cut_head[k] = key_head(cut_after[k]);
    const bool any_cut = std::any_of(cut_after.begin(), cut_after.end(), [](std::string_view c) { return !c.empty(); });
    // The documents in enough lists; first those holding the most pairs of these words at their distance in
    // the query (a pasted caption holds them so), then those in most lists, then by the weight of the words
    // they hold: only the first kMaxLongCandidates are looked at further (a lookup per other rare word).
    std::vector<std::vector<long>> at_query(n);
    for (std::size_t i = 0; i < plan.sequence.size(); ++i) at_query[plan.sequence[i]].push_back(static_cast<long>(i));
    struct Light {
      std::string_view doc;
      std::array<std::pair<std::size_t, std::string_view>, 3> words;  // term, positions
      std::size_t count = 0;
      std::size_t in_place = 0;  // pairs of its words at the distance they have in the query
      double weight = 0;
    };
    thread_local std::vector<Light> light;
    light.clear();
    // Past a cut list's end, its word is looked up for the documents that may still be candidates: all of
    // them per list at once, in doc order (see lookup_in_docs).
    std::vector<std::vector<std::size_t>> pending(lists_read);  // indexes into light
    for (std::size_t i = 0; i < merged.size();) {
      Light l;
      l.doc = merged[i].doc;
      l.words[l.count++] = {merged[i].term, merged[i].value};
      std::size_t j = i + 1;
      for (; j < merged.size() && merged[j].head == merged[i].head && merged[j].doc == merged[i].doc; ++j)
        l.words[l.count++] = {merged[j].term, merged[j].value};
      const std::string_view doc = merged[i].doc;
      const std::uint64_t head = merged[i].head;
      i = j;
      if (l.count < in_lists && !any_cut) continue;
      std::size_t unknown = 0;
      for (std::size_t k = 0; k < lists_read; ++k)
        unknown += !cut_after[k].empty() && (head > cut_head[k] || (head == cut_head[k] && doc > cut_after[k])) ? 1 : 0;
      if (l.count < in_lists && (unknown == 0 || l.count + unknown < lists_read)) continue;
      for (std::size_t k = 0; k < lists_read && unknown > 0; ++k)
        if (!cut_after[k].empty() && doc > cut_after[k]) pending[k].push_back(light.size());
      light.push_back(l);
    }
    std::vector<std::string_view> ask;
    std::vector<std::string_view> got;
    for (std::size_t k = 0; k < lists_read; ++k) {  // in list order: a document's words stay in that order
      if (pending[k].empty()) continue;
      ask.clear();
      for (std::size_t x : pending[k]) ask.push_back(light[x].doc);
      KHO_RETURN_IF_ERROR(lookup_in_docs(snap, plan.terms[rare[k]], ask, got));
      for (std::size_t y = 0; y < ask.size(); ++y)
        if (!got[y].empty()) {
          Light& l = light[pending[k][y]];
          l.words[l.count++] = {rare[k], got[y]};
        }
    }
    std::erase_if(light, [&](const Light& l) { return l.count < in_lists; });
    std::vector<std::vector<std::uint32_t>> pos(lists_read);
    for (Light& l : light) {
      for (std::size_t k = 0; k < l.count; ++k) {
        KHO_RETURN_IF_ERROR(positions_of(l.words[k].second, pos[k]));
        l.weight += plan.weight[l.words[k].first];
      }
      for (std::size_t x = 0; x < l.count; ++x)
        for (std::size_t y = x + 1; y < l.count; ++y) {
          bool found = false;
          for (long qx : at_query[l.words[x].first])
            for (long qy : at_query[l.words[y].first])
              for (std::uint32_t px : pos[x]) {
                const long want = static_cast<long>(px) + qy - qx;
                found = found || (want >= 0 &&
                                  std::binary_search(pos[y].begin(), pos[y].end(), static_cast<std::uint32_t>(want)));
              }
          l.in_place += found ? 1 : 0;
        }
    }
    std::stable_sort(light.begin(), light.end(), [](const Light& x, const Light& y) {
      if (x.in_place != y.in_place) return x.in_place > y.in_place;
      if (x.count != y.count) return x.count > y.count;
      return x.weight > y.weight;
    });
    if (light.size() > kMaxLongCandidates) {
      light.resize(kMaxLongCandidates);
      truncated = true;
    }
    std::vector<Candidate> kept;
    for (const Light& l : light) {
      Candidate c{l.doc, values.size()};
      values.resize(values.size() + n);
      for (std::size_t k = 0; k < l.count; ++k) values[c.first + l.words[k].first] = l.words[k].second;
      // Looked up until the document cannot hold `need` of the rare words any more (it is then dropped).
      std::size_t held = l.count;
      for (std::size_t x = lists_read; x < rare.size() && held + (rare.size() - x) >= need; ++x) {
        Result<std::string_view> v = snap.raw_get(db::kTerms, si::posting_key(plan.terms[rare[x]], c.doc));
        if (v.ok()) values[c.first + rare[x]] = *v, ++held;
        else if (!v.status().is_not_found()) return v.status();
      }
      if (held < need) continue;
      Result<bool> ok = score(rare, c, /*check_phrases=*/false);  // phrases once every word is read
      if (!ok.ok()) return ok.status();
      if (*ok && c.matched >= need) kept.push_back(c);
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    if (kept.size() > kLongQueryScored) {
      kept.resize(kLongQueryScored);
      truncated = true;
    }
    // Every word, for the survivors only: from the document's own text, cut into postings exactly as the
    // index was (one lookup a document instead of one a word).
    std::vector<std::size_t> all(n);
    for (std::size_t t = 0; t < n; ++t) all[t] = t;
    std::unordered_map<std::string_view, std::size_t> term_of;
    for (std::size_t t = 0; t < n; ++t) term_of.emplace(plan.terms[t], t);
    std::vector<std::vector<std::uint32_t>> found(n);  // per term: its positions in the document
    for (Candidate& c : kept) {
      Result<std::string_view> raw = snap.raw_get(db::kTerms, std::string(1, si::kDocPrefix) + std::string(c.doc));
      if (!raw.ok()) return raw.status().with_context("search: document of a posting");
      records.emplace(c.doc, *raw);
      Result<si::DocRecord> rec = si::decode_doc(*raw);
      if (!rec.ok()) return rec.status();
      for (std::size_t t = 0; t < n; ++t) {
        values[c.first + t] = {};
        found[t].clear();
      }
      si::for_each_posting(rec->text, [&](const std::string& word, std::uint32_t at) {
        auto it = term_of.find(word);
        if (it == term_of.end()) return;
        std::vector<std::uint32_t>& p = found[it->second];
        if (p.empty() || p.back() != at) p.push_back(at);  // as collect_postings
      });
      for (std::size_t t = 0; t < n; ++t) {
        if (found[t].empty()) continue;
        owned.push_back(si::encode_positions(found[t]));
        values[c.first + t] = owned.back();
      }
      Result<bool> ok = score(all, c);
      if (!ok.ok()) return ok.status();
      if (*ok) out.push_back(c);
    }
    return Status::OK();
  }
};

// ---------------------------------------------------------------------------------------------------------
// Slips: words one edit away (transpositions too) or a Telex repair away, that the index holds.

// Keys next to each other on a QWERTY keyboard (the one Telex is typed on).
bool keys_touch(char a, char b) {
  static const char* rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
  int ra = -1, ca = 0, rb = -1, cb = 0;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; rows[r][c]; ++c) {
      if (rows[r][c] == a) ra = r, ca = c;
      if (rows[r][c] == b) rb = r, cb = c;
    }
  if (ra < 0 || rb < 0) return false;
  return std::abs(ra - rb) <= 1 && std::abs(ca - cb) <= 1 && a != b;
}

// The slips of a word: first the likely ones (*likely is set to how many): its Telex repair, swapped
// neighbouring letters, a key replaced by one next to it; with `all`, then every other word one edit away
// (a letter dropped, changed or added).
std::vector<std::string> neighbours(const QueryWord& w, bool all, std::size_t* likely) {
  std::vector<std::string> out;
  std::set<std::string> seen = {w.folded, ""};
  auto add = [&](std::string s) {
    if (seen.insert(s).second) out.push_back(std::move(s));
  };
  add(search_key(telex_repair(w.text)));
  const std::string& s = w.folded;
  *likely = out.size();
  // Only ASCII words: folded Vietnamese is ASCII; other scripts get no edits.
  for (unsigned char c : s)
    if (c >= 0x80) return out;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    std::string t = s;
    std::swap(t[i], t[i + 1]);
    add(t);
  }
  static const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t i = 0; i < s.size(); ++i)
    for (char c : alphabet)
      if (keys_touch(s[i], c)) {
        std::string t = s;
        t[i] = c;
        add(t);
      }
  *likely = out.size();
  if (!all) return out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    add(s.substr(0, i) + s.substr(i + 1));
    for (char c : alphabet) {
      std::string t = s;
      t[i] = c;
      add(t);
    }
  }
  for (std::size_t i = 0; i <= s.size(); ++i)
    for (char c : alphabet) add(s.substr(0, i) + c + s.substr(i));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Hits

void make_snippet(const std::string& text, const std::vector<si::Token>& tokens,
                  const std::vector<std::uint32_t>& marked, SearchHit& hit) {
  std::vector<SearchSpan> spans;  // runs of consecutive marked words
  std::uint32_t prev = 0;
  for (std::uint32_t p : marked) {
    if (p >= tokens.size()) continue;
    if (!spans.empty() && (p == prev || p == prev + 1)) spans.back().end = tokens[p].end;
    else spans.push_back({tokens[p].begin, tokens[p].end});
    prev = p;
  }
  std::size_t from = 0, to = text.size();
  if (text.size() > kSnippetBytes) {
    std::size_t anchor = spans.empty() ? 0 : spans.front().begin;
    from = anchor > kSnippetLead ? anchor - kSnippetLead : 0;
    to = std::min(text.size(), from + kSnippetBytes);
    // Cut on word boundaries so no UTF-8 sequence is split.
    for (const si::Token& t : tokens) {
      if (t.begin >= from) {
        from = t.begin;
        break;
      }
    }
    if (from > anchor) from = anchor;
    std::size_t cut = from;
    for (const si::Token& t : tokens) {
      if (t.end <= to) cut = t.end;
      else break;
    }
    to = std::max(cut, spans.empty() ? from : std::min(text.size(), spans.front().end));
  }
  const std::string lead = from > 0 ? "… " : "";
  hit.snippet = lead + text.substr(from, to - from) + (to < text.size() ? " …" : "");
  for (const SearchSpan& s : spans) {
    if (s.begin < from || s.end > to) continue;
    if (!hit.highlights.empty() && s.begin - from + lead.size() < hit.highlights.back().end) continue;
    hit.highlights.push_back({s.begin - from + lead.size(), s.end - from + lead.size()});
  }
}

// Whether the words of `text` at the marked positions have the query's diacritics (compare_key equal to a
// query word with the same folded key).
bool same_marks(const std::string& text, const std::vector<si::Token>& tokens, const std::vector<std::uint32_t>& marked,
                const Query& q) {
  bool any = false;
  for (std::uint32_t p : marked) {
    if (p >= tokens.size()) continue;
    std::string_view word(text.data() + tokens[p].begin, tokens[p].end - tokens[p].begin);
    const std::string folded = search_key(word);
    const std::string accent = compare_key(word);
    for (const QueryWord& w : q.words)
      if (w.folded == folded) {
        if (w.accent != accent) return false;
        any = true;
      }
  }
  return any;
}

struct Lookups {
  const Snapshot& snap;
  std::map<std::string, std::pair<std::string, std::optional<std::string>>> events;
  std::map<std::string, std::vector<Link>> links;

  const std::pair<std::string, std::optional<std::string>>& event(const std::string& id) {
    auto it = events.find(id);
    if (it == events.end()) {
      Result<Event> ev = snap.event(id);
      std::pair<std::string, std::optional<std::string>> info;
      if (ev.ok()) info = {ev->title, ev->date};
      it = events.emplace(id, std::move(info)).first;
    }
    return it->second;
  }
  std::optional<Digest> linked(const std::string& article_id, std::uint32_t ref_index) {
    auto it = links.find(article_id);
    if (it == links.end()) {
      Result<std::vector<Link>> l = snap.article_links(article_id);
      it = links.emplace(article_id, l.ok() ? std::move(*l) : std::vector<Link>{}).first;
    }
    for (const Link& l : it->second)
      if (l.position == ref_index && l.digest) return l.digest;
    return std::nullopt;
  }
};

bool date_in(const std::optional<std::string>& date, const Query& q) {
  if (q.date_from.empty() && q.date_to.empty()) return true;
  if (!date) return false;
  if (!q.date_from.empty() && date->substr(0, q.date_from.size()) < q.date_from) return false;
  if (!q.date_to.empty() && date->substr(0, q.date_to.size()) > q.date_to) return false;
  return true;
}

// Turns scored candidates into hits: filters, one hit per photo, exact diacritics, at most `limit`.
Status make_hits(const Snapshot& snap, const Query& q, Engine& engine, std::vector<Candidate>& cands, std::size_t limit,
                 SearchResults& results) {
  const bool truncated = engine.truncated;
  const bool filtered = !q.event.empty() || !q.date_from.empty() || !q.date_to.empty();
  // Exactness can lift a hit by a few points: decode a margin beyond the limit. Only the first `window`
  // candidates by score are used: ordered as a stable sort would order them (ties in their order).
  const std::size_t window = filtered ? cands.size() : std::min(cands.size(), limit + limit / 2 + 10);
  {
    std::vector<std::pair<double, std::size_t>> order(cands.size());
    for (std::size_t i = 0; i < cands.size(); ++i) order[i] = {-cands[i].score, i};
    std::partial_sort(order.begin(), order.begin() + static_cast<long>(window), order.end());
    std::vector<Candidate> best(window);
    for (std::size_t i = 0; i < window; ++i) best[i] = cands[order[i].second];
    std::copy(best.begin(), best.end(), cands.begin());  // the rest are only counted below
  }
  Lookups look{snap, {}, {}};
  std::vector<SearchHit> hits;
  for (std::size_t i = 0; i < window; ++i) {
    const Candidate& c = cands[i];
    auto read = engine.records.find(c.doc);
    Result<std::string_view> raw = read != engine.records.end()
                                       ? Result<std::string_view>(read->second)
                                       : snap.raw_get(db::kTerms, std::string(1, si::kDocPrefix) + std::string(c.doc));
    if (!raw.ok()) return raw.status().with_context("search: document of a posting");
    Result<si::DocRecord> rec = si::decode_doc(*raw);
    if (!rec.ok()) return rec.status();
    if (!q.event.empty() && rec->event_id != q.event) continue;
    SearchHit hit;
    hit.event_id = rec->event_id;
    if (!hit.event_id.empty()) {
      const auto& info = look.event(hit.event_id);
      hit.event_title = info.first;
      hit.event_date = info.second;
    }
    if (!date_in(hit.event_date, q)) continue;
    hit.field = si::doc_field(c.doc);
    hit.article_id = rec->article_id;
    hit.article_title = rec->article_title;
    hit.digest = rec->digest;
    hit.ref_index = rec->ref_index;
    hit.block = rec->block;
    if (!hit.digest && hit.ref_index && !hit.article_id.empty())
      hit.digest = look.linked(hit.article_id, *hit.ref_index);
    KHO_RETURN_IF_ERROR(engine.decode(c));
    const std::vector<si::Token> tokens = si::tokenize(rec->text, /*with_keys=*/false);
    std::vector<std::uint32_t> marked;
    for (std::size_t t = 0; t < engine.scratch.size(); ++t) {
      const auto& p = engine.scratch[t];
      marked.insert(marked.end(), p.begin(), p.end());
      // An abbreviation found through its expansion: mark the expansion's words, not only its first.
      auto abbr = std::find_if(search_abbreviations().begin(), search_abbreviations().end(),
                               [&](const auto& e) { return e.first == engine.plan.terms[t]; });
      if (abbr == search_abbreviations().end()) continue;
      const auto words = static_cast<std::uint32_t>(std::count(abbr->second.begin(), abbr->second.end(), ' ') + 1);
      for (std::uint32_t at : p) {
        if (at >= tokens.size()) continue;
        std::string_view w(rec->text.data() + tokens[at].begin, tokens[at].end - tokens[at].begin);
        if (search_key(w) == abbr->first) continue;  // the abbreviation itself
        for (std::uint32_t k = 1; k < words && at + k < tokens.size(); ++k) marked.push_back(at + k);
      }
    }
    std::sort(marked.begin(), marked.end());
    marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
    hit.exact = same_marks(rec->text, tokens, marked, q);
    hit.all_words = c.all_words;
    hit.adjacent = c.adjacent;
    hit.matched = c.matched;
    hit.score = c.score + (hit.exact ? 3 : 0);
    make_snippet(rec->text, tokens, marked, hit);
    hits.push_back(std::move(hit));
  }
  std::stable_sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) { return a.score > b.score; });
  std::set<Digest> shown;
  for (SearchHit& h : hits) {
    if (h.digest && !shown.insert(*h.digest).second) continue;  // one photo once: its best hit
    if (results.hits.size() == limit) {
      results.more = true;
      break;
    }
    results.hits.push_back(std::move(h));
  }
  if (window < cands.size() || truncated) results.more = results.more || results.hits.size() == limit || truncated;
  return Status::OK();
}

// How good an answer is: texts holding all the words, and those of them where they stand together.
struct Strength {
  std::size_t full = 0, together = 0;
  bool strong(std::size_t terms) const { return full > 0 && (terms == 1 || terms > 3 || together > 0); }
};

Status run(const Snapshot& snap, const Query& q, std::size_t limit, SearchResults& results,
           std::vector<std::size_t>* df_out, Strength* strength, bool with_hits = true,
           std::size_t driver_cap = kMaxCandidateDocs) {
  Plan plan = make_plan(q);
  results.terms = plan.terms;
  const std::size_t n = plan.terms.size();
  std::vector<std::size_t> df(n);
  for (std::size_t t = 0; t < n; ++t) {
    Result<double> c = estimate(snap, plan.terms[t]);
    if (!c.ok()) return c.status();
    df[t] = static_cast<std::size_t>(std::ceil(*c));
    plan.weight.push_back(df[t] == 0 ? 0 : std::max(0.0, std::log2(1e6 / *c)));
  }
  if (df_out) *df_out = df;
  Engine engine{snap, plan, false, {}, {}, {}, {}, driver_cap};
  std::vector<Candidate> cands;
  if (n > kLongQueryWords) KHO_RETURN_IF_ERROR(engine.long_query(df, cands));
  else KHO_RETURN_IF_ERROR(engine.all_words(df, cands));
  if (strength) {
    *strength = {};
    for (const Candidate& c : cands) {
      strength->full += c.all_words ? 1 : 0;
      strength->together += c.all_words && c.adjacent ? 1 : 0;
    }
    if (engine.scale > 1) {  // the driver's list was cut: counts estimated for the whole list
      strength->full = static_cast<std::size_t>(std::lround(static_cast<double>(strength->full) * engine.scale));
      strength->together = static_cast<std::size_t>(
          std::lround(static_cast<double>(strength->together) * engine.scale));
    }
  }
  return with_hits ? make_hits(snap, q, engine, cands, limit, results) : Status::OK();
}

}  // namespace

Result<SearchResults> search(const Snapshot& snap, std::string_view query, std::size_t limit) {
  if (limit == 0) limit = kDefaultLimit;
  Result<bool> current = search_index_current(snap);
  if (!current.ok()) return current.status();
  if (!*current)
    return Status::Unsupported(
        "Chỉ mục tìm kiếm được tạo bởi phiên bản Kho cũ hơn: chạy `kho reindex` để tạo lại "
        "(the search index predates this Kho: run `kho reindex`).");
  Result<Query> parsed = parse_query(query);
  if (!parsed.ok()) return parsed.status();
  Query& q = *parsed;
  SearchResults results;
  results.query = std::string(query);
  results.date_from = q.date_from;
  results.date_to = q.date_to;
  results.event_filter = q.event;
  if (q.words.empty()) return Status::InvalidArgument("Câu tìm kiếm không có chữ nào để tìm (the query has no words).");

  std::vector<std::size_t> df;
  Strength own_strength;
  KHO_RETURN_IF_ERROR(run(snap, q, limit, results, &df, &own_strength));
  const bool strong = own_strength.strong(results.terms.size());
  if (results.terms.size() > kLongQueryWords || !q.phrases.empty()) return results;

  // Slips. Without a strong answer, the unknown words (else every word) are checked against all their
  // neighbours; with one, a short query's words only against their likely slips (a Telex repair, swapped
  // letters) that are far more common than they are ("thanh hao" → "thanh hoa").
  const std::size_t distinct = std::set<std::string>(results.terms.begin(), results.terms.end()).size();
  if (strong && distinct > 3) return results;
  // All the words are known and some text holds them all: only a two-word query may still be a slip.
  if (own_strength.full > 0 && distinct > 2 && std::find(df.begin(), df.end(), std::size_t{0}) == df.end())
    return results;
  struct Alternative {
    std::size_t word;
    std::string folded;
    std::size_t df;
    bool likely;  // a Telex repair, swapped letters or a neighbouring key
  };
  std::vector<Alternative> alts;
  bool any_unknown = false;
  for (std::size_t i = 0; i < q.words.size(); ++i) {
    auto it = std::find(results.terms.begin(), results.terms.end(), q.words[i].folded);
    if (it != results.terms.end() && df[static_cast<std::size_t>(it - results.terms.begin())] == 0) any_unknown = true;
  }
  std::set<std::string> tried;
  for (std::size_t i = 0; i < q.words.size(); ++i) {
    if (!tried.insert(q.words[i].folded).second) continue;
    auto it = std::find(results.terms.begin(), results.terms.end(), q.words[i].folded);
    const std::size_t own = it == results.terms.end() ? 0 : df[static_cast<std::size_t>(it - results.terms.begin())];
    if (!strong && any_unknown && own > 0) continue;
    std::size_t rank = 0, likely = 0;
    // Every edit only for unknown words; known words are checked for likely slips only.
    for (std::string& nb : neighbours(q.words[i], !strong && any_unknown, &likely)) {
      Result<double> c = estimate(snap, nb);
      if (!c.ok()) return c.status();
      // A known word's slip is rarer than the word meant ("hao" for "hoa"), far rarer when the query as typed
      // already found its words together.
      if (*c > 0 && (own == 0 || *c > (strong ? 4.0 : 1.0) * static_cast<double>(own)))
        alts.push_back({i, std::move(nb), static_cast<std::size_t>(std::ceil(*c)), rank < likely});
      ++rank;
    }
  }
  // Likely slips (Telex, swaps: the first ranks) first, then the most used words.
  std::stable_sort(alts.begin(), alts.end(), [&](const Alternative& a, const Alternative& b) {
    if (a.likely != b.likely) return a.likely;
    return a.df > b.df;
  });
  // The best of the first few alternatives: most texts with the words together, then with all of them.
  const bool nothing = results.hits.empty();
  std::optional<std::size_t> best;
  Strength best_strength;
  auto with = [&](std::size_t k) {
    Query alt = q;
    for (QueryWord& w : alt.words)
      if (w.folded == q.words[alts[k].word].folded) w = {alts[k].folded, alts[k].folded, alts[k].folded};
    return alt;
  };
  for (std::size_t k = 0; k < alts.size() && k < kSlipTries; ++k) {
    if (best && alts[*best].likely && !alts[k].likely) break;  // a likely slip that works beats the others
    SearchResults r;
    Strength st;
    // Alternatives are compared on a sample of their rarest word's postings (counts scaled up to the
    // whole list): only the one chosen is searched in full.
    KHO_RETURN_IF_ERROR(run(snap, with(k), limit, r, nullptr, &st, /*with_hits=*/false, kSlipSampleDocs));
    if (!st.strong(r.terms.size())) continue;
    // Beside a strong answer, offer a correction only when its words stand together far more often.
    if (strong && st.together < 4 * std::max<std::size_t>(own_strength.together, 1)) continue;
    if (!best || (alts[k].likely && !alts[*best].likely) || st.together > best_strength.together ||
        (st.together == best_strength.together && st.full > best_strength.full)) {
      best = k;
      best_strength = st;
    }
  }
  if (!best) return results;
  SearchResults r;
  KHO_RETURN_IF_ERROR(run(snap, with(*best), limit, r, nullptr, nullptr));
  // The suggestion in people's spelling: the corrected word as the best hit writes it.
  const std::string& folded = alts[*best].folded;
  std::string fixed = folded;
  for (const SearchHit& h : r.hits) {
    for (const SearchSpan& sp : h.highlights)
      for (const si::Token& t : si::tokenize(h.snippet.substr(sp.begin, sp.end - sp.begin)))
        if (t.folded == folded && fixed == folded)
          fixed = fold_case(h.snippet.substr(sp.begin + t.begin, t.end - t.begin));
    if (fixed != folded) break;
  }
  std::string suggestion;
  for (const QueryWord& w : q.words)
    suggestion += (suggestion.empty() ? "" : " ") + (w.folded == q.words[alts[*best].word].folded ? fixed : w.text);
  if (!nothing) {
    results.suggestion = suggestion;
    return results;
  }
  r.query = results.query;
  r.corrected = true;
  r.date_from = results.date_from;
  r.date_to = results.date_to;
  r.event_filter = results.event_filter;
  r.suggestion = suggestion;
  return r;
}

}  // namespace kho
