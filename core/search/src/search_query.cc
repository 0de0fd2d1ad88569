// Answering a phrase query from the `terms` index (see kho/search.h for the ranking rules).
//
// For each ranking tier (field, then accented before folded), the query words' posting lists of that
// tier are read with one cursor walk each and intersected in memory, driven by the shortest. (Seeking
// each list per candidate looked cheaper on paper, but a seek costs a cursor and a B-tree descent: two
// common words that rarely touch made thousands of them.) Walking tier by tier lets a query stop as soon
// as it has `limit` hits.
#include <algorithm>
#include <map>
#include <set>

#include "kho/search.h"
#include "search_format.h"
#include "search_text.h"

namespace kho {
namespace si = search_internal;
namespace {

constexpr std::size_t kDefaultLimit = 50;
constexpr std::size_t kMaxQueryWords = 16;
constexpr std::size_t kSnippetBytes = 240;
constexpr std::size_t kSnippetLead = 80;

struct Match {
  std::string doc;                    // doc key
  bool exact = false;
  std::vector<std::uint32_t> starts;  // word positions where the phrase starts
};

struct Posting {
  std::string_view doc;    // doc key (field byte first), a view into the snapshot's map
  std::string_view value;  // positions
};

// Every posting of one word in one tier: a single cursor walk, no copies (views live with the snapshot).
Status load_list(const Snapshot& snap, const std::string& prefix, char field, std::vector<Posting>& out) {
  out.clear();
  std::string start = prefix;
  start.push_back(field);
  Status st = snap.raw_scan(db::kTerms, start, [&](std::string_view key, std::string_view val) {
    out.push_back({key.substr(prefix.size()), val});
    return ScanStep::Continue();
  });
  return st.is_not_found() ? Status::OK() : st;  // no terms database yet: nothing indexed
}

// Phrase starts: positions p of word 0 such that word i is at p + i for every i.
Result<std::vector<std::uint32_t>> phrase_starts(const std::vector<std::string_view>& values) {
  std::vector<std::vector<std::uint32_t>> lists;
  for (std::string_view v : values) {
    Result<std::vector<std::uint32_t>> pos = si::decode_positions(v);
    if (!pos.ok()) return pos.status();
    lists.push_back(std::move(*pos));
  }
  std::vector<std::uint32_t> starts;
  for (std::uint32_t p : lists[0]) {
    bool all = true;
    for (std::size_t i = 1; i < lists.size() && all; ++i)
      all = std::binary_search(lists[i].begin(), lists[i].end(), p + static_cast<std::uint32_t>(i));
    if (all) starts.push_back(p);
  }
  return starts;
}

// Appends to `out` the documents of tier `field` where the phrase occurs, skipping those in `seen`,
// until `out` holds `want` matches. The lists of one tier are read whole (sequential cursor walks are
// cheap) and intersected in memory, driven by the shortest list with a forward-only search in the others.
Status match_tier(const Snapshot& snap, const std::vector<std::string>& prefixes, char field, bool exact,
                  std::set<std::string>& seen, std::size_t want, std::vector<Match>& out) {
  const std::size_t n = prefixes.size();
  std::vector<std::vector<Posting>> lists(n);
  for (std::size_t i = 0; i < n; ++i) {
    KHO_RETURN_IF_ERROR(load_list(snap, prefixes[i], field, lists[i]));
    if (lists[i].empty()) return Status::OK();
  }
  std::size_t driver = 0;
  for (std::size_t i = 1; i < n; ++i)
    if (lists[i].size() < lists[driver].size()) driver = i;
  std::vector<std::size_t> at(n, 0);  // each list's cursor, only ever moved forward
  std::vector<std::string_view> values(n);
  auto less = [](const Posting& p, std::string_view doc) { return p.doc < doc; };
  for (const Posting& d : lists[driver]) {
    if (out.size() >= want) return Status::OK();
    bool everywhere = true;
    for (std::size_t i = 0; i < n && everywhere; ++i) {
      if (i == driver) {
        values[i] = d.value;
        continue;
      }
      auto it = std::lower_bound(lists[i].begin() + static_cast<std::ptrdiff_t>(at[i]), lists[i].end(), d.doc, less);
      at[i] = static_cast<std::size_t>(it - lists[i].begin());
      if (it == lists[i].end()) return Status::OK();  // the driver's later documents cannot match either
      everywhere = it->doc == d.doc;
      values[i] = it->value;
    }
    if (!everywhere) continue;
    std::string doc(d.doc);
    if (seen.count(doc)) continue;
    Result<std::vector<std::uint32_t>> starts = phrase_starts(values);
    if (!starts.ok()) return starts.status();
    if (starts->empty()) continue;
    seen.insert(doc);
    out.push_back(Match{std::move(doc), exact, std::move(*starts)});
  }
  return Status::OK();
}

// Cuts the text around the first match and maps the matched words to snippet offsets.
void make_snippet(const std::string& text, const std::vector<std::uint32_t>& starts, std::size_t words,
                  SearchHit& hit) {
  std::vector<si::Token> tokens = si::tokenize(text, /*with_keys=*/false);
  std::vector<SearchSpan> spans;
  for (std::uint32_t p : starts) {
    if (p + words > tokens.size() || words == 0) continue;
    spans.push_back({tokens[p].begin, tokens[p + words - 1].end});
  }
  std::size_t from = 0, to = text.size();
  if (text.size() > kSnippetBytes) {
    std::size_t anchor = spans.empty() ? 0 : spans.front().begin;
    from = anchor > kSnippetLead ? anchor - kSnippetLead : 0;
    to = std::min(text.size(), from + kSnippetBytes);
    // Cut on word boundaries so no UTF-8 sequence is split.
    for (const si::Token& t : tokens) {
      if (t.begin >= from) { from = t.begin; break; }
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

}  // namespace

Result<SearchResults> search(const Snapshot& snap, std::string_view query, std::size_t limit) {
  if (limit == 0) limit = kDefaultLimit;
  SearchResults results;
  results.query = std::string(query);
  std::vector<si::Token> words = si::tokenize(query);
  if (words.empty()) return Status::InvalidArgument("search: the query has no words");
  if (words.size() > kMaxQueryWords) return Status::InvalidArgument("search: more than 16 words in the query");
  for (const si::Token& w : words) results.terms.push_back(w.folded);
  for (const si::Token& w : words)
    if (w.folded.size() > si::kMaxWordBytes) return results;  // never indexed: no hits

  std::vector<std::string> folded, accent;
  for (const si::Token& w : words) {
    folded.push_back(std::string(1, si::kFoldedPrefix) + w.folded + '\0');
    accent.push_back(std::string(1, si::kAccentPrefix) + w.accent + '\0');
  }
  std::vector<Match> matches;
  std::set<std::string> seen;
  const std::size_t want = limit + 1;  // one more than asked tells whether there are more
  for (auto field : {SearchField::kTitle, SearchField::kCaption, SearchField::kPhoto, SearchField::kBody}) {
    const char f = static_cast<char>(field);
    KHO_RETURN_IF_ERROR(match_tier(snap, accent, f, true, seen, want, matches));
    KHO_RETURN_IF_ERROR(match_tier(snap, folded, f, false, seen, want, matches));
    if (matches.size() >= want) break;
  }
  results.more = matches.size() > limit;
  if (matches.size() > limit) matches.resize(limit);

  std::map<std::string, std::pair<std::string, std::optional<std::string>>> events;
  std::map<std::string, std::vector<Link>> links;
  for (std::size_t rank = 0; rank < matches.size(); ++rank) {
    const Match& m = matches[rank];
    Result<std::string_view> raw = snap.raw_get(db::kTerms, std::string(1, si::kDocPrefix) + m.doc);
    if (!raw.ok()) return raw.status().with_context("search: document of a posting");
    Result<si::DocRecord> rec = si::decode_doc(*raw);
    if (!rec.ok()) return rec.status();
    SearchHit hit;
    hit.field = static_cast<SearchField>(m.doc[0]);
    hit.exact = m.exact;
    hit.event_id = rec->event_id;
    hit.article_id = rec->article_id;
    hit.article_title = rec->article_title;
    hit.digest = rec->digest;
    hit.ref_index = rec->ref_index;
    if (!hit.event_id.empty()) {
      auto it = events.find(hit.event_id);
      if (it == events.end()) {
        Result<Event> ev = snap.event(hit.event_id);
        std::pair<std::string, std::optional<std::string>> info;
        if (ev.ok()) info = {ev->title, ev->date};
        it = events.emplace(hit.event_id, std::move(info)).first;
      }
      hit.event_title = it->second.first;
      hit.event_date = it->second.second;
    }
    if (!hit.digest && hit.ref_index && !hit.article_id.empty()) {
      auto it = links.find(hit.article_id);
      if (it == links.end()) {
        Result<std::vector<Link>> l = snap.article_links(hit.article_id);
        it = links.emplace(hit.article_id, l.ok() ? std::move(*l) : std::vector<Link>{}).first;
      }
      for (const Link& l : it->second)
        if (l.position == *hit.ref_index && l.digest) hit.digest = l.digest;
    }
    make_snippet(rec->text, m.starts, words.size(), hit);
    // Tiers are already in order; the score makes the order visible to API users.
    hit.score = static_cast<double>(matches.size() - rank) / static_cast<double>(matches.size()) +
                (4 - static_cast<int>(hit.field)) * 2 + (hit.exact ? 1 : 0);
    results.hits.push_back(std::move(hit));
  }
  return results;
}

}  // namespace kho
