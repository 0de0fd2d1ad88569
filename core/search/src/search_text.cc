// Word splitting and the two per-word keys of the search index (see search_text.h).
#include "search_text.h"

#include "kho/text.h"

namespace kho::search_internal {
namespace {

// The keys come from kho/text.h so that search agrees with the rest of kho on what "the same word" is.
void fill_keys(std::string_view word, Token& token) { token.folded = search_key(word); }

}  // namespace

std::vector<Token> tokenize(std::string_view text, bool with_keys) {
  std::vector<Token> tokens;
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t word_begin = 0;
  bool in_word = false;
  bool has_base = false;  // a letter or digit, not only marks
  auto close_word = [&](std::size_t end) {
    if (!in_word) return;
    in_word = false;
    if (!has_base) return;
    Token t;
    t.begin = word_begin;
    t.end = end;
    if (with_keys) fill_keys(text.substr(word_begin, end - word_begin), t);
    tokens.push_back(std::move(t));
  };
  while (i < n) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {  // ASCII: letters and digits make words, all else separates (char_class agrees)
      if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9')) {
        if (!in_word) {
          in_word = true;
          word_begin = i;
        }
        has_base = true;
      } else {
        close_word(i);
      }
      ++i;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t len = next_code_point(text, i, &cp);
    if (len == 0) {  // an invalid byte separates words and is skipped
      close_word(i);
      ++i;
      continue;
    }
    const CharClass cls = char_class(cp);
    if (cls != CharClass::kOther) {  // letters, marks and numbers make words
      if (!in_word) {
        in_word = true;
        has_base = false;
        word_begin = i;
      }
      if (cls != CharClass::kMark) has_base = true;
    } else {
      close_word(i);
    }
    i += len;
  }
  close_word(n);
  return tokens;
}

}  // namespace kho::search_internal
