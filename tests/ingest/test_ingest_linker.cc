// The linker: each stage, one-to-one claims, references that must stay unresolved, orphans.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "kho/ingest/article_parser.h"
#include "kho/ingest/linker.h"
#include "kho/text.h"
#include "test_support.h"

namespace kho::ingest {
namespace {

kho::Article article_with(const std::vector<std::string>& refs) {
  kho::Article a;
  a.id = "0123456789abcdef";
  a.title = "Bài";
  for (const auto& r : refs) {
    kho::PhotoRef p;
    p.ref = r;
    p.caption = "Chú thích " + r;
    a.refs.push_back(p);
  }
  return a;
}

struct Expect {
  std::string ref, file;
  LinkMethod method;
};

void expect_single(const Expect& e) {
  const auto links = link_article(article_with({e.ref}), {"unrelated.jpg", e.file, "notes.txt"});
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].path, e.file) << e.ref;
  EXPECT_EQ(links[0].method, e.method) << e.ref << " → " << kho::link_method_name(links[0].method);
}

TEST(Linker, EachStage) {
  expect_single({"ảnh 1.jpg", "ảnh 1.jpg", LinkMethod::kExact});
  expect_single({"ảnh 1.jpg", kho::to_nfd("ảnh 1.jpg"), LinkMethod::kNfc});
  expect_single({"ảnh 1.jpg", "ẢNH 1.JPG", LinkMethod::kCaseFolded});
  expect_single({"ảnh 1.jpg", "Ảnh 1.jpeg", LinkMethod::kCaseFolded});
  expect_single({"thành uỷ hoà bình.jpg", "thành ủy hòa bình.jpg", LinkMethod::kCompareKey});
  expect_single({"tặng sơn la tranh.jpg", "tang son la tranh.jpg", LinkMethod::kSearchKey});
  expect_single({"toanf cảnh sơn la làm việc tại điện biên.jpg",
                 "toàn cảnh sơn la làm việc tại điện biên.jpg", LinkMethod::kTelex});
  expect_single({"phòng truyền thống thành uỷ.jpg", "phong truyen thon thanh uy.jpg", LinkMethod::kFuzzy});
}

TEST(Linker, LinkCarriesRefCaptionPositionAndConfidence) {
  const auto links = link_article(article_with({"a.jpg", "b.jpg"}), {"b.jpg"});
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].position, 0u);
  EXPECT_EQ(links[1].position, 1u);
  EXPECT_EQ(links[0].method, LinkMethod::kUnresolved);
  EXPECT_TRUE(links[0].path.empty());
  EXPECT_EQ(links[0].confidence, 0.0f);
  EXPECT_EQ(links[1].ref, "b.jpg");
  EXPECT_EQ(links[1].caption.value_or(""), "Chú thích b.jpg");
  EXPECT_EQ(links[1].article_id, "0123456789abcdef");
  EXPECT_EQ(links[1].confidence, 1.0f);
  EXPECT_FALSE(links[1].digest);
}

// The seed's trap: two names that fold to the same key. Each exact match claims its own file first.
TEST(Linker, OneToOneTrapNeverSwapsOrMerges) {
  const std::vector<std::string> refs = {"thăm bộ phân một cửa.jpg", "tham bộ phận một cửa.jpg"};
  const std::vector<std::string> files = {"tham bộ phận một cửa.jpg", "thăm bộ phân một cửa.jpg"};
  const auto links = link_article(article_with(refs), files);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].path, "thăm bộ phân một cửa.jpg");
  EXPECT_EQ(links[1].path, "tham bộ phận một cửa.jpg");
  EXPECT_EQ(links[0].method, LinkMethod::kExact);
  EXPECT_EQ(links[1].method, LinkMethod::kExact);
}

