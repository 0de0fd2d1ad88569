// Full-text search over titles, captions, body paragraphs and photos' own text (the `terms` database,
// core/FORMAT.md, "Search").
//
// The index holds, for every word of every indexed text, two postings: its folded form (lower case, all
// marks removed, đ→d: "thanh hoa" for "Thanh Hóa") and its accented form (lower case NFC with the two
// tone-mark placements unified: "hoà" = "hòa"). A query is a phrase: its words must appear in this order,
// next to each other. Results come in tiers: title, then caption, then the photo's own text, then body; in
// each tier the matches with the same diacritics as the query come before those found only by folding.
//
// Writing (ingest): index_article / index_photo_text add operations to a WriteBatch; nothing is written
// until Catalog::write(batch). Reading: search() runs inside one Snapshot and copies what it returns.
// All functions are thread-safe as long as each thread uses its own Snapshot and WriteBatch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho {

// Where a match was found. The numeric order is the ranking order (title first).
enum class SearchField : std::uint8_t { kTitle = 0, kCaption = 1, kPhoto = 2, kBody = 3 };
const char* search_field_name(SearchField field);  // "title", "caption", "photo", "body"

// Adds/replaces the search postings of one article (title, captions, group captions, body paragraphs).
// Reads the article's previous postings from `current` (may be null: nothing to delete) so stale ones are
// deleted in the same batch. Indexing the same article twice in ONE batch with different text leaves the
// first version's postings behind: index once per batch.
// Errors: InvalidArgument when the article has no id; Corruption when a stored posting cannot be decoded.
Status index_article(const Snapshot* current, WriteBatch& batch, const Article& article);

// index_article for an article too long for one batch (a 16 MB export makes ~4 million postings, and one
// batch of them held ~1.5 GB): the old postings are deleted and the new ones written in transactions of about
// `ops_per_part` operations each, through `catalog` directly, so memory stays bounded by one part. The
// caller must hold no snapshot in this thread. Between parts the article is partly indexed; a crash leaves
// it so until the next index of the same article (ingest re-indexes every article it reads).
// Errors: those of index_article, and of Catalog::write.
Status reindex_article_in_parts(Catalog& catalog, const Article& article, std::size_t ops_per_part);

// Adds/replaces the postings of a photo's own text (headline, description when it differs, keywords
// joined) so photos without an article are findable. `event_id` groups the results (may be empty).
// Errors: Corruption when a stored posting of the photo cannot be decoded.
Status index_photo_text(const Snapshot* current, WriteBatch& batch, const Photo& photo,
                        std::string_view event_id);

// Removes every posting of an article (when it disappears from the archive).
// Errors: InvalidArgument when `article_id` is empty; Corruption as index_article.
Status unindex_article(const Snapshot* current, WriteBatch& batch, std::string_view article_id);

// A byte range [begin, end) inside SearchHit::snippet to highlight.
struct SearchSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const SearchSpan&, const SearchSpan&) = default;
};

struct SearchHit {
  std::string event_id;               // empty when the photo belongs to no event
  std::string event_title;            // empty when the event is unknown
  std::optional<std::string> event_date;
  std::string article_id;             // empty for SearchField::kPhoto hits
  std::string article_title;
  std::optional<Digest> digest;       // the photo the text belongs to, when there is one
  std::optional<std::uint32_t> ref_index;  // for captions of one photo: its reference index
  SearchField field = SearchField::kBody;
  bool exact = false;                 // same diacritics as the query (not only a folded match)
  std::string snippet;                // the text around the match, NFC as stored, cut on UTF-8 boundaries
  std::vector<SearchSpan> highlights; // the matched words inside snippet, in order, not overlapping
  double score = 0;                   // higher is better; hits are sorted by it
};

struct SearchResults {
  std::string query;           // as given
  std::vector<std::string> terms;  // the folded words searched for
  std::vector<SearchHit> hits;     // best first, at most `limit`
  bool more = false;               // true when more hits exist beyond `limit`
};

// Finds the phrase `query` (1 to 16 words; punctuation is ignored). At most `limit` hits (limit 0 = 50).
// A word longer than the index keeps finds nothing (no error). No terms database yet: no hits.
// Errors: InvalidArgument for a query without words or with more than 16; Corruption for bad postings.
// The result is a copy: it outlives the Snapshot.
Result<SearchResults> search(const Snapshot& snap, std::string_view query, std::size_t limit);

}  // namespace kho
