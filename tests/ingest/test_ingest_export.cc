// The export writer (kho/ingest/export.h): IIM limits and the UTF-8 cut, fields written into JPEG / PNG /
// WebP / TIFF copies and read back, everything of the original kept, pixels untouched, sidecars,
// atomic files. Reading back goes through kho's reader and a hand-written IIM parser (export_test_util.h).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include "export_test_util.h"
#include "kho/ingest/digest.h"
#include "kho/ingest/export.h"
#include "kho/ingest/metadata.h"
#include "kho/text.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using kho::CaptionFields;
using kho::testing::read_file;
namespace ki = kho::ingest;

std::span<const std::uint8_t> span_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string fixture(const std::string& rel) { return read_file(kho::testing::test_data_dir() / rel); }

// A Vietnamese caption of at least `bytes` bytes (NFC), made of real words with tone marks.
std::string long_caption(std::size_t bytes) {
  const std::string words =
      "Lãnh đạo thành phố Thanh Hoá tặng tỉnh Sơn La bức tranh về Làng cổ Đông Sơn, nơi lưu giữ nhiều "
      "giá trị văn hóa truyền thống đặc sắc của xứ Thanh. ";
  std::string s;
  while (s.size() < bytes) s += words;
  return s;
}

CaptionFields seed_fields() {
  CaptionFields f;
  f.caption = "Đồng chí Lê Anh Xuân tiếp và làm việc với đoàn công tác tỉnh Sơn La";
  f.headline = "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA";
  f.event = f.headline;
  f.creator = "Thu Hiền";
  f.credit = "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch TP Thanh Hóa";  // 73 bytes > 32
  f.date_created = "2020-11-18T09:12:30.63+07:00";
  f.source = "https://thanhhoacity.gov.vn/bai-viet/doan-cong-tac";
  return f;
}

void expect_valid_cut(const std::string& nfc, const std::string& cut, std::size_t limit) {
  EXPECT_LE(cut.size(), limit);
  EXPECT_TRUE(kho::is_valid_utf8(cut));
  EXPECT_EQ(nfc.compare(0, cut.size(), cut), 0) << "the cut is a prefix of the NFC text";
}

TEST(ExportIim, LimitsTableHasTheStandardsFigures) {
  EXPECT_EQ(ki::iim_max_bytes(2, 120), 2000u);
  EXPECT_EQ(ki::iim_max_bytes(2, 105), 256u);
  EXPECT_EQ(ki::iim_max_bytes(2, 80), 32u);
  EXPECT_EQ(ki::iim_max_bytes(2, 110), 32u);
  EXPECT_EQ(ki::iim_max_bytes(2, 25), 64u);
  EXPECT_EQ(ki::iim_max_bytes(2, 55), 8u);
  EXPECT_EQ(ki::iim_max_bytes(2, 60), 11u);
  EXPECT_EQ(ki::iim_max_bytes(2, 116), 128u);
  EXPECT_FALSE(ki::iim_max_bytes(2, 250).has_value());
}

TEST(ExportIim, A2500ByteVietnameseCaptionIsCutAtACharacterBoundary) {
  const std::string caption = long_caption(2500);
  ASSERT_GE(caption.size(), 2500u);
  const std::string cut = ki::iim_cut(caption, 2000);
  expect_valid_cut(caption, cut, 2000);
  EXPECT_GE(cut.size(), 1996u);  // only the partial character is dropped
}

TEST(ExportIim, EveryLimitGivesValidUtf8PrefixesOfTheNfcText) {
  const std::string nfc = long_caption(300).substr(0, 300);
  const std::string text = kho::to_nfc(nfc.substr(0, 290));
  for (std::size_t limit = 0; limit <= text.size() + 2; ++limit)
    expect_valid_cut(text, ki::iim_cut(text, limit), limit);
}

