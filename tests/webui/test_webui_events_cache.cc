// Issue 15, what the event page keeps between requests: the grid orders (GridOrders) and the rendered bodies
// (PageCache), both keyed by the archive's version. Each must follow every change of the archive (a write in
// this process, `kho ingest` and a correction by `kho event` in another), stay within its bound, never let an older
// snapshot replace a newer entry, be safe from many threads, and the photo page's previous/next must walk the grid.
#include <nlohmann/json.hpp>

#include <atomic>

#include "web_fixture.h"
#include "webui/src/page_cache.h"
#include "webui/src/views.h"

namespace kho::webtest {
namespace {

using nlohmann::json;

Digest digest_of(std::uint32_t n, std::uint8_t kind) {
  Digest d;
  for (int i = 0; i < 4; ++i) d.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  d.bytes[31] = kind;
  return d;
}

// An event of `n` photos IMG_1.JPG … (capture times running backwards), written in one batch.
std::string put_event(WriteBatch& batch, const std::string& folder, std::uint32_t n, std::uint8_t kind) {
  Event ev;
  ev.folder = folder;
  ev.id = event_id_for_folder(folder);
  ev.title = folder;
  ev.photo_count = n;
  for (std::uint32_t i = 1; i <= n; ++i) {
    Photo p;
    p.digest = digest_of(i, kind);
    p.width = 640;
    p.height = 480;
    p.first_path = folder + "/IMG_" + std::to_string(i) + ".JPG";
    char when[32];
    std::snprintf(when, sizeof when, "2020-05-05T10:%02u:%02u", (1000 - i) / 60 % 60, (1000 - i) % 60);
    p.meta.datetime_original = when;
    batch.put_photo(p);
    File f;
    f.path = p.first_path;
    f.digest = p.digest;
    f.event_id = ev.id;
    batch.put_file(f);
  }
  batch.put_event(ev);
  return ev.id;
}

std::vector<std::string> names(const std::vector<EventFile>& files) {
  std::vector<std::string> out;
  for (const EventFile& f : files) out.push_back(f.path.substr(f.path.rfind('/') + 1));
  return out;
}

class GridOrdersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cat = Catalog::open((dir_.path() / "archive").string());
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    catalog_ = std::move(*cat);
    WriteBatch batch;
    for (int e = 0; e < 6; ++e)
      ids_.push_back(put_event(batch, "/events/e" + std::to_string(e), 100, static_cast<std::uint8_t>(10 + e)));
    ASSERT_TRUE(catalog_->write(batch).ok());
  }
  std::unique_ptr<Snapshot> snapshot() {
    auto s = catalog_->snapshot();
    EXPECT_TRUE(s.ok());
    return s.ok() ? std::move(*s) : nullptr;
  }

  testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
  std::vector<std::string> ids_;
};

TEST_F(GridOrdersTest, KeptWhileTheVersionStaysAndRecomputedAfterAWrite) {
  web::GridOrders orders;
  auto snap = snapshot();
  auto first = orders.get(*snap, ids_[0], web::GridSort::kName);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(names(**first).front(), "IMG_1.JPG");
  EXPECT_EQ(names(**first)[1], "IMG_2.JPG");  // natural order: IMG_2 before IMG_10
  auto again = orders.get(*snapshot(), ids_[0], web::GridSort::kName);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), first->get()) << "the same version must reuse the kept order";
  // The time order is another entry: IMG_100 has the earliest time.
  auto by_time = orders.get(*snap, ids_[0], web::GridSort::kTime);
  ASSERT_TRUE(by_time.ok());
  EXPECT_EQ(names(**by_time).front(), "IMG_100.JPG");
  snap.reset();

  // A new photo, IMG_0.JPG, in the same event: the next snapshot's order has it first.
  WriteBatch batch;
  Photo p;
  p.digest = digest_of(0, 10);
  p.first_path = "/events/e0/IMG_0.JPG";
  batch.put_photo(p);
  File f;
  f.path = p.first_path;
  f.digest = p.digest;
  f.event_id = ids_[0];
  batch.put_file(f);
  ASSERT_TRUE(catalog_->write(batch).ok());
  auto after = orders.get(*snapshot(), ids_[0], web::GridSort::kName);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(after->get(), first->get());
  ASSERT_EQ((*after)->size(), 101u);
  EXPECT_EQ(names(**after).front(), "IMG_0.JPG");
}

TEST_F(GridOrdersTest, AnOlderSnapshotNeverReplacesANewerOrder) {
  web::GridOrders orders;
  auto old_snap = snapshot();
  WriteBatch batch;
  Event ev;
  ASSERT_TRUE(old_snap->event(ids_[1]).ok());
  ev = *old_snap->event(ids_[1]);
  ev.title = "renamed";  // any write moves the version
  batch.put_event(ev);
  ASSERT_TRUE(catalog_->write(batch).ok());
  auto new_snap = snapshot();
  ASSERT_GT(new_snap->version(), old_snap->version());
  auto newer = orders.get(*new_snap, ids_[1], web::GridSort::kTime);
  ASSERT_TRUE(newer.ok());
  auto older = orders.get(*old_snap, ids_[1], web::GridSort::kTime);  // finishes last
  ASSERT_TRUE(older.ok());
  EXPECT_NE(older->get(), newer->get());
  auto kept = orders.get(*new_snap, ids_[1], web::GridSort::kTime);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->get(), newer->get());
}

