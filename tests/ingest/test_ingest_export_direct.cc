// The zero-copy writer of exported JPEGs (ingest/src/export_direct.cc): the XMP padding that keeps the
// image data page-aligned, copies written with O_DIRECT from a mapping of the original, and its errors;
// and the shortcut by which embed_fields finds a JPEG's own caption without a second read_metadata pass.
// Fixture: tests/data/orientation/Landscape_1.jpg (347 KB, image data from byte 482), rich.jpg (small).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>

#include "export_test_util.h"
#include "ingest/src/export_internal.h"
#include "ingest/src/jpeg_segments.h"
#include "kho/ingest/digest.h"
#include "kho/ingest/export.h"
#include "kho/ingest/metadata.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
namespace ki = kho::ingest;
namespace kd = kho::ingest::detail;
using kho::testing::read_file;

std::span<const std::uint8_t> span_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

kho::CaptionFields fields(std::size_t caption_words = 0) {
  kho::CaptionFields f;
  f.caption = "Đồng chí Lê Anh Xuân tiếp và làm việc với đoàn công tác tỉnh Sơn La";
  for (std::size_t i = 0; i < caption_words; ++i) *f.caption += " Thanh Hóa";
  f.headline = "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA";
  f.event = f.headline;
  f.creator = "Thu Hiền";
  return f;
}

using kho::testing::file_record;

class DirectCopy : public ::testing::Test {
 protected:
  void SetUp() override {
    original = read_file(kho::testing::test_data_dir() / "orientation/Landscape_1.jpg");
    kho::testing::write_file(dir / "original.jpg", original);
  }
  kho::Result<kho::ExportedCopy> exported(std::size_t caption_words = 0) const {
    kho::ExportRequest r;
    r.digest = ki::sha256(span_of(original));
    r.files = {file_record(dir / "original.jpg")};
    r.fields = fields(caption_words);
    return ki::Exporter().export_photo(r);
  }
  // What the copy must be: the head padded so that the image data keeps its offset modulo a page, then
  // the original's bytes from the start of scan.
  static std::string expected_direct(const kho::ExportedCopy& c, const std::string& original) {
    const std::size_t pad = (c.tail_offset % kd::kDirectAlign + kd::kDirectAlign - c.head.size() % kd::kDirectAlign) %
                            kd::kDirectAlign;
    std::optional<std::string> head = kd::pad_jpeg_head(c.head, pad);
    return head ? *head + original.substr(c.tail_offset) : std::string();
  }
  kho::testing::TempDir dir;
  std::string original;
};

TEST(PadJpegHead, WhitespaceGoesIntoTheXmpPacketAndEveryReaderStillReadsIt) {
  const std::string rich = read_file(kho::testing::test_data_dir() / "export/rich.jpg");
  kho::Result<ki::EmbedResult> e = ki::embed_fields(span_of(rich), fields());
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  const std::string scan = kho::testing::scan_data(e->bytes);
  const std::string head = e->bytes.substr(0, e->bytes.size() - scan.size());
  for (std::size_t pad : {0u, 1u, 3u, 4u, 1000u, 4095u}) {
    SCOPED_TRACE(pad);
    std::optional<std::string> padded = kd::pad_jpeg_head(head, pad);
    ASSERT_TRUE(padded);
    EXPECT_EQ(padded->size(), head.size() + pad);
    // The same segments in the same order, each length consistent (the walk reaches the scan).
    const std::string whole = *padded + scan;
    std::vector<std::uint8_t> markers_before, markers_after;
    auto collect = [](const std::string& b, std::vector<std::uint8_t>& into) {
      return kd::walk_jpeg_segments(span_of(b), [&](const kd::JpegSegment& s) {
        into.push_back(s.marker);
        return true;
      });
    };
    EXPECT_EQ(collect(e->bytes, markers_before), kd::JpegWalkEnd::kScanOrEnd);
    EXPECT_EQ(collect(whole, markers_after), kd::JpegWalkEnd::kScanOrEnd);
    EXPECT_EQ(markers_before, markers_after);
    EXPECT_EQ(kho::testing::scan_data(whole), scan);
    // Only spaces were added, right before the packet trailer.
    const std::size_t end = whole.find("<?xpacket end=");
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(whole.substr(end - pad, pad), std::string(pad, ' '));
    kho::Result<kho::Metadata> m = ki::read_metadata(span_of(whole));
    ASSERT_TRUE(m.ok()) << m.status().to_string();
    EXPECT_EQ(m->description, fields().caption);
    EXPECT_EQ(m->headline, fields().headline);
    EXPECT_EQ(m->creator, fields().creator);
    EXPECT_EQ(m->keywords, ki::read_metadata(span_of(e->bytes))->keywords);
  }
  // No XMP segment, or one that would outgrow 65,535 bytes: no padding.
  EXPECT_FALSE(kd::pad_jpeg_head(std::string("\xFF\xD8\xFF\xFE\x00\x04hi", 8), 10));
  EXPECT_FALSE(kd::pad_jpeg_head(head, 0xFFFF));
}

