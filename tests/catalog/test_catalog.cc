// The LMDB catalog: round trips, reopening, map growth, snapshots under a concurrent writer, and a second
// process reading while one writes.
#include <lmdb.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "catalog_fixtures.h"
#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
using testing::digest_of;
using testing::sample_article;
using testing::sample_photo;
using testing::TempDir;

std::unique_ptr<Catalog> open_rw(const TempDir& dir, CatalogOptions opts = {}) {
  auto cat = Catalog::open((dir / "archive").string(), opts);
  EXPECT_TRUE(cat.ok()) << cat.status().to_string();
  return cat.ok() ? std::move(*cat) : nullptr;
}

File file_for(const Photo& p, const std::string& path, const std::string& event_id) {
  return File{path, p.digest, p.size, 1605661200000000000, event_id};
}

TEST(Catalog, RoundTripOfEveryRecordTypeSurvivesReopening) {
  TempDir dir;
  Photo p1 = sample_photo(1), p2 = sample_photo(2);
  p1.has_thumbs = true;
  Event ev;
  ev.id = event_id_for_folder("/samples/ev");
  ev.folder = "/samples/ev";
  ev.title = "Sơn La";
  ev.date = "2020-11-18";
  Article art = sample_article("aaaaaaaaaaaaaaaa", ev.id);
  ev.article_ids = {art.id};
  ev.cover = p1.digest;
  ev.photo_count = 2;
  const std::string path1 = "/samples/ev/ảnh 1.jpg";
  Link l0{art.id, 0, p1.digest, path1, "ảnh 1.jpg", "Toàn cảnh", std::nullopt, LinkMethod::kExact, 1.0f};
  Link l1{art.id, 1, std::nullopt, "", "ảnh 9.jpg", std::nullopt, "Một số", LinkMethod::kUnresolved, 0.0f};
  {
    auto cat = open_rw(dir);
    WriteBatch b;
    b.put_photo(p1);
    b.put_photo(p2);
    b.put_file(file_for(p1, "/samples/ev/ảnh 1.jpg", ev.id));
    b.put_file(file_for(p2, "/samples/ev/ảnh 2.jpg", ev.id));
    b.put_file(file_for(p1, "/elsewhere/copy.jpg", ""));
    b.put_thumb(p1.digest, ThumbSize::kGrid, "grid-jpeg");
    b.put_thumb(p1.digest, ThumbSize::kPreview, "preview-jpeg");
    b.put_event(ev);
    b.put_article(art);
    b.put_links(art.id, {l0, l1});
    ASSERT_TRUE(cat->write(b).ok());
  }
  CatalogOptions ro;
  ro.read_only = true;
  auto cat = Catalog::open((dir / "archive").string(), ro);
  ASSERT_TRUE(cat.ok()) << cat.status().to_string();
  auto snap = (*cat)->snapshot();
  ASSERT_TRUE(snap.ok());
  const Snapshot& s = **snap;
  EXPECT_EQ(*s.photo(p1.digest), p1);
  EXPECT_EQ(*s.photo(p2.digest), p2);
  EXPECT_EQ(*s.event(ev.id), ev);
  EXPECT_EQ(*s.article(art.id), art);
  EXPECT_EQ(*s.thumb_view(p1.digest, ThumbSize::kPreview), "preview-jpeg");
  EXPECT_EQ(s.file("/elsewhere/copy.jpg")->digest, p1.digest);

  auto links = s.article_links(art.id);
  ASSERT_TRUE(links.ok());
  ASSERT_EQ(links->size(), 2u);
  EXPECT_EQ((*links)[0], l0);
  EXPECT_EQ((*links)[1], l1);
  auto plinks = s.photo_links(p1.digest);
  ASSERT_EQ(plinks->size(), 1u);
  EXPECT_EQ((*plinks)[0].caption, "Toàn cảnh");

  auto files = s.photo_files(p1.digest);
  ASSERT_EQ(files->size(), 2u);  // one photo, two files: an exact duplicate
  auto order = s.event_photos_in_order(ev.id);
  ASSERT_EQ(order->size(), 2u);
  EXPECT_EQ((*order)[0].digest, p1.digest);  // linked first, then the orphan
  EXPECT_EQ((*order)[1].digest, p2.digest);

  EXPECT_TRUE(s.photo(digest_of(99)).status().is_not_found());
  EXPECT_TRUE(s.article("nope").status().is_not_found());
  auto events = s.events_newest_first(0, 10);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(*s.event_count(), 1u);
}

