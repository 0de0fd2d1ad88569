// Full-text search over titles, captions, body paragraphs, photos' own text, event and folder names, and
// photo details (file name, photographer, credit, camera): the `terms` database, core/FORMAT.md, "Search".
//
// Every word of every indexed text is posted under its folded key (lower case, all marks removed, đ→d:
// "thanh hoa" for "Thanh Hóa"). Common administrative abbreviations are posted both ways (a text saying
// "UBND" is found by "ủy ban nhân dân" and "uy ban"; "Ủy ban nhân dân" is found by "UBND"): the table is
// search_abbreviations() below, explained in core/search/README.md.
//
// A query finds all its words, anywhere in the same article, photo or event (an "owner"); the hit shown
// is the text (title, caption, paragraph…) holding most of them. Words in "double quotes" must be a phrase,
// in that order and next to each other. Ranking: all words in one text above words spread over an owner;
// adjacent words in query order above scattered ones; then the field (title, caption, photo text, event,
// details, body); then the same diacritics as the query; then rarer words. A long query (more than 8
// distinct words: a pasted caption) is answered from its rarest words: a text must hold at least two thirds
// of the 6 rarest, and ranks by how many of all the query's words it holds. Query words with no hits, or a
// query whose words are never next to each other, are checked against the index's vocabulary for slips
// (one edit, transposition included, and Telex typing slips): the best correction is offered as
// `suggestion`, and searched instead when the query itself found nothing.
//
// Filters in the query: `date:2021`, `date:2021-03`, `date:2021-01-05`, `date:2021-01..2021-06` (a range,
// either end may be left out) and `event:ID` (16 hex digits). They apply to the event's date.
//
// Writing (ingest): index_* add operations to a WriteBatch; nothing is written until Catalog::write(batch).
// Reading: search() runs inside one Snapshot and copies what it returns. All functions are thread-safe as
// long as each thread uses its own Snapshot and WriteBatch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kho/catalog.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho {

// Where a match was found.
enum class SearchField : std::uint8_t {
  kTitle = 0,    // an article's title
  kCaption = 1,  // a photo's caption, or a group caption, in an article
  kPhoto = 2,    // a photo's own text: headline, description, keywords
  kBody = 3,     // a paragraph of an article
  kEvent = 4,    // an event's title and folder name
  kDetails = 5,  // a photo's file name, photographer, credit, camera
};
const char* search_field_name(SearchField field);  // "title", "caption", "photo", "body", "event", "details"

// The abbreviation table: (abbreviation's folded key, its expansion's folded words).
const std::vector<std::pair<std::string, std::string>>& search_abbreviations();

// Adds/replaces the search postings of one article (title, captions, group captions, body paragraphs).
// Reads the article's previous postings from `current` (may be null: nothing to delete) so stale ones are
// deleted in the same batch. Indexing the same article twice in ONE batch with different text leaves the
// first version's postings behind: index once per batch.
// Errors: InvalidArgument when the article has no id; Corruption when a stored document cannot be decoded.
Status index_article(const Snapshot* current, WriteBatch& batch, const Article& article);

// index_article for an article too long for one batch (a 16 MB export makes ~4 million postings, and one
// batch of them held ~1.5 GB): the old postings are deleted and the new ones written in transactions of about
// `ops_per_part` operations each, through `catalog` directly, so memory stays bounded by one part. The
// caller must hold no snapshot in this thread. Between parts the article is partly indexed; a crash leaves
// it so until the next index of the same article (ingest re-indexes every article it reads).
// Errors: those of index_article, and of Catalog::write.
Status reindex_article_in_parts(Catalog& catalog, const Article& article, std::size_t ops_per_part);

// Adds/replaces the postings of a photo's own text (headline, description when it differs, keywords
// joined) and of its details (the file name of `photo.first_path`, creator, credit, camera make and
// model), so photos are findable without an article. `event_id` groups the results (may be empty).
// Errors: Corruption when a stored document of the photo cannot be decoded.
Status index_photo_text(const Snapshot* current, WriteBatch& batch, const Photo& photo,
                        std::string_view event_id);

// Adds/replaces the postings of an event's title and folder name (the last path component).
// Errors: InvalidArgument when the event has no id; Corruption as above.
Status index_event(const Snapshot* current, WriteBatch& batch, const Event& event);

// Removes every posting of an article (when it disappears from the archive).
// Errors: InvalidArgument when `article_id` is empty; Corruption as index_article.
Status unindex_article(const Snapshot* current, WriteBatch& batch, std::string_view article_id);

// Whether the `terms` database was written by this version of the format (true too when it is empty).
// An archive indexed by an older Kho answers false, and search() refuses it (Unsupported) until
// rebuild_search_index() has run (`kho reindex`): never silently wrong results.
Result<bool> search_index_current(const Snapshot& snap);

// Deletes the whole `terms` database and indexes every event, article and photo again, in transactions of
// about `ops_per_part` operations. `progress` (may be empty) is called after each transaction with the
// number of owners indexed so far. The caller must hold no snapshot in this thread.
// Errors: those of Catalog::write, Corruption when a record cannot be decoded.
struct RebuildStats {
  std::size_t events = 0, articles = 0, photos = 0;
};
Result<RebuildStats> rebuild_search_index(Catalog& catalog, std::size_t ops_per_part = 100000);

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
  std::string article_id;  // empty for hits outside articles
  std::string article_title;
  std::optional<Digest> digest;       // the photo the text belongs to, when there is one
  std::optional<std::uint32_t> ref_index;  // for captions of one photo: its reference index
  std::optional<std::uint32_t> block;      // for body paragraphs and group captions: the article block index
  SearchField field = SearchField::kBody;
  bool exact = false;                 // the matched words have the query's diacritics (not only folded)
  bool all_words = false;             // this text holds every query word (else they are spread over its owner)
  bool adjacent = false;              // the query's words appear next to each other, in order
  std::size_t matched = 0;            // how many distinct query words this text holds
  std::string snippet;                // the text around the match, NFC as stored, cut on UTF-8 boundaries
  std::vector<SearchSpan> highlights; // the matched words inside snippet, in order, not overlapping
  double score = 0;                   // higher is better; hits are sorted by it
};

struct SearchResults {
  std::string query;               // as given
  std::vector<std::string> terms;  // the folded words searched for (after a correction, the corrected ones)
  std::vector<SearchHit> hits;     // best first, at most `limit`; one hit per photo
  bool more = false;               // true when more hits exist beyond `limit`
  std::optional<std::string> suggestion;  // "did you mean": the query with slips corrected (folded words)
  bool corrected = false;                 // the hits are those of `suggestion` (the query itself found nothing)
  std::string date_from, date_to;         // the date filter as given (empty: none)
  std::string event_filter;               // the event filter (empty: none)
};

// Searches `query` (see the top of this file). At most `limit` hits (limit 0 = 50). Queries may be any
// length. No terms database yet: no hits.
// Errors: InvalidArgument (message in Vietnamese, for people) for a query without words or with a bad
// filter; Unsupported when the index was written by an older Kho (run `kho reindex`); Corruption
// for bad postings. The result is a copy: it outlives the Snapshot.
Result<SearchResults> search(const Snapshot& snap, std::string_view query, std::size_t limit);

}  // namespace kho