TEST_F(DirectCopy, ALargeJpegIsWrittenWithODirectAndItsImageDataIsTheOriginals) {
  // Different caption lengths give different head lengths, so every case of padding is met: the test
  // goes through several, including a tail that starts on a page boundary in the original. Each is
  // written twice: with the original's pages read by O_DIRECT, and from a mapping of it (the fallback
  // where a file system refuses O_DIRECT reads); both must give the same bytes.
  std::set<std::size_t> pads;
  for (std::size_t i = 0; i < 28; ++i) {
    const std::size_t words = i / 2 * 3;
    const kd::MiddleRead how = i % 2 ? kd::MiddleRead::kMapped : kd::MiddleRead::kDirect;
    SCOPED_TRACE(testing::Message() << words << (i % 2 ? " words, mapped" : " words, O_DIRECT reads"));
    kho::Result<kho::ExportedCopy> c = exported(words);
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    ASSERT_EQ(c->tail_offset, 482u);
    ASSERT_GE(c->tail_size, kd::kMinDirectTail);
    const std::string path = (dir / ("direct" + std::to_string(i) + ".jpg")).string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(c->source);
    const int source_flags = ::fcntl(*c->source, F_GETFL);
    int err = 0;
    const kd::DirectResult r = kd::write_copy_direct(fd, *c, &err, kd::kMinDirectTail, how);
    const int flags = ::fcntl(fd, F_GETFL);
    EXPECT_EQ(::fcntl(*c->source, F_GETFL), source_flags) << "the original's descriptor keeps its flags";
    ::close(fd);
    ASSERT_NE(r, kd::DirectResult::kFailed) << std::strerror(err);
    if (r == kd::DirectResult::kNotTried) {
      EXPECT_EQ(fs::file_size(path), 0u) << "refused: nothing written";
      GTEST_SKIP() << "the file system of " << path << " takes no O_DIRECT";
    }
    EXPECT_EQ(flags & O_DIRECT, 0) << "O_DIRECT is cleared again";
    const std::string copy = read_file(path);
    EXPECT_EQ(copy, expected_direct(*c, original));
    EXPECT_EQ(kho::testing::scan_data(copy), kho::testing::scan_data(original)) << "pixels untouched";
    const std::size_t tail_at = copy.size() - c->tail_size;
    EXPECT_EQ(tail_at % kd::kDirectAlign, c->tail_offset % kd::kDirectAlign);
    pads.insert(tail_at - c->head.size());
    kho::Result<kho::Metadata> m = ki::read_metadata(span_of(copy));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->description, fields(words).caption);
    EXPECT_EQ(m->width, ki::read_metadata(span_of(original))->width);
  }
  EXPECT_GE(pads.size(), 5u) << "different head lengths met different paddings";
}

