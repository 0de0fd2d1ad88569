// How the catalog keeps (or lets go of) this process's mappings of the archive file (catalog.h:
// CatalogOptions::keep_mapped_pages, Catalog::release_mapped_pages, Catalog::prewarm), read from the kernel's
// own account of the mapping: the Rss of data.mdb's line in /proc/self/smaps.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stop_token>
#include <string>

#include "catalog_fixtures.h"
#include "kho/catalog.h"
#include "test_support.h"

namespace {

using kho::Catalog;
using kho::CatalogOptions;
using kho::WriteBatch;
using kho::testing::TempDir;

// Resident kilobytes of this process's mappings of DIR/data.mdb.
std::uint64_t mapped_kb(const std::filesystem::path& dir) {
  const std::string file = (dir / "data.mdb").string();
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool in = false;
  std::uint64_t kb = 0;
  while (std::getline(smaps, line)) {
    if (!line.empty() && line.find(':') != std::string::npos && line.find(" kB") == std::string::npos &&
        line.find('-') < line.find(' ')) {
      in = line.size() >= file.size() && line.compare(line.size() - file.size(), file.size(), file) == 0;
    } else if (in && line.rfind("Rss:", 0) == 0) {
      kb += std::stoull(line.substr(4));
    }
  }
  return kb;
}

// Writes N photos (a few MB of records), then reads every one of them through a snapshot.
void fill_and_read(Catalog& cat, int n) {
  WriteBatch b;
  for (int i = 0; i < n; ++i) b.put_photo(kho::testing::sample_photo(i));
  ASSERT_TRUE(cat.write(b).ok());
  auto snap = cat.snapshot();
  ASSERT_TRUE(snap.ok());
  int seen = 0;
  ASSERT_TRUE((*snap)->for_each_photo([&](const kho::Photo&) { return ++seen, true; }).ok());
  ASSERT_EQ(seen, n);
}

void write_one_more(Catalog& cat) {
  WriteBatch b;
  b.put_photo(kho::testing::sample_photo(999999));
  ASSERT_TRUE(cat.write(b).ok());
}

// Resident kilobytes of the archive's mapping after reading 20,000 photos, and after one more write.
struct AroundAWrite {
  std::uint64_t read = 0, after_write = 0;
};
AroundAWrite read_then_write(const CatalogOptions& options) {
  AroundAWrite r;
  TempDir dir;
  auto cat = Catalog::open(dir.path().string(), options);
  EXPECT_TRUE(cat.ok());
  if (!cat.ok()) return r;
  fill_and_read(**cat, 20000);
  r.read = mapped_kb(dir.path());
  write_one_more(**cat);
  r.after_write = mapped_kb(dir.path());
  return r;
}

TEST(CatalogMapping, AWriterLetsItsMappingsGoAfterEachWrite) {
  if (!std::filesystem::exists("/proc/self/smaps")) GTEST_SKIP() << "no /proc/self/smaps";
  const AroundAWrite r = read_then_write({});
  EXPECT_GT(r.read, 1024u) << "reading 20,000 photos maps their pages";
  EXPECT_LT(r.after_write, r.read / 4) << "the write let the mappings go";
}

TEST(CatalogMapping, AServerKeepsItsMappingsAcrossWrites) {
  if (!std::filesystem::exists("/proc/self/smaps")) GTEST_SKIP() << "no /proc/self/smaps";
  CatalogOptions options;
  options.keep_mapped_pages = true;
  const AroundAWrite r = read_then_write(options);
  EXPECT_GT(r.read, 1024u);
  EXPECT_GE(r.after_write, r.read) << "a login or a correction must not unmap the archive";
}

// Mapped kilobytes of an archive of 20,000 photos whose mappings were let go, then after prewarm(stop), and the
// file's size.
struct Prewarmed {
  std::uint64_t before = 0, after = 0, file_kb = 0;
};
Prewarmed prewarm_once(std::stop_token stop) {
  Prewarmed p;
  TempDir dir;
  auto cat = Catalog::open(dir.path().string());
  EXPECT_TRUE(cat.ok());
  if (!cat.ok()) return p;
  fill_and_read(**cat, 20000);
  (*cat)->release_mapped_pages();
  p.before = mapped_kb(dir.path());
  (*cat)->prewarm(stop);
  p.after = mapped_kb(dir.path());
  p.file_kb = std::filesystem::file_size(dir.path() / "data.mdb") / 1024;
  return p;
}

TEST(CatalogMapping, PrewarmMapsTheWholeFile) {
  if (!std::filesystem::exists("/proc/self/smaps")) GTEST_SKIP() << "no /proc/self/smaps";
  const Prewarmed p = prewarm_once({});
  if (p.after == p.before) GTEST_SKIP() << "this kernel has no MADV_POPULATE_READ (Linux 5.14)";
  EXPECT_GE(p.after, p.file_kb * 9 / 10) << "before " << p.before << " kB, file " << p.file_kb << " kB";
}

// A server's long read passes (a search rebuild, the duplicate search) call release_mapped_pages() too; with
// keep_mapped_pages it keeps the mappings, as write() does.
TEST(CatalogMapping, AServerKeepsItsMappingsWhenAReadPassLetsGo) {
  if (!std::filesystem::exists("/proc/self/smaps")) GTEST_SKIP() << "no /proc/self/smaps";
  TempDir dir;
  CatalogOptions options;
  options.keep_mapped_pages = true;
  auto cat = Catalog::open(dir.path().string(), options);
  ASSERT_TRUE(cat.ok());
  fill_and_read(**cat, 20000);
  const std::uint64_t read = mapped_kb(dir.path());
  (*cat)->release_mapped_pages();
  EXPECT_GT(read, 1024u);
  EXPECT_GE(mapped_kb(dir.path()), read);
}

// A server stopped while it prewarms does not wait for the rest of the file: a stop request ends the prewarm
// before its next step.
TEST(CatalogMapping, PrewarmStopsWhenAsked) {
  if (!std::filesystem::exists("/proc/self/smaps")) GTEST_SKIP() << "no /proc/self/smaps";
  std::stop_source stop;
  stop.request_stop();
  const Prewarmed p = prewarm_once(stop.get_token());
  EXPECT_LT(p.after, p.before + p.file_kb / 2) << "a stopped prewarm mapped the file anyway";
}

}  // namespace
