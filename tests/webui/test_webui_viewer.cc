// The viewer's and duplicate review's fields of the JSON documents (issue 15): captions apart from group
// captions, credits, previous/next in the event, the copies side by side with what differs and why the best
// copy is the best, in words. Over a small catalog written with WriteBatch and a scripted duplicate verifier.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "kho/dups.h"
#include "kho/team.h"
#include "kho/webui/api.h"
#include "test_support.h"
#include "tests/catalog/catalog_fixtures.h"
#include "web_fixture.h"

namespace kho {
namespace {

using json = nlohmann::json;

// Photos are copies when their grid thumbnails start with the same letter.
class SceneVerifier final : public PairVerifier {
 public:
  Result<PairVerdict> verify(const Photo&, std::string_view a, const Photo&, std::string_view b) const override {
    const bool same = !a.empty() && !b.empty() && a[0] == b[0];
    return PairVerdict{same, same ? 1.0f : 0.0f, same ? "same scene" : "other scene"};
  }
};

using kho::testing::digest_of;

constexpr const char* kEvent = "00000000000000e1";
constexpr const char* kOwn = "Lãnh đạo tỉnh tặng tranh Làng cổ Đông Sơn";
constexpr const char* kGroup = "Một số hình ảnh của chuyến thăm:";
constexpr const char* kCredit = "Minh Anh";  // stored without the "Ảnh:" the article wrote

class ViewerFields : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Catalog::open((dir_.path() / "archive").string());
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    catalog_ = std::move(*c);
    WriteBatch b;
    // 1: the original (1600 × 1066); 2: a smaller, recompressed copy of it; 3: another picture.
    struct Spec {
      int n;
      const char* name;
      std::uint32_t w, h;
      std::uint64_t size;
      std::uint64_t phash;
      char scene;
    };
    for (const Spec& s : {Spec{1, "a_goc.jpg", 1600, 1066, 400000, 0xF0F0F0F0ull, 'a'},
                          Spec{2, "b_ban_sao.jpg", 1024, 682, 120000, 0xF0F0F0F0ull ^ 0x3, 'a'},
                          Spec{3, "c_khac.jpg", 800, 600, 90000, ~0xF0F0F0F0ull, 'c'}}) {
      Photo p;
      p.digest = digest_of(s.n);
      p.width = s.w;
      p.height = s.h;
      p.size = s.size;
      p.first_path = std::string("/arch/2020-11-18 Sơn La/") + s.name;
      p.sig.phash = s.phash;
      p.has_signatures = true;
      p.has_thumbs = true;
      p.meta.format = "jpeg";
      p.meta.make = "Canon";
      p.meta.model = "Canon EOS 80D";
      if (s.n == 1) p.meta.datetime_original = "2020-11-18T10:03:14";
      b.put_photo(p);
      b.put_thumb(p.digest, ThumbSize::kGrid, std::string(1, s.scene) + "jpeg");
      File f;
      f.path = p.first_path;
      f.digest = p.digest;
      f.size = s.size;
      f.mtime_ns = 1000000000LL * (1600000000 + 86400LL * s.n);  // a day apart
      f.event_id = kEvent;
      b.put_file(f);
    }
    Article art;
    art.id = "00000000000000a1";
    art.title = "Sơn La thăm Thanh Hóa";
    art.date = "2020-11-18T08:00:00";
    art.event_id = kEvent;
    art.refs = {PhotoRef{"a_goc.jpg", kOwn, {}, kCredit}, PhotoRef{"b_ban_sao.jpg", {}, kGroup, {}},
                PhotoRef{"c_khac.jpg", {}, kGroup, {}}};
    art.blocks = {{ArticleBlock::Kind::kPhoto, "", 0},
                  {ArticleBlock::Kind::kGroupCaption, kGroup, 0},
                  {ArticleBlock::Kind::kPhoto, "", 1},
                  {ArticleBlock::Kind::kPhoto, "", 2}};
    b.put_article(art);
    std::vector<Link> links(3);
    for (std::uint32_t i = 0; i < 3; ++i) {
      links[i].article_id = art.id;
      links[i].position = i;
      links[i].ref = art.refs[i].ref;
      links[i].caption = art.refs[i].caption;
      links[i].group_caption = art.refs[i].group_caption;
      links[i].digest = digest_of(static_cast<int>(i) + 1);
      links[i].path = std::string("/arch/2020-11-18 Sơn La/") + art.refs[i].ref;
      links[i].method = LinkMethod::kExact;
      links[i].confidence = 1;
    }
    b.put_links(art.id, links);
    Event ev;
    ev.id = kEvent;
    ev.folder = "/arch/2020-11-18 Sơn La";
    ev.title = art.title;
    ev.date = art.date;
    ev.article_ids = {art.id};
    ev.photo_count = 3;
    b.put_event(ev);
    ASSERT_TRUE(catalog_->write(b).ok());
    SceneVerifier verifier;
    ASSERT_TRUE(update_duplicates(*catalog_, verifier, DupOptions{}).ok());
  }

