// bench_thumbnailer: CPU cost of Thumbnailer::process() per photo against `djpeg -scale 1/2` (the decode a
// 1280 px preview cannot avoid) over the same files, in one run, interleaved file by file so that the
// shared machine's noise hits both sides alike. Also times each stage and the alternatives we measured
// (white-box: it includes thumbnailer/src's private headers).
//
//   bench_thumbnailer [--rounds N] [--stages] [--vips] [--threads] FILE.jpg...
//
// Make a corpus of 12 MP JPEGs (real photos upscaled with a little noise, about 4–5 MB each):
//   convert in.jpg -strip -resize '4000x3000!' -attenuate 0.4 +noise Gaussian -quality 92 out.jpg
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/img_hash.hpp>

#include "thumbnailer/src/decode.h"
#include "thumbnailer/src/encode.h"
#include "kho/thumbnailer/thumbnailer.h"
#include "thumbnailer/src/orient.h"
#include "thumbnailer/src/resize.h"
#include "thumbnailer/src/signatures.h"

extern char** environ;

namespace {

using Bytes = std::vector<std::uint8_t>;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double children_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// CPU seconds (user + system) of running `args` (args[0] found on PATH) to completion.
double child_seconds(std::vector<std::string> args) {
  const double before = children_cpu_seconds();
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "cannot run %s\n", argv[0]);
    std::exit(2);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return children_cpu_seconds() - before;
}

double djpeg_seconds(const std::string& path) {
  return child_seconds({"djpeg", "-scale", "1/2", "-outfile", "/dev/null", path});
}

// vipsthumbnail making the same two sizes: 1280 from the original, then 320 from that preview.
double vips_seconds(const std::string& path) {
  return child_seconds({"vipsthumbnail", path, "--size", "1280", "-o", "/tmp/kho-bench-preview.jpg[Q=82]"}) +
         child_seconds({"vipsthumbnail", "/tmp/kho-bench-preview.jpg", "--size", "320",
                        "-o", "/tmp/kho-bench-grid.jpg[Q=82]"});
}

// The straightforward OpenCV loop the issue compares against: reduced imdecode, INTER_AREA, imencode.
void opencv_loop(const Bytes& b) {
  const cv::Mat img = cv::imdecode(b, cv::IMREAD_REDUCED_COLOR_2 | cv::IMREAD_IGNORE_ORIENTATION);
  cv::Mat preview, grid, h;
  cv::resize(img, preview, kho::thumb::fit_long_edge(img.size(), 1280), 0, 0, cv::INTER_AREA);
  cv::resize(preview, grid, kho::thumb::fit_long_edge(preview.size(), 320), 0, 0, cv::INTER_AREA);
  std::vector<std::uint8_t> out;
  cv::imencode(".jpg", preview, out, {cv::IMWRITE_JPEG_QUALITY, 82});
  cv::imencode(".jpg", grid, out, {cv::IMWRITE_JPEG_QUALITY, 82});
  (void)kho::thumb::compute_signatures(grid);
}

Bytes read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

double time_it(const std::function<void()>& fn) {
  const double t0 = thread_cpu_seconds();
  fn();
  return thread_cpu_seconds() - t0;
}

void must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "failed: %s\n", what);
    std::exit(1);
  }
}

