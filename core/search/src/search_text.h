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
  std::string folded;     // search_key(): lower case, all marks removed, đ→d ("hoa")
  std::string accent;     // compare_key(): lower case NFC, tone placement unified ("hoà" for hòa and hoà)
};

// Words are maximal runs of letters, digits and combining marks that hold at least one letter or digit.
// Everything else (spaces, punctuation, symbols, invalid UTF-8 bytes) separates words. Never fails.
// Without keys only the offsets are filled (snippets need no keys, and keys cost most of the time).
std::vector<Token> tokenize(std::string_view text, bool with_keys = true);

}  // namespace kho::search_internal
