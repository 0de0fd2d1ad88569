// Per event folder: parse its article exports, link their references to the folder's photos, and put the
// articles, links, event and search terms into a WriteBatch (private to kho::ingest).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"
#include "kho/ingest/scanner.h"
#include "kho/model.h"

namespace kho::ingest::detail {

// A photo file of the folder that is stored in the catalog (failed files are left out).
struct StoredPhoto {
  std::string path;  // raw bytes
  Digest digest;
};

struct FolderWork {
  const EventFolder* folder = nullptr;
  std::vector<StoredPhoto> photos;  // sorted by path
  // Article files larger than this are refused (an `errors` entry naming the file); 0 = no limit.
  std::uint64_t max_article_bytes = 0;
  // When set, articles whose text exceeds kIndexInPartsBytes are not indexed in `batch` but moved here, for
  // kho::reindex_article_in_parts after the batch is committed (their postings would not fit one batch).
  std::vector<Article>* index_later = nullptr;
};

// Above this many bytes of text an article is indexed in parts (see FolderWork::index_later). A news
// article is 2–50 KB; one of 16 MB made ~4 million postings, ~1.5 GB in one batch.
inline constexpr std::size_t kIndexInPartsBytes = std::size_t{1} << 20;

// The date an event folder's name starts with: "2021-01-05 Lũ…", "2021.01.05", "2021_01_05" or "20210105"
// (then a non-digit or the end) → "2021-01-05"; nullopt when it starts with no valid date.
std::optional<std::string> folder_name_date(std::string_view name);

// Builds the folder's event, articles and links into `batch` and adds counts, orphans, unresolved
// references and warnings to `summary`. `current` (may be null) is used to read the photos' EXIF dates
// and the search postings that must be replaced; it is only read during the call.
// `indexed_articles` carries article ids already indexed in this batch (an article met in two folders is
// indexed once per batch, as kho/search.h asks).
// Errors: only those of the search index (Corruption); per-file problems become warnings.
Status build_event(const Snapshot* current, const FolderWork& work, WriteBatch& batch,
                   IngestSummary& summary, std::set<std::string>& indexed_articles);

}  // namespace kho::ingest::detail