// Per-stage costs and the alternatives, summed over all files and rounds.
void run_stages(const std::vector<Bytes>& files, int rounds) {
  using namespace kho::thumb;
  struct Row {
    const char* name;
    std::function<void(const Bytes&)> fn;
    double total = 0;
  };
  auto decode_with = [](bool any_eighth, bool fancy, bool fast) {
    return [=](const Bytes& b) {
      auto info = probe_image(b);
      DecodeOptions o;
      o.min_long_edge = 1280;
      o.any_eighth_scale = any_eighth;
      o.fancy_upsampling = fancy;
      o.fast_idct = fast;
      must(decode_image(b, *info, o).ok(), "decode");
    };
  };
  // Shared inputs for the post-decode stages, made once from the first file.
  auto info0 = probe_image(files[0]);
  DecodeOptions d0;
  d0.min_long_edge = 1280;
  const cv::Mat frame = decode_image(files[0], *info0, d0)->bgr;
  const cv::Size psize = fit_long_edge(cv::Size(static_cast<int>(info0->width), static_cast<int>(info0->height)), 1280);
  const cv::Mat preview = resize_to(frame, psize);
  const cv::Mat grid = resize_to(preview, fit_long_edge(psize, 320));
  auto decode_resize = [&](bool any_eighth, ResizeMethod method) {
    return [=](const Bytes& b) {
      auto info = probe_image(b);
      DecodeOptions o;
      o.min_long_edge = 1280;
      o.any_eighth_scale = any_eighth;
      auto d = decode_image(b, *info, o);
      must(d.ok(), "decode");
      const cv::Size full(static_cast<int>(info->width), static_cast<int>(info->height));
      (void)resize_to(d->bgr, fit_long_edge(full, 1280), method);
    };
  };
  auto encode = [](const cv::Mat& img, EncodeOptions options) {
    return [&img, options](const Bytes&) { must(encode_jpeg(img, options).ok(), "enc"); };
  };
  auto one_hash = [&](cv::Ptr<cv::img_hash::ImgHashBase> h) {
    return [=](const Bytes&) {
      cv::Mat out;
      h->compute(grid, out);
    };
  };
  std::vector<Row> rows = {
      {"decode M/8 + resize auto", decode_resize(true, ResizeMethod::kAuto)},
      {"decode 1/2 + resize auto (chosen)", decode_resize(false, ResizeMethod::kAuto)},
      {"decode 1/2 + resize INTER_AREA", decode_resize(false, ResizeMethod::kArea)},
      {"decode M/8, no fancy, ifast", decode_with(true, false, true)},
      {"decode M/8, fancy, islow", decode_with(true, true, false)},
      {"decode 1/2 (pow2), no fancy, ifast", decode_with(false, false, true)},
      {"decode 1/2 (pow2), no fancy, islow (chosen)", decode_with(false, false, false)},
      {"decode 1/2 (pow2), fancy, islow", decode_with(false, true, false)},
      {"resize frame->1280 auto (linear <2x)", [&](const Bytes&) { (void)resize_to(frame, psize); }},
      {"resize frame->1280 INTER_AREA", [&](const Bytes&) { (void)resize_to(frame, psize, ResizeMethod::kArea); }},
      {"orient 1280 (6: cv::rotate)", [&](const Bytes&) { (void)apply_orientation(preview, 6); }},
      {"resize 1280->320 auto (2 halvings)", [&](const Bytes&) { (void)resize_to(preview, grid.size()); }},
      {"resize 1280->320 INTER_AREA",
       [&](const Bytes&) { (void)resize_to(preview, grid.size(), ResizeMethod::kArea); }},
      {"encode 1280 q82 ifast", encode(preview, {82, true, false})},
      {"encode 1280 q82 islow (chosen)", encode(preview, {82, false, false})},
      {"encode 1280 q82 optimized huffman", encode(preview, {82, false, true})},
      {"encode 320 q82", encode(grid, {82, false, false})},
      {"signatures from the grid (chosen)", [&](const Bytes&) { (void)compute_signatures(grid); }},
      {"  PHash of grid", one_hash(cv::img_hash::PHash::create())},
      {"  BlockMeanHash of grid", one_hash(cv::img_hash::BlockMeanHash::create())},
      {"  ColorMomentHash of grid (OpenCV's own bicubic 512)", one_hash(cv::img_hash::ColorMomentHash::create())},
      {"signatures from the 1280 preview", [&](const Bytes&) { (void)compute_signatures(preview); }},
  };
  const double n = static_cast<double>(files.size()) * rounds;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& f : files) {
      for (auto& row : rows) row.total += time_it([&] { row.fn(f); });
    }
  }
  std::printf("\nstage costs, CPU ms per photo (mean of %.0f):\n", n);
  for (const auto& row : rows) std::printf("  %-40s %7.2f\n", row.name, 1e3 * row.total / n);
}

