// Word splitting for the search index and edit distance for the linker (kho/text.h).
#include <utf8proc.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "kho/text.h"
#include "text_syllable.h"

namespace kho {

std::vector<std::string> search_terms(std::string_view s) {
  const std::string key = search_key(s);
  std::vector<std::string> terms;
  std::string word;
  utf8proc_ssize_t i = 0;
  const auto* data = reinterpret_cast<const utf8proc_uint8_t*>(key.data());
  const auto size = static_cast<utf8proc_ssize_t>(key.size());
  while (i < size) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(data + i, size - i, &cp);
    if (n <= 0) {  // cannot happen on sanitized text; skip a byte rather than loop
      ++i;
      continue;
    }
    const utf8proc_category_t cat = utf8proc_category(cp);
    const bool word_char = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
                           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
    if (word_char) {
      word.append(key, static_cast<std::size_t>(i), static_cast<std::size_t>(n));
    } else if (!word.empty()) {
      terms.push_back(std::move(word));
      word.clear();
    }
    i += n;
  }
  if (!word.empty()) terms.push_back(std::move(word));
  return terms;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Invalid bytes count as U+FFFD, one each (text_detail::decode), so any input has a distance.
  const auto x = text_detail::decode(std::string(a));
  const auto y = text_detail::decode(std::string(b));
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t up = row[j];
      const std::size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[y.size()];
}

}  // namespace kho
