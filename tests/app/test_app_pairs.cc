// RAW+JPEG pairs end to end (issue 14): a folder of 5 pairs ingests as 5 photos with 10 files, the JPEG is the
// photo shown, linking works through either name, and deleting a pair's JPEG keeps the photo, now shown from
// the raw file's own embedded preview. Raw files: ../shared/photos/raw (real camera files whose previews are
// whole); JPEGs: tests/data/orientation.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
namespace fs = std::filesystem;
using kho::testing::read_file;
using kho::testing::run_kho;
using kho::testing::TempDir;
using kho::testing::write_file;
using nlohmann::json;

// The spelling the scanner stores (absolute, lexically normal).
std::string norm(const fs::path& p) { return fs::absolute(p).lexically_normal().string(); }

struct PairFolder {
  fs::path folder;
  std::vector<std::string> raws;
};

std::optional<PairFolder> make_pairs(const fs::path& root) {
  const auto shared = kho::testing::shared_dir();
  if (!shared || !fs::exists(*shared / "photos" / "raw" / "CRW.CRW")) return std::nullopt;
  const fs::path raw = *shared / "photos" / "raw";
  PairFolder p;
  p.folder = root / "2024-05-01 Cặp RAW JPEG";
  fs::create_directories(p.folder);
  const std::vector<std::pair<std::string, std::string>> files = {{"CRW.CRW", "DSC_0001.CRW"},
                                                                  {"NEF.exif", "DSC_0002.NEF"},
                                                                  {"ARW.exif", "DSC_0003.ARW"},
                                                                  {"CR2.exif", "DSC_0004.CR2"},
                                                                  {"Canon-R6-pruned.CR3", "DSC_0005.CR3"}};
  for (std::size_t i = 0; i < files.size(); ++i) {
    fs::copy_file(raw / files[i].first, p.folder / files[i].second);
    p.raws.push_back(files[i].second);
    fs::copy_file(kho::testing::test_data_dir() / "orientation" / ("Landscape_" + std::to_string(i + 1) + ".jpg"),
                  p.folder / ("DSC_000" + std::to_string(i + 1) + ".JPG"));
  }
  // An article naming one pair by its JPEG and another by its raw file.
  write_file(p.folder / "bai.txt",
             "Cặp ảnh RAW và JPEG\n01/05/2024 08:00 GMT+7\n\nĐoạn mở đầu.\n\nDSC_0001.JPG\nẢnh một.\n\n"
             "DSC_0002.NEF\nẢnh hai.\n");
  return p;
}

json ingest_json(const std::string& archive, const fs::path& root) {
  auto r = run_kho({"--archive", archive, "ingest", root.string(), "--json"});
  EXPECT_LE(r.exit_code, 1) << r.err;
  auto j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out;
  return j;
}

