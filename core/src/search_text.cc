// Word splitting and the two per-word keys of the search index (see search_text.h).
#include "search_text.h"

#include <utf8proc.h>

#include "kho/text.h"

namespace kho::search_internal {
namespace {

bool is_word_char(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// The keys come from kho/text.h so that search agrees with the rest of kho on what "the same word" is.
void fill_keys(std::string_view word, Token& token) {
  token.folded = search_key(word);
  token.accent = compare_key(word);
}

}  // namespace

std::vector<Token> tokenize(std::string_view text, bool with_keys) {
  std::vector<Token> tokens;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
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
    utf8proc_int32_t cp = -1;
    utf8proc_ssize_t len = utf8proc_iterate(p + i, static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len <= 0) {  // an invalid byte separates words and is skipped
      close_word(i);
      ++i;
      continue;
    }
    if (is_word_char(cp)) {
      if (!in_word) {
        in_word = true;
        has_base = false;
        word_begin = i;
      }
      auto cat = utf8proc_category(cp);
      if (cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_MC && cat != UTF8PROC_CATEGORY_ME) has_base = true;
    } else {
      close_word(i);
    }
    i += static_cast<std::size_t>(len);
  }
  close_word(n);
  return tokens;
}

}  // namespace kho::search_internal
