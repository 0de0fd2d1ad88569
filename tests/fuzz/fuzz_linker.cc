// Fuzz target: the linker (ingest/src/linker.cc) on fuzzed names, with its invariants asserted: each file is
// linked at most once per article (one-to-one), a linked path is one of the folder's names, unclaimed names
// are images of the folder that no reference took, and the folder's orphans are claimed by no article.
//
// Input: lines; the photo references of the article come first, then a line "--", then the folder's file
// names (raw bytes: NFD, invalid UTF-8, anything; a repeated name is dropped, as a folder holds each name
// once). A second "--" starts a second article's references.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kho/ingest/linker.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    std::size_t nl = s.find('\n');
    out.push_back(s.substr(0, nl));
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

kho::Article make_article(const std::vector<std::string>& refs) {
  kho::Article a;
  a.id = "00000000000000aa";
  a.title = "fuzz";
  for (const std::string& r : refs) {
    kho::PhotoRef ref;
    ref.ref = r;
    a.blocks.push_back({kho::ArticleBlock::Kind::kPhoto, "", static_cast<std::uint32_t>(a.refs.size())});
    a.refs.push_back(ref);
  }
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;  // names, not files: keep the quadratic stages cheap
  std::vector<std::string> refs[2], files;
  std::set<std::string> folder;
  int part = 0;  // 0: first article's refs, 1: files, 2: second article's refs
  for (std::string_view line : split_lines(kho::fuzz::as_text(data, size))) {
    if (line == "--" && part < 2) {
      ++part;
      continue;
    }
    if (part != 1) {
      refs[part == 0 ? 0 : 1].emplace_back(line);
    } else if (folder.insert(std::string(line)).second) {
      files.emplace_back(line);
    }
  }
  std::vector<kho::Article> articles;
  for (const auto& r : refs) articles.push_back(make_article(r));

  std::set<std::string> claimed_by_any;
  for (const kho::Article& a : articles) {
    const kho::ingest::LinkResult result = kho::ingest::link_article_files(a, files);
    FUZZ_CHECK(result.links.size() == a.refs.size());
    std::set<std::string> linked;
    for (const kho::Link& l : result.links) {
      if (l.method == kho::LinkMethod::kUnresolved) {
        FUZZ_CHECK(l.path.empty() && l.confidence == 0);
        continue;
      }
      FUZZ_CHECK(folder.count(l.path) > 0);
      FUZZ_CHECK(l.confidence > 0 && l.confidence <= 1);
      FUZZ_CHECK(linked.insert(l.path).second);  // one-to-one: no file is taken by two references
      claimed_by_any.insert(l.path);
    }
    for (const std::string& u : result.unclaimed) {
      FUZZ_CHECK(folder.count(u) > 0);
      FUZZ_CHECK(linked.count(u) == 0);
    }
  }
  const kho::ingest::FolderLinks folder_links = kho::ingest::link_folder(articles, files);
  FUZZ_CHECK(folder_links.links.size() == articles.size());
  for (const std::string& o : folder_links.orphans) {
    FUZZ_CHECK(folder.count(o) > 0);
    FUZZ_CHECK(claimed_by_any.count(o) == 0);
  }
  return 0;
}