TEST(ExportIim, NfdInputIsComposedBeforeCutting) {
  const std::string nfc = long_caption(2100);
  const std::string nfd = kho::to_nfd(nfc);
  ASSERT_GT(nfd.size(), nfc.size());
  const std::string cut = ki::iim_cut(nfd, 2000);
  expect_valid_cut(nfc, cut, 2000);
  EXPECT_EQ(cut, ki::iim_cut(nfc, 2000));
  EXPECT_EQ(cut, kho::to_nfc(cut));
}

TEST(ExportIim, ACombiningMarkExactlyAtTheLimitTakesItsLetterWithIt) {
  // "q̀" has no precomposed form, so NFC keeps q + U+0300 (2 bytes): a mark that survives NFC.
  const std::string head(10, 'a');
  const std::string text = head +
                           "q\xCC\x80"
                           "b";
  // limit 11: "aaaaaaaaaa" + "q" fits, the mark starts exactly at byte 11 → the q goes too.
  EXPECT_EQ(ki::iim_cut(text, 11), head);
  EXPECT_EQ(ki::iim_cut(text, 12), head);  // inside the mark's two bytes
  EXPECT_EQ(ki::iim_cut(text, 13), head + "q\xCC\x80");
  // Two stacked marks: cutting between them drops the letter and both marks.
  const std::string two = head +
                          "q\xCC\x80\xCC\x81"
                          "b";
  EXPECT_EQ(ki::iim_cut(two, 13), head);
  EXPECT_EQ(ki::iim_cut(two, 15), head + "q\xCC\x80\xCC\x81");
  // A Vietnamese letter in NFD input at the limit is composed first: "ệ" is one 3-byte character.
  const std::string viet = kho::to_nfd(head + "ệ");
  EXPECT_EQ(ki::iim_cut(viet, 11), head);
  EXPECT_EQ(ki::iim_cut(viet, 13), head + "ệ");
}

TEST(ExportEmbed, JpegGetsEveryFieldAndKeepsEverythingElse) {
  const std::string original = fixture("export/rich.jpg");
  const CaptionFields f = seed_fields();
  kho::Result<ki::EmbedResult> out = ki::embed_fields(span_of(original), f);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  // Pixels untouched: the compressed data from SOS to EOI is the original's, byte for byte.
  ASSERT_FALSE(kho::testing::scan_data(original).empty());
  EXPECT_EQ(kho::testing::scan_data(out->bytes), kho::testing::scan_data(original));

  kho::Result<kho::Metadata> before = ki::read_metadata(span_of(original));
  ki::CaptionSources src;
  kho::Result<kho::Metadata> after = ki::read_metadata(span_of(out->bytes), &src);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(after->description, f.caption);
  EXPECT_EQ(src.xmp_description, f.caption);
  EXPECT_EQ(src.iptc_caption, f.caption);
  EXPECT_EQ(after->headline, f.headline);
  EXPECT_EQ(after->event, f.event);
  EXPECT_EQ(after->creator, f.creator);
  EXPECT_EQ(after->credit, f.credit);  // the full text, from XMP
  // Kept: camera EXIF, capture time, GPS, keywords.
  EXPECT_EQ(after->make, before->make);
  EXPECT_EQ(after->model, before->model);
  EXPECT_EQ(after->datetime_original, before->datetime_original);
  EXPECT_EQ(after->gps_lat, before->gps_lat);
  EXPECT_EQ(after->gps_lon, before->gps_lon);
  EXPECT_EQ(after->keywords, before->keywords);
  EXPECT_EQ(after->width, before->width);
  // The ICC profile (APP2 ICC_PROFILE) is carried over unchanged.
  auto icc = [](const std::string& b) {
    std::size_t at = b.find(std::string("ICC_PROFILE\0", 12));
    return at == std::string::npos ? std::string() : b.substr(at, 400);
  };
  EXPECT_FALSE(icc(original).empty());
  EXPECT_EQ(icc(out->bytes), icc(original));
  // The camera's own caption differed: it is kept in the XMP history, and the result says so.
  ASSERT_EQ(out->notes.size(), 1u);
  EXPECT_NE(out->notes[0].find("xmpMM:History"), std::string::npos);
  EXPECT_NE(out->bytes.find("previous caption (dc:description): Chú thích cũ của máy ảnh"), std::string::npos);
  // The XMP has the properties of the IPTC standard.
  // (Exiv2 spells the Iptc4xmpExt namespace's prefix "iptcExt"; readers go by the URI.)
  EXPECT_NE(out->bytes.find("http://iptc.org/std/Iptc4xmpExt/2008-02-29/"), std::string::npos);
  for (const char* prop : {"dc:description", "photoshop:Headline", "iptcExt:Event", "dc:creator", "photoshop:Credit",
                           "photoshop:DateCreated", "dc:source"})
    EXPECT_NE(out->bytes.find(prop), std::string::npos) << prop;
}

