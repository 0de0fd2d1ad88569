// The tokenizer's ASCII fast path (search_text.cc) must cut words exactly where the general path, through
// kho::char_class, would: every ASCII byte is a letter or digit or a separator, never a mark.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/search/src/search_text.h"
#include "kho/text.h"

namespace kho {
namespace {

TEST(SearchTokenize, AsciiClassesAgreeWithCharClass) {
  for (std::uint32_t c = 0; c < 0x80; ++c) {
    const CharClass cls = char_class(c);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    EXPECT_EQ(cls != CharClass::kOther, alnum) << "code point " << c;
    EXPECT_NE(cls, CharClass::kMark) << "code point " << c;
  }
}

TEST(SearchTokenize, MixedAsciiAndVietnameseWords) {
  const std::string text =
      "UBND_TP.HCM: Ủy ban (2021-01) a\x01"
      "b \xff"
      "x Hoa\xcc\x81 c\xcc\x81";  // NFD marks
  std::vector<std::string> words, folded;
  for (const search_internal::Token& t : search_internal::tokenize(text)) {
    words.push_back(text.substr(t.begin, t.end - t.begin));
    folded.push_back(t.folded);
  }
  EXPECT_EQ(words, (std::vector<std::string>{"UBND", "TP", "HCM", "Ủy", "ban", "2021", "01", "a", "b", "x",
                                             "Hoa\xcc\x81", "c\xcc\x81"}));
  EXPECT_EQ(folded,
            (std::vector<std::string>{"ubnd", "tp", "hcm", "uy", "ban", "2021", "01", "a", "b", "x", "hoa", "c"}));
  // A run of marks alone (no letter or digit) is not a word.
  EXPECT_TRUE(search_internal::tokenize(" \xcc\x81\xcc\x80 ").empty());
}

}  // namespace
}  // namespace kho
