// Answering a phrase query from the `terms` index (see kho/search.h for the ranking rules).
//
// For each ranking tier (field, then accented before folded), the query words' posting lists are
// intersected by leapfrogging: each list is only ever seeked forward to the largest document seen so far,
// so a rare word bounds the work even when another word is everywhere. Walking tier by tier lets a query
// stop as soon as it has `limit` hits.
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

// The first posting of `prefix` (a word's list) at or after doc key `from`, inside the tier `field`.
Status seek_posting(const Snapshot& snap, const std::string& prefix, std::string_view from, char field,
                    bool& found, std::string& doc, std::string_view& value) {
  found = false;
  std::string start = prefix;
  start.append(from);
  Status st = snap.raw_seek(db::kTerms, start, [&](std::string_view key, std::string_view val) {
    if (key.size() > prefix.size() && key.compare(0, prefix.size(), prefix) == 0 && key[prefix.size()] == field) {
      found = true;
      doc.assign(key.substr(prefix.size()));
      value = val;
    }
    return false;
  });
  if (st.is_not_found()) return Status::OK();  // no terms database yet: nothing indexed
  return st;
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
// until `out` holds `want` matches.
Status match_tier(const Snapshot& snap, const std::vector<std::string>& prefixes, char field, bool exact,
                  std::set<std::string>& seen, std::size_t want, std::vector<Match>& out) {
  const std::size_t n = prefixes.size();
  std::string target(1, field);  // doc key to seek from: the start of the tier
  std::vector<std::string_view> values(n);
  std::string doc;
  while (out.size() < want) {
    bool found = false;
    std::string_view value;
    KHO_RETURN_IF_ERROR(seek_posting(snap, prefixes[0], target, field, found, doc, value));
    if (!found) return Status::OK();
    target = doc;
    values[0] = value;
    bool aligned = true;
    for (std::size_t i = 1; i < n; ++i) {
      std::string other;
      KHO_RETURN_IF_ERROR(seek_posting(snap, prefixes[i], target, field, found, other, value));
      if (!found) return Status::OK();
      if (other != target) {  // this list is ahead: restart the round from its document
        target = std::move(other);
        aligned = false;
        break;
      }
      values[i] = value;
    }
    if (!aligned) continue;
    if (!seen.count(target)) {
      Result<std::vector<std::uint32_t>> starts = phrase_starts(values);
      if (!starts.ok()) return starts.status();
      if (!starts->empty()) {
        seen.insert(target);
        out.push_back(Match{target, exact, std::move(*starts)});
      }
    }
    target.push_back('\0');  // the smallest key after this document
  }
  return Status::OK();
}

// Cuts the text around the first match and maps the matched words to snippet offsets.
void make_snippet(const std::string& text, const std::vector<std::uint32_t>& starts, std::size_t words,
                  SearchHit& hit) {
  std::vector<si::Token> tokens = si::tokenize(text);
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