TEST_F(DirectCopy, WriteCopyAtomicTakesTheDirectPathForLargeJpegsAndTheOldOneForSmallFiles) {
  kho::Result<kho::ExportedCopy> c = exported();
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(ki::write_copy_atomic(dir.path().string(), "big.jpg", *c, ki::Sync::kDeferred).ok());
  const std::string big = read_file(dir / "big.jpg");
  // Either the padded O_DIRECT copy or, on a file system without O_DIRECT, the plain one.
  const std::string plain = *kho::read_exported(*c);
  EXPECT_TRUE(big == expected_direct(*c, original) || big == plain);
  EXPECT_EQ(kho::testing::scan_data(big), kho::testing::scan_data(original));
  // Below kMinDirectTail: exactly head + tail, through copy_file_range.
  c->tail_size = kd::kMinDirectTail - 1;
  ASSERT_TRUE(ki::write_copy_atomic(dir.path().string(), "short.jpg", *c).ok());
  EXPECT_EQ(read_file(dir / "short.jpg"), c->head + original.substr(c->tail_offset, c->tail_size));
  EXPECT_TRUE(ki::write_copy_atomic(dir.path().string(), "big.jpg", *c).is_invalid_argument()) << "never overwrites";
}

TEST_F(DirectCopy, AnOriginalThatShrankMeanwhileIsAnErrorAndLeavesNoFile) {
  kho::Result<kho::ExportedCopy> c = exported();
  ASSERT_TRUE(c.ok());
  // The original is cut after it was checked (the copy holds it open): the mapped pages past its new end
  // are gone, and the copy must fail cleanly (no SIGBUS, no half-written file).
  ASSERT_EQ(::truncate((dir / "original.jpg").c_str(), 100 * 1024), 0);
  kho::Status st = ki::write_copy_atomic(dir.path().string(), "cut.jpg", *c);
  EXPECT_TRUE(st.is_io_error()) << st.to_string();
  EXPECT_NE(st.message().find("changed while it was copied"), std::string::npos) << st.message();
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"original.jpg"});
}

TEST_F(DirectCopy, AFullDiskLeavesNoPartialFile) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
  const std::string mnt = (dir / "small").string();
  fs::create_directories(mnt);
  if (std::system(("mount -t tmpfs -o size=128k tmpfs '" + mnt + "' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here";
  kho::Result<kho::ExportedCopy> c = exported();
  ASSERT_TRUE(c.ok());
  kho::Status st = ki::write_copy_atomic(mnt, "big.jpg", *c, ki::Sync::kDeferred);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(mnt)) names.push_back(e.path().filename().string());
  std::system(("umount '" + mnt + "'").c_str());
  EXPECT_TRUE(st.is_io_error()) << st.to_string();
  EXPECT_NE(st.message().find("disk full"), std::string::npos) << st.message();
  EXPECT_TRUE(names.empty());
}

}  // namespace

namespace {

// embed_fields() works out a JPEG's own caption from the Exiv2 image it has read (jpeg_caption in
// export_exiv2.cc) instead of a second pass through read_metadata(); on every JPEG fixture it must decide
// exactly as read_metadata's description does: history when that caption exists and differs, none when equal.
TEST(ExportEmbed, PreviousCaptionShortcutAgreesWithReadMetadata) {
  int checked = 0, with_caption = 0;
  for (const auto& e : fs::recursive_directory_iterator(kho::testing::test_data_dir())) {
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".jpg" && ext != ".JPG" && ext != ".jpeg")) continue;
    const std::string bytes = read_file(e.path());
    kho::Result<kho::Metadata> meta = ki::read_metadata(span_of(bytes));
    if (!meta.ok() || meta->format != std::optional<std::string>("jpeg")) continue;
    SCOPED_TRACE(e.path().string());
    kho::CaptionFields f = fields();
    f.caption = "Một chú thích khác hẳn";
    kho::Result<ki::EmbedResult> other = ki::embed_fields(span_of(bytes), f);
    if (!other.ok()) continue;  // Exiv2 cannot write this one (damaged fixtures)
    ++checked;
    const bool history = !other->notes.empty();
    EXPECT_EQ(history, meta->description.has_value()) << meta->description.value_or("(none)");
    if (meta->description) {
      ++with_caption;
      f.caption = *meta->description;
      kho::Result<ki::EmbedResult> same = ki::embed_fields(span_of(bytes), f);
      ASSERT_TRUE(same.ok());
      EXPECT_TRUE(same->notes.empty()) << "the file's own caption, written again, is no change";
    }
  }
  EXPECT_GE(checked, 20);
  EXPECT_GE(with_caption, 3);
}

}  // namespace
