// Private to core: the key and value layout of the `terms` database (core/FORMAT.md, "Search").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/model.h"
#include "kho/search.h"
#include "kho/status.h"

namespace kho::search_internal {

inline constexpr char kPostingPrefix = 'p';  // 'p' folded-word \0 doc-key → positions
inline constexpr char kDocPrefix = 'd';      // 'd' doc-key → DocRecord
inline constexpr char kVocabPrefix = 'v';    // 'v' folded-word → "" (the vocabulary, for slips)
// Format 1 (before issue 15) wrote 'f', 'a' and 'o' keys; one of them means the index must be rebuilt.
inline constexpr char kOldOwnerPrefix = 'o';
inline constexpr char kOldFoldedPrefix = 'f';
inline constexpr char kOwnerArticle = 'a';
inline constexpr char kOwnerPhoto = 'p';
inline constexpr char kOwnerEvent = 'e';
// Longer words are not indexed (LMDB keys are at most 511 bytes; no real word is this long).
inline constexpr std::size_t kMaxWordBytes = 120;
inline constexpr std::uint8_t kDocRecordVersion = 2;

// Sub-indexes of the documents of one article.
inline constexpr std::uint32_t kGroupCaptionBase = 0x40000000;  // + index of the group caption

// owner = kind(1) len(1) id-bytes. Article and event ids are 16 hex digits; photo owners are the 32 digest
// bytes.
std::string owner_key(char kind, std::string_view id);
// doc-key = owner field(1) sub(be32). Owner first: one owner's documents holding a word are one range of the
// word's postings, so "all the words anywhere in the same article" is a merge of posting lists by owner.
std::string doc_key(std::string_view owner, SearchField field, std::uint32_t sub);
// The owner part of a doc key (its first 2 + len bytes); empty when the key is malformed.
std::string_view doc_owner(std::string_view doc);
// The field byte of a doc key; kBody when malformed.
SearchField doc_field(std::string_view doc);
std::string posting_key(std::string_view word, std::string_view doc);

struct DocRecord {
  std::string event_id;
  std::string article_id;
  std::string article_title;
  std::optional<Digest> digest;
  std::optional<std::uint32_t> ref_index;
  std::optional<std::uint32_t> block;
  std::string text;
};
std::string encode_doc(const DocRecord& doc);
Result<DocRecord> decode_doc(std::string_view bytes);

// Positions are ascending word indexes, stored as LEB128 deltas (a delta may be 0: an abbreviation's
// expansion shares its position).
std::string encode_positions(const std::vector<std::uint32_t>& positions);
Result<std::vector<std::uint32_t>> decode_positions(std::string_view bytes);
// The same into `out` (cleared first; its capacity is reused: no allocation per posting in a query's loop).
Status decode_positions_into(std::string_view bytes, std::vector<std::uint32_t>& out);

}  // namespace kho::search_internal
