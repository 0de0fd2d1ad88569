// Round trips of every record type through the value codec, and rejection of damaged bytes.
#include <gtest/gtest.h>

#include "core/catalog/src/record_codec.h"
#include "catalog_fixtures.h"

#include "core/catalog/src/crc32c.h"

static unsigned long kho_test_crc32(const std::string& s) { return kho::crc32c(s.data(), s.size()); }

namespace kho {
namespace {
using testing::sample_article;
using testing::sample_photo;

template <typename T>
T round_trip(const T& in) {
  std::string bytes = codec::encode(in);
  T out;
  Status st = codec::decode(bytes, &out);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return out;
}

TEST(RecordCodec, PhotoRoundTripKeepsEveryField) {
  Photo p = sample_photo(7);
  EXPECT_EQ(round_trip(p), p);
  Photo bare;  // every optional absent
  bare.digest = testing::digest_of(1);
  EXPECT_EQ(round_trip(bare), bare);
  EXPECT_FALSE(round_trip(bare).meta.width.has_value());
}

TEST(RecordCodec, FileEventArticleLinkRoundTrip) {
  File f{"/a/b/th\xe1m.jpg", testing::digest_of(3), 12345, -5, "00ff00ff00ff00ff"};  // not UTF-8 on purpose
  EXPECT_EQ(round_trip(f), f);

  Event e;
  e.id = "0123456789abcdef";
  e.folder = "/samples/2020-11-18";
  e.title = "Sơn La";
  e.date = "2020-11-18";
  e.article_ids = {"a1", "a2"};
  e.cover = testing::digest_of(9);
  e.photo_count = 8;
  EXPECT_EQ(round_trip(e), e);

  Article a = sample_article("feedfacefeedface", e.id);
  EXPECT_EQ(round_trip(a), a);

  Link l;
  l.article_id = a.id;
  l.position = 3;
  l.digest = testing::digest_of(4);
  l.path = "/samples/tham.jpg";
  l.ref = "thăm.jpg";
  l.caption = "Toàn cảnh";
  l.method = LinkMethod::kTelex;
  l.confidence = 0.8f;
  EXPECT_EQ(round_trip(l), l);
}

TEST(RecordCodec, EveryFlippedByteIsCorruptionNeverACrash) {
  std::string good = codec::encode(sample_photo(2));
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x41);
    Photo out;
    Status st = codec::decode(bad, &out);
    EXPECT_TRUE(st.is_corruption()) << "byte " << i << ": " << st.to_string();
  }
}

TEST(RecordCodec, TruncatedAndWrongTypeAreCorruption) {
  std::string good = codec::encode(sample_photo(2));
  for (size_t n : {size_t{0}, size_t{3}, size_t{6}, good.size() / 2, good.size() - 1}) {
    Photo out;
    EXPECT_TRUE(codec::decode(std::string_view(good).substr(0, n), &out).is_corruption()) << n;
  }
  File f;
  EXPECT_TRUE(codec::decode(good, &f).is_corruption());
}

TEST(RecordCodec, Crc32cMatchesTheStandardCheckValue) {
  // RFC 3720's check value for CRC-32C over "123456789".
  EXPECT_EQ(crc32c("123456789", 9), 0xe3069283u);
  std::string long_input(1000, 'k');  // exercises the 8-byte hardware path and the tail
  EXPECT_EQ(crc32c(long_input.data(), long_input.size()), crc32c(long_input.data(), long_input.size()));
}

TEST(RecordCodec, UnknownFieldsAreSkippedForForwardCompatibility) {
  // A newer kho may add fields; an older reader must still decode what it knows. Build a File value with an
  // extra field 15 by hand: re-seal the payload with a correct checksum.
  File f{"/p.jpg", testing::digest_of(5), 1, 2, "e"};
  std::string v = codec::encode(f);
  std::string payload = v.substr(2, v.size() - 6);
  payload += static_cast<char>((15 << 3) | 2);  // field 15, bytes
  payload += static_cast<char>(3);
  payload += "new";
  std::string sealed = v.substr(0, 2) + payload;
  unsigned long crc = kho_test_crc32(sealed);
  for (int i = 0; i < 4; ++i) sealed.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  File out;
  ASSERT_TRUE(codec::decode(sealed, &out).ok());
  EXPECT_EQ(out, f);
}

}  // namespace
}  // namespace kho

namespace kho {
namespace {

TEST(RecordCodec, WeakCaptionAndEmbeddedLinkRoundTrip) {
  Article a = testing::sample_article("feedfacefeedface", "0123456789abcdef");
  ASSERT_FALSE(a.refs.empty());
  a.refs[0].caption_weak = true;  // an HTML image's alt text
  a.refs[0].credit = "Minh Anh";
  Article weak;
  ASSERT_TRUE(codec::decode(codec::encode(a), &weak).ok());
  EXPECT_EQ(weak, a);
  EXPECT_TRUE(weak.refs[0].caption_weak);
  Link l;
  l.article_id = a.id;
  l.path = "/ev/bai.docx#word/media/image1.jpeg";
  l.ref = "word/media/image1.jpeg";
  l.digest = testing::digest_of(5);
  l.method = LinkMethod::kEmbedded;
  l.confidence = 1.0f;
  std::string bytes = codec::encode(l);
  Link out;
  ASSERT_TRUE(codec::decode(bytes, &out).ok());
  EXPECT_EQ(out, l);
  EXPECT_STREQ(link_method_name(out.method), "embedded");
  // Near-misses (field 10) round-trip; a reason out of range is Corruption, not a plausible value.
  l.method = LinkMethod::kUnresolved;
  l.digest.reset();
  l.path.clear();
  NearMiss taken;
  taken.path = "/ev/thăm hồ.jpg";
  taken.digest = testing::digest_of(6);
  taken.method = LinkMethod::kSearchKey;
  taken.reason = NearMissReason::kTaken;
  taken.taken_by = 3;
  NearMiss far;
  far.path = "/ev/hậu trường.jpg";
  far.digest = testing::digest_of(7);
  far.distance = 9;
  l.near_misses = {taken, far};
  ASSERT_TRUE(codec::decode(codec::encode(l), &out).ok());
  EXPECT_EQ(out, l);
  EXPECT_STREQ(near_miss_reason_name(out.near_misses[1].reason), "too_far");
  l.near_misses[1].reason = static_cast<NearMissReason>(5);
  std::string good = codec::encode(l);
  l.near_misses[1].reason = static_cast<NearMissReason>(9);
  std::string bad = codec::encode(l);
  EXPECT_TRUE(codec::decode(good, &out).ok());
  EXPECT_TRUE(codec::decode(bad, &out).is_corruption());
  // An article written before caption_weak existed decodes with it false.
  a.refs[0].caption_weak = false;
  Article back;
  ASSERT_TRUE(codec::decode(codec::encode(a), &back).ok());
  EXPECT_FALSE(back.refs[0].caption_weak);
}

}  // namespace
}  // namespace kho