TEST(Catalog, ReplacingAFileMovesItsIndexEntries) {
  TempDir dir;
  auto cat = open_rw(dir);
  Photo a = sample_photo(1), b = sample_photo(2);
  WriteBatch w;
  w.put_photo(a);
  w.put_photo(b);
  w.put_file(file_for(a, "/x.jpg", "e1"));
  ASSERT_TRUE(cat->write(w).ok());
  WriteBatch w2;  // the file at /x.jpg changed: new bytes, new event
  w2.put_file(file_for(b, "/x.jpg", "e2"));
  ASSERT_TRUE(cat->write(w2).ok());
  auto snap = *cat->snapshot();
  EXPECT_TRUE(snap->photo_files(a.digest)->empty());
  EXPECT_EQ(snap->photo_files(b.digest)->size(), 1u);
  EXPECT_TRUE(snap->event_files("e1")->empty());
  EXPECT_EQ(snap->event_files("e2")->size(), 1u);
}

TEST(Catalog, GrowsFromATinyMap) {
  TempDir dir;
  CatalogOptions opts;
  opts.initial_map_size = 64 * 1024;  // far too small for what follows
  auto cat = open_rw(dir, opts);
  ASSERT_TRUE(cat);
  std::string blob(20000, 'x');
  for (int batch = 0; batch < 10; ++batch) {
    WriteBatch b;
    for (int i = 0; i < 50; ++i) {
      Photo p = sample_photo(batch * 50 + i);
      b.put_photo(p);
      b.put_thumb(p.digest, ThumbSize::kGrid, blob);
    }
    Status st = cat->write(b);
    ASSERT_TRUE(st.ok()) << st.to_string();
  }
  auto stats = cat->stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_GT(stats->map_size, 10u * 1000 * 1000);
  auto snap = *cat->snapshot();
  for (int i = 0; i < 500; i += 37) EXPECT_TRUE(snap->photo(digest_of(i)).ok()) << i;
}

TEST(Catalog, SnapshotsStayConsistentWhileAWriterCommits) {
  TempDir dir;
  auto cat = open_rw(dir);
  std::atomic<bool> done{false};
  std::atomic<int> checks{0};
  std::thread reader([&] {
    while (!done) {
      auto snap = cat->snapshot();
      ASSERT_TRUE(snap.ok());
      // Each batch writes a photo and its file together: a snapshot sees both or neither, and counting
      // twice inside one snapshot gives the same answer however many batches commit meanwhile.
      int photos = 0, files = 0;
      (*snap)->for_each_photo([&](const Photo&) { return ++photos, true; });
      std::this_thread::yield();
      (*snap)->for_each_file([&](const File&) { return ++files, true; });
      int photos_again = 0;
      (*snap)->for_each_photo([&](const Photo&) { return ++photos_again, true; });
      EXPECT_EQ(photos, files);
      EXPECT_EQ(photos, photos_again);
      ++checks;
    }
  });
  for (int i = 0; i < 200; ++i) {
    WriteBatch b;
    Photo p = sample_photo(i);
    b.put_photo(p);
    b.put_file(file_for(p, "/p/" + std::to_string(i) + ".jpg", ""));
    ASSERT_TRUE(cat->write(b).ok());
  }
  done = true;
  reader.join();
  EXPECT_GT(checks.load(), 0);
}