TEST(ExportEmbed, IimHasTheUtf8MarkerAndEveryDatasetWithinItsLimit) {
  CaptionFields f = seed_fields();
  f.caption = kho::to_nfd(long_caption(2500));            // NFD and over the 2000-byte limit
  f.headline = long_caption(300) + "Hết";                 // over 256
  f.creator = "Nguyễn Thị Phương Thảo (Phóng viên ảnh)";  // over 32
  const std::string original = fixture("export/rich.jpg");
  kho::Result<ki::EmbedResult> out = ki::embed_fields(span_of(original), f);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  std::vector<kho::testing::IimDataset> iim = kho::testing::iim_datasets(out->bytes);
  ASSERT_FALSE(iim.empty());
  std::map<std::pair<int, int>, std::vector<std::string>> by_id;
  for (const auto& d : iim) {
    by_id[{d.record, d.dataset}].push_back(d.value);
    if (d.dataset == 0) continue;  // 1:00 and 2:00 RecordVersion: 2-byte numbers
    std::optional<std::size_t> limit = ki::iim_max_bytes(d.record, d.dataset);
    ASSERT_TRUE(limit.has_value()) << d.record << ":" << d.dataset << " is not in the limits table";
    EXPECT_LE(d.value.size(), *limit) << d.record << ":" << d.dataset;
    EXPECT_TRUE(kho::is_valid_utf8(d.value)) << d.record << ":" << d.dataset;
  }
  ASSERT_EQ(by_id[std::make_pair(1, 90)].size(), 1u);
  EXPECT_EQ(by_id[std::make_pair(1, 90)][0], "\x1b%G");
  const std::string nfc = kho::to_nfc(*f.caption);
  ASSERT_EQ(by_id[std::make_pair(2, 120)].size(), 1u);
  expect_valid_cut(nfc, by_id[std::make_pair(2, 120)][0], 2000);
  EXPECT_GE(by_id[std::make_pair(2, 120)][0].size(), 1996u);
  expect_valid_cut(*f.headline, by_id[std::make_pair(2, 105)][0], 256);
  expect_valid_cut(*f.creator, by_id[std::make_pair(2, 80)][0], 32);
  expect_valid_cut(*f.credit, by_id[std::make_pair(2, 110)][0], 32);
  EXPECT_EQ(by_id[std::make_pair(2, 55)], std::vector<std::string>{"20201118"});
  EXPECT_EQ(by_id[std::make_pair(2, 60)], std::vector<std::string>{"091230+0700"});
  EXPECT_EQ(by_id[std::make_pair(2, 25)], (std::vector<std::string>{"Thanh Hóa", "lễ hội"}));  // keywords kept
  // The full texts are in XMP.
  ki::CaptionSources src;
  kho::Result<kho::Metadata> after = ki::read_metadata(span_of(out->bytes), &src);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(src.xmp_description, nfc);
  EXPECT_EQ(after->headline, f.headline);
  EXPECT_EQ(after->creator, f.creator);
}

