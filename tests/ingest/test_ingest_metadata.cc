// kho::ingest::read_metadata on small fixtures made by tests/data/metadata/make_fixtures.sh: each text
// encoding, the caption priority, GPS in the four hemispheres, dates with sub-seconds and offsets,
// other containers, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "kho/ingest/metadata.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

kho::Metadata read_fixture(const std::string& name) {
  auto path = kho::testing::test_data_dir() / "metadata" / name;
  auto result = read_metadata_file(path.string());
  EXPECT_TRUE(result.ok()) << name << ": " << result.status().to_string();
  return result.ok() ? *result : kho::Metadata{};
}

TEST(ReadMetadata, IptcWithUtf8Marker) {
  auto m = read_fixture("iptc_utf8.jpg");
  EXPECT_EQ(m.format, "jpeg");
  EXPECT_EQ(m.description, "Hà Nội: Lễ hội đền Hùng");
  EXPECT_EQ(m.headline, "Giỗ Tổ Hùng Vương");
  EXPECT_EQ(m.keywords, (std::vector<std::string>{"lễ hội", "Phú Thọ"}));
  EXPECT_EQ(m.creator, "Nguyễn Văn A");
  EXPECT_EQ(m.credit, "TTXVN");
  EXPECT_TRUE(m.warnings.empty());
}

TEST(ReadMetadata, IptcWithoutMarkerFallsBackToLatin1) {
  // The bytes are 'Caf\xe9 S\xe3o Paulo \x80 5': not UTF-8, so Latin-1 (Windows-1252 for 0x80 = €).
  auto m = read_fixture("iptc_latin1.jpg");
  EXPECT_EQ(m.description, "Café São Paulo € 5");
  EXPECT_EQ(m.creator, "Jürgen Müller");
}