TEST_F(GridOrdersTest, HoldsAtMostItsBudgetLeastRecentlyUsedFirst) {
  web::GridOrders orders(250);  // two and a half events of 100
  auto snap = snapshot();
  auto kept = orders.get(*snap, ids_[0], web::GridSort::kTime);
  ASSERT_TRUE(kept.ok());
  for (std::size_t e = 1; e < ids_.size(); ++e) {
    ASSERT_TRUE(orders.get(*snap, ids_[e], web::GridSort::kTime).ok());
    ASSERT_TRUE(orders.get(*snap, ids_[0], web::GridSort::kTime).ok());  // e0 stays the most recently used
    EXPECT_LE(orders.files_held(), 250u);
  }
  EXPECT_EQ(orders.entries(), 2u);
  auto still = orders.get(*snap, ids_[0], web::GridSort::kTime);
  EXPECT_EQ(still->get(), kept->get());
  web::GridOrders tiny(50);  // an order larger than the whole budget is computed, not kept
  ASSERT_TRUE(tiny.get(*snap, ids_[0], web::GridSort::kTime).ok());
  EXPECT_EQ(tiny.entries(), 0u);
  EXPECT_EQ(tiny.files_held(), 0u);
}

TEST_F(GridOrdersTest, ManyThreadsGetTheComputedOrders) {
  web::GridOrders orders(350);  // small, so that threads also evict each other's entries
  std::map<std::string, std::vector<std::string>> want;
  {
    auto snap = snapshot();
    for (const std::string& id : ids_)
      for (web::GridSort s : {web::GridSort::kTime, web::GridSort::kName})
        want[id + std::to_string(static_cast<int>(s))] = names(**web::grid_order(*snap, id, s));
  }
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 120; ++i) {
        auto snap = catalog_->snapshot();
        if (!snap.ok()) {
          ++failed;
          continue;
        }
        const std::string& id = ids_[static_cast<std::size_t>((t + i) % 6)];
        const web::GridSort s = i % 2 ? web::GridSort::kTime : web::GridSort::kName;
        auto got = orders.get(**snap, id, s);
        if (!got.ok()) ++failed;
        else if (names(**got) != want[id + std::to_string(static_cast<int>(s))]) ++wrong;
      }
    });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(orders.files_held(), 350u);
}

TEST_F(GridOrdersTest, ThePhotoPagesPreviousAndNextWalkTheGridAcrossItsPages) {
  WriteBatch batch;
  const std::string id = put_event(batch, "/events/big", 450, 40);
  ASSERT_TRUE(catalog_->write(batch).ok());
  web::GridOrders orders;
  auto snap = snapshot();
  std::vector<std::string> grid;  // the digests of pages 1, 2 and 3, in the order shown
  for (std::size_t page = 1; page <= 3; ++page) {
    web::GridPage g;
    g.page = page;
    g.orders = &orders;
    auto v = web::event_view(*snap, id, g);
    ASSERT_TRUE(v.ok());
    for (const json& p : (*v)["photos"]) grid.push_back(p["digest"]);
  }
  ASSERT_EQ(grid.size(), 450u);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{199}, std::size_t{200}, std::size_t{399},
                        std::size_t{400}, std::size_t{449}}) {
    auto v = web::photo_view(*snap, grid[i], &orders);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ((*v)["position"], std::to_string(i + 1) + " / 450");
    EXPECT_EQ((*v)["prev_url"], i == 0 ? json(nullptr) : json("/photo/" + grid[i - 1])) << i;
    EXPECT_EQ((*v)["next_url"], i == 449 ? json(nullptr) : json("/photo/" + grid[i + 1])) << i;
  }
}

