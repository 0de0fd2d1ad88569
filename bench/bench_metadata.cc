// kho-bench-metadata: metadata read rate, single thread, from bytes already in memory (as ingest
// calls it). Compares the two parsers: read_metadata (Exiv2 for EXIF+IPTC+XMP, the record kho
// stores) and read_exif_libexif (libexif, EXIF fields only).
//
//   kho-bench-metadata [--rounds N] FILE...
//
// Prints one JSON object per parser: files, rounds, CPU and wall seconds, files per CPU second and
// microseconds per file. CPU time (this thread's) is the figure to compare: the machine is shared.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "kho/ingest/metadata.h"

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename Fn>
void run(const char* name, const std::vector<std::string>& files, int rounds, Fn read) {
  std::size_t fields = 0;  // keeps the work observable
  // One warm-up round: first-use initialisation (Exiv2's XMP toolkit) is not per-file cost.
  for (const auto& f : files) fields += read(f);
  auto wall0 = std::chrono::steady_clock::now();
  double cpu0 = thread_cpu_seconds();
  for (int r = 0; r < rounds; ++r) {
    for (const auto& f : files) fields += read(f);
  }
  double cpu = thread_cpu_seconds() - cpu0;
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  double n = static_cast<double>(files.size()) * rounds;
  std::printf(
      "{\"parser\": \"%s\", \"files\": %zu, \"rounds\": %d, \"cpu_s\": %.4f, \"wall_s\": %.4f, "
      "\"files_per_cpu_s\": %.1f, \"us_per_file\": %.1f, \"fields\": %zu}\n",
      name, files.size(), rounds, cpu, wall, n / cpu, cpu / n * 1e6, fields);
}

std::size_t count_fields(const kho::Result<kho::Metadata>& r) {
  if (!r.ok()) return 0;
  const kho::Metadata& m = *r;
  return m.width.has_value() + m.make.has_value() + m.datetime_original.has_value() +
         m.exposure_time.has_value() + m.gps_lat.has_value() + m.description.has_value() + m.keywords.size();
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 5;
  std::vector<std::string> contents;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
      continue;
    }
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "kho-bench-metadata: cannot read %s\n", argv[i]);
      return 2;
    }
    contents.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (contents.empty() || rounds < 1) {
    std::fprintf(stderr, "usage: kho-bench-metadata [--rounds N] FILE...\n");
    return 2;
  }
  auto span = [](const std::string& s) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  run("exiv2 (read_metadata)", contents, rounds,
      [&](const std::string& s) { return count_fields(kho::ingest::read_metadata(span(s))); });
  run("libexif (read_exif_libexif)", contents, rounds,
      [&](const std::string& s) { return count_fields(kho::ingest::read_exif_libexif(span(s))); });
  return 0;
}
