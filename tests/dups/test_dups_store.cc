// update_duplicates / list_duplicates / duplicates_of over a real catalog, with a scripted verifier
// (the OpenCV one is tested in tests/thumbnailer).
#include <gtest/gtest.h>

#include <atomic>

#include "kho/dups.h"
#include "test_support.h"

namespace kho {
namespace {

// "Pixels" are the grid thumbnail bytes: same scene letter = copies.
class SceneVerifier final : public PairVerifier {
 public:
  Result<PairVerdict> verify(const Photo&, std::string_view a, const Photo&, std::string_view b) const override {
    ++calls;
    bool same = !a.empty() && !b.empty() && a[0] == b[0];
    return PairVerdict{same, same ? 1.0f : 0.0f, same ? "same scene" : "other scene"};
  }
  mutable std::atomic<int> calls{0};
};

Digest digest_of(int n) {
  Digest d;
  d.bytes[0] = static_cast<std::uint8_t>(n);
  d.bytes[31] = 0xAB;
  return d;
}

struct Fixture {
  kho::testing::TempDir dir;
  std::unique_ptr<Catalog> catalog;
  Fixture() {
    auto c = Catalog::open(dir.path().string());
    EXPECT_TRUE(c.ok()) << c.status().to_string();
    catalog = std::move(*c);
  }
  // A photo with `phash`, `w`×`h` pixels, scene letter in its thumbnail, optional capture time.
  void add(int n, std::uint64_t phash, std::uint32_t w, std::uint32_t h, char scene,
           std::vector<std::string> paths, std::optional<std::string> when = std::nullopt,
           std::int64_t mtime = 1000) {
    WriteBatch b;
    Photo p;
    p.digest = digest_of(n);
    p.width = w;
    p.height = h;
    p.sig.phash = phash;
    p.has_signatures = true;
    p.has_thumbs = true;
    p.first_path = paths.front();
    if (when) {
      p.meta.make = "Canon";
      p.meta.model = "EOS R5";
      p.meta.datetime_original = *when;
    }
    b.put_photo(p);
    b.put_thumb(p.digest, ThumbSize::kGrid, std::string(1, scene) + "jpeg");
    for (const std::string& path : paths) {
      File f;
      f.path = path;
      f.digest = p.digest;
      f.mtime_ns = mtime++;
      f.event_id = "e";
      b.put_file(f);
    }
    ASSERT_TRUE(catalog->write(b).ok());
  }
  std::vector<DupCluster> list(int threshold = -1) {
    auto snap = catalog->snapshot();
    EXPECT_TRUE(snap.ok());
    DupOptions o;
    o.list_threshold = threshold;
    auto r = list_duplicates(**snap, o);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : std::vector<DupCluster>{};
  }
};

const std::vector<DupCluster>::const_iterator find_kind(const std::vector<DupCluster>& cs, DupKind kind) {
  return std::find_if(cs.begin(), cs.end(), [&](const DupCluster& c) { return c.kind == kind; });
}

TEST(DupsStore, ExactNearAndBurstClusters) {
  Fixture fx;
  const std::uint64_t base = 0x0123456789ABCDEFull;
  // An exact duplicate: one photo, two files.
  fx.add(1, 0xFFFF0000FFFF0000ull, 800, 600, 'x', {"/a/copy1.jpg", "/b/copy1.jpg"});
  // A near cluster: original (largest), a resized copy, a recompressed copy.
  fx.add(2, base, 4000, 3000, 'a', {"/a/orig.jpg"});
  fx.add(3, base ^ 0x7, 1000, 750, 'a', {"/a/small.jpg"});
  fx.add(4, base ^ 0x30, 4000, 3000, 'a', {"/b/recompressed.jpg"}, std::nullopt, 5000);
  // A burst: the same scene shot twice by one camera, hashes close, verifier would say "same scene".
  fx.add(5, ~base, 6000, 4000, 'b', {"/c/burst1.jpg"}, "2020-05-01T09:30:12.10");
  fx.add(6, ~base ^ 0x1, 6000, 4000, 'b', {"/c/burst2.jpg"}, "2020-05-01T09:30:12.35");
  // Another frame of scene 'a' by the verifier's word, but far in PHash: never a candidate.
  fx.add(7, base ^ 0xFFFFFFFF0000ull, 4000, 3000, 'a', {"/d/far.jpg"});

  SceneVerifier verifier;
  ASSERT_TRUE(update_duplicates(*fx.catalog, verifier, DupOptions{}).ok());
  auto clusters = fx.list();
  ASSERT_EQ(clusters.size(), 2u);

  auto exact = find_kind(clusters, DupKind::kExact);
  ASSERT_NE(exact, clusters.end());
  ASSERT_EQ(exact->photos.size(), 2u);
  EXPECT_EQ(exact->best_path, "/a/copy1.jpg");  // the older file
  EXPECT_TRUE(exact->photos[0].best);

  auto near = find_kind(clusters, DupKind::kNear);
  ASSERT_NE(near, clusters.end());
  ASSERT_EQ(near->photos.size(), 3u);
  EXPECT_EQ(near->best, digest_of(2));  // largest, then oldest file among equals
  EXPECT_EQ(near->best_path, "/a/orig.jpg");
  EXPECT_EQ(near->photos[0].path, "/a/orig.jpg");
  EXPECT_EQ(near->photos[0].distance, 0);
  EXPECT_EQ(near->photos[1].path, "/b/recompressed.jpg");  // then nearest first
  EXPECT_EQ(near->photos[1].distance, 2);
  EXPECT_EQ(near->photos[2].path, "/a/small.jpg");
  EXPECT_EQ(near->photos[2].distance, 3);
  EXPECT_FALSE(near->photos[1].best || near->photos[2].best);
  // Why: the recompressed copy has as many pixels and no capture time either; the original's file is older.
  EXPECT_EQ(near->best_reason, BestReason::kOldestFile);
  EXPECT_EQ(exact->best_reason, BestReason::kOldestFile);  // same bytes: the older file

  // The review page's cluster of one member: itself included, best first, the same reason; a person's
  // choice wins and says so.
  auto snap = fx.catalog->snapshot();
  ASSERT_TRUE(snap.ok());
  auto of = near_cluster_of(**snap, digest_of(3));
  ASSERT_TRUE(of.ok()) << of.status().to_string();
  ASSERT_TRUE(of->has_value());
  ASSERT_EQ((*of)->photos.size(), 3u);
  EXPECT_EQ((*of)->best, digest_of(2));
  EXPECT_EQ((*of)->best_reason, BestReason::kOldestFile);
  DupOptions chosen;
  chosen.chosen_best = {digest_of(3)};
  auto picked = near_cluster_of(**snap, digest_of(2), chosen);
  ASSERT_TRUE(picked.ok() && picked->has_value());
  EXPECT_EQ((*picked)->best, digest_of(3));
  EXPECT_EQ((*picked)->best_reason, BestReason::kChosen);
  auto alone = near_cluster_of(**snap, digest_of(7));
  ASSERT_TRUE(alone.ok());
  EXPECT_FALSE(alone->has_value());
}

// Two hundred photos that all look alike (one PHash, one scene): the update checks each against at
// most max_candidates_per_photo others, in several chunks, and they still form one cluster.
TEST(DupsStore, AlikePhotosAreCheckedBoundedAndStillCluster) {
  Fixture fx;
  for (int n = 1; n <= 200; ++n)
    fx.add(n, 0x0F0F0F0F0F0F0F0Full, 1000, 750, 's', {"/alike/" + std::to_string(n) + ".jpg"});
  SceneVerifier verifier;
  DupOptions options;
  ASSERT_TRUE(update_duplicates(*fx.catalog, verifier, options).ok());
  EXPECT_LE(verifier.calls.load(), 200 * options.max_candidates_per_photo);
  EXPECT_GT(verifier.calls.load(), 1024);  // more than one chunk of pairs was written
  auto clusters = fx.list();
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].photos.size(), 200u);
}