TEST(Catalog, ASecondProcessReadsWhileOneWrites) {
  TempDir dir;
  auto cat = open_rw(dir);
  {
    WriteBatch b;
    b.put_meta("marker", "0");
    ASSERT_TRUE(cat->write(b).ok());
  }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child must not touch the parent's environment: it opens its own, read-only.
    CatalogOptions ro;
    ro.read_only = true;
    auto rc = Catalog::open((dir / "archive").string(), ro);
    if (!rc.ok()) _exit(3);
    int last = -1, seen_changes = 0;
    for (int i = 0; i < 4000 && last < 99; ++i) {
      auto snap = (*rc)->snapshot();
      if (!snap.ok()) _exit(4);
      auto m = (*snap)->meta("marker");
      if (!m.ok()) _exit(5);
      int v = std::stoi(*m);
      int photos = 0;
      (*snap)->for_each_photo([&](const Photo&) { return ++photos, true; });
      if (v < last) _exit(6);                   // time never runs backwards
      if (photos != v) _exit(7);                 // marker and photos commit together
      if (v != last) ++seen_changes;
      last = v;
      usleep(1000);
    }
    _exit(seen_changes > 0 ? 0 : 8);
  }
  for (int i = 1; i <= 99; ++i) {
    WriteBatch b;
    b.put_photo(sample_photo(i));
    b.put_meta("marker", std::to_string(i));
    ASSERT_TRUE(cat->write(b).ok());
    usleep(2000);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Catalog, RefusesAnArchiveOfAnotherFormatVersion) {
  TempDir dir;
  {
    auto cat = open_rw(dir);
    WriteBatch b;
    b.put_meta("format", "999");
    ASSERT_TRUE(cat->write(b).ok());
  }
  auto again = Catalog::open((dir / "archive").string());
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.status().is_unsupported());
  EXPECT_NE(again.status().message().find("999"), std::string::npos);
}

// raw_scan's visitor goes on, stops early, or fails, and the scan says which.
TEST(Catalog, RawScanContinuesStopsOrReturnsTheVisitorsError) {
  TempDir dir;
  auto cat = open_rw(dir);
  WriteBatch batch;
  for (const char* k : {"p/a", "p/b", "p/c", "q/a"}) batch.raw_put(db::kTerms, k, std::string("v:") + k);
  ASSERT_TRUE(cat->write(batch).ok());
  auto snap = cat->snapshot();
  ASSERT_TRUE(snap.ok());

  std::vector<std::string> seen;
  auto all = (*snap)->raw_scan(db::kTerms, "p/", [&](std::string_view k, std::string_view v) {
    seen.emplace_back(std::string(k) + "=" + std::string(v));
    return ScanStep::Continue();
  });
  EXPECT_TRUE(all.ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"p/a=v:p/a", "p/b=v:p/b", "p/c=v:p/c"}));  // not q/a

  seen.clear();
  auto stopped = (*snap)->raw_scan(db::kTerms, "p/", [&](std::string_view k, std::string_view) {
    seen.emplace_back(k);
    return seen.size() == 2 ? ScanStep::Stop() : ScanStep::Continue();
  });
  EXPECT_TRUE(stopped.ok());
  EXPECT_EQ(seen.size(), 2u);

  seen.clear();
  auto failed = (*snap)->raw_seek(db::kTerms, "p/b", [&](std::string_view k, std::string_view) -> ScanStep {
    seen.emplace_back(k);
    if (k == "p/c") return Status::Corruption("bad entry p/c");
    return ScanStep::Continue();
  });
  EXPECT_TRUE(failed.is_corruption());
  EXPECT_EQ(failed.message(), "bad entry p/c");
  EXPECT_EQ(seen, (std::vector<std::string>{"p/b", "p/c"}));  // nothing after the error

  // A database this archive does not have yet is empty, not an error.
  int visits = 0;
  EXPECT_TRUE((*snap)
                  ->raw_scan("no-such-db", "",
                             [&](std::string_view, std::string_view) {
                               ++visits;
                               return ScanStep::Continue();
                             })
                  .ok());
  EXPECT_EQ(visits, 0);
}

TEST(Catalog, ReadOnlyOpenOfAMissingArchiveIsNotFound) {
  TempDir dir;
  CatalogOptions ro;
  ro.read_only = true;
  auto cat = Catalog::open((dir / "none").string(), ro);
  EXPECT_TRUE(cat.status().is_not_found());
}

