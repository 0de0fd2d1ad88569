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

inline constexpr char kFoldedPrefix = 'f';  // 'f' folded-word \0 doc-key  → positions
inline constexpr char kAccentPrefix = 'a';  // 'a' accented-word \0 doc-key → positions
inline constexpr char kDocPrefix = 'd';     // 'd' doc-key → DocRecord
inline constexpr char kOwnerPrefix = 'o';   // 'o' owner doc-key → "" (what to delete on re-index)
inline constexpr char kOwnerArticle = 'a';
inline constexpr char kOwnerPhoto = 'p';
// Longer words are not indexed (LMDB keys are at most 511 bytes; no real word is this long).
inline constexpr std::size_t kMaxWordBytes = 120;
inline constexpr std::uint8_t kDocRecordVersion = 1;

// Sub-indexes of the documents of one article.
inline constexpr std::uint32_t kGroupCaptionBase = 0x40000000;  // + index of the group caption

// owner = kind(1) len(1) id-bytes. Article ids are 16 hex digits; photo owners are the 32 digest bytes.
std::string owner_key(char kind, std::string_view id);
// doc-key = field(1) owner sub(be32). Sorting by field first lets a query walk one ranking tier at a time.
std::string doc_key(SearchField field, std::string_view owner, std::uint32_t sub);
std::string posting_key(char prefix, std::string_view word, std::string_view doc);

struct DocRecord {
  std::string event_id;
  std::string article_id;
  std::string article_title;
  std::optional<Digest> digest;
  std::optional<std::uint32_t> ref_index;
  std::string text;
};
std::string encode_doc(const DocRecord& doc);
Result<DocRecord> decode_doc(std::string_view bytes);

// Positions are ascending word indexes, stored as LEB128 deltas.
std::string encode_positions(const std::vector<std::uint32_t>& positions);
Result<std::vector<std::uint32_t>> decode_positions(std::string_view bytes);

}  // namespace kho::search_internal
