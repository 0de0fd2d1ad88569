#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace kho::app {
namespace {

int terminal_width(std::FILE* out) {
  struct winsize ws {};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  return 80;
}

const char* phase_name(ingest::IngestProgress::Phase phase) {
  switch (phase) {
    case ingest::IngestProgress::Phase::kScanning: return "scanning";
    case ingest::IngestProgress::Phase::kPhotos: return "photos";
    case ingest::IngestProgress::Phase::kArticles: return "articles";
    case ingest::IngestProgress::Phase::kFinishing: return "finishing";
  }
  return "";
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  auto s = static_cast<long long>(std::llround(seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

std::string ProgressBar::render(const ingest::IngestProgress& p, int width) {
  using Phase = ingest::IngestProgress::Phase;
  char tail[160];
  if (p.phase == Phase::kScanning) return "kho: scanning…";
  if (p.phase != Phase::kPhotos) {
    std::snprintf(tail, sizeof tail, "kho: %s… (%llu photo files done in %s)", phase_name(p.phase),
                  static_cast<unsigned long long>(p.done), format_duration(p.elapsed_s).c_str());
    return tail;
  }
  // The rate counts only files actually read: skipped (unchanged) files would make the estimate lie.
  double rate = p.elapsed_s > 0.2 ? static_cast<double>(p.read_done) / p.elapsed_s : 0.0;
  std::string left = "?";
  if (rate > 0) left = format_duration(static_cast<double>(p.to_read - std::min(p.read_done, p.to_read)) / rate);
  std::snprintf(tail, sizeof tail, " %llu/%llu  %.1f photos/s  %s left",
                static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.total), rate,
                left.c_str());
  int bar = std::clamp(width - static_cast<int>(std::string_view(tail).size()) - 3, 10, 40);
  double frac = p.total ? static_cast<double>(p.done) / static_cast<double>(p.total) : 1.0;
  int filled = static_cast<int>(frac * bar);
  std::string out = "[";
  for (int i = 0; i < bar; ++i) out += i < filled ? '#' : (i == filled ? '>' : ' ');
  out += "]";
  out += tail;
  return out;
}

ProgressBar::ProgressBar(bool enabled, std::FILE* out) : enabled_(enabled), out_(out) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(const ingest::IngestProgress& p) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  bool phase_changed = p.phase != last_phase_;
  if (!phase_changed && drawn_ && now - last_draw_ < std::chrono::milliseconds(125)) return;
  last_phase_ = p.phase;
  last_draw_ = now;
  int width = terminal_width(out_);
  std::string line = render(p, width);
  // \r and erase-to-end-of-line: redraw in place whatever was there.
  std::fprintf(out_, "\r%s\x1b[K", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace kho::app
