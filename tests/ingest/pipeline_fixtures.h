// Shared by the pipeline tests: a PhotoProcessor that needs no OpenCV (the tiny fixture JPEGs come from
// kho::testing::ingest_jpeg).
//
// The pipeline is tested without the thumbnailer (ingest must not depend on it, DESIGN.md §2): the fake
// processor hands the input back as both derivatives, refuses bytes that are not a whole JPEG as the real
// one does, and counts its calls so tests can see that unchanged or duplicate files are not decoded.
#pragma once

#include <atomic>
#include <string>

#include "kho/photo_processor.h"
#include "test_support.h"

namespace kho::ingest::testing {

class FakeProcessor final : public PhotoProcessor {
 public:
  Result<ProcessedPhoto> process(std::span<const std::uint8_t> bytes, int) const override {
    ++calls;
    if (bytes.size() < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8)
      return Status::InvalidArgument("not a JPEG (test processor)");
    if (bytes[bytes.size() - 2] != 0xFF || bytes[bytes.size() - 1] != 0xD9)
      return Status::InvalidArgument("truncated JPEG: no end marker (test processor)");
    ProcessedPhoto p;
    p.width = 160;
    p.height = 120;
    p.preview_jpeg.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    p.grid_jpeg = p.preview_jpeg;
    p.sig.phash = bytes.size();
    return p;
  }
  mutable std::atomic<int> calls{0};
};


}  // namespace kho::ingest::testing