// Wall time of process() over every file, once on one thread and once split over two threads: checks
// that nothing inside (OpenCV, libjpeg, img_hash) serialises the pipeline's workers.
void run_scaling(const kho::thumb::Thumbnailer& thumbnailer, const std::vector<Bytes>& files) {
  auto wall = [] {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  auto work = [&](std::size_t first, std::size_t step) {
    for (std::size_t i = first; i < files.size(); i += step) must(thumbnailer.process(files[i], 1).ok(), "process");
  };
  auto self_cpu = [] {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto sec = [](const timeval& tv) {
      return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
    };
    return sec(ru.ru_utime) + sec(ru.ru_stime);
  };
  double t0 = wall(), c0 = self_cpu();
  work(0, 1);
  const double one = wall() - t0, one_cpu = self_cpu() - c0;
  t0 = wall();
  c0 = self_cpu();
  std::thread other(work, 1, 2);
  work(0, 2);
  other.join();
  const double two = wall() - t0, two_cpu = self_cpu() - c0;
  std::printf("\nscaling: 1 thread %.2f s wall %.2f s CPU; 2 threads %.2f s wall %.2f s CPU: %.2fx faster, CPU x%.2f\n"
              "(a shared machine with busy neighbours lowers the speed-up; equal CPU means no lock spinning)\n",
              one, one_cpu, two, two_cpu, one / two, two_cpu / one_cpu);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 2;
  bool stages = false;
  bool vips = false;
  bool scaling = false;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rounds" && i + 1 < argc) {
      rounds = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--threads") {
      scaling = true;
    } else if (a == "--vips") {
      vips = true;
    } else if (a == "--stages") {
      stages = true;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: bench_thumbnailer [--rounds N] [--stages] [--vips] [--threads] FILE.jpg...\n");
    return 2;
  }
  std::vector<Bytes> files;
  std::uint64_t total_bytes = 0;
  for (const auto& p : paths) {
    files.push_back(read_all(p));
    total_bytes += files.back().size();
  }

  const kho::thumb::Thumbnailer thumbnailer;
  // The same without the 640 px srcset size (mid_px is clamped to the preview: none is made), timed in the
  // same loop, so its cost is measured against the same load (issue 15: "ingest CPU must not grow by more
  // than a few %").
  kho::thumb::ThumbnailOptions no_mid_options;
  no_mid_options.mid_px = no_mid_options.preview_px;
  const kho::thumb::Thumbnailer no_mid(no_mid_options);
  // Warm caches and lazily initialised codec tables on both sides before measuring.
  must(thumbnailer.process(files[0], 1).ok(), "process");
  (void)djpeg_seconds(paths[0]);

  double ours = 0, djpeg = 0, naive = 0, vipsthumb = 0, without_mid = 0;
  std::uint64_t preview_bytes = 0, grid_bytes = 0, mid_bytes = 0;
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      djpeg += djpeg_seconds(paths[i]);
      naive += time_it([&] { opencv_loop(files[i]); });
      if (vips) vipsthumb += vips_seconds(paths[i]);
      kho::Result<kho::ProcessedPhoto> out = kho::Status::Aborted("not run");
      ours += time_it([&] { out = thumbnailer.process(files[i], 1); });
      without_mid += time_it([&] { must(no_mid.process(files[i], 1).ok(), "process without 640"); });
      if (!out.ok()) {
        std::fprintf(stderr, "%s: %s\n", paths[i].c_str(), out.status().to_string().c_str());
        return 1;
      }
      preview_bytes += out->preview_jpeg.size();
      grid_bytes += out->grid_jpeg.size();
      mid_bytes += out->mid_jpeg.size();
    }
  }
  const double n = static_cast<double>(files.size()) * rounds;
  std::printf("%zu files (mean %.2f MB), %d rounds\n", files.size(),
              static_cast<double>(total_bytes) / static_cast<double>(files.size()) / 1e6, rounds);
  std::printf("djpeg -scale 1/2 : %7.2f ms CPU per photo\n", 1e3 * djpeg / n);
  std::printf("process()        : %7.2f ms CPU per photo  (preview %.0f KB, grid %.1f KB)\n", 1e3 * ours / n,
              static_cast<double>(preview_bytes) / n / 1e3, static_cast<double>(grid_bytes) / n / 1e3);
  std::printf("ratio            : %7.3f x djpeg -scale 1/2\n", ours / djpeg);
  std::printf("without 640 px   : %7.2f ms CPU per photo; the 640 px size (%.1f KB) adds %+.1f%% to process()\n",
              1e3 * without_mid / n, static_cast<double>(mid_bytes) / n / 1e3,
              100.0 * (ours - without_mid) / without_mid);
  std::printf("OpenCV loop      : %7.2f ms CPU per photo = %.3f x djpeg (imdecode REDUCED_2, INTER_AREA, imencode)\n",
              1e3 * naive / n, naive / djpeg);
  if (vips) {
    std::printf("vipsthumbnail    : %7.2f ms CPU per photo (1280, then 320 from it); process() = %.3f x that\n",
                1e3 * vipsthumb / n, ours / vipsthumb);
  }
  if (stages) run_stages(files, rounds);
  if (scaling) run_scaling(thumbnailer, files);
  return 0;
}
