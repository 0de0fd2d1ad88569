// Photos carried by articles: saved-page folders and .docx media (embedded_photos.h).
#include "embedded_photos.h"

#include <zip.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "kho/ingest/article_parser.h"

namespace kho::ingest::detail {
namespace {

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string parent(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

bool is_image_part(std::string_view part) {
  if (part.rfind("word/media/", 0) != 0) return false;
  std::string ext(part.substr(part.rfind('.') == std::string_view::npos ? part.size() : part.rfind('.') + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == "jpg" || ext == "jpeg" || ext == "png" || ext == "gif" || ext == "webp" || ext == "tif" ||
         ext == "tiff" || ext == "heic";
}

// The image parts of a .docx with their expanded sizes, in part-name order.
std::vector<std::pair<std::string, std::uint64_t>> docx_media(const std::string& path) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z) return out;
  const zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n && i < 100000; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) continue;
    if (!is_image_part(st.name)) continue;
    out.emplace_back(st.name, (st.valid & ZIP_STAT_SIZE) ? st.size : 0);
  }
  zip_discard(z);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    // image2 before image10: by length, then by name.
    return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
  });
  return out;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> split_embedded_path(const std::string& path) {
  const std::size_t hash = path.find(".docx#");
  if (hash == std::string::npos) return std::nullopt;
  return std::make_pair(path.substr(0, hash + 5), path.substr(hash + 6));
}

void add_article_photos(std::map<std::string, EventFolder>& folders) {
  // Saved pages' folders fold into the page's event.
  for (auto it = folders.begin(); it != folders.end();) {
    const std::string_view name = base_name(it->first);
    std::string stem;
    if (name.size() > 6 && name.substr(name.size() - 6) == "_files")
      stem = std::string(name.substr(0, name.size() - 6));
    if (name.size() > 6 && name.substr(name.size() - 6) == ".files")
      stem = std::string(name.substr(0, name.size() - 6));
    auto up = stem.empty() ? folders.end() : folders.find(parent(it->first));
    bool page_beside = false;
    if (up != folders.end()) {
      for (const ScannedFile& a : up->second.articles) {
        const std::string_view an = base_name(a.path);
        page_beside |= article_format(an) == ArticleFormat::kHtml && an.substr(0, an.rfind('.')) == stem;
      }
    }
    if (!page_beside) {
      ++it;
      continue;
    }
    auto& photos = up->second.photos;
    std::move(it->second.photos.begin(), it->second.photos.end(), std::back_inserter(photos));
    std::move(it->second.articles.begin(), it->second.articles.end(), std::back_inserter(up->second.articles));
    it = folders.erase(it);
  }
  // .docx media become photos of the document's event.
  for (auto& [path, folder] : folders) {
    std::vector<ScannedFile> add;
    for (const ScannedFile& a : folder.articles) {
      if (article_format(a.path) != ArticleFormat::kDocx) continue;
      for (const auto& [part, size] : docx_media(a.path)) {
        ScannedFile f;
        f.path = a.path + "#" + part;
        f.size = size;
        f.mtime_ns = a.mtime_ns;
        f.name_is_utf8 = a.name_is_utf8;
        add.push_back(std::move(f));
      }
    }
    std::move(add.begin(), add.end(), std::back_inserter(folder.photos));
  }
}

bool read_embedded_photo(const std::string& path, std::uint64_t max_bytes, std::vector<std::uint8_t>& out,
                         std::string& reason) {
  const auto split = split_embedded_path(path);
  if (!split) {
    reason = "not an embedded photo path";
    return false;
  }
  std::ifstream in(split->first, std::ios::binary);
  if (!in) {
    reason = "cannot open the document " + split->first;
    return false;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  auto part = read_docx_part(buf.str(), split->second, split->first);
  if (!part.ok()) {
    reason = part.status().message();
    return false;
  }
  if (part->empty()) {
    reason = "zero bytes: an empty part is not an image";
    return false;
  }
  if (part->size() > max_bytes) {
    reason = "too large: " + std::to_string(part->size()) + " bytes (the limit is " + std::to_string(max_bytes) + ")";
    return false;
  }
  out.assign(part->begin(), part->end());
  return true;
}

}  // namespace kho::ingest::detail