TEST(DupsStore, BurstPairStaysApart) {
  Fixture fx;
  fx.add(5, 42, 6000, 4000, 'b', {"/c/burst1.jpg"}, "2020-05-01T09:30:12.10");
  fx.add(6, 43, 6000, 4000, 'b', {"/c/burst2.jpg"}, "2020-05-01T09:30:12.35");
  SceneVerifier verifier;
  ASSERT_TRUE(update_duplicates(*fx.catalog, verifier, DupOptions{}).ok());
  EXPECT_TRUE(fx.list().empty());
  EXPECT_EQ(verifier.calls.load(), 0);  // decided by EXIF, no pixels needed
}

TEST(DupsStore, IncrementalUpdateThresholdAndDuplicatesOf) {
  Fixture fx;
  SceneVerifier verifier;
  fx.add(2, 0xF0F0ull, 4000, 3000, 'a', {"/a/orig.jpg"});
  fx.add(3, 0xF0F0ull ^ 0x1, 1000, 750, 'a', {"/a/small.jpg"});
  ASSERT_TRUE(update_duplicates(*fx.catalog, verifier, DupOptions{}).ok());
  int after_first = verifier.calls.load();
  EXPECT_EQ(after_first, 1);
  // A later ingest adds one more copy farther away; only its pairs are verified.
  fx.add(4, 0xF0F0ull ^ 0x1F00ull, 2000, 1500, 'a', {"/b/medium.jpg"});
  ASSERT_TRUE(update_duplicates(*fx.catalog, verifier, DupOptions{}).ok());
  EXPECT_EQ(verifier.calls.load() - after_first, 2);
  auto all = fx.list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].photos.size(), 3u);
  // A tighter threshold drops the far copy without re-verifying.
  auto tight = fx.list(2);
  ASSERT_EQ(tight.size(), 1u);
  EXPECT_EQ(tight[0].photos.size(), 2u);

  auto snap = fx.catalog->snapshot();
  ASSERT_TRUE(snap.ok());
  auto of = duplicates_of(**snap, digest_of(3));
  ASSERT_TRUE(of.ok());
  ASSERT_EQ(of->size(), 2u);
  EXPECT_EQ((*of)[0].path, "/a/orig.jpg");
  EXPECT_EQ((*of)[0].distance, 1);
  EXPECT_TRUE((*of)[0].best);
  auto none = duplicates_of(**snap, digest_of(99));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  snap->reset();

  // A full rebuild gives the same clusters.
  ASSERT_TRUE(update_duplicates(*fx.catalog, verifier, DupOptions{}, /*full=*/true).ok());
  EXPECT_EQ(fx.list().size(), 1u);
}

}  // namespace
}  // namespace kho
