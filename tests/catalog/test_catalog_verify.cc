// verify_catalog() and the Corruption path: damaged bytes on disk and dangling references.
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "catalog_fixtures.h"
#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
using testing::sample_photo;
using testing::TempDir;

using testing::mentions;

TEST(Verify, ACleanArchivePasses) {
  TempDir dir;
  auto cat = *Catalog::open((dir / "a").string());
  Photo p = sample_photo(1);
  WriteBatch b;
  b.put_photo(p);
  b.put_file(File{"/x.jpg", p.digest, p.size, 1, ""});
  ASSERT_TRUE(cat->write(b).ok());
  auto report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
  EXPECT_GE(report->records_checked, 2u);
}

TEST(Verify, FindsADanglingLink) {
  TempDir dir;
  auto cat = *Catalog::open((dir / "a").string());
  Article a = testing::sample_article("0000000000000001", "");
  WriteBatch b;
  b.put_article(a);
  Link l{a.id, 0, testing::digest_of(42), "/gone.jpg", "gone.jpg", std::nullopt, std::nullopt, LinkMethod::kExact, 1};
  b.put_links(a.id, {l});
  ASSERT_TRUE(cat->write(b).ok());
  auto report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_TRUE(mentions(*report, testing::digest_of(42).hex())) << report->problems[0];
  EXPECT_TRUE(mentions(*report, "does not exist"));
}

TEST(Verify, BytesOverwrittenInPlaceGiveCorruptionAndAProblemLine) {
  TempDir dir;
  const std::string archive = (dir / "a").string();
  Photo p = sample_photo(5);
  p.first_path = "/photos/CORRUPT-ME-MARKER.jpg";
  {
    auto cat = *Catalog::open(archive);
    WriteBatch b;
    b.put_photo(p);
    ASSERT_TRUE(cat->write(b).ok());
  }
  // Damage the stored value inside data.mdb, as a bad disk sector or a stray write would.
  std::string bytes = testing::read_file(dir / "a" / "data.mdb");
  auto at = bytes.find("CORRUPT-ME-MARKER");
  ASSERT_NE(at, std::string::npos);
  bytes.replace(at, 7, "XXXXXXX");
  testing::write_file(dir / "a" / "data.mdb", bytes);

  auto cat = *Catalog::open(archive);
  auto snap = *cat->snapshot();
  auto got = snap->photo(p.digest);
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().is_corruption()) << got.status().to_string();
  snap.reset();

  auto report = verify_catalog(*cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(mentions(*report, "cannot be decoded")) << (report->problems.empty() ? "" : report->problems[0]);

  // The command line says the same and exits 1.
  auto r = testing::run_kho({"--archive", archive, "verify"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("cannot be decoded"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace kho