TEST(ReadMetadata, XmpLangAltPrefersXDefaultAndBeatsIptcAndExif) {
  auto m = read_fixture("xmp_langalt.jpg");
  EXPECT_EQ(m.description, "Default description");
  EXPECT_EQ(m.event, "SEA Games 31");
  EXPECT_EQ(m.headline, "Tiêu đề");
  EXPECT_EQ(m.credit, "Báo Nhân Dân");
  EXPECT_EQ(m.creator, "Trần B");
  EXPECT_EQ(m.keywords, (std::vector<std::string>{"bóng đá", "Mỹ Đình"}));
  CaptionSources src;
  std::string bytes = kho::testing::read_file(kho::testing::test_data_dir() / "metadata" / "xmp_langalt.jpg");
  ASSERT_TRUE(read_metadata({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, &src).ok());
  EXPECT_EQ(src.xmp_description, "Default description");
  EXPECT_EQ(src.iptc_caption, "IPTC caption loses to XMP");
  EXPECT_EQ(src.exif_description, "EXIF loses to XMP");
}

TEST(ReadMetadata, XmpLangAltWithoutXDefaultTakesTheOnlyLanguage) {
  EXPECT_EQ(read_fixture("xmp_lang_only.jpg").description, "Chỉ có tiếng Việt");
}

TEST(ReadMetadata, DecomposedTextComesOutNfc) {
  auto m = read_fixture("xmp_nfd.jpg");
  EXPECT_EQ(m.description, "Hồ Hoàn Kiếm");  // this source file is NFC
}

TEST(ReadMetadata, IptcBeatsExifDescription) {
  EXPECT_EQ(read_fixture("iptc_over_exif.jpg").description, "IPTC wins");
}

TEST(ReadMetadata, CameraPlaceholderIsNoDescription) {
  auto m = read_fixture("exif_placeholder.jpg");
  EXPECT_FALSE(m.description.has_value()) << *m.description;
  EXPECT_EQ(m.make, "OLYMPUS IMAGING CORP.");  // padding blanks dropped
  EXPECT_EQ(m.model, "E-P3");
}

TEST(ReadMetadata, ExifDescriptionAndArtist) {
  auto m = read_fixture("exif_description.jpg");
  EXPECT_EQ(m.description, "Cầu Long Biên lúc bình minh");
  EXPECT_EQ(m.creator, "Lê C");
}

TEST(ReadMetadata, UserCommentAscii) {
  EXPECT_EQ(read_fixture("usercomment_ascii.jpg").description, "Plain ASCII comment");
}

TEST(ReadMetadata, UserCommentUnicode) {
  EXPECT_EQ(read_fixture("usercomment_unicode.jpg").description, "Xin chào Việt Nam");
}

TEST(ReadMetadata, UserCommentJis) {
  EXPECT_EQ(read_fixture("usercomment_jis.jpg").description, "日本");
}

TEST(ReadMetadata, WindowsXpTagsAreUcs2) {
  auto m = read_fixture("xp_tags.jpg");
  EXPECT_EQ(m.description, "Ghi chú XP 😀");  // a surrogate pair
  EXPECT_EQ(m.headline, "Tiêu đề XP");
  EXPECT_EQ(m.creator, "Phạm D");
  EXPECT_EQ(m.keywords, (std::vector<std::string>{"một", "hai", "ba"}));
}

struct GpsCase {
  const char* file;
  double lat, lon, alt;
};

TEST(ReadMetadata, GpsInAllFourHemispheres) {
  const GpsCase cases[] = {
      {"gps_ne.jpg", 21.0 + 1.0 / 60 + 30.0 / 3600, 105.0 + 51.0 / 60 + 15.0 / 3600, 12.0},
      {"gps_nw.jpg", 40.0 + 41.0 / 60 + 21.3 / 3600, -(74.0 + 2.0 / 60 + 40.5 / 3600), 10.0},
      {"gps_se.jpg", -(33.0 + 52.0 / 60 + 4.0 / 3600), 151.0 + 12.0 / 60 + 26.0 / 3600, 58.0},
      {"gps_sw.jpg", -(22.0 + 54.0 / 60 + 30.0 / 3600), -(43.0 + 11.0 / 60 + 47.0 / 3600), -1.5},
  };
  for (const auto& c : cases) {
    auto m = read_fixture(c.file);
    ASSERT_TRUE(m.gps_lat && m.gps_lon && m.gps_alt) << c.file;
    EXPECT_NEAR(*m.gps_lat, c.lat, 1e-9) << c.file;
    EXPECT_NEAR(*m.gps_lon, c.lon, 1e-9) << c.file;
    EXPECT_NEAR(*m.gps_alt, c.alt, 1e-9) << c.file;
  }
}

TEST(ReadMetadata, SubSecondTimeWithOffsetAndShotFields) {
  auto m = read_fixture("datetime_offset.jpg");
  EXPECT_EQ(m.datetime_original, "2020-05-17T08:30:15.042+07:00");
  ASSERT_TRUE(m.exposure_time && m.f_number && m.iso && m.focal_length);
  EXPECT_DOUBLE_EQ(*m.exposure_time, 1.0 / 250);
  EXPECT_DOUBLE_EQ(*m.f_number, 2.8);
  EXPECT_EQ(*m.iso, 400);
  EXPECT_DOUBLE_EQ(*m.focal_length, 35.0);
  EXPECT_EQ(m.orientation, 6);
  EXPECT_EQ(m.lens, "XF35mmF1.4 R");
  EXPECT_EQ(m.make, "FUJIFILM");
  EXPECT_EQ(m.model, "X-T3");
  EXPECT_EQ(m.width, 16);  // as stored, before orientation 6 would turn it
  EXPECT_EQ(m.height, 12);
}

TEST(ReadMetadata, PngWebpTiff) {
  auto png = read_fixture("png_xmp.png");
  EXPECT_EQ(png.format, "png");
  EXPECT_EQ(png.width, 20);
  EXPECT_EQ(png.height, 10);
  EXPECT_EQ(png.description, "Ảnh PNG");
  EXPECT_EQ(png.make, "PNGMaker");
  auto webp = read_fixture("webp_xmp.webp");
  EXPECT_EQ(webp.format, "webp");
  EXPECT_EQ(webp.width, 24);
  EXPECT_EQ(webp.height, 8);
  EXPECT_EQ(webp.description, "Ảnh WebP");
  EXPECT_EQ(webp.datetime_original, "2019-01-02T03:04:05");
  auto tiff = read_fixture("tiff_exif.tif");
  EXPECT_EQ(tiff.format, "tiff");
  EXPECT_EQ(tiff.width, 10);
  EXPECT_EQ(tiff.height, 6);
  EXPECT_EQ(tiff.make, "TIFFMaker");
  EXPECT_EQ(tiff.orientation, 8);
}

TEST(ReadMetadata, TypeComesFromTheBytesNotTheName) {
  auto m = read_fixture("png_named.jpg");
  EXPECT_EQ(m.format, "png");
  EXPECT_EQ(m.description, "Ảnh PNG");
}

TEST(ReadMetadata, NotAnImageIsInvalidArgument) {
  for (const char* name : {"empty.jpg", "text.jpg"}) {
    auto path = kho::testing::test_data_dir() / "metadata" / name;
    auto r = read_metadata_file(path.string());
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_TRUE(r.status().is_invalid_argument()) << r.status().to_string();
    EXPECT_NE(r.status().message().find("not an image"), std::string::npos) << r.status().to_string();
    EXPECT_NE(r.status().message().find(name), std::string::npos) << "the error names the file";
  }
}

TEST(ReadMetadata, MissingFileIsNotFound) {
  auto r = read_metadata_file("/nonexistent/kho/photo.jpg");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_not_found());
}