// What a process killed during its very first Catalog::open leaves behind: LMDB wrote data.mdb's two meta
// pages in mdb_env_open, and the transaction that creates the databases never committed.
void make_never_committed_environment(const std::string& dir) {
  std::filesystem::create_directories(dir);
  MDB_env* env = nullptr;
  ASSERT_EQ(mdb_env_create(&env), MDB_SUCCESS);
  ASSERT_EQ(mdb_env_set_maxdbs(env, 4), MDB_SUCCESS);
  ASSERT_EQ(mdb_env_open(env, dir.c_str(), 0, 0644), MDB_SUCCESS);
  MDB_txn* txn = nullptr;
  ASSERT_EQ(mdb_txn_begin(env, nullptr, 0, &txn), MDB_SUCCESS);
  MDB_dbi dbi;
  ASSERT_EQ(mdb_dbi_open(txn, "meta", MDB_CREATE, &dbi), MDB_SUCCESS);
  mdb_txn_abort(txn);  // the kill
  mdb_env_close(env);
  ASSERT_GT(std::filesystem::file_size(std::filesystem::path(dir) / "data.mdb"), 0u);
}

void expect_never_created(const std::string& dir) {
  CatalogOptions ro;
  ro.read_only = true;
  auto cat = Catalog::open(dir, ro);
  ASSERT_FALSE(cat.ok());
  EXPECT_TRUE(cat.status().is_not_found()) << cat.status().to_string();
  EXPECT_EQ(cat.status().message(),
            "archive " + dir + " was never finished being created; run kho ingest to create it");
}

// A read-write open then creates the archive in place, with its format version, and it reads back.
void expect_created_by_read_write_open(const std::string& dir) {
  {
    auto cat = Catalog::open(dir);
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    WriteBatch b;
    b.put_photo(sample_photo(1));
    ASSERT_TRUE((*cat)->write(b).ok());
  }
  CatalogOptions ro;
  ro.read_only = true;
  auto cat = Catalog::open(dir, ro);
  ASSERT_TRUE(cat.ok()) << cat.status().to_string();
  auto snap = (*cat)->snapshot();
  ASSERT_TRUE(snap.ok());
  EXPECT_EQ((*snap)->meta("format").value(), std::to_string(kFormatVersion));
  EXPECT_TRUE((*snap)->photo(digest_of(1)).ok());
  auto report = verify_catalog(**cat);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty());
}

TEST(Catalog, AnEnvironmentWhereNothingEverCommittedIsNeverCreatedNotCorrupt) {
  TempDir dir;
  const std::string archive = (dir / "archive").string();
  make_never_committed_environment(archive);
  expect_never_created(archive);
  expect_created_by_read_write_open(archive);
}

TEST(Catalog, AnEmptyDataFileIsNeverCreatedNotCorrupt) {
  // Killed inside mdb_env_open itself, after it created data.mdb and before it wrote the meta pages.
  TempDir dir;
  const std::string archive = (dir / "archive").string();
  std::filesystem::create_directories(archive);
  std::ofstream(std::filesystem::path(archive) / "data.mdb").close();
  expect_never_created(archive);
  expect_created_by_read_write_open(archive);
}

TEST(Catalog, DatabasesWithoutAFormatVersionAreCorruption) {
  TempDir dir;
  const std::string archive = (dir / "archive").string();
  {
    auto cat = open_rw(dir);
    WriteBatch b;
    b.put_photo(sample_photo(1));
    b.raw_delete(db::kMeta, "format");
    ASSERT_TRUE(cat->write(b).ok());
  }
  CatalogOptions ro;
  ro.read_only = true;
  auto cat = Catalog::open(archive, ro);
  ASSERT_FALSE(cat.ok());
  EXPECT_TRUE(cat.status().is_corruption()) << cat.status().to_string();
  EXPECT_EQ(cat.status().message(), "archive " + archive + " has no format version");
}

}  // namespace
}  // namespace kho
