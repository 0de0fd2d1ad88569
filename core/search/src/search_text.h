// Private to core: how the search index cuts text into words and derives their two keys. Indexing and
// querying must use exactly this code, or positions and keys would not line up.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kho::search_internal {

struct Token {
  std::size_t begin = 0;  // byte offsets of the word in the text it came from
  std::size_t end = 0;
  std::string folded;  // search_key(): lower case, all marks removed, đ→d ("hoa")
};

// Words are maximal runs of letters, digits and combining marks that hold at least one letter or digit.
// Everything else (spaces, punctuation, symbols, invalid UTF-8 bytes) separates words. Never fails.
// Without keys only the offsets are filled (snippets need no keys, and keys cost most of the time).
std::vector<Token> tokenize(std::string_view text, bool with_keys = true);

}  // namespace kho::search_internal

#include <cstdint>
#include <functional>
#include <map>

namespace kho::search_internal {

// A text's postings: each folded word with its ascending positions, the abbreviations posted both ways
// (search_abbreviations(): an expansion's words at the abbreviation's position, an abbreviation at the
// position where its expansion starts). Indexing and removing use exactly this.
using Postings = std::map<std::string, std::vector<std::uint32_t>>;
Postings collect_postings(std::string_view text);

// The same postings one at a time, in position order, without building the map: fn(word, position) for each;
// a word may come twice at one position (collect_postings keeps one). For a query that needs a few words of
// a document's text.
void for_each_posting(std::string_view text, const std::function<void(const std::string&, std::uint32_t)>& fn);

}  // namespace kho::search_internal