TEST(ReadMetadata, DamagedExifGivesWarningsNotErrors) {
  for (const char* name : {"truncated_exif.jpg", "hostile_ifd_offset.jpg"}) {
    auto m = read_fixture(name);
    EXPECT_EQ(m.format, "jpeg") << name;
    EXPECT_FALSE(m.warnings.empty()) << name;
    EXPECT_FALSE(m.make.has_value()) << name;
  }
}

TEST(ReadMetadata, VideoIsNotAnImage) {
  // An MP4 header ("ftyp" brand isom): a video, refused even when named .jpg.
  std::string mp4("\0\0\0\x18" "ftypisom\0\0\0\0isommp42", 24);
  auto r = read_metadata({reinterpret_cast<const std::uint8_t*>(mp4.data()), mp4.size()});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().is_invalid_argument());
  EXPECT_NE(r.status().message().find("video"), std::string::npos) << r.status().message();
}

TEST(ReadMetadata, ExifSalvagedFromAContainerExiv2CannotParse) {
  // A HEIF whose only box after "ftyp" is a "free" box holding an EXIF block: Exiv2 finds no item,
  // the salvage path finds the block by its signature and libexif reads it.
  std::string jpeg = kho::testing::read_file(kho::testing::test_data_dir() / "metadata" / "datetime_offset.jpg");
  auto at = jpeg.find(std::string("Exif\0\0", 6));
  ASSERT_NE(at, std::string::npos);
  std::size_t app1_len = (static_cast<unsigned char>(jpeg[at - 2]) << 8) | static_cast<unsigned char>(jpeg[at - 1]);
  std::string exif = jpeg.substr(at, app1_len - 2);
  std::string heif("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);
  std::uint32_t free_len = static_cast<std::uint32_t>(8 + exif.size());
  heif += std::string{static_cast<char>(free_len >> 24), static_cast<char>(free_len >> 16),
                      static_cast<char>(free_len >> 8), static_cast<char>(free_len)};
  heif += "free" + exif;
  auto r = read_metadata({reinterpret_cast<const std::uint8_t*>(heif.data()), heif.size()});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->format, "heic");
  EXPECT_EQ(r->make, "FUJIFILM");
  EXPECT_EQ(r->datetime_original, "2020-05-17T08:30:15.042+07:00");
  bool said = false;
  for (const auto& w : r->warnings) said |= w.find("libexif") != std::string::npos;
  EXPECT_TRUE(said) << "the record says the fields were salvaged";
}

// Real files from other tools (tests/data/metadata/php-image-metadata-parser, MIT); expected values
// are exiftool 12.57's reading of them.
TEST(ReadMetadata, PhotoMechanicJpegOnAMac) {
  auto path = kho::testing::test_data_dir() / "metadata" / "php-image-metadata-parser" / "metapm.jpg";
  std::string bytes = kho::testing::read_file(path);
  CaptionSources src;
  auto r = read_metadata({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, &src);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->description, "José Mourinho");  // XMP, which is Unicode, wins
  EXPECT_EQ(src.xmp_description, "José Mourinho");
  // The IPTC holds Mac Roman 0x8E for é and no charset marker. Read as Latin (Windows-1252), as the
  // standard and exiftool say, it is 'Ž': the bytes decide, and XMP above gives the right text.
  EXPECT_EQ(src.iptc_caption, "JosŽ Mourinho");
  EXPECT_EQ(r->headline, "Headline");
  EXPECT_EQ(r->keywords, (std::vector<std::string>{"A keyword", "Another keyword"}));
  EXPECT_EQ(r->event, "Event Name");
  EXPECT_EQ(r->width, 10);
  EXPECT_EQ(r->orientation, 1);
}

