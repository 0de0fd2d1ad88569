// HTML, DOCX and text article parsing speed on one core (DESIGN.md §6, wave 2: HTML ≥ 30 MB/s).
//
//   bench_articles [--seconds N] PATH...   (files or folders; .html/.htm/.docx/.txt are taken)
//
// Every file is read into memory first; then each format is parsed over and over for N seconds (default
// 3) of this thread's CPU time, so a loaded machine slows the wall clock but not the figure. Prints per
// format: files, bytes, files/s and MB/s (MB = 10^6 bytes). For DOCX the unzip is included.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kho/ingest/article_parser.h"

namespace fs = std::filesystem;

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Input {
  std::string name, bytes;
};

void run(const char* label, const std::vector<Input>& files, double seconds,
         kho::Result<kho::ingest::ParseResult> (*parse)(std::string_view, std::string_view)) {
  if (files.empty()) return;
  std::size_t total_bytes = 0;
  for (const Input& f : files) total_bytes += f.bytes.size();
  std::size_t rounds = 0, photos = 0, errors = 0;
  const double start = cpu_seconds();
  double elapsed = 0;
  do {
    for (const Input& f : files) {
      auto r = parse(f.bytes, f.name);
      if (!r.ok()) {
        ++errors;
        continue;
      }
      for (const auto& a : r->articles) photos += a.refs.size();
    }
    ++rounds;
    elapsed = cpu_seconds() - start;
  } while (elapsed < seconds);
  const double n = static_cast<double>(rounds * files.size());
  std::printf("%-5s %zu files, %.2f MB; %zu rounds in %.2f s CPU: %.1f files/s, %.1f MB/s (%zu photos/round%s)\n",
              label, files.size(), static_cast<double>(total_bytes) / 1e6, rounds, elapsed, n / elapsed,
              static_cast<double>(total_bytes) * static_cast<double>(rounds) / 1e6 / elapsed, photos / rounds,
              errors ? ", with errors" : "");
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  std::vector<Input> html, docx, text;
  auto add = [&](const fs::path& p) {
    const auto format = kho::ingest::article_format(p.string());
    if (format == kho::ingest::ArticleFormat::kUnsupported) return;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    (format == kho::ingest::ArticleFormat::kHtml   ? html
     : format == kho::ingest::ArticleFormat::kDocx ? docx
                                                   : text)
        .push_back({p.string(), s.str()});
  };
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
      continue;
    }
    const fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      std::vector<fs::path> entries;
      for (const auto& e : fs::recursive_directory_iterator(p)) entries.push_back(e.path());
      std::sort(entries.begin(), entries.end());
      for (const auto& e : entries) add(e);
    } else {
      add(p);
    }
  }
  if (html.empty() && docx.empty() && text.empty()) {
    std::fprintf(stderr, "usage: bench_articles [--seconds N] PATH...  (no .html/.htm/.docx/.txt found)\n");
    return 2;
  }
  run("html", html, seconds, &kho::ingest::parse_html_article);
  run("docx", docx, seconds, &kho::ingest::parse_docx_article);
  run("txt", text, seconds, &kho::ingest::parse_articles);
  return 0;
}
