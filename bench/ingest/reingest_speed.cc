// Re-ingest speed of the pipeline alone (no duplicate update, no CLI): how many unchanged files per second
// ingest() gets through when every file is skipped by the stat check. Run it on an archive that already
// holds the tree (e.g. after `kho ingest`):  reingest_speed ARCHIVE DIR [runs]
// Build (no CMake target yet): see bench/ingest/README in ingest/README.md "Scanner and pipeline".
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kho/catalog.h"
#include "kho/ingest/pipeline.h"

namespace {
// Every file of an unchanged tree is skipped before any pixels are asked for; a call here is a bug.
class RefusingProcessor final : public kho::PhotoProcessor {
 public:
  kho::Result<kho::ProcessedPhoto> process(std::span<const std::uint8_t>, int) const override {
    ++calls;
    return kho::Status::Unsupported("reingest_speed: a file was not skipped");
  }
  mutable int calls = 0;
};
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s ARCHIVE DIR [runs]\n", argv[0]);
    return 2;
  }
  int runs = argc > 3 ? std::atoi(argv[3]) : 3;
  auto cat = kho::Catalog::open(argv[1]);
  if (!cat.ok()) {
    std::fprintf(stderr, "%s\n", cat.status().to_string().c_str());
    return 2;
  }
  RefusingProcessor proc;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = kho::ingest::ingest(**cat, proc, {argv[2]});
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", r.status().to_string().c_str());
      return 1;
    }
    std::printf("run %d: %llu files seen, %llu skipped by stat, %d decoded, %.3f s → %.0f files/s\n", i + 1,
                static_cast<unsigned long long>(r->files_seen), static_cast<unsigned long long>(r->skipped_by_stat),
                proc.calls, s, static_cast<double>(r->files_seen) / s);
  }
  return 0;
}