TEST(ExportEmbed, LatinIptcWithoutMarkerIsConvertedNotMangled) {
  const std::string original = fixture("metadata/iptc_latin1.jpg");
  CaptionFields f;
  f.headline = "Hội chợ";
  kho::Result<ki::EmbedResult> out = ki::embed_fields(span_of(original), f);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  kho::Result<kho::Metadata> m = ki::read_metadata(span_of(out->bytes));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->description, "Café São Paulo € 5");
  EXPECT_EQ(m->creator, "Jürgen Müller");
  EXPECT_EQ(m->headline, "Hội chợ");
  EXPECT_TRUE(out->notes.empty());  // no caption was written, so nothing was replaced
  for (const auto& d : kho::testing::iim_datasets(out->bytes)) EXPECT_TRUE(kho::is_valid_utf8(d.value));
}

TEST(ExportEmbed, SameCaptionLeavesNoHistory) {
  const std::string original = fixture("metadata/iptc_utf8.jpg");
  CaptionFields f;
  f.caption = "Hà Nội: Lễ hội đền Hùng";
  kho::Result<ki::EmbedResult> out = ki::embed_fields(span_of(original), f);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->notes.empty());
  EXPECT_EQ(out->bytes.find("xmpMM:History"), std::string::npos);
}

TEST(ExportEmbed, PngWebpAndTiffGetTheFieldsToo) {
  for (const char* name : {"metadata/png_xmp.png", "metadata/webp_xmp.webp", "metadata/tiff_exif.tif"}) {
    SCOPED_TRACE(name);
    const std::string original = fixture(name);
    const CaptionFields f = seed_fields();
    kho::Result<ki::EmbedResult> out = ki::embed_fields(span_of(original), f);
    ASSERT_TRUE(out.ok()) << out.status().to_string();
    kho::Result<kho::Metadata> before = ki::read_metadata(span_of(original));
    kho::Result<kho::Metadata> after = ki::read_metadata(span_of(out->bytes));
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->description, f.caption);
    EXPECT_EQ(after->headline, f.headline);
    EXPECT_EQ(after->creator, f.creator);
    EXPECT_EQ(after->make, before->make);
    EXPECT_EQ(after->width, before->width);
  }
}

TEST(ExportEmbed, NotAnImageAndUnembeddableFormatsAreRefused) {
  const std::string text = "just some text, not an image";
  EXPECT_TRUE(ki::embed_fields(span_of(text), seed_fields()).status().is_invalid_argument());
  EXPECT_FALSE(ki::can_embed("cr2"));
  EXPECT_FALSE(ki::can_embed("heif"));
  EXPECT_TRUE(ki::can_embed("jpeg"));
}

TEST(ExportSidecar, HoldsTheFieldsAndTheOriginalsOwnXmp) {
  const std::string original = fixture("export/rich.jpg");
  kho::Result<std::string> xmp = ki::sidecar_xmp(span_of(original), seed_fields());
  ASSERT_TRUE(xmp.ok()) << xmp.status().to_string();
  EXPECT_EQ(xmp->rfind("<?xpacket begin=", 0), 0u);
  EXPECT_NE(xmp->find("Đồng chí Lê Anh Xuân"), std::string::npos);
  EXPECT_NE(xmp->find("Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch TP Thanh Hóa"), std::string::npos);
  EXPECT_NE(xmp->find("lễ hội"), std::string::npos);  // the original's dc:subject
  EXPECT_NE(xmp->find("iptcExt:Event"), std::string::npos);
  EXPECT_TRUE(kho::is_valid_utf8(*xmp));
}