  json get(const std::function<Result<std::string>(const Snapshot&)>& fn) { return webtest::view_json(*catalog_, fn); }
  json photo(int n) {
    return get([&](const Snapshot& s) { return web::api_photo(s, digest_of(n).hex()); });
  }

  testing::TempDir dir_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(ViewerFields, PhotoPageKeepsOwnCaptionGroupCaptionAndCreditApart) {
  json a = photo(1);
  EXPECT_EQ(a["own_caption"], kOwn);
  EXPECT_TRUE(a["group_caption"].is_null());
  EXPECT_EQ(a["credit"], kCredit);
  EXPECT_EQ(a["links"][0]["credit"], kCredit);
  EXPECT_EQ(a["copy_text"], std::string(kOwn) + "\nẢnh: " + kCredit);
  EXPECT_EQ(a["download"], "/photo/" + digest_of(1).hex() + "/download");
  EXPECT_EQ(a["camera"], "Canon EOS 80D");  // the make once
  EXPECT_EQ(a["taken_display"], "18/11/2020 10:03");

  json b = photo(2);  // only a group caption: shown as the group's, never as its own
  EXPECT_TRUE(b["own_caption"].is_null());
  EXPECT_EQ(b["group_caption"], kGroup);
  EXPECT_EQ(b["caption"], kGroup);  // the existing field (alt text) still describes it
  EXPECT_TRUE(b["credit"].is_null());
  EXPECT_EQ(b["copy_text"], kGroup);
}

// A credit a person corrected (`kho caption PHOTO … --credit C`) is the one every view shows.
TEST_F(ViewerFields, CorrectedCreditWinsEverywhere) {
  Correction c;
  c.user = "bientap";
  c.kind = TargetKind::kPhoto;
  c.target = digest_of(1).hex();
  c.field = "credit";
  c.old_value = kCredit;
  c.new_value = "Hoàng Long/TTXVN";
  ASSERT_TRUE(record_correction(*catalog_, c).ok());
  json a = photo(1);
  EXPECT_EQ(a["credit"], "Hoàng Long/TTXVN");
  EXPECT_EQ(a["links"][0]["credit"], "Hoàng Long/TTXVN");
  EXPECT_EQ(a["copy_text"], std::string(kOwn) + "\nẢnh: Hoàng Long/TTXVN");
  json ev = get([](const Snapshot& s) { return web::api_event(s, kEvent); });
  bool seen = false;
  for (const json& p : ev["photos"])
    if (p["digest"] == digest_of(1).hex()) seen = p["credit"] == "Hoàng Long/TTXVN";
  EXPECT_TRUE(seen);
}

TEST_F(ViewerFields, PreviousAndNextFollowTheEventOrder) {
  json ev = get([](const Snapshot& s) { return web::api_event(s, kEvent); });
  ASSERT_EQ(ev["photos"].size(), 3u);
  std::vector<std::string> order;
  for (const json& p : ev["photos"]) order.push_back(p["digest"]);
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto snap = catalog_->snapshot();
    ASSERT_TRUE(snap.ok());
    json p = json::parse(*web::api_photo(**snap, order[i]));
    EXPECT_EQ(p["position"], std::to_string(i + 1) + " / 3");
    if (i == 0) EXPECT_TRUE(p["prev_url"].is_null());
    else EXPECT_EQ(p["prev_url"], "/photo/" + order[i - 1]);
    if (i + 1 == order.size()) EXPECT_TRUE(p["next_url"].is_null());
    else EXPECT_EQ(p["next_url"], "/photo/" + order[i + 1]);
  }
}

