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

// ---- near-misses (issue 16) ----

std::vector<std::string> names_of(const std::vector<kho::NearMiss>& misses) {
  std::vector<std::string> out;
  for (const auto& m : misses) out.push_back(m.path);
  return out;
}

TEST(LinkerNearMisses, ATieKeepsBothFilesWithTheStageThatMatched) {
  const auto r = link_article_files(article_with({"tham ho.jpg"}), {"thâm hổ.jpg", "thăm hồ.jpg", "notes.txt"});
  ASSERT_EQ(r.links[0].method, LinkMethod::kUnresolved);
  const auto& m = r.links[0].near_misses;
  ASSERT_EQ(m.size(), 2u) << "non-images are never candidates";
  EXPECT_EQ(names_of(m), (std::vector<std::string>{"thâm hổ.jpg", "thăm hồ.jpg"})) << "equal distance: by name";
  for (const auto& x : m) {
    EXPECT_EQ(x.reason, NearMissReason::kTie) << x.path;
    EXPECT_EQ(x.method, LinkMethod::kSearchKey) << x.path;
    EXPECT_EQ(x.distance, 0u);
  }
}

TEST(LinkerNearMisses, AFileTakenByAnotherReferenceSaysWhich) {
  const auto r = link_article_files(article_with({"thăm hồ.jpg", "tham ho.jpg"}), {"thăm hồ.jpg"});
  EXPECT_EQ(r.links[0].method, LinkMethod::kExact);
  EXPECT_TRUE(r.links[0].near_misses.empty()) << "a sure link keeps no near-misses";
  ASSERT_EQ(r.links[1].method, LinkMethod::kUnresolved);
  ASSERT_EQ(r.links[1].near_misses.size(), 1u);
  const auto& m = r.links[1].near_misses[0];
  EXPECT_EQ(m.path, "thăm hồ.jpg");
  EXPECT_EQ(m.reason, NearMissReason::kTaken);
  EXPECT_EQ(m.taken_by, 0u);
  EXPECT_EQ(m.method, LinkMethod::kSearchKey);
}

TEST(LinkerNearMisses, AnotherNumberTooFarAndAnotherTypeAreToldApart) {
  const kho::Article article = article_with(
      {"tham phòng truyền thống 1.jpg", "hội nghị tổng kết.jpg", "toàn cảnh hội trường.jpg"});
  const std::vector<std::string> folder = {"tham phòng truyền thống 2.jpg", "phòng truyền thống 3.jpg",
                                           "hội chợ tổng kết.jpg", "toàn cảnh hội trường.png"};
  const auto r = link_article_files(article, folder);
  for (const auto& l : r.links) ASSERT_EQ(l.method, LinkMethod::kUnresolved) << l.ref;
  const auto& a = r.links[0].near_misses;
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].path, "tham phòng truyền thống 2.jpg") << "within reach comes first";
  EXPECT_EQ(a[0].reason, NearMissReason::kOtherNumber);
  EXPECT_EQ(a[0].method, LinkMethod::kFuzzy);
  EXPECT_EQ(a[0].distance, 1u);
  for (std::size_t i = 1; i < a.size(); ++i) {
    EXPECT_EQ(a[i].reason, NearMissReason::kTooFar) << a[i].path;
    EXPECT_LE(a[i - 1].distance, a[i].distance) << "by distance within a tier";
  }
  const auto& b = r.links[1].near_misses;
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b[0].path, "hội chợ tổng kết.jpg");
  EXPECT_EQ(b[0].reason, NearMissReason::kTooFar);
  EXPECT_EQ(b[0].distance, 3u);
  const auto& c = r.links[2].near_misses;
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].path, "toàn cảnh hội trường.png");
  EXPECT_EQ(c[0].reason, NearMissReason::kOtherType);
  EXPECT_EQ(c[0].distance, 0u);
}

TEST(LinkerNearMisses, AtMostFourBestFirstAndTheSameEveryTime) {
  std::vector<std::string> folder;
  for (int i = 0; i < 30; ++i) folder.push_back("ảnh số " + std::to_string(100 + i) + " ở hội trường.jpg");
  folder.push_back("cắt băng khai mạc triển lãm.jpg");
  std::shuffle(folder.begin(), folder.end(), std::mt19937(7));
  const kho::Article article = article_with({"cắt băng khai mạc.jpg"});
  const auto r = link_article_files(article, folder);
  ASSERT_EQ(r.links[0].method, LinkMethod::kUnresolved);
  ASSERT_EQ(r.links[0].near_misses.size(), 4u);
  EXPECT_EQ(r.links[0].near_misses[0].path, "cắt băng khai mạc triển lãm.jpg") << "the closest name first";
  std::shuffle(folder.begin(), folder.end(), std::mt19937(8));
  EXPECT_EQ(link_article_files(article, folder).links[0].near_misses, r.links[0].near_misses)
      << "the order of the folder listing does not matter: a re-ingest writes the same record";
}

TEST(LinkerNearMisses, ALowConfidenceLinkKeepsOnlyItsCloseAlternatives) {
  // "thongg" is one letter from both "thong" files: fuzzy picks neither (a tie at the best distance)...
  auto r = link_article_files(article_with({"phong truyen thongg.jpg"}),
                              {"phòng truyền thống.jpg", "phòng truyền thông.jpg", "hậu trường.jpg"});
  ASSERT_EQ(r.links[0].method, LinkMethod::kUnresolved);
  ASSERT_EQ(r.links[0].near_misses.size(), 3u);
  EXPECT_EQ(r.links[0].near_misses[0].reason, NearMissReason::kTie);
  EXPECT_EQ(r.links[0].near_misses[1].reason, NearMissReason::kTie);
  EXPECT_EQ(r.links[0].near_misses[2].reason, NearMissReason::kTooFar);
  // ...while with one of them alone it links (fuzzy, low confidence) and keeps the close alternative only.
  r = link_article_files(article_with({"phong truyen thongg.jpg"}),
                         {"phòng truyền thống.jpg", "phòng truyền thống 2.jpg", "hậu trường.jpg"});
  ASSERT_EQ(r.links[0].method, LinkMethod::kFuzzy);
  EXPECT_LT(r.links[0].confidence, 0.9f);
  ASSERT_EQ(r.links[0].near_misses.size(), 1u) << "the far file is no alternative";
  EXPECT_EQ(r.links[0].near_misses[0].path, "phòng truyền thống 2.jpg");
  EXPECT_EQ(r.links[0].near_misses[0].reason, NearMissReason::kOtherNumber);
}

}  // namespace
}  // namespace kho::ingest
