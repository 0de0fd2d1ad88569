// Answering a query from the `terms` index (see kho/search.h for what a query means and how hits rank).
//
// A word's postings are sorted by owner (article, photo, event), so "all the words in the same owner" is
// a merge: the rarest word's postings (the driver, at most kMaxCandidateDocs of them) name the candidate
// owners, and each other word's postings are read only inside those owners: one cursor walk across them
// while that is cheap, else one short prefix scan per owner. Documents are scored from their positions;
// only the best few are decoded for snippets, photos and events.
#include <algorithm>
#include <cmath>
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
constexpr std::size_t kMaxCandidateDocs = 3000;  // driver postings looked at; beyond, `more` is set
constexpr std::size_t kProbeCap = 4096;          // postings counted to tell rare words from common ones
constexpr std::size_t kSnippetBytes = 240;
constexpr std::size_t kSnippetLead = 80;

struct QueryWord {
  std::string text;    // as typed
  std::string folded;  // search key
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
    q.words.push_back({std::string(text.substr(t.begin, t.end - t.begin)), t.folded});
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
      std::size_t close = s.find(ascii_quote ? "\"" : "\xe2\x80\x9d", open);  // ” closes “
      if (close == std::string_view::npos) close = s.size();
      add_words(s.substr(open, close - open), q, true);
      i = std::min(s.size(), close + (ascii_quote ? 1 : 3));
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

std::string list_prefix(const std::string& word) {
  std::string p(1, si::kPostingPrefix);
  p += word;
  p.push_back('\0');
  return p;
}

// How many postings `word` has, counting at most `cap` + 1.
Result<std::size_t> probe(const Snapshot& snap, const std::string& word, std::size_t cap) {
  std::size_t n = 0;
  Status st = snap.raw_scan(db::kTerms, list_prefix(word), [&](std::string_view, std::string_view) {
    return ++n > cap ? ScanStep::Stop() : ScanStep::Continue();
  });
  if (!st.ok() && !st.is_not_found()) return st;
  return n;
}

// The first `cap` postings of `word` (sets *truncated when there were more).
Status load_list(const Snapshot& snap, const std::string& word, std::size_t cap, std::vector<Posting>& out,
                 bool* truncated) {
  const std::string prefix = list_prefix(word);
  Status st = snap.raw_scan(db::kTerms, prefix, [&](std::string_view key, std::string_view val) {
    if (out.size() >= cap) {
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
  Status st = snap.raw_seek(db::kTerms, prefix + std::string(owners[0]), [&](std::string_view key, std::string_view val) {
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

// One scored document.
struct Candidate {
  std::string doc;
  std::vector<std::vector<std::uint32_t>> positions;  // per distinct term (empty: not in this document)
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
  std::vector<std::uint32_t> at = pos[seq[0]];
  for (std::size_t i = 1; i < seq.size() && !at.empty(); ++i) {
    std::vector<std::uint32_t> next;
    const auto& p = pos[seq[i]];
    for (std::uint32_t a : at)
      for (std::uint32_t d : {0u, 1u})
        if (std::binary_search(p.begin(), p.end(), a + d)) next.push_back(a + d);
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    at = std::move(next);
  }
  return !at.empty();
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

void score(const Plan& plan, const std::vector<std::size_t>& counted, Candidate& c) {
  c.matched = 0;
  double rare = 0;
  for (std::size_t t : counted)
    if (!c.positions[t].empty()) {
      ++c.matched;
      rare += plan.weight[t];
    }
  c.all_words = c.matched == counted.size();
  c.adjacent = plan.sequence.size() > 1 && consecutive(plan.sequence, c.positions);
  const double coverage = counted.empty() ? 0 : static_cast<double>(c.matched) / static_cast<double>(counted.size());
  c.score = (c.all_words ? 100 : 60 * coverage) + (c.adjacent ? 40 : 0) + 5 * field_weight(si::doc_field(c.doc)) +
            std::min(rare, 10.0);
}

Status positions_of(std::string_view value, std::vector<std::uint32_t>& out) {
  Result<std::vector<std::uint32_t>> p = si::decode_positions(value);
  if (!p.ok()) return p.status();
  out = std::move(*p);
  return Status::OK();
}

struct Engine {
  const Snapshot& snap;
  const Plan& plan;
  bool truncated = false;

  // Every document of `owners` holding any term; postings[t][k] are term t's in owners[k].
  Status gather(const std::vector<std::string_view>& owners,
                const std::vector<std::vector<std::vector<Posting>>>& postings, std::vector<Candidate>& out) {
    const std::size_t n = plan.terms.size();
    for (std::size_t k = 0; k < owners.size(); ++k) {
      std::map<std::string_view, Candidate> docs;
      for (std::size_t t = 0; t < n; ++t) {
        if (postings[t].empty()) continue;
        for (const Posting& p : postings[t][k]) {
          Candidate& c = docs[p.doc];
          if (c.positions.empty()) {
            c.doc = std::string(p.doc);
            c.positions.resize(n);
          }
          KHO_RETURN_IF_ERROR(positions_of(p.value, c.positions[t]));
        }
      }
      for (auto& entry : docs) out.push_back(std::move(entry.second));
    }
    return Status::OK();
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
    KHO_RETURN_IF_ERROR(load_list(snap, plan.terms[driver], kMaxCandidateDocs, list, &truncated));
    std::vector<std::string_view> owners;
    for (const Posting& p : list) {
      std::string_view o = si::doc_owner(p.doc);
      if (owners.empty() || owners.back() != o) owners.push_back(o);
    }
    std::vector<std::vector<std::vector<Posting>>> postings(n);
    std::vector<bool> keep(owners.size(), true);
    for (std::size_t t = 0; t < n; ++t) {
      std::vector<std::string_view> ask;
      std::vector<std::size_t> where;
      for (std::size_t k = 0; k < owners.size(); ++k)
        if (keep[k]) {
          ask.push_back(owners[k]);
          where.push_back(k);
        }
      std::vector<std::vector<Posting>> got;
      KHO_RETURN_IF_ERROR(fetch_in_owners(snap, plan.terms[t], ask, got));
      postings[t].assign(owners.size(), {});
      for (std::size_t j = 0; j < ask.size(); ++j) {
        if (got[j].empty()) keep[where[j]] = false;
        postings[t][where[j]] = std::move(got[j]);
      }
    }
    std::vector<std::string_view> kept;
    std::vector<std::vector<std::vector<Posting>>> kept_postings(n);
    for (std::size_t k = 0; k < owners.size(); ++k) {
      if (!keep[k]) continue;
      kept.push_back(owners[k]);
      for (std::size_t t = 0; t < n; ++t) kept_postings[t].push_back(std::move(postings[t][k]));
    }
    std::vector<Candidate> docs;
    KHO_RETURN_IF_ERROR(gather(kept, kept_postings, docs));
    std::vector<std::size_t> all(n);
    for (std::size_t t = 0; t < n; ++t) all[t] = t;
    // Per owner: the documents with every word; else the best of the others.
    std::string_view owner;
    std::optional<Candidate> best_partial;
    bool owner_has_full = false;
    auto close_owner = [&]() {
      if (!owner_has_full && best_partial) out.push_back(std::move(*best_partial));
      best_partial.reset();
      owner_has_full = false;
    };
    for (Candidate& c : docs) {
      std::string_view o = si::doc_owner(c.doc);
      if (o != owner) {
        close_owner();
        owner = o;
      }
      score(plan, all, c);
      bool phrases_ok = true;
      for (const auto& g : plan.phrases) phrases_ok = phrases_ok && consecutive(g, c.positions);
      if (!phrases_ok) continue;
      if (c.all_words) {
        owner_has_full = true;
        out.push_back(std::move(c));
      } else if (!best_partial || c.score > best_partial->score) {
        best_partial = std::move(c);
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
    std::vector<std::size_t> rare(order.begin(), order.begin() + static_cast<long>(std::min(order.size(), kLongQueryKeep)));
    const std::size_t need = (rare.size() * 2 + 2) / 3;
    // Candidates: the documents of the two rarest words.
    std::vector<std::string_view> owners;
    std::vector<std::vector<Posting>> lists(std::min<std::size_t>(2, rare.size()));
    for (std::size_t i = 0; i < lists.size(); ++i)
      KHO_RETURN_IF_ERROR(load_list(snap, plan.terms[rare[i]], kMaxCandidateDocs, lists[i], &truncated));
    for (const auto& l : lists)
      for (const Posting& p : l) owners.push_back(si::doc_owner(p.doc));
    std::sort(owners.begin(), owners.end());
    owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
    // The rare words in those owners.
    std::vector<std::vector<std::vector<Posting>>> postings(n);
    for (std::size_t t : rare) KHO_RETURN_IF_ERROR(fetch_in_owners(snap, plan.terms[t], owners, postings[t]));
    std::vector<Candidate> docs;
    KHO_RETURN_IF_ERROR(gather(owners, postings, docs));
    std::vector<Candidate> kept;
    for (Candidate& c : docs) {
      score(plan, rare, c);
      if (c.matched >= need) kept.push_back(std::move(c));
    }
    std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    if (kept.size() > 100) {
      kept.resize(100);
      truncated = true;
    }
    // The other words, read for the survivors only, one short prefix scan each.
    std::vector<std::size_t> all(n);
    for (std::size_t t = 0; t < n; ++t) all[t] = t;
    for (Candidate& c : kept) {
      for (std::size_t t = 0; t < n; ++t) {
        if (!c.positions[t].empty() || df[t] == 0 || std::find(rare.begin(), rare.end(), t) != rare.end()) continue;
        Result<std::string_view> v = snap.raw_get(db::kTerms, si::posting_key(plan.terms[t], c.doc));
        if (v.ok()) KHO_RETURN_IF_ERROR(positions_of(*v, c.positions[t]));
        else if (!v.status().is_not_found()) return v.status();
      }
      score(plan, all, c);
      out.push_back(std::move(c));
    }
    return Status::OK();
  }
};

// ---------------------------------------------------------------------------------------------------------
// Slips: words one edit away (transpositions too) or a Telex repair away, that the index holds.

std::vector<std::string> neighbours(const QueryWord& w) {
  std::set<std::string> out;
  const std::string repaired = search_key(telex_repair(w.text));
  if (repaired != w.folded) out.insert(repaired);
  const std::string& s = w.folded;
  // Only ASCII words: folded Vietnamese is ASCII; other scripts get no edits.
  for (unsigned char c : s)
    if (c >= 0x80) return {out.begin(), out.end()};
  static const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t i = 0; i < s.size(); ++i) {
    out.insert(s.substr(0, i) + s.substr(i + 1));
    if (i + 1 < s.size()) {
      std::string t = s;
      std::swap(t[i], t[i + 1]);
      out.insert(t);
    }
    for (char c : alphabet) {
      std::string t = s;
      t[i] = c;
      out.insert(t);
    }
  }
  for (std::size_t i = 0; i <= s.size(); ++i)
    for (char c : alphabet) out.insert(s.substr(0, i) + c + s.substr(i));
  out.erase(s);
  out.erase("");
  return {out.begin(), out.end()};
}

// ---------------------------------------------------------------------------------------------------------
// Hits

void make_snippet(const std::string& text, const std::vector<std::uint32_t>& marked, SearchHit& hit) {
  std::vector<si::Token> tokens = si::tokenize(text, /*with_keys=*/false);
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
bool same_marks(const std::string& text, const std::vector<std::uint32_t>& marked, const Query& q) {
  std::vector<si::Token> tokens = si::tokenize(text, /*with_keys=*/false);
  bool any = false;
  for (std::uint32_t p : marked) {
    if (p >= tokens.size()) continue;
    std::string_view word(text.data() + tokens[p].begin, tokens[p].end - tokens[p].begin);
    const std::string folded = search_key(word);
    const std::string accent = compare_key(word);
    for (const QueryWord& w : q.words)
      if (w.folded == folded) {
        if (compare_key(w.text) != accent) return false;
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
Status make_hits(const Snapshot& snap, const Query& q, std::vector<Candidate>& cands, std::size_t limit,
                 bool truncated, SearchResults& results) {
  const bool filtered = !q.event.empty() || !q.date_from.empty() || !q.date_to.empty();
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  // Exactness can lift a hit by a few points: decode a margin beyond the limit.
  const std::size_t window = filtered ? cands.size() : std::min(cands.size(), limit * 2 + 20);
  Lookups look{snap, {}, {}};
  std::vector<SearchHit> hits;
  for (std::size_t i = 0; i < window; ++i) {
    const Candidate& c = cands[i];
    Result<std::string_view> raw = snap.raw_get(db::kTerms, std::string(1, si::kDocPrefix) + c.doc);
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
    if (!hit.digest && hit.ref_index && !hit.article_id.empty()) hit.digest = look.linked(hit.article_id, *hit.ref_index);
    std::vector<std::uint32_t> marked;
    for (const auto& p : c.positions) marked.insert(marked.end(), p.begin(), p.end());
    std::sort(marked.begin(), marked.end());
    marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
    hit.exact = same_marks(rec->text, marked, q);
    hit.all_words = c.all_words;
    hit.adjacent = c.adjacent;
    hit.matched = c.matched;
    hit.score = c.score + (hit.exact ? 3 : 0);
    make_snippet(rec->text, marked, hit);
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

Status run(const Snapshot& snap, const Query& q, std::size_t limit, SearchResults& results,
           std::vector<std::size_t>* df_out, bool* strong) {
  Plan plan = make_plan(q);
  results.terms = plan.terms;
  const std::size_t n = plan.terms.size();
  std::vector<std::size_t> df(n);
  for (std::size_t t = 0; t < n; ++t) {
    Result<std::size_t> c = probe(snap, plan.terms[t], kProbeCap);
    if (!c.ok()) return c.status();
    df[t] = *c;
    plan.weight.push_back(df[t] == 0 ? 0 : std::log2(2.0 * kProbeCap / static_cast<double>(df[t])));
  }
  if (df_out) *df_out = df;
  Engine engine{snap, plan};
  std::vector<Candidate> cands;
  if (n > kLongQueryWords) KHO_RETURN_IF_ERROR(engine.long_query(df, cands));
  else KHO_RETURN_IF_ERROR(engine.all_words(df, cands));
  if (strong) {
    *strong = false;
    for (const Candidate& c : cands) *strong = *strong || (c.all_words && (n == 1 || c.adjacent));
  }
  return make_hits(snap, q, cands, limit, engine.truncated, results);
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
  if (q.words.empty()) return Status::InvalidArgument("Câu tìm kiếm không có chữ nào để tìm.");

  std::vector<std::size_t> df;
  bool strong = false;
  KHO_RETURN_IF_ERROR(run(snap, q, limit, results, &df, &strong));
  if (strong || q.words.size() > kLongQueryWords || !q.phrases.empty()) return results;

  // Slips: for each word, its neighbours that the index holds, most used first; try the best few.
  struct Alternative {
    std::size_t word;
    std::string folded;
    std::size_t df;
  };
  std::vector<Alternative> alts;
  std::set<std::string> tried;
  for (std::size_t i = 0; i < q.words.size(); ++i) {
    if (!tried.insert(q.words[i].folded).second) continue;
    for (std::string& nb : neighbours(q.words[i])) {
      Result<std::size_t> c = probe(snap, nb, 256);
      if (!c.ok()) return c.status();
      if (*c > 0) alts.push_back({i, std::move(nb), *c});
    }
  }
  std::stable_sort(alts.begin(), alts.end(), [](const Alternative& a, const Alternative& b) { return a.df > b.df; });
  const bool nothing = results.hits.empty();
  for (std::size_t k = 0; k < alts.size() && k < 3; ++k) {
    Query alt = q;
    for (QueryWord& w : alt.words)
      if (w.folded == q.words[alts[k].word].folded) w = {alts[k].folded, alts[k].folded};
    SearchResults r;
    bool alt_strong = false;
    KHO_RETURN_IF_ERROR(run(snap, alt, limit, r, nullptr, &alt_strong));
    if (!alt_strong) continue;
    // The suggestion in people's spelling: the corrected word as the best hit writes it.
    std::string fixed = alts[k].folded;
    for (const SearchHit& h : r.hits) {
      for (const SearchSpan& s : h.highlights)
        for (const si::Token& t : si::tokenize(h.snippet.substr(s.begin, s.end - s.begin)))
          if (t.folded == alts[k].folded) {
            fixed = fold_case(h.snippet.substr(s.begin + t.begin, t.end - t.begin));
            break;
          }
      if (fixed != alts[k].folded) break;
    }
    std::string suggestion;
    for (const QueryWord& w : q.words)
      suggestion += (suggestion.empty() ? "" : " ") + (w.folded == q.words[alts[k].word].folded ? fixed : w.text);
    if (nothing) {
      r.query = results.query;
      r.corrected = true;
      r.date_from = results.date_from;
      r.date_to = results.date_to;
      r.event_filter = results.event_filter;
      r.suggestion = suggestion;
      return r;
    }
    results.suggestion = suggestion;
    break;
  }
  return results;
}

}  // namespace kho