TEST(ReadMetadata, PhotoshopPngAndBrokenPng) {
  auto dir = kho::testing::test_data_dir() / "metadata" / "php-image-metadata-parser";
  auto png = read_metadata_file((dir / "metaphotoshop.png").string());
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png->description, "Description");  // exiftool: "Description\n"; the record is trimmed
  EXPECT_EQ(png->creator, "Author");
  auto broken = read_metadata_file((dir / "malformedchunks.png").string());
  ASSERT_TRUE(broken.ok()) << broken.status().to_string();
  EXPECT_EQ(broken->format, "png");
  EXPECT_EQ(broken->width, 10);
  EXPECT_EQ(broken->warnings, (std::vector<std::string>{"PNG: IHDR checksum mismatch"}));
}

TEST(ReadMetadata, BrokenPngHeaderOrChainIsAWarning) {
  std::string png = kho::testing::read_file(kho::testing::test_data_dir() / "metadata" / "png_xmp.png");
  auto warnings_of = [](const std::string& bytes) {
    auto r = read_metadata({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->warnings : std::vector<std::string>{};
  };
  EXPECT_TRUE(warnings_of(png).empty());
  std::string bad_depth = png;
  bad_depth[24] = 3;  // IHDR bit depth 3 does not exist (the CRC then fails too)
  auto w = warnings_of(bad_depth);
  EXPECT_TRUE(std::any_of(w.begin(), w.end(), [](const std::string& x) {
    return x.rfind("PNG: invalid colour type", 0) == 0 && x.find("bit depth 3") != std::string::npos;
  })) << ::testing::PrintToString(w);
  w = warnings_of(png.substr(0, png.size() / 2));
  EXPECT_NE(std::find(w.begin(), w.end(), "PNG: a chunk runs past the end of the file (truncated or corrupt)"),
            w.end());
}

TEST(SniffImageType, KnownSignatures) {
  auto sniff = [](std::string s) {
    return sniff_image_type({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  };
  EXPECT_EQ(sniff("\xFF\xD8\xFF\xE0xxxx"), "jpeg");
  EXPECT_EQ(sniff("\x89PNG\r\n\x1a\nxxxx"), "png");
  EXPECT_EQ(sniff(std::string("II*\0\x08\0\0\0", 8)), "tiff");
  EXPECT_EQ(sniff(std::string("MM\0*\0\0\0\x08", 8)), "tiff");
  EXPECT_EQ(sniff(std::string("II*\0\x10\0\0\0CR\x02\0", 12)), "cr2");
  EXPECT_EQ(sniff(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "webp");
  EXPECT_EQ(sniff("GIF89a\x01\0\x01\0"), "gif");
  EXPECT_EQ(sniff(std::string("\0\0\0\x18" "ftypavif\0\0\0\0mif1avif", 24)), "avif");
  EXPECT_EQ(sniff(std::string("\0\0\0\x18" "ftypmif1\0\0\0\0mif1heic", 24)), "heif");
  EXPECT_EQ(sniff(std::string("\0\0\0\x18"
                              "ftypheic\0\0\0\0mif1heic",
                              24)),
            "heic");
  EXPECT_EQ(sniff(std::string("\0\0\0\x18" "ftypcrx \0\0\0\0crx isom", 24)), "cr3");
  EXPECT_EQ(sniff("FUJIFILMCCD-RAW 0201"), "raf");
  EXPECT_FALSE(sniff("").has_value());
  EXPECT_FALSE(sniff("hello world").has_value());
  EXPECT_FALSE(sniff(std::string("\0\0\0\x18" "ftypqt  \0\0\0\0qt  ", 20)).has_value());
}

}  // namespace
}  // namespace kho::ingest
