// The ingest pipeline over a real catalog: counts, idempotence, identity (copies, moves, changes),
// per-file errors, the stop flag, and events of folders without articles.
//
// The pixels are done by a small PhotoProcessor written here (ingest must not depend on the thumbnailer):
// it refuses bytes that are not a whole JPEG and returns the input as both derivatives, and counts its calls so
// the tests can check that known bytes are never decoded again. tests/app/test_app_ingest*.cc run the
// real `kho ingest` with the real thumbnailer.
#include "kho/ingest/pipeline.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>

#include "kho/catalog.h"
#include "kho/ingest/digest.h"
#include "pipeline_fixtures.h"
#include "test_support.h"

namespace kho::ingest {
namespace {
namespace fs = std::filesystem;
using kho::testing::read_file;
using kho::testing::TempDir;
using kho::testing::write_file;
using kho::testing::ingest_jpeg;



// A still-valid JPEG with different bytes: the fixtures carry a comment segment "kho-fixture-…" whose
// text we overwrite (same length), so every variant has its own digest.
std::string variant(int base, int n) {
  std::string bytes = ingest_jpeg(base);
  auto at = bytes.find("kho-fixture-");
  EXPECT_NE(at, std::string::npos);
  std::string tag = "v" + std::to_string(n);
  bytes.replace(at + 16, tag.size(), tag);
  return bytes;
}

Digest digest_of(const std::string& bytes) {
  return sha256({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

struct Archive {
  TempDir dir;
  std::unique_ptr<Catalog> catalog;
  Archive() {
    auto c = Catalog::open((dir / "archive").string());
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    catalog = std::move(*c);
  }
  std::unique_ptr<Snapshot> snap() const {
    auto s = catalog->snapshot();
    EXPECT_TRUE(s.ok()) << s.status().to_string();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  void expect_verified() const {
    auto r = verify_catalog(*catalog);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    for (const auto& p : r->problems) ADD_FAILURE() << "verify: " << p;
  }
};

IngestSummary run(Archive& a, const PhotoProcessor& proc, const fs::path& root, IngestOptions opt = {}) {
  auto r = ingest(*a.catalog, proc, {root.string()}, opt);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : IngestSummary{};
}

TEST(IngestPipeline, SecondRunSkipsEverythingAndCountsStayTheSame) {
  TempDir tree;
  write_file(tree / "ev1/a.jpg", ingest_jpeg(1));
  write_file(tree / "ev1/b.jpg", ingest_jpeg(2));
  write_file(tree / "ev1/copy of a.jpg", ingest_jpeg(1));
  write_file(tree / "ev2/c.jpg", ingest_jpeg(3));
  Archive a;
  testing::FakeProcessor proc;
  auto first = run(a, proc, tree.path(), {.jobs = 2});
  EXPECT_EQ(first.files_seen, 4u);
  EXPECT_EQ(first.photos_added, 3u);
  EXPECT_EQ(first.exact_duplicates, 1u);
  EXPECT_TRUE(first.errors.empty());
  EXPECT_EQ(first.events, 2u);
  EXPECT_EQ(proc.calls.load(), 3) << "the copy's bytes are not decoded a second time";

  auto second = run(a, proc, tree.path(), {.jobs = 2});
  EXPECT_EQ(second.files_seen, 4u);
  EXPECT_EQ(second.photos_added, 0u);
  EXPECT_EQ(second.photos_unchanged, 4u);
  EXPECT_EQ(second.skipped_by_stat, 4u);
  EXPECT_EQ(second.events, first.events);
  EXPECT_EQ(second.orphans, first.orphans);
  EXPECT_EQ(proc.calls.load(), 3) << "unchanged files are not read";

  auto files = a.snap()->photo_files(digest_of(ingest_jpeg(1)));
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u) << "one photo, two files";
  a.expect_verified();
}

TEST(IngestPipeline, StoresPhotoRecordThumbsAndFile) {
  TempDir tree;
  write_file(tree / "ev/a.jpg", ingest_jpeg(1));
  Archive a;
  testing::FakeProcessor proc;
  run(a, proc, tree.path());
  auto s = a.snap();
  Digest d = digest_of(ingest_jpeg(1));
  auto photo = s->photo(d);
  ASSERT_TRUE(photo.ok()) << photo.status().to_string();
  EXPECT_EQ(photo->size, ingest_jpeg(1).size());
  EXPECT_EQ(photo->width, 160u);
  EXPECT_TRUE(photo->has_thumbs);
  EXPECT_EQ(photo->first_path, (tree / "ev/a.jpg").string());
  EXPECT_GT(photo->added_at, 0);
  auto grid = s->thumb_view(d, ThumbSize::kGrid);
  ASSERT_TRUE(grid.ok());
  EXPECT_EQ(std::string(*grid), ingest_jpeg(1));
  auto file = s->file((tree / "ev/a.jpg").string());
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->digest, d);
  EXPECT_EQ(file->event_id, event_id_for_folder((tree / "ev").string()));
}

TEST(IngestPipeline, MovedFileKeepsItsPhoto) {
  TempDir tree;
  write_file(tree / "ev/a.jpg", ingest_jpeg(1));
  write_file(tree / "ev/b.jpg", ingest_jpeg(2));
  Archive a;
  testing::FakeProcessor proc;
  run(a, proc, tree.path());
  fs::create_directories(tree / "other");
  fs::rename(tree / "ev/b.jpg", tree / "other/b moved.jpg");
  auto r = run(a, proc, tree.path());
  EXPECT_EQ(r.photos_added, 0u);
  EXPECT_EQ(r.photos_unchanged, 2u);
  EXPECT_EQ(r.files_removed, 1u);
  EXPECT_EQ(r.photos_removed, 0u);
  EXPECT_EQ(proc.calls.load(), 2) << "the moved bytes are recognised by digest, not decoded";
  auto files = a.snap()->photo_files(digest_of(ingest_jpeg(2)));
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, (tree / "other/b moved.jpg").string());
  a.expect_verified();
}

TEST(IngestPipeline, ChangedFileGetsNewPhotoAndOldOneGoesWhenUnreferenced) {
  TempDir tree;
  write_file(tree / "ev/a.jpg", ingest_jpeg(1));
  write_file(tree / "ev/b.jpg", ingest_jpeg(2));
  write_file(tree / "keep/b copy.jpg", ingest_jpeg(2));
  Archive a;
  testing::FakeProcessor proc;
  run(a, proc, tree.path());

  // a.jpg changes: nothing else refers to its old bytes, so the old photo goes.
  write_file(tree / "ev/a.jpg", ingest_jpeg(3));
  // b.jpg changes: "keep/b copy.jpg" still holds the old bytes, so the old photo stays.
  write_file(tree / "ev/b.jpg", ingest_jpeg(4));
  auto r = run(a, proc, tree.path());
  EXPECT_EQ(r.photos_added, 2u);
  EXPECT_EQ(r.photos_removed, 1u);
  auto s = a.snap();
  EXPECT_TRUE(s->photo(digest_of(ingest_jpeg(1))).status().is_not_found());
  EXPECT_TRUE(s->photo(digest_of(ingest_jpeg(2))).ok());
  EXPECT_EQ(s->file((tree / "ev/a.jpg").string())->digest, digest_of(ingest_jpeg(3)));
  EXPECT_EQ(s->file((tree / "ev/b.jpg").string())->digest, digest_of(ingest_jpeg(4)));
  s.reset();
  a.expect_verified();
}

TEST(IngestPipeline, PerFileFailuresAreReportedAndTheRunGoesOn) {
  TempDir tree;
  write_file(tree / "ev/good.jpg", ingest_jpeg(1));
  write_file(tree / "ev/empty.jpg", "");
  write_file(tree / "ev/text.jpg", "this is a text file named .jpg\n");
  write_file(tree / "ev/truncated.jpg", ingest_jpeg(2).substr(0, 7));
  write_file(tree / "ev/same as text.jpg", "this is a text file named .jpg\n");
  Archive a;
  testing::FakeProcessor proc;
  auto r = run(a, proc, tree.path());
  EXPECT_EQ(r.photos_added, 1u);
  ASSERT_EQ(r.errors.size(), 4u);
  for (const auto& e : r.errors) {
    EXPECT_NE(e.path.find(tree.path().string()), std::string::npos) << "errors name the file";
    EXPECT_FALSE(e.reason.empty());
  }
  auto empty = std::find_if(r.errors.begin(), r.errors.end(),
                            [](const IngestError& e) { return e.path.ends_with("empty.jpg"); });
  ASSERT_NE(empty, r.errors.end());
  EXPECT_NE(empty->reason.find("zero bytes"), std::string::npos);
  a.expect_verified();
  // Failures are not recorded as files, so the next run reports them again: same counts.
  auto again = run(a, proc, tree.path());
  EXPECT_EQ(again.errors.size(), 4u);
  EXPECT_EQ(again.photos_unchanged, 1u);
}

TEST(IngestPipeline, NameThatIsNotUtf8IsStoredAndReported) {
  TempDir tree;
  std::string raw = (tree / "ev").string() + "/caf\xe9.jpg";
  write_file(raw, ingest_jpeg(1));
  Archive a;
  testing::FakeProcessor proc;
  auto r = run(a, proc, tree.path());
  EXPECT_EQ(r.photos_added, 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].path.find("caf\\x"), std::string::npos) << r.errors[0].path;
  EXPECT_TRUE(a.snap()->file(raw).ok()) << "stored under its raw bytes";
}

TEST(IngestPipeline, StopFlagCommitsWhatIsInFlightAndARerunFinishes) {
  TempDir tree;
  for (int i = 0; i < 40; ++i) write_file(tree / "ev" / ("p" + std::to_string(i) + ".jpg"), variant(1 + i % 4, i));
  Archive a;
  testing::FakeProcessor proc;
  std::atomic<bool> stop{false};
  IngestOptions opt{.jobs = 2, .batch_size = 4, .max_in_flight = 3};
  opt.stop = &stop;
  opt.progress = [&](const IngestProgress& p) {
    if (p.committed >= 8) stop = true;
  };
  auto r = run(a, proc, tree.path(), opt);
  EXPECT_TRUE(r.interrupted);
  EXPECT_GE(r.photos_added, 8u);
  EXPECT_LT(r.photos_added, 40u);
  EXPECT_EQ(r.photo_files_committed, r.photos_added);
  a.expect_verified();

  auto rest = run(a, proc, tree.path(), {.jobs = 2});
  EXPECT_FALSE(rest.interrupted);
  EXPECT_EQ(rest.photos_added + rest.photos_unchanged, 40u);
  EXPECT_EQ(r.photos_added + rest.photos_added, 40u) << "nothing lost, nothing twice";
  a.expect_verified();
}

TEST(IngestPipeline, FolderWithoutArticleIsAnEventDatedByExif) {
  TempDir tree;
  write_file(tree / "Hội chợ/a.jpg", ingest_jpeg(1));  // EXIF 2021-03-04 09:10:11
  write_file(tree / "Hội chợ/b.jpg", ingest_jpeg(2));  // EXIF 2021-03-04 08:00:00
  write_file(tree / "Hội chợ/c.jpg", ingest_jpeg(1));  // a copy: still one photo
  Archive a;
  testing::FakeProcessor proc;
  auto r = run(a, proc, tree.path());
  EXPECT_EQ(r.articles, 0u);
  EXPECT_EQ(r.orphans.size(), 3u) << "photos no article mentions are orphans of the folder's event";
  auto ev = a.snap()->event(event_id_for_folder((tree / "Hội chợ").string()));
  ASSERT_TRUE(ev.ok()) << ev.status().to_string();
  EXPECT_EQ(ev->title, "Hội chợ");
  EXPECT_EQ(ev->photo_count, 2u);
  ASSERT_TRUE(ev->cover.has_value());
  ASSERT_TRUE(ev->date.has_value()) << "dated by the earliest EXIF capture time";
  EXPECT_TRUE(ev->date->starts_with("2021-03-04T08:00:00")) << *ev->date;
}

TEST(IngestPipeline, MissingRootIsAWarningNotAFailure) {
  TempDir tree;
  Archive a;
  testing::FakeProcessor proc;
  auto r = ingest(*a.catalog, proc, {(tree / "nope").string()});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->files_seen, 0u);
  EXPECT_EQ(r->warnings.size(), 1u);
  EXPECT_FALSE(ingest(*a.catalog, proc, {}).ok());
}

TEST(IngestPipeline, Sha256MatchesKnownVectors) {
  std::string abc = "abc";
  EXPECT_EQ(sha256({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()}).hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256({}).hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace kho::ingest