TEST_F(ViewerFields, EventGridItemsCarryWhatTheViewerShows) {
  json ev = get([](const Snapshot& s) { return web::api_event(s, kEvent); });
  std::map<std::string, json> by_digest;
  for (const json& p : ev["photos"]) by_digest[p["digest"]] = p;
  const json& a = by_digest[digest_of(1).hex()];
  EXPECT_EQ(a["own_caption"], kOwn);
  EXPECT_EQ(a["credit"], kCredit);
  EXPECT_EQ(a["zoom"], "/original/" + digest_of(1).hex());  // a JPEG: 100% is the original's pixels
  EXPECT_EQ(a["original"], "/original/" + digest_of(1).hex());
  EXPECT_EQ(a["download"], "/photo/" + digest_of(1).hex() + "/download");
  EXPECT_EQ(a["taken_display"], "18/11/2020 10:03");
  const json& c = by_digest[digest_of(3).hex()];
  EXPECT_TRUE(c["own_caption"].is_null());
  EXPECT_EQ(c["group_caption"], kGroup);
}

TEST_F(ViewerFields, DuplicateReviewSaysWhyAndWhatDiffers) {
  json d = get([](const Snapshot& s) { return web::api_dups(s, 1, 30); });
  ASSERT_EQ(d["clusters"].size(), 1u);
  const json& c = d["clusters"][0];
  EXPECT_EQ(c["kind"], "near");  // DESIGN.md §5's fields stay
  EXPECT_EQ(c["best_reason"], "pixels");
  EXPECT_NE(c["best_reason_text"].get<std::string>().find("nhiều điểm ảnh nhất (1600 × 1066)"), std::string::npos)
      << c["best_reason_text"];
  ASSERT_EQ(c["photos"].size(), 2u);
  EXPECT_EQ(c["photos"][0]["digest"], digest_of(1).hex());
  EXPECT_TRUE(c["photos"][0]["best"]);
  EXPECT_EQ(c["photos"][0]["differences"].size(), 0u);
  const json& copy = c["photos"][1];
  EXPECT_EQ(copy["likeness"], "Gần giống: đã đổi cỡ / nén lại");
  for (const char* key : {"pixels", "size", "taken", "file_date"})
    EXPECT_NE(std::find(copy["differences"].begin(), copy["differences"].end(), key), copy["differences"].end()) << key;
  EXPECT_FALSE(copy["camera_differs"]);
  EXPECT_FALSE(copy["articles_differs"]);  // both in the same article
  ASSERT_EQ(copy["articles"].size(), 1u);
  EXPECT_EQ(copy["articles"][0]["title"], "Sơn La thăm Thanh Hóa");
  EXPECT_EQ(copy["articles"][0]["url"], std::string("/event/") + kEvent);

  // The photo page holds the same review, itself marked; a photo without copies has none.
  json b = photo(2);
  ASSERT_TRUE(b["review"].is_object());
  EXPECT_EQ(b["review"]["best_reason"], "pixels");
  EXPECT_FALSE(b["review"]["photos"][0]["current"]);
  EXPECT_TRUE(b["review"]["photos"][1]["current"]);
  EXPECT_EQ(b["duplicates"].size(), 1u);  // the existing list stays
  EXPECT_TRUE(photo(3)["review"].is_null());
}

}  // namespace
}  // namespace kho