TEST(Linker, StrongerMatchClaimsFirstEvenWhenListedLater) {
  // Ref 0 only matches by diacritics; ref 1 matches exactly. Ref 1 must get its file, ref 0 the other.
  const auto links =
      link_article(article_with({"tham ho.jpg", "thăm hồ.jpg"}), {"thăm hồ.jpg", "thâm hổ.jpg"});
  EXPECT_EQ(links[1].path, "thăm hồ.jpg");
  EXPECT_EQ(links[1].method, LinkMethod::kExact);
  EXPECT_EQ(links[0].path, "thâm hổ.jpg");
  EXPECT_EQ(links[0].method, LinkMethod::kSearchKey);
}

TEST(Linker, TieAtOneStageStaysUnresolved) {
  // Both files fold to "tham ho" and neither is closer to the reference: do not guess.
  const auto r = link_article_files(article_with({"tham ho.jpg"}), {"thăm hồ.jpg", "thâm hổ.jpg"});
  EXPECT_EQ(r.links[0].method, LinkMethod::kUnresolved);
  EXPECT_EQ(r.unclaimed.size(), 2u);
}

TEST(Linker, MissingPhotoStaysUnresolvedRatherThanTakeAWrongFile) {
  const kho::Article article = article_with({"tham phòng truyền thống 1.jpg", "hội nghị tổng kết.jpg"});
  const std::vector<std::string> folder = {"tham phòng truyền thống 2.jpg", "phòng truyền thống 3.jpg",
                                           "hội chợ tổng kết.jpg", "DSC_0001.JPG"};
  const auto r = link_article_files(article, folder);
  EXPECT_EQ(r.links[0].method, LinkMethod::kUnresolved);  // another number is another photo
  EXPECT_EQ(r.links[1].method, LinkMethod::kUnresolved);  // "nghị" vs "chợ": too far for its length
  EXPECT_EQ(r.unclaimed.size(), 4u);
}

TEST(Linker, ShortNamesAreNeverFuzzy) {
  const auto links = link_article(article_with({"a1.jpg", "anh.jpg"}), {"a2.jpg", "ahn.jpg"});
  EXPECT_EQ(links[0].method, LinkMethod::kUnresolved);
  EXPECT_EQ(links[1].method, LinkMethod::kUnresolved);
}

TEST(Linker, FuzzyNeedsAUniqueBest) {
  const auto links = link_article(article_with({"toan canh hoi nghi.jpg"}),
                                  {"toan canh hoi nghe.jpg", "toan canh hoi nghj.jpg"});
  EXPECT_EQ(links[0].method, LinkMethod::kUnresolved);
}

TEST(Linker, NonUtf8AndNonImageNames) {
  const std::string latin1 = "Th\xE0nh ph\xF4.jpg";  // not UTF-8
  const auto r = link_article_files(article_with({"ảnh.jpg"}), {latin1, "ảnh.jpg", "bài viết.txt"});
  EXPECT_EQ(r.links[0].path, "ảnh.jpg");
  ASSERT_EQ(r.unclaimed.size(), 1u);  // the .txt is not an image and is never an orphan
  EXPECT_EQ(r.unclaimed[0], latin1);
}

TEST(Linker, ContestedKeyGoesToTheCloserName) {
  // Both references fold to the file's key; the one written closer to the file's name gets it.
  const auto links = link_article(article_with({"ẢNH HỒ.jpg", "Ảnh hồ.jpg"}), {"ảnh hồ.JPG"});
  EXPECT_EQ(links[0].method, LinkMethod::kUnresolved);
  EXPECT_EQ(links[1].path, "ảnh hồ.JPG");
  EXPECT_EQ(links[1].method, LinkMethod::kCaseFolded);
}

TEST(Linker, SameReferenceTwiceIsATieNotAGuess) {
  const auto links = link_article(article_with({"a.jpg", "a.jpg"}), {"a.jpg"});
  const int resolved =
      (links[0].method != LinkMethod::kUnresolved) + (links[1].method != LinkMethod::kUnresolved);
  EXPECT_EQ(resolved, 0);  // a tie: neither copy of the reference can claim the one file over the other
}

