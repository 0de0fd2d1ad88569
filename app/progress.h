// A one-line progress bar for `kho ingest` on a terminal: count, rate and time left (stderr).
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "kho/ingest/pipeline.h"

namespace kho::app {

class ProgressBar {
 public:
  // Draws only when `enabled` (the caller passes isatty(stderr)): without a terminal kho stays quiet.
  explicit ProgressBar(bool enabled, std::FILE* out = stderr);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Redraws at most ~8 times a second (the pipeline calls this after every photo) and at phase changes.
  // Called from one thread at a time.
  void update(const ingest::IngestProgress& p);
  // Erases the bar so the summary starts on a clean line. Idempotent.
  void clear();

  // The text of the bar, without the leading carriage return; `width` is the terminal's columns.
  static std::string render(const ingest::IngestProgress& p, int width);

 private:
  bool enabled_;
  std::FILE* out_;
  bool drawn_ = false;
  ingest::IngestProgress::Phase last_phase_ = ingest::IngestProgress::Phase::kScanning;
  std::chrono::steady_clock::time_point last_draw_{};
};

// "1:05", "12:00:07": a duration for people.
std::string format_duration(double seconds);

}  // namespace kho::app
