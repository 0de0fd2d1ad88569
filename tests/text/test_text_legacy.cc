// Legacy Vietnamese encodings: one real article in Windows-1258, VNI and TCVN3 (tests/data/text/legacy,
// made by make_legacy.py there) is recognised and converted back to its UTF-8 text.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "kho/text.h"

namespace kho {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(KHO_TEST_DATA_DIR) + "/text/legacy/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

TEST(TextLegacy, EachEncodingIsRecognisedAndConverted) {
  const std::string want = fixture("article.utf8.txt");
  struct Case {
    const char* file;
    LegacyEncoding e;
  };
  for (const Case c :
       {Case{"article.cp1258.txt", LegacyEncoding::kCp1258}, Case{"article.vni.txt", LegacyEncoding::kVni},
        Case{"article.tcvn3.txt", LegacyEncoding::kTcvn3}}) {
    const std::string bytes = fixture(c.file);
    ASSERT_FALSE(is_valid_utf8(bytes)) << c.file;
    const LegacyDecode d = decode_legacy_vietnamese(bytes);
    EXPECT_EQ(d.encoding, c.e) << c.file << " read as " << legacy_encoding_name(d.encoding);
    if (c.e == LegacyEncoding::kTcvn3) {
      // TCVN3 has no capital toned letters: "TỈNH" is written with the code of "ỉ".
      EXPECT_EQ(fold_case(d.text), fold_case(want)) << c.file;
    } else {
      EXPECT_EQ(d.text, want) << c.file;
    }
  }
}

TEST(TextLegacy, KnownWordsByHand) {
  // From the code charts: TCVN3 "ViÖt Nam" / "Hµ Néi" / "§µ N½ng"; VNI "Vieät Nam" / "Haø Noäi" / "Ñaø Naüng".
  EXPECT_EQ(legacy_to_utf8("Vi\xD6t Nam, H\xB5 N\xE9i, \xA7\xB5 N\xBDng", LegacyEncoding::kTcvn3),
            "Việt Nam, Hà Nội, Đà Nẵng");
  EXPECT_EQ(legacy_to_utf8("Vie\xE4t Nam, Ha\xF8 No\xE4i, \xD1"
                           "a\xF8 Na\xFCng, th\xF6\xF4\xF9"
                           "c",
                           LegacyEncoding::kVni),
            "Việt Nam, Hà Nội, Đà Nẵng, thước");
  // Windows-1258: ê (0xEA) then the combining dot below (0xF2) compose to ệ.
  EXPECT_EQ(legacy_to_utf8("Vi\xEA\xF2t Nam", LegacyEncoding::kCp1258), "Việt Nam");
}

TEST(TextLegacy, UnsureOrNothingToConvert) {
  EXPECT_EQ(decode_legacy_vietnamese("plain ASCII text").encoding, LegacyEncoding::kUnknown);
  EXPECT_EQ(decode_legacy_vietnamese("Vi\xE1\xBB\x87t Nam").encoding, LegacyEncoding::kUnknown);  // UTF-8
  // German in Windows-1252: no Vietnamese reading wins.
  EXPECT_EQ(decode_legacy_vietnamese("Gr\xFC\xDF"
                                     "e aus M\xFCnchen, sch\xF6ne Stra\xDF"
                                     "e, K\xE4se")
                .encoding,
            LegacyEncoding::kUnknown);
}

}  // namespace
}  // namespace kho