// kho export's mode: no fsync per file, one sync_folder() at the end; the same atomic rename and no-overwrite.
TEST(ExportFile, DeferredSyncWritesTheSameWayAndSyncsTheFolderOnce) {
  kho::testing::TempDir dir;
  const std::string d = dir.path().string();
  ASSERT_TRUE(ki::write_file_atomic(d, "a.jpg", "first", ki::Sync::kDeferred).ok());
  EXPECT_EQ(read_file(dir / "a.jpg"), "first");
  EXPECT_TRUE(ki::write_file_atomic(d, "a.jpg", "second", ki::Sync::kDeferred).is_invalid_argument());
  EXPECT_EQ(read_file(dir / "a.jpg"), "first");
  EXPECT_TRUE(ki::sync_folder(d).ok());
  kho::Status missing = ki::sync_folder(d + "/missing");
  EXPECT_TRUE(missing.is_io_error());
  EXPECT_NE(missing.message().find(d + "/missing"), std::string::npos);
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1) << "no temporary file is left behind";
}

TEST(ExportFile, WritesAtomicallyAndNeverOverwrites) {
  kho::testing::TempDir dir;
  const std::string d = dir.path().string();
  ASSERT_TRUE(ki::write_file_atomic(d, "a.jpg", "first").ok());
  EXPECT_EQ(read_file(dir / "a.jpg"), "first");
  kho::Status again = ki::write_file_atomic(d, "a.jpg", "second");
  EXPECT_TRUE(again.is_invalid_argument());
  EXPECT_NE(again.message().find("exists already"), std::string::npos);
  EXPECT_EQ(read_file(dir / "a.jpg"), "first");
  EXPECT_FALSE(ki::write_file_atomic(d, "../x.jpg", "x").ok());
  EXPECT_TRUE(ki::write_file_atomic(d + "/missing", "b.jpg", "x").is_io_error());
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1) << "no temporary file is left behind";
}

