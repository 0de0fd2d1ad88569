// The text and value rules behind the metadata record (ingest/src/metadata_text.cc): legacy
// encodings, UCS-2, UserComment prefixes, placeholders, dates and GPS. These are private helpers,
// tested directly because each one guards a way real files go wrong.
#include <gtest/gtest.h>

#include "ingest/src/metadata_internal.h"

namespace kho::ingest::detail {
namespace {

std::span<const std::uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(MetadataText, ValidUtf8IsKeptAndLatin1IsConverted) {
  EXPECT_EQ(decode_8bit("Hà Nội"), "Hà Nội");
  EXPECT_EQ(decode_8bit("Jos\xe9"), "José");
  EXPECT_EQ(decode_8bit("Jos\x8e"), "JosŽ");  // Windows-1252, as exiftool reads it
  EXPECT_EQ(decode_8bit(std::string("Canon\0garbage", 13)), "Canon");
}

TEST(MetadataText, MetaTextIsNfcWithLegacyBytesAsWindows1252) {
  EXPECT_EQ(meta_text("Ho\xcc\x82\xcc\x80"), "Hồ");  // o + circumflex + grave
  EXPECT_EQ(meta_text("Jos\xe9 \x93q\x94"), "José “q”");  // not UTF-8: read as Windows-1252
  EXPECT_EQ(meta_text(std::string("a\0b", 3)), "ab");   // NULs never reach stored text
}

TEST(MetadataText, Utf16BothOrdersBomAndSurrogates) {
  std::string le("V\0i\0\xc7\x1e" "t\0\0\0junk", 14);  // "Việt" then NUL
  EXPECT_EQ(decode_utf16(as_bytes(le), true), "Việt");
  std::string be("\0V\0i\x1e\xc7\0t", 8);
  EXPECT_EQ(decode_utf16(as_bytes(be), false), "Việt");
  std::string bom("\xfe\xff\0V\0i\x1e\xc7\0t", 10);  // big-endian BOM overrides the hint
  EXPECT_EQ(decode_utf16(as_bytes(bom), true), "Việt");
  std::string emoji("\x3d\xd8\x00\xde", 4);  // U+1F600 as a surrogate pair, little-endian
  EXPECT_EQ(decode_utf16(as_bytes(emoji), true), "😀");
  std::string lone("\x3d\xd8" "A\0", 4);  // a lone high surrogate becomes U+FFFD
  EXPECT_EQ(decode_utf16(as_bytes(lone), true), "\xef\xbf\xbd" "A");
}

TEST(MetadataText, UserCommentPrefixes) {
  EXPECT_EQ(decode_user_comment(as_bytes(std::string("ASCII\0\0\0Hello  ", 15)), true), "Hello");
  EXPECT_EQ(decode_user_comment(as_bytes(std::string("UNICODE\0C\0\xe0\0o\0", 14)), true), "Cào");
  EXPECT_EQ(decode_user_comment(as_bytes(std::string("UNICODE\0\0C\0\xe0\0o", 14)), false), "Cào");
  EXPECT_EQ(decode_user_comment(as_bytes(std::string("JIS\0\0\0\0\0F|K\\", 12)), true), "日本");
  EXPECT_EQ(decode_user_comment(as_bytes(std::string("\0\0\0\0\0\0\0\0Tr\xc6\xb0\xe1\xbb\x9dng", 17)), true),
            "Trường");
  EXPECT_FALSE(decode_user_comment(as_bytes(std::string("ASCII\0\0\0        ", 16)), true).has_value());
  EXPECT_FALSE(decode_user_comment(as_bytes(std::string(36, '\0')), true).has_value());
}

TEST(MetadataText, CameraPlaceholders) {
  EXPECT_TRUE(is_placeholder_description("OLYMPUS DIGITAL CAMERA         ", "", ""));
  EXPECT_TRUE(is_placeholder_description("                               ", "", ""));
  EXPECT_TRUE(is_placeholder_description("SANYO DIGITAL CAMERA", "", ""));
  EXPECT_TRUE(is_placeholder_description("SONY DSC", "", ""));
  EXPECT_TRUE(is_placeholder_description("EPSON DSC picture", "", ""));
  EXPECT_TRUE(is_placeholder_description("WWL     ", "WWL", "ION230"));
  EXPECT_TRUE(is_placeholder_description("GC-X1E Image", "JVC", "GC-X1E"));
  EXPECT_TRUE(is_placeholder_description("DSC00019", "", ""));
  EXPECT_FALSE(is_placeholder_description("Cầu Long Biên", "", ""));
  EXPECT_FALSE(is_placeholder_description("Gran Turismo 5", "", ""));
  EXPECT_FALSE(is_placeholder_description("Digital camera review at CES", "", ""));
}

TEST(MetadataText, Dates) {
  EXPECT_EQ(exif_datetime_to_iso("2020:05:17 08:30:15", "042", "+07:00"), "2020-05-17T08:30:15.042+07:00");
  EXPECT_EQ(exif_datetime_to_iso("2020:05:17 08:30:15", "", "-0500"), "2020-05-17T08:30:15-05:00");
  EXPECT_EQ(exif_datetime_to_iso("2020:05:17 08:30:15", "", ""), "2020-05-17T08:30:15");
  EXPECT_EQ(exif_datetime_to_iso("2006-10-29T06:27:51.5-05:00", "", ""), "2006-10-29T06:27:51.5-05:00");
  EXPECT_EQ(exif_datetime_to_iso("2006-10-29", "", ""), "2006-10-29");
  EXPECT_FALSE(exif_datetime_to_iso("0000:00:00 00:00:00", "", "").has_value());
  EXPECT_FALSE(exif_datetime_to_iso("    :  :     :  :  ", "", "").has_value());
  EXPECT_FALSE(exif_datetime_to_iso("2020:13:01 00:00:00", "", "").has_value());
  EXPECT_EQ(exif_datetime_to_iso("2020:05:17 08:30:15", "", "+99:00"), "2020-05-17T08:30:15");  // bad offset dropped
}

TEST(MetadataText, GpsSignsAndRange) {
  EXPECT_NEAR(*dms_to_degrees({21, 1, 30}, "N", 90), 21.025, 1e-12);
  EXPECT_NEAR(*dms_to_degrees({21, 1, 30}, "S", 90), -21.025, 1e-12);
  EXPECT_NEAR(*dms_to_degrees({105, 51, 15}, "W", 180), -105.854166666667, 1e-9);
  EXPECT_FALSE(dms_to_degrees({91, 0, 0}, "N", 90).has_value());
  EXPECT_FALSE(dms_to_degrees({}, "N", 90).has_value());
}

}  // namespace
}  // namespace kho::ingest::detail