// Random names (Vietnamese syllables, case, NFD, hostile bytes): one link per reference, no file given
// twice, and every image name is either claimed or listed as unclaimed.
TEST(Linker, InvariantsOnRandomNames) {
  const std::vector<std::string> parts = {"thăm", "tham", "thâm", "phòng", "phong", "Hòa",  "hoà",  "toanf",
                                          "toàn", "1",    "2",    "\xFF",  " ",     "ĐIỆN", "điện", "x"};
  const std::vector<std::string> exts = {".jpg", ".JPG", ".jpeg", ".png", ".txt"};
  std::mt19937 rng(42);
  auto random_name = [&] {
    std::string n;
    const int words = 1 + static_cast<int>(rng() % 4);
    for (int w = 0; w < words; ++w) n += (w ? " " : "") + parts[rng() % parts.size()];
    if (rng() % 4 == 0) n = kho::to_nfd(n);
    return n + exts[rng() % exts.size()];
  };
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> refs(rng() % 8), files(rng() % 12);
    for (auto& r : refs) r = random_name();
    for (auto& f : files) f = random_name();
    const LinkResult r = link_article_files(article_with(refs), files);
    ASSERT_EQ(r.links.size(), refs.size());
    std::vector<std::string> claimed;
    for (std::size_t i = 0; i < r.links.size(); ++i) {
      EXPECT_EQ(r.links[i].position, i);
      EXPECT_EQ(r.links[i].path.empty(), r.links[i].method == LinkMethod::kUnresolved);
      if (!r.links[i].path.empty()) claimed.push_back(r.links[i].path);
    }
    std::size_t images = 0;
    for (const auto& f : files) images += f.size() < 4 || f.substr(f.size() - 4) != ".txt";
    EXPECT_EQ(claimed.size() + r.unclaimed.size(), images);
    for (const auto& c : claimed) {  // one-to-one: never more claims on a name than files with it
      EXPECT_LE(std::count(claimed.begin(), claimed.end(), c), std::count(files.begin(), files.end(), c))
          << c;
    }
  }
}

// The seed against a folder named the way the samples/ event is: NFD, no diacritics, the Telex slip,
// both trap names, one photo missing on purpose, one orphan.
TEST(Linker, SeedAgainstItsEventFolder) {
  auto parsed =
      parse_article_file((kho::testing::test_data_dir() / "articles" / "seed_thanh_hoa.txt").string());
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->articles.size(), 1u);
  const std::vector<std::string> files = {
      kho::to_nfd("ảnh anh xuân tiếp và làm việc với sơn la.jpg"),
      "toàn cảnh sơn la làm việc tại điện biên.jpg",
      "tang son la tranh.jpg",
      "thăm bộ phân một cửa.jpg",
      "tham bộ phận một cửa.jpg",
      "Phòng truyền thống 2.JPG",
      "thăm phòng truyền thống.jpg",
      "IMG_0042.jpg",
      "article.txt",
  };
  const FolderLinks fl = link_folder(parsed->articles, files);
  ASSERT_EQ(fl.links.size(), 1u);
  const auto& links = fl.links[0];
  ASSERT_EQ(links.size(), 8u);
  const LinkMethod want[] = {LinkMethod::kNfc,   LinkMethod::kTelex,     LinkMethod::kSearchKey,
                             LinkMethod::kExact, LinkMethod::kExact,     LinkMethod::kCaseFolded,
                             LinkMethod::kExact, LinkMethod::kUnresolved};
  const int file_of[] = {0, 1, 2, 3, 4, 5, 6, -1};
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(links[i].method, want[i]) << i << ": " << kho::link_method_name(links[i].method);
    EXPECT_EQ(links[i].path, file_of[i] < 0 ? std::string() : files[static_cast<std::size_t>(file_of[i])])
        << i;
  }
  EXPECT_EQ(fl.orphans, std::vector<std::string>{"IMG_0042.jpg"});
}

}  // namespace
}  // namespace kho::ingest
