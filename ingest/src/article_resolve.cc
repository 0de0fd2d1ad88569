// resolve_embedded_ref (kho/ingest/article_parser.h): an HTML or DOCX reference → the local file it names.
#include <sys/stat.h>
#include <string>
#include <string_view>

#include "kho/ingest/article_parser.h"

namespace kho::ingest {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool is_regular_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::string resolve_embedded_ref(const std::string& article_path, std::string_view ref) {
  if (ref.empty()) return {};
  if (article_format(article_path) == ArticleFormat::kDocx) return article_path + "#" + std::string(ref);
  if (article_format(article_path) != ArticleFormat::kHtml) return {};
  const std::size_t slash = article_path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : article_path.substr(0, slash + 1);
  // The URL without its query or fragment.
  std::string_view url = ref.substr(0, ref.find_first_of("?#"));
  const bool absolute = url.find("://") != std::string_view::npos || url.substr(0, 2) == "//";
  if (!absolute && url.substr(0, 5) != "data:" && !url.empty() && url[0] != '/') {
    std::string rel = percent_decode(url);
    if (rel.substr(0, 2) == "./") rel.erase(0, 2);
    // Stay beside the page: no climbing out of its folder.
    if (rel.find("..") == std::string::npos && is_regular_file(dir + rel)) return dir + rel;
  }
  // A saved page keeps its images in "<page name>_files/" (browsers) or "<page name>.files/" under the
  // URL's file name.
  const std::size_t name_at = url.rfind('/');
  const std::string name = percent_decode(name_at == std::string_view::npos ? url : url.substr(name_at + 1));
  if (name.empty() || name.find("..") != std::string::npos) return {};
  std::string stem = slash == std::string::npos ? article_path : article_path.substr(slash + 1);
  const std::size_t dot = stem.rfind('.');
  if (dot != std::string::npos) stem.erase(dot);
  for (const char* suffix : {"_files/", ".files/", "_files/images/"}) {
    const std::string candidate = dir + stem + suffix + name;
    if (is_regular_file(candidate)) return candidate;
  }
  return {};
}

}  // namespace kho::ingest