TEST(AppPairs, FivePairsAreFivePhotosWithTenFiles) {
  TempDir dir;
  auto pairs = make_pairs(dir / "in");
  if (!pairs) GTEST_SKIP() << "../shared/photos/raw is not there";
  const std::string archive = (dir / "archive").string();
  json j = ingest_json(archive, dir / "in");
  EXPECT_EQ(j["files_seen"], 11);  // 10 photo files + 1 article
  EXPECT_EQ(j["photos_added"], 5) << j.dump();
  EXPECT_EQ(j["pair_files"], 5);
  EXPECT_EQ(j["errors"].size(), 0u) << j["errors"].dump();
  EXPECT_EQ(j["links"], 2) << j.dump();
  // Three pairs no article names, each reported once (by its JPEG).
  ASSERT_EQ(j["orphans"].size(), 3u) << j["orphans"].dump();
  for (const auto& o : j["orphans"]) EXPECT_NE(o.get<std::string>().find(".JPG"), std::string::npos) << o;

  auto cat = Catalog::open(archive, {.read_only = true});
  ASSERT_TRUE(cat.ok());
  auto snap = (*cat)->snapshot().value();
  auto ev = snap->event(event_id_for_folder(norm(pairs->folder)));
  ASSERT_TRUE(ev.ok()) << ev.status().to_string();
  EXPECT_EQ(ev->photo_count, 5u);
  for (int i = 1; i <= 5; ++i) {
    auto jpeg = snap->file(norm((pairs->folder / ("DSC_000" + std::to_string(i) + ".JPG"))));
    auto raw = snap->file(norm((pairs->folder / pairs->raws[i - 1])));
    ASSERT_TRUE(jpeg.ok() && raw.ok()) << i;
    EXPECT_EQ(jpeg->digest, raw->digest) << "one photo, two files: " << i;
    auto files = snap->photo_files(jpeg->digest);
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(files->size(), 2u);
    auto photo = snap->photo(jpeg->digest);
    ASSERT_TRUE(photo.ok());
    EXPECT_EQ(photo->meta.format, "jpeg") << "the JPEG is the photo shown";
  }
  // A pair is not an exact duplicate of itself.
  auto dups = run_kho({"--archive", archive, "dups", "--json"});
  ASSERT_EQ(dups.exit_code, 0) << dups.err;
  const json clusters = json::parse(dups.out)["clusters"];  // named: a range-for over a temporary's member dangles
  for (const auto& c : clusters) EXPECT_NE(c["kind"], "exact") << c.dump();
  // Re-ingest: nothing new, nothing read.
  json again = ingest_json(archive, dir / "in");
  EXPECT_EQ(again["photos_added"], 0);
  EXPECT_EQ(again["pair_files"], 0);
  EXPECT_EQ(again["photos_unchanged"], 10);
}

TEST(AppPairs, DeletingTheJpegKeepsThePhotoShownFromTheRawPreview) {
  TempDir dir;
  auto pairs = make_pairs(dir / "in");
  if (!pairs) GTEST_SKIP() << "../shared/photos/raw is not there";
  const std::string archive = (dir / "archive").string();
  json first = ingest_json(archive, dir / "in");
  ASSERT_EQ(first["photos_added"], 5);
  const fs::path raw1 = pairs->folder / pairs->raws[0];
  const fs::path raw2 = pairs->folder / pairs->raws[1];
  fs::remove(pairs->folder / "DSC_0001.JPG");  // named by the article as DSC_0001.JPG
  fs::remove(pairs->folder / "DSC_0002.JPG");  // named as DSC_0002.NEF
  json j = ingest_json(archive, dir / "in");
  EXPECT_EQ(j["errors"].size(), 0u) << j["errors"].dump();
  EXPECT_EQ(j["photos_added"], 2) << "each raw file is now a photo of its own: " << j.dump();
  EXPECT_EQ(j["links"], 2) << j.dump();
  EXPECT_EQ(j["unresolved"].size(), 0u) << j["unresolved"].dump();

  auto cat = Catalog::open(archive, {.read_only = true});
  ASSERT_TRUE(cat.ok());
  auto snap = (*cat)->snapshot().value();
  auto ev = snap->event(event_id_for_folder(norm(pairs->folder)));
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->photo_count, 5u);
  for (const fs::path& raw : {raw1, raw2}) {
    auto f = snap->file(norm(raw));
    ASSERT_TRUE(f.ok());
    auto photo = snap->photo(f->digest);
    ASSERT_TRUE(photo.ok());
    EXPECT_NE(photo->meta.format, "jpeg") << raw;
    EXPECT_TRUE(photo->has_thumbs) << raw;
    auto links = snap->photo_links(f->digest);
    ASSERT_TRUE(links.ok());
    EXPECT_EQ(links->size(), 1u) << "the article's link follows the pair to the raw file: " << raw;
  }
  // The NEF's full size, from its metadata (not its 6000x4000 preview).
  auto nef = snap->photo(snap->file(norm(raw2))->digest);
  EXPECT_EQ(nef->width, 6036u);
  EXPECT_EQ(nef->height, 4020u);
  // The JPEGs' old photos are gone.
  std::size_t photos = 0;
  ASSERT_TRUE(snap->for_each_photo([&](const Photo&) { return ++photos, true; }).ok());
  EXPECT_EQ(photos, 5u);
  auto verify = run_kho({"--archive", archive, "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace kho
