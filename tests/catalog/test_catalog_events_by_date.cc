// The events_by_date index (core/FORMAT.md): its order is events_newest_first's, put_event keeps it in step
// when an event's date or title changes, date prefixes filter it, an archive from before it gets it once on
// a read-write open, and kho verify names entries that are missing or stale.
#include <gtest/gtest.h>

#include "kho/catalog.h"
#include "test_support.h"

namespace kho {
namespace {
using testing::TempDir;

Event make_event(const std::string& name, std::optional<std::string> date, std::string title = "") {
  Event ev;
  ev.folder = "/ev/" + name;
  ev.id = event_id_for_folder(ev.folder);
  ev.title = title.empty() ? name : title;
  ev.date = std::move(date);
  return ev;
}

std::vector<std::string> titles(const Result<std::vector<Event>>& evs) {
  std::vector<std::string> out;
  if (evs.ok())
    for (const Event& e : *evs) out.push_back(e.title);
  return out;
}

class EventsByDate : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cat = Catalog::open((dir_ / "archive").string());
    ASSERT_TRUE(cat.ok()) << cat.status().to_string();
    cat_ = std::move(*cat);
    WriteBatch b;
    b.put_event(make_event("a", "2021-01-05"));
    b.put_event(make_event("b", "2021-01-05T10:30:00+07:00"));  // same day, later: newer
    b.put_event(make_event("c", "2020-12-31"));
    b.put_event(make_event("d", std::nullopt));
    b.put_event(make_event("e", "2021-03-01", "Z"));
    b.put_event(make_event("f", "2021-03-01", "M"));  // same date: by title
    b.put_event(make_event("g", "2019-07-14"));
    ASSERT_TRUE(cat_->write(b).ok());
  }
  std::unique_ptr<Snapshot> snap() {
    auto s = cat_->snapshot();
    EXPECT_TRUE(s.ok());
    return std::move(*s);
  }
  TempDir dir_;
  std::unique_ptr<Catalog> cat_;
};

TEST_F(EventsByDate, OrderIsNewestFirstThenTitleThenUndated) {
  auto s = snap();
  EXPECT_EQ(titles(s->events_newest_first(0, 100)), (std::vector<std::string>{"M", "Z", "b", "a", "c", "g", "d"}));
  EXPECT_EQ(titles(s->events_newest_first(2, 3)), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_TRUE(s->events_newest_first(50, 10)->empty());
  std::uint64_t total = 0;
  EXPECT_EQ(titles(s->events_by_date("", 6, 5, &total)), (std::vector<std::string>{"d"}));
  EXPECT_EQ(total, 7u);
  auto entry = s->raw_get(db::kEventsByDate, event_date_key(make_event("c", "2020-12-31")));
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(*entry, make_event("c", {}).id);
}

TEST_F(EventsByDate, DatePrefixesFilterAndListYearsAndMonths) {
  auto s = snap();
  std::uint64_t total = 0;
  EXPECT_EQ(titles(s->events_by_date("2021", 0, 10, &total)), (std::vector<std::string>{"M", "Z", "b", "a"}));
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(titles(s->events_by_date("2021-01", 1, 10, &total)), (std::vector<std::string>{"a"}));
  EXPECT_EQ(total, 2u);
  EXPECT_TRUE(s->events_by_date("2018", 0, 10, &total)->empty());
  EXPECT_EQ(total, 0u);
  EXPECT_EQ(*s->event_date_prefixes("", 4), (std::vector<std::string>{"2021", "2020", "2019"}));
  EXPECT_EQ(*s->event_date_prefixes("2021", 7), (std::vector<std::string>{"2021-03", "2021-01"}));
  EXPECT_TRUE(s->event_date_prefixes("2018", 7)->empty());
}

TEST_F(EventsByDate, PutEventMovesItsEntryWhenDateOrTitleChange) {
  Event g = make_event("g", "2022-02-02", "G renamed");
  WriteBatch b;
  b.put_event(g);
  ASSERT_TRUE(cat_->write(b).ok());
  auto s = snap();
  EXPECT_EQ(titles(s->events_newest_first(0, 1)), (std::vector<std::string>{"G renamed"}));
  EXPECT_EQ(*s->event_count(), 7u);
  std::size_t entries = 0;
  ASSERT_TRUE(s->raw_scan(db::kEventsByDate, {}, [&](std::string_view, std::string_view) {
                 ++entries;
                 return ScanStep::Continue();
               }).ok());
  EXPECT_EQ(entries, 7u);  // the old entry is gone
  s.reset();
  auto report = verify_catalog(*cat_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
}

TEST_F(EventsByDate, AnOldArchiveGetsTheIndexOnItsFirstReadWriteOpen) {
  // Make the archive look like one from before the index: no entries, no meta flag.
  WriteBatch b;
  b.raw_delete_prefix(db::kEventsByDate, "");
  b.raw_delete(db::kMeta, std::string(kEventsByDateBuilt));
  ASSERT_TRUE(cat_->write(b).ok());
  cat_.reset();
  {  // read-only: no index, the events are sorted in memory, in the same order
    auto ro = Catalog::open((dir_ / "archive").string(), CatalogOptions{.read_only = true});
    ASSERT_TRUE(ro.ok());
    auto s = (*ro)->snapshot();
    EXPECT_FALSE((*s)->meta(kEventsByDateBuilt).ok());
    EXPECT_EQ(titles((*s)->events_newest_first(0, 100)), (std::vector<std::string>{"M", "Z", "b", "a", "c", "g", "d"}));
    std::uint64_t total = 0;
    EXPECT_EQ(titles((*s)->events_by_date("2021-01", 0, 10, &total)), (std::vector<std::string>{"b", "a"}));
    EXPECT_EQ(*(*s)->event_date_prefixes("", 4), (std::vector<std::string>{"2021", "2020", "2019"}));
  }
  auto rw = Catalog::open((dir_ / "archive").string());
  ASSERT_TRUE(rw.ok());
  {
    auto s = (*rw)->snapshot();
    auto built = (*s)->meta(kEventsByDateBuilt);
    ASSERT_TRUE(built.ok());
    EXPECT_EQ(*built, "1");
    EXPECT_EQ(titles((*s)->events_newest_first(0, 100)), (std::vector<std::string>{"M", "Z", "b", "a", "c", "g", "d"}));
  }
  auto report = verify_catalog(**rw);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problems.empty());
}

TEST_F(EventsByDate, VerifyNamesMissingAndStaleEntries) {
  Event a = make_event("a", "2021-01-05");
  WriteBatch b;
  b.raw_delete(db::kEventsByDate, event_date_key(a));
  b.raw_put(db::kEventsByDate, event_date_key(make_event("zz", "2001-01-01")), "ffffffffffffffff");
  ASSERT_TRUE(cat_->write(b).ok());
  auto report = verify_catalog(*cat_);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->problems.size(), 2u);
  std::string all = report->problems[0] + "\n" + report->problems[1];
  EXPECT_NE(all.find("events_by_date: event " + a.id + " is missing"), std::string::npos) << all;
  EXPECT_NE(all.find("names no event"), std::string::npos) << all;
}

TEST_F(EventsByDate, VersionGrowsWithEveryCommitOnly) {
  const std::uint64_t before = snap()->version();
  EXPECT_EQ(snap()->version(), before);  // no write in between: the same archive
  WriteBatch b;
  b.put_event(make_event("h", "2023-01-01"));
  ASSERT_TRUE(cat_->write(b).ok());
  EXPECT_GT(snap()->version(), before);
}

}  // namespace
}  // namespace kho
