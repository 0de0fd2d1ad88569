// Builds the evaluation set (eval_set.h) with OpenCV: every transform of the issue, hard negatives from
// video frames one to three seconds apart and from crops of one photo that overlap by under half.
#include "eval_set.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/img_hash.hpp>
#include <opencv2/videoio.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace kho::eval {
namespace {

namespace fs = std::filesystem;

std::string encode(const cv::Mat& img, const std::string& ext, int quality = 92) {
  std::vector<uchar> out;
  std::vector<int> params;
  if (ext == ".jpg") params = {cv::IMWRITE_JPEG_QUALITY, quality};
  cv::imencode(ext, img, out, params);
  return std::string(out.begin(), out.end());
}

std::uint64_t phash_of(const cv::Mat& img) {
  cv::Mat out;
  cv::img_hash::PHash::create()->compute(img, out);
  std::uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h |= std::uint64_t{out.at<std::uint8_t>(i)} << (8 * i);
  return h;
}

cv::Mat crop_frac(const cv::Mat& img, double left, double top, double right, double bottom) {
  int x0 = static_cast<int>(img.cols * left), y0 = static_cast<int>(img.rows * top);
  int x1 = img.cols - static_cast<int>(img.cols * right), y1 = img.rows - static_cast<int>(img.rows * bottom);
  return img(cv::Rect(x0, y0, std::max(1, x1 - x0), std::max(1, y1 - y0))).clone();
}

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// The positives of one base, as the issue lists them.
void add_positives(const cv::Mat& base, int group, const std::string& stem, std::mt19937_64& rng,
                   std::vector<Item>& out) {
  auto add = [&](const std::string& t, std::string bytes, const std::string& ext) {
    out.push_back({stem + "_" + t + ext, std::move(bytes), "positive", t, group, -1});
  };
  cv::Mat m;
  cv::resize(base, m, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
  add("resize50", encode(m, ".jpg", 90), ".jpg");
  cv::resize(base, m, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
  add("resize25", encode(m, ".jpg", 90), ".jpg");
  add("jpeg_q", encode(base, ".jpg", static_cast<int>(uniform(rng, 30, 60))), ".jpg");
  {
    double total = uniform(rng, 0.05, 0.12), split = uniform(rng, 0, 1), vsplit = uniform(rng, 0, 1);
    add("crop",
        encode(crop_frac(base, total * split, total * vsplit, total * (1 - split), total * (1 - vsplit)), ".jpg"),
        ".jpg");
  }
  {
    double sign = rng() % 2 ? 1 : -1;
    base.convertTo(m, -1, 1.0, sign * uniform(rng, 0.07, 0.15) * 255);
    add("brightness", encode(m, ".jpg"), ".jpg");
    double alpha = 1.0 + (rng() % 2 ? 1 : -1) * uniform(rng, 0.07, 0.15);
    double mean = cv::mean(base)[0];
    base.convertTo(m, -1, alpha, (1 - alpha) * mean);
    add("contrast", encode(m, ".jpg"), ".jpg");
  }
  {
    double sigma = uniform(rng, 0.8, 1.6) * std::max(base.cols, base.rows) / 1000.0;
    cv::GaussianBlur(base, m, cv::Size(0, 0), std::max(0.6, sigma));
    add("blur", encode(m, ".jpg"), ".jpg");
  }
  {
    // A "straighten" edit: rotate, then crop the border the rotation leaves.
    double deg = uniform(rng, 1, 3) * (rng() % 2 ? 1 : -1);
    const cv::Point2f centre(static_cast<float>(base.cols) / 2.0f, static_cast<float>(base.rows) / 2.0f);
    cv::Mat r = cv::getRotationMatrix2D(centre, deg, 1.0);
    cv::warpAffine(base, m, r, base.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    double s = std::sin(std::abs(deg) * CV_PI / 180) * 1.05;
    add("rotate", encode(crop_frac(m, s * base.rows / base.cols, s, s * base.rows / base.cols, s), ".jpg"), ".jpg");
  }
  {
    m = base.clone();
    const double scale = std::max(0.4, base.cols / 900.0);
    const std::string text = "(c) KHO NEWS";
    int baseline = 0;
    const int thin = std::max(1, static_cast<int>(2 * scale)), thick = std::max(2, static_cast<int>(5 * scale));
    cv::Size ts = cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thin, &baseline);
    int corner = static_cast<int>(rng() % 4);
    int pad = static_cast<int>(10 * scale);
    cv::Point at(corner % 2 ? m.cols - ts.width - pad : pad, corner / 2 ? m.rows - pad : ts.height + pad);
    cv::putText(m, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0, 0, 0), thick);
    cv::putText(m, text, at, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255, 255, 255), thin);
    add("watermark", encode(m, ".jpg"), ".jpg");
  }
  cv::cvtColor(base, m, cv::COLOR_BGR2GRAY);
  cv::cvtColor(m, m, cv::COLOR_GRAY2BGR);
  add("grayscale", encode(m, ".jpg"), ".jpg");
  add("png", encode(base, ".png"), ".png");
  add("exif_stripped", encode(base, ".jpg", 95), ".jpg");
  cv::flip(base, m, 1);
  out.push_back({stem + "_mirror.jpg", encode(m, ".jpg"), "mirror", "mirror", group, -1});
}

bool is_image_name(const fs::path& p) {
  std::string e = p.extension().string();
  std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e == ".jpg" || e == ".jpeg" || e == ".png" || e == ".tif" || e == ".tiff" || e == ".webp";
}

std::vector<fs::path> image_files(const std::string& dir) {
  std::vector<fs::path> out;
  if (dir.empty() || !fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && is_image_name(e.path())) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<Item> build_eval_set(const SetOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::vector<Item> items;
  std::vector<std::uint64_t> kept;  // PHash of every base-like image kept so far
  auto is_new_picture = [&](const cv::Mat& img) {
    std::uint64_t h = phash_of(img);
    for (std::uint64_t k : kept)
      if (__builtin_popcountll(h ^ k) <= 14) return false;
    kept.push_back(h);
    return true;
  };
  int group = 0, scene = 0;
  for (const fs::path& p : image_files(o.photos_dir)) {
    if (group >= o.max_bases) break;
    cv::Mat img;
    try {
      img = cv::imread(p.string(), cv::IMREAD_COLOR);  // EXIF orientation applied: bases are upright
    } catch (const cv::Exception&) {
      continue;
    }
    if (img.empty() || std::min(img.cols, img.rows) < 240) continue;
    // Keep bases at most 2000 px: the set stays quick to build and to ingest.
    const double s = 2000.0 / std::max(img.cols, img.rows);
    if (s < 1) cv::resize(img, img, cv::Size(), s, s, cv::INTER_AREA);
    if (!is_new_picture(img)) continue;
    const int g = group++;
    const std::string stem = "b" + std::to_string(g);
    items.push_back({stem + "_base.jpg", encode(img, ".jpg"), "base", "", g, -1});
    add_positives(img, g, stem, rng, items);
    // Large photos also give two crops overlapping by under half (about 28% of either).
    if (std::min(img.cols, img.rows) >= 900) {
      const int sc = scene++;
      const bool wide = img.cols >= img.rows;
      cv::Mat c1 = wide ? crop_frac(img, 0, 0, 0.42, 0) : crop_frac(img, 0, 0, 0, 0.42);
      cv::Mat c2 = wide ? crop_frac(img, 0.42, 0, 0, 0) : crop_frac(img, 0, 0.42, 0, 0);
      items.push_back({stem + "_cropA.jpg", encode(c1, ".jpg"), "crop", "", 100000 + 2 * sc, sc});
      items.push_back({stem + "_cropB.jpg", encode(c2, ".jpg"), "crop", "", 100000 + 2 * sc + 1, sc});
    }
  }
  std::fprintf(stderr, "eval: %d base photos\n", group);
  int frames = 0;
  for (const std::string& video : o.videos) {
    cv::VideoCapture cap(video);
    if (!cap.isOpened()) {
      std::fprintf(stderr, "eval: cannot open %s\n", video.c_str());
      continue;
    }
    const double fps = cap.get(cv::CAP_PROP_FPS) > 1 ? cap.get(cv::CAP_PROP_FPS) : 25;
    std::vector<cv::Mat> all;
    for (cv::Mat f; cap.read(f);) all.push_back(f.clone());
    const int step = static_cast<int>(std::lround(fps));
    // One clip is one scene (a fixed camera): frames 0, 1, 2 and 3 s after each start, starts 8 s apart.
    const int sc = scene++;
    for (int start = 0; start + 3 * step < static_cast<int>(all.size()); start += 8 * step) {
      for (int k = 0; k < 4; ++k) {
        std::string name = "v" + std::to_string(sc) + "_s" + std::to_string(start) + "_f" + std::to_string(k) + ".jpg";
        items.push_back({name, encode(all[start + k * step], ".jpg"), "video", "", 200000 + frames++, sc});
      }
    }
  }
  int unrelated = 0;
  for (const fs::path& p : image_files(o.unrelated_dir)) {
    const std::string n = p.filename().string();
    if (n.rfind("left", 0) == 0 || n.rfind("right", 0) == 0) continue;  // calibration series: one scene
    cv::Mat img = cv::imread(p.string(), cv::IMREAD_COLOR);
    if (img.empty() || std::min(img.cols, img.rows) < 120 || !is_new_picture(img)) continue;
    items.push_back({"u" + std::to_string(unrelated++) + ".jpg", encode(img, ".jpg"), "unrelated", "",
                     300000 + unrelated, -1});
  }
  std::fprintf(stderr, "eval: %d video frames, %d unrelated, %zu items\n", frames, unrelated, items.size());
  return items;
}

std::vector<Item> read_eval_set(const std::string& dir) {
  std::vector<Item> items;
  std::ifstream truth(dir + "/truth.tsv");
  std::string line;
  std::getline(truth, line);  // header
  while (std::getline(truth, line)) {
    std::istringstream fields(line);
    Item it;
    std::string group, scene;
    std::getline(fields, it.name, '\t');
    std::getline(fields, it.category, '\t');
    std::getline(fields, it.transform, '\t');
    std::getline(fields, group, '\t');
    std::getline(fields, scene, '\t');
    it.group = std::stoi(group);
    it.scene = std::stoi(scene);
    std::ifstream f(dir + "/" + it.name, std::ios::binary);
    it.bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    items.push_back(std::move(it));
  }
  return items;
}

}  // namespace kho::eval