TEST(PageCacheTest, KeptPerVersionWithinItsBudget) {
  web::PageCache pages(3000);
  auto page = [](std::size_t n, const char* title) {
    return std::make_shared<const web::PageCache::Page>(web::PageCache::Page{std::string(n, 'x'), title});
  };
  pages.put("a", 5, page(1000, "a5"));
  ASSERT_NE(pages.find("a", 5), nullptr);
  EXPECT_EQ(pages.find("a", 5)->title, "a5");
  EXPECT_EQ(pages.find("a", 6), nullptr) << "another version is another archive";
  EXPECT_EQ(pages.find("a", 4), nullptr);
  pages.put("a", 4, page(1000, "a4"));  // an older snapshot finishing last
  EXPECT_EQ(pages.find("a", 5)->title, "a5");
  pages.put("a", 6, page(1000, "a6"));
  EXPECT_EQ(pages.find("a", 6)->title, "a6");
  EXPECT_EQ(pages.entries(), 1u);
  pages.put("b", 6, page(1000, "b"));
  ASSERT_NE(pages.find("a", 6), nullptr);  // a is the most recently used
  pages.put("c", 6, page(1000, "c"));      // b goes
  EXPECT_LE(pages.bytes_held(), 3000u);
  EXPECT_EQ(pages.find("b", 6), nullptr);
  EXPECT_NE(pages.find("a", 6), nullptr);
  EXPECT_NE(pages.find("c", 6), nullptr);
  pages.put("huge", 6, page(5000, "huge"));
  EXPECT_EQ(pages.find("huge", 6), nullptr);
}

// The server's kept grid orders and page bodies follow `kho ingest` and `kho event` run in other processes
// while it serves the archive.
TEST(EventCacheAcrossProcesses, IngestAndCorrectionsInAnotherProcessShowOnTheNextRequest) {
  testing::TempDir dir;
  const std::string archive = (dir.path() / "archive").string();
  const std::filesystem::path folder = dir.path() / "photos" / "2021-01-05 Lũ Quảng Bình";
  std::filesystem::create_directories(folder);
  testing::write_file(folder / "IMG_2.JPG", testing::ingest_jpeg(1));
  testing::write_file(folder / "IMG_10.JPG", testing::ingest_jpeg(2));
  testing::CommandResult ingest = testing::run_kho({"--archive", archive, "ingest", (dir.path() / "photos").string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;

  CatalogOptions ro;
  ro.read_only = true;
  auto cat = Catalog::open(archive, ro);
  ASSERT_TRUE(cat.ok()) << cat.status().to_string();
  web::ServerOptions opts;
  opts.port = 0;
  opts.threads = 2;
  auto server = web::Server::create(**cat, opts);
  ASSERT_TRUE(server->bind().ok());
  std::thread run([&] { (void)server->run(); });
  const int port = server->port();
  for (int tries = 0; tries < 200 && http_get(port, "/favicon.svg").status != 200; ++tries)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));

  json events = json::parse(http_get(port, "/api/events").body);
  ASSERT_EQ(events["events"].size(), 1u);
  const std::string id = events["events"][0]["id"];
  auto grid_names = [&] {
    std::vector<std::string> out;
    const json doc = json::parse(http_get(port, "/api/event/" + id + "?sort=name").body);
    for (const json& p : doc["photos"]) out.push_back(p["name"]);
    return out;
  };
  const std::string page_url = "/event/" + id + "?sort=name";
  EXPECT_EQ(grid_names(), (std::vector<std::string>{"IMG_2.JPG", "IMG_10.JPG"}));
  const std::string before = http_get(port, page_url).body;
  EXPECT_EQ(http_get(port, page_url).body, before);  // kept
  EXPECT_EQ(before.find("IMG_1.JPG"), std::string::npos);

  // Another process adds IMG_1.JPG: the kept order and body are stale now.
  testing::write_file(folder / "IMG_1.JPG", testing::ingest_jpeg(3));
  ingest = testing::run_kho({"--archive", archive, "ingest", (dir.path() / "photos").string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_EQ(grid_names(), (std::vector<std::string>{"IMG_1.JPG", "IMG_2.JPG", "IMG_10.JPG"}));
  const std::string after = http_get(port, page_url).body;
  ASSERT_NE(after.find("IMG_1.JPG"), std::string::npos);
  EXPECT_LT(after.find("IMG_1.JPG"), after.find("IMG_2.JPG"));
  // IMG_2's page: previous is the new IMG_1 (the photo page walks the same kept order).
  json img2;
  const json doc = json::parse(http_get(port, "/api/event/" + id).body);
  for (const json& p : doc["photos"])
    if (p["name"] == "IMG_2.JPG") img2 = p;
  ASSERT_TRUE(img2.is_object());
  json photo = json::parse(http_get(port, "/api/photo/" + img2["digest"].get<std::string>()).body);
  EXPECT_FALSE(photo["prev_url"].is_null());

  // Another process corrects the event's title: the kept body is stale, the next request shows the new title.
  EXPECT_NE(after.find("2021-01-05 Lũ Quảng Bình"), std::string::npos);
  testing::CommandResult fix = testing::run_kho(
      {"--archive", archive, "event", id, "--title", "Lũ <b>Quảng Bình</b>, đã sửa", "--user", "lan"});
  ASSERT_EQ(fix.exit_code, 0) << fix.err << fix.out;
  const std::string corrected = http_get(port, page_url).body;
  EXPECT_NE(corrected.find("<h1>Lũ &lt;b&gt;Quảng Bình&lt;/b&gt;, đã sửa</h1>"), std::string::npos) << corrected;

  server->stop();
  run.join();
}

}  // namespace
}  // namespace kho::webtest