TEST(ExportFile, AFullDiskLeavesNoPartialFile) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  kho::testing::TempDir dir;
  const std::string mnt = (dir / "small").string();
  fs::create_directories(mnt);
  if (std::system(("mount -t tmpfs -o size=64k tmpfs '" + mnt + "' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here";
  const std::string big(200 * 1024, 'x');
  kho::Status st = ki::write_file_atomic(mnt, "big.jpg", big);
  kho::Status small = ki::write_file_atomic(mnt, "small.jpg", "fits");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(mnt)) names.push_back(e.path().filename().string());
  std::system(("umount '" + mnt + "'").c_str());
  EXPECT_TRUE(st.is_io_error());
  EXPECT_NE(st.message().find("disk full"), std::string::npos) << st.message();
  EXPECT_TRUE(small.ok()) << small.to_string();
  EXPECT_EQ(names, std::vector<std::string>{"small.jpg"});
}

class FakeFiles : public ::testing::Test {
 protected:
  kho::testing::TempDir dir;
};

using kho::testing::file_record;

kho::ExportRequest request(const kho::Digest& d, std::vector<kho::File> files) {
  kho::ExportRequest r;
  r.digest = d;
  r.files = std::move(files);
  r.fields = seed_fields();
  return r;
}

TEST_F(FakeFiles, ExporterRefusesChangedAndVanishedOriginals) {
  const std::string bytes = fixture("export/rich.jpg");
  const kho::Digest digest = ki::sha256(span_of(bytes));
  kho::testing::write_file(dir / "good.jpg", bytes);
  kho::testing::write_file(dir / "changed.jpg", bytes);
  kho::File changed_record = file_record(dir / "changed.jpg");
  std::string other = bytes;
  other[other.size() / 2] ^= 0x55;  // same size
  kho::testing::write_file(dir / "changed.jpg", other);
  ::truncate((dir / "changed.jpg").c_str(), static_cast<off_t>(other.size()));
  ki::Exporter exporter;
  // The record's mtime no longer matches, so the file is hashed, and refused.
  changed_record.mtime_ns -= 1;
  auto changed = exporter.export_photo(request(digest, {changed_record}));
  EXPECT_TRUE(changed.status().is_invalid_argument());
  EXPECT_NE(changed.status().message().find("changed since ingest"), std::string::npos);
  // --verify hashes even a file whose size and mtime match its record.
  kho::ExportRequest verify = request(digest, {file_record(dir / "changed.jpg")});
  verify.verify_digest = true;
  EXPECT_TRUE(exporter.export_photo(verify).status().is_invalid_argument());
  kho::File gone;
  gone.path = (dir / "gone.jpg").string();
  auto vanished = exporter.export_photo(request(digest, {gone}));
  EXPECT_TRUE(vanished.status().is_not_found());
  EXPECT_NE(vanished.status().message().find("vanished"), std::string::npos);
  // A second file with the right bytes is used when the first one vanished.
  auto fallback = exporter.export_photo(request(digest, {gone, file_record(dir / "good.jpg")}));
  ASSERT_TRUE(fallback.ok()) << fallback.status().to_string();
  EXPECT_EQ(fallback->source_path, (dir / "good.jpg").string());
  EXPECT_EQ(fallback->extension, ".jpg");
  EXPECT_TRUE(fallback->sidecar_xmp.empty());
  // The copy is a new head plus the original's bytes from the start of scan; both ways of writing it agree.
  EXPECT_GT(fallback->tail_size, 0u);
  kho::Result<std::string> whole = kho::read_exported(*fallback);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(kho::testing::scan_data(*whole), kho::testing::scan_data(bytes));
  kho::Result<ki::EmbedResult> direct = ki::embed_fields(span_of(bytes), seed_fields());
  ASSERT_TRUE(direct.ok());
  kho::Result<kho::Metadata> a = ki::read_metadata(span_of(*whole)), b = ki::read_metadata(span_of(direct->bytes));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->description, b->description);
  EXPECT_EQ(a->keywords, b->keywords);
  EXPECT_EQ(a->gps_lat, b->gps_lat);
  ASSERT_TRUE(ki::write_copy_atomic(dir.path().string(), "out.jpg", *fallback).ok());
  EXPECT_EQ(read_file(dir / "out.jpg"), *whole);
  // --sidecar: the bytes stay the original's, the fields go to the sidecar.
  kho::ExportRequest side = request(digest, {file_record(dir / "good.jpg")});
  side.sidecar = true;
  auto sc = exporter.export_photo(side);
  ASSERT_TRUE(sc.ok());
  EXPECT_EQ(*kho::read_exported(*sc), bytes);
  EXPECT_NE(sc->sidecar_xmp.find("Thu Hiền"), std::string::npos);
  EXPECT_NE(sc->sidecar_xmp.find("lễ hội"), std::string::npos);  // the original's own XMP is carried over
}

}  // namespace

namespace {

TEST(ExportSidecar, HeifAlwaysGetsASidecarAndKeepsItsBytes) {
  kho::testing::TempDir dir;
  const std::string bytes = read_file(kho::testing::test_data_dir() / "export/cheers.heic");
  kho::testing::write_file(dir / "cheers.heic", bytes);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "cheers.heic").c_str(), &st), 0);
  kho::ExportRequest r;
  r.digest = ki::sha256(span_of(bytes));
  kho::File f;
  f.path = (dir / "cheers.heic").string();
  f.size = static_cast<std::uint64_t>(st.st_size);
  f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  r.files = {f};
  r.fields = seed_fields();
  auto copy = ki::Exporter().export_photo(r);
  ASSERT_TRUE(copy.ok()) << copy.status().to_string();
  EXPECT_EQ(copy->extension, ".heic");
  EXPECT_EQ(*kho::read_exported(*copy), bytes) << "the HEIF bytes are not touched";
  EXPECT_NE(copy->sidecar_xmp.find("Đồng chí Lê Anh Xuân"), std::string::npos);
  ASSERT_EQ(copy->notes.size(), 1u);
  EXPECT_NE(copy->notes[0].find("sidecar"), std::string::npos);
  EXPECT_TRUE(ki::embed_fields(span_of(bytes), seed_fields()).status().code() == kho::Status::Code::kUnsupported);
}

}  // namespace
