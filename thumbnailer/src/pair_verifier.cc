// OpenCvPairVerifier (kho/thumbnailer/pair_verifier.h): register, check overlap, read the residual map.
#include "kho/thumbnailer/pair_verifier.h"
#include "kho/thumbnailer/thumbnailer.h"

#include <opencv2/calib3d.hpp>
#include <opencv2/features2d.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <future>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace kho::thumb {
namespace {

// `reduce`: 1, 2 or 4, the JPEG decoder's own downscaling (a preview compared at 480 px need not be decoded at
// 1280: half the size costs a quarter of the IDCT work).
cv::Mat decode_gray(std::string_view jpeg, int reduce = 1) {
  if (jpeg.empty()) return {};
  cv::Mat buf(1, static_cast<int>(jpeg.size()), CV_8U, const_cast<char*>(jpeg.data()));
  // The grid thumbnail is already oriented: do not let OpenCV rotate it again.
  const int mode = reduce >= 4   ? cv::IMREAD_REDUCED_GRAYSCALE_4
                   : reduce >= 2 ? cv::IMREAD_REDUCED_GRAYSCALE_2
                                 : cv::IMREAD_GRAYSCALE;
  return cv::imdecode(buf, mode | cv::IMREAD_IGNORE_ORIENTATION);
}

// The long edge of a thumbnail from its header (0 when it cannot be read).
int long_edge(std::string_view jpeg) {
  auto info = probe_image({reinterpret_cast<const std::uint8_t*>(jpeg.data()), jpeg.size()});
  return info.ok() ? static_cast<int>(std::max(info->width, info->height)) : 0;
}

void shrink_to(cv::Mat& img, int long_edge) {
  const double s = static_cast<double>(long_edge) / std::max(img.cols, img.rows);
  if (s < 1.0) cv::resize(img, img, cv::Size(), s, s, cv::INTER_AREA);
}

// Maps b's grey levels onto a's by matching their histograms over the overlap: brightness, contrast,
// gamma and clipped highlights all become one monotonic curve, so they leave no residual.
cv::Mat match_levels(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  int channels[] = {0}, bins[] = {256};
  float range[] = {0, 256};
  const float* ranges[] = {range};
  cv::Mat ha, hb;
  cv::calcHist(&a, 1, channels, mask, ha, 1, bins, ranges);
  cv::calcHist(&b, 1, channels, mask, hb, 1, bins, ranges);
  std::vector<double> ca(256), cb(256);
  double ta = 0, tb = 0;
  for (int i = 0; i < 256; ++i) ta += ha.at<float>(i), tb += hb.at<float>(i);
  double sa = 0, sb = 0;
  for (int i = 0; i < 256; ++i) {
    sa += ha.at<float>(i), sb += hb.at<float>(i);
    ca[i] = sa / std::max(ta, 1.0), cb[i] = sb / std::max(tb, 1.0);
  }
  cv::Mat lut(1, 256, CV_8U);
  int j = 0;
  for (int i = 0; i < 256; ++i) {
    // The middle of b's bin i in its CDF, located in a's CDF.
    const double target = cb[i] - 0.5 * hb.at<float>(i) / std::max(tb, 1.0);
    while (j < 255 && ca[j] < target) ++j;
    lut.at<uchar>(i) = static_cast<uchar>(j);
  }
  cv::Mat out;
  cv::LUT(b, lut, out);
  return out;
}

struct Registration {
  cv::Mat m;  // 2×3, maps b's pixels into a's frame
  int inliers = 0;
  bool by_features = false;
};

}  // namespace

struct OpenCvPairVerifier::Features {
  cv::Mat gray;
  std::vector<cv::KeyPoint> keys;
  cv::Mat descriptors;
  // gray blurred for the residual (sigma 1.2), made the first time this thumbnail is the larger of a pair: a web
  // copy checked against a burst's frames is that side each time.
  const cv::Mat& blurred() const {
    std::call_once(blur_once_, [this] { cv::GaussianBlur(gray, blurred_, cv::Size(0, 0), kResidualBlur); });
    return blurred_;
  }
  static constexpr double kResidualBlur = 1.2;

 private:
  mutable std::once_flag blur_once_;
  mutable cv::Mat blurred_;
};

OpenCvPairVerifier::OpenCvPairVerifier(PairVerifierOptions options) : options_(options) {}
OpenCvPairVerifier::~OpenCvPairVerifier() = default;

std::shared_ptr<const OpenCvPairVerifier::Features> OpenCvPairVerifier::features(std::string_view jpeg,
                                                                                int work) const {
  const std::uint64_t key = std::hash<std::string_view>{}(jpeg) ^
                            (std::uint64_t{static_cast<std::uint32_t>(work)} << 40) ^ jpeg.size();
  // A thumbnail another thread is already working on is waited for, not computed twice: the checks of one web copy
  // against a burst's frames run side by side and all start with the copy.
  std::promise<std::shared_ptr<const Features>> mine;
  std::shared_future<std::shared_ptr<const Features>> pending;
  {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      pending = it->second;
    } else {
      if (cache_.size() >= kCacheEntries) cache_.clear();  // bounded; pairs of one photo come together
      cache_.emplace(key, mine.get_future().share());
    }
  }
  if (pending.valid()) return pending.get();
  try {
    std::shared_ptr<Features> f = std::make_shared<Features>();
    const int edge = long_edge(jpeg);
    f->gray = decode_gray(jpeg, edge >= 4 * work ? 4 : edge >= 2 * work ? 2 : 1);
    if (f->gray.empty()) {
      f = nullptr;
    } else {
      shrink_to(f->gray, work);
      auto orb = cv::ORB::create(600, 1.2f, options_.orb_levels, 15, 0, 2, cv::ORB::HARRIS_SCORE, 15);
      orb->detectAndCompute(f->gray, cv::noArray(), f->keys, f->descriptors);
    }
    mine.set_value(f);
    return f;
  } catch (...) {
    mine.set_exception(std::current_exception());
    throw;
  }
}

namespace {

// ORB + RANSAC similarity; falls back to stretching b onto a (most copies keep their framing).
Registration register_pair(const cv::Mat& a, const std::vector<cv::KeyPoint>& ka, const cv::Mat& da, const cv::Mat& b,
                           const std::vector<cv::KeyPoint>& kb, const cv::Mat& db, const PairVerifierOptions& o) {
  Registration r;
  if (ka.size() >= 8 && kb.size() >= 8) {
    // BFMatcher::knnMatch(db, da, k = 2) calls normHamming once per pair of rows behind a trace region (a third of
    // a burst check's CPU in OpenCV 4.6); this is the same search in one loop. A tie for the nearest fails the ratio
    // test either way, so which of the tied rows is named does not matter.
    if (da.cols != static_cast<int>(kDescriptorBytes) || db.cols != da.cols || da.type() != CV_8U ||
        db.type() != CV_8U || !da.isContinuous() || !db.isContinuous()) {
      throw std::invalid_argument("descriptors are not 32-byte ORB rows");
    }
    const std::vector<HammingNearest2> knn = nearest_two_hamming(
        db.ptr<std::uint8_t>(), static_cast<std::size_t>(db.rows), da.ptr<std::uint8_t>(),
        static_cast<std::size_t>(da.rows));
    std::vector<cv::Point2f> pb, pa;
    for (std::size_t i = 0; i < knn.size(); ++i) {
      const HammingNearest2& m = knn[i];
      // Lowe's ratio test, as on knnMatch's float distances (a second neighbour is needed).
      if (m.d2 != std::numeric_limits<int>::max() && static_cast<float>(m.d1) < 0.8f * static_cast<float>(m.d2)) {
        pb.push_back(kb[i].pt);
        pa.push_back(ka[static_cast<std::size_t>(m.train_row)].pt);
      }
    }
    if (static_cast<int>(pb.size()) >= o.min_inliers) {
      std::vector<uchar> inl;
      cv::Mat m = cv::estimateAffinePartial2D(pb, pa, inl, cv::RANSAC, 3.0, 2000, 0.99);
      int n = static_cast<int>(std::count(inl.begin(), inl.end(), uchar{1}));
      if (!m.empty() && n >= o.min_inliers) {
        r.m = m;
        r.inliers = n;
        r.by_features = true;
        return r;
      }
    }
  }
  r.m = (cv::Mat_<double>(2, 3) << static_cast<double>(a.cols) / b.cols, 0, 0, 0,
         static_cast<double>(a.rows) / b.rows, 0);
  return r;
}

// Gauss-Newton refinement of an affine map m (b's pixels into a's frame) to a fraction of a pixel, on the blurred
// grey levels with a gain and offset fitted each step: tracing tells burst frames apart by a sliver of pixels at
// the copy's border, finer than ORB keypoints place it. Returns m unchanged when a step fails or runs away.
cv::Mat refine(const cv::Mat& a, const cv::Mat& b, const cv::Mat& m) {
  cv::Mat fa, fb, gx, gy;
  cv::GaussianBlur(a, fa, cv::Size(0, 0), 1.0);
  cv::GaussianBlur(b, fb, cv::Size(0, 0), 1.0);
  fa.convertTo(fa, CV_32F);
  fb.convertTo(fb, CV_32F);
  cv::Sobel(fb, gx, CV_32F, 1, 0, 3, 1.0 / 8);
  cv::Sobel(fb, gy, CV_32F, 0, 1, 3, 1.0 / 8);
  cv::Mat inv;  // a's pixels into b's: the map warpAffine reads b through
  cv::invertAffineTransform(m, inv);
  cv::Mat ones(b.size(), CV_8U, cv::Scalar(255));
  // b's grey levels and gradients as one three-channel image: one warp a step reads all three (the same bilinear
  // weights as three warps).
  cv::Mat planes[3] = {fb, gx, gy}, fbg;
  cv::merge(planes, 3, fbg);
  // Reused by every step (the same sizes each time: no new pages).
  cv::Mat warped, warped_mask, mask;
  for (int iter = 0; iter < 10; ++iter) {
    cv::warpAffine(fbg, warped, inv, a.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, 0);
    cv::warpAffine(ones, warped_mask, inv, a.size(), cv::INTER_NEAREST | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, 0);
    cv::erode(warped_mask, mask, cv::Mat(), cv::Point(-1, -1), 3);
    // Gain and offset: fa ≈ g·wb + c over the overlap (means and population deviations).
    double n = 0, sa = 0, saa = 0, sb = 0, sbb = 0;
    for (int y = 0; y < a.rows; ++y) {
      const float* pa = fa.ptr<float>(y);
      const cv::Vec3f* pw = warped.ptr<cv::Vec3f>(y);
      const uchar* pm = mask.ptr<uchar>(y);
      for (int x = 0; x < a.cols; ++x) {
        if (!pm[x]) continue;
        const double va = pa[x], vb = pw[x][0];
        n += 1, sa += va, saa += va * va, sb += vb, sbb += vb * vb;
      }
    }
    if (n < static_cast<double>(a.total() / 4)) return m;
    const double mu_a = sa / n, mu_b = sb / n;
    const double sd_a = std::sqrt(std::max(0.0, saa / n - mu_a * mu_a));
    const double sd_b = std::sqrt(std::max(0.0, sbb / n - mu_b * mu_b));
    if (sd_b < 1.0) return m;
    const double g = sd_a / sd_b;
    const double c = mu_a - g * mu_b;
    // The normal equations of the six affine parameters, in one pass over the overlap: the error
    // e = fa − (g·wb + c) and the Jacobian J = (A·x, A·y, A, B·x, B·y, B) of each pixel, A = g·∂x and B = g·∂y.
    // Within a row y is constant, so each row sums only A², AB, B² times 1, x, x² and Ae, Be times 1, x; the
    // row's y and y² multiply them into H and r.
    cv::Matx66d h = cv::Matx66d::zeros();
    cv::Matx61d r = cv::Matx61d::zeros();
    for (int y = 0; y < a.rows; ++y) {
      const float* pa = fa.ptr<float>(y);
      const cv::Vec3f* pw = warped.ptr<cv::Vec3f>(y);
      const uchar* pm = mask.ptr<uchar>(y);
      double aa0 = 0, aa1 = 0, aa2 = 0, ab0 = 0, ab1 = 0, ab2 = 0, bb0 = 0, bb1 = 0, bb2 = 0;
      double ae0 = 0, ae1 = 0, be0 = 0, be1 = 0;
      for (int x = 0; x < a.cols; ++x) {
        if (!pm[x]) continue;
        const double e = pa[x] - (pw[x][0] * g + c);
        const double ga = pw[x][1] * g, gb = pw[x][2] * g, fx = x;
        const double sa2 = ga * ga, sab = ga * gb, sb2 = gb * gb;
        aa0 += sa2, aa1 += sa2 * fx, aa2 += sa2 * fx * fx;
        ab0 += sab, ab1 += sab * fx, ab2 += sab * fx * fx;
        bb0 += sb2, bb1 += sb2 * fx, bb2 += sb2 * fx * fx;
        ae0 += ga * e, ae1 += ga * e * fx;
        be0 += gb * e, be1 += gb * e * fx;
      }
      const double fy = y, fy2 = fy * fy;
      h(0, 0) += aa2, h(0, 1) += fy * aa1, h(0, 2) += aa1, h(0, 3) += ab2, h(0, 4) += fy * ab1, h(0, 5) += ab1;
      h(1, 1) += fy2 * aa0, h(1, 2) += fy * aa0, h(1, 3) += fy * ab1, h(1, 4) += fy2 * ab0, h(1, 5) += fy * ab0;
      h(2, 2) += aa0, h(2, 3) += ab1, h(2, 4) += fy * ab0, h(2, 5) += ab0;
      h(3, 3) += bb2, h(3, 4) += fy * bb1, h(3, 5) += bb1;
      h(4, 4) += fy2 * bb0, h(4, 5) += fy * bb0;
      h(5, 5) += bb0;
      r(0) += ae1, r(1) += fy * ae0, r(2) += ae0, r(3) += be1, r(4) += fy * be0, r(5) += be0;
    }
    for (int p = 0; p < 6; ++p)
      for (int q = 0; q < p; ++q) h(p, q) = h(q, p);
    cv::Matx61d d;
    if (!cv::solve(h, r, d, cv::DECOMP_CHOLESKY)) return m;
    for (int p = 0; p < 6; ++p) inv.at<double>(p / 3, p % 3) += d(p);
    const double shift = std::abs(d(2)) + std::abs(d(5)) +
                         (std::abs(d(0)) + std::abs(d(1)) + std::abs(d(3)) + std::abs(d(4))) * std::max(a.cols, a.rows);
    // Done when a step moves the copy's pixels by less than 0.05 px in all (0.02 took a step more, with no change to
    // any burst score's fourth decimal on the eleven trace sets).
    if (shift < 0.05) break;
  }
  cv::Mat out;
  cv::invertAffineTransform(inv, out);
  if (cv::norm(out - m, cv::NORM_INF) > 0.03 * std::max(a.cols, a.rows)) return m;
  return out;
}

// Registered outlines: the share of b's outline (warped by m into a's frame) inside a's (b_is_copy), or of a's
// outline inside b's warped one (otherwise): the share of the copy that the frame holds.
double share_inside(const cv::Mat& m, cv::Size b, cv::Size a, bool b_is_copy) {
  std::vector<cv::Point2f> rect_b = {
      {0, 0}, {float(b.width), 0}, {float(b.width), float(b.height)}, {0, float(b.height)}};
  std::vector<cv::Point2f> warped,
      rect_a = {{0, 0}, {float(a.width), 0}, {float(a.width), float(a.height)}, {0, float(a.height)}};
  cv::transform(rect_b, warped, m);
  std::vector<cv::Point2f> inter;
  const double both = cv::intersectConvexConvex(warped, rect_a, inter, true);
  const double whole = b_is_copy ? cv::contourArea(warped) : static_cast<double>(a.area());
  return whole > 0 ? std::clamp(both / whole, 0.0, 1.0) : 0.0;
}

// The mean of `values` over `mask`'s pixels in each cell of an n×n grid (cell edges at i·size/n), in one pass:
// -1 for a cell that the mask covers less than half of. `total` gets the whole mask's sum and pixel count. The mask
// holds 0 or 255; each cell's stretch of a row is summed without branches (8-bit values in integers, which the
// compiler vectorises; the sums are exact either way).
template <typename T>
std::vector<double> cell_means(const cv::Mat& values, const cv::Mat& mask, int n, double* total_sum = nullptr,
                               double* total_count = nullptr) {
  using Acc = std::conditional_t<std::is_same_v<T, uchar>, std::uint32_t, double>;
  std::vector<double> sum(static_cast<std::size_t>(n * n), 0.0);
  std::vector<int> count(static_cast<std::size_t>(n * n), 0);
  for (int cy = 0; cy < n; ++cy) {
    for (int y = cy * values.rows / n; y < (cy + 1) * values.rows / n; ++y) {
      const T* v = values.ptr<T>(y);
      const uchar* m = mask.ptr<uchar>(y);
      for (int cx = 0; cx < n; ++cx) {
        const std::size_t k = static_cast<std::size_t>(cy * n + cx);
        // Floating-point sums go on from the cell's sum, in pixel order (the order the sums always had).
        Acc s = std::is_same_v<T, uchar> ? Acc{0} : static_cast<Acc>(sum[k]);
        int c = 0;
        for (int x = cx * values.cols / n; x < (cx + 1) * values.cols / n; ++x) {
          const int in = m[x] != 0;
          if constexpr (std::is_same_v<T, uchar>) {
            s += static_cast<Acc>(v[x] & static_cast<uchar>(-in));
          } else {
            s += in ? static_cast<Acc>(v[x]) : Acc{0};
          }
          c += in;
        }
        if constexpr (std::is_same_v<T, uchar>) {
          sum[k] += static_cast<double>(s);
        } else {
          sum[k] = s;
        }
        count[k] += c;
      }
    }
  }
  std::vector<double> out(static_cast<std::size_t>(n * n), -1.0);
  double all = 0, pixels = 0;
  for (int cy = 0; cy < n; ++cy) {
    const int h = (cy + 1) * values.rows / n - cy * values.rows / n;
    for (int cx = 0; cx < n; ++cx) {
      const int w = (cx + 1) * values.cols / n - cx * values.cols / n;
      const std::size_t k = static_cast<std::size_t>(cy * n + cx);
      all += sum[k], pixels += count[k];
      if (count[k] > 0 && count[k] >= w * h / 2) out[k] = sum[k] / count[k];
    }
  }
  if (total_sum) *total_sum = all;
  if (total_count) *total_count = pixels;
  return out;
}

}  // namespace

Result<PairVerdict> OpenCvPairVerifier::verify(const Photo&, std::string_view grid_jpeg_a, const Photo&,
                                               std::string_view grid_jpeg_b) const {
  try {
    const PairVerifierOptions& o = options_;
    // Compare at the smaller one's scale: detail that only the larger copy has is not a difference.
    const int edge_a = long_edge(grid_jpeg_a), edge_b = long_edge(grid_jpeg_b);
    if (edge_a == 0 || edge_b == 0) return Status::InvalidArgument("grid thumbnail cannot be decoded");
    const int work = std::min(o.work_px, std::min(edge_a, edge_b));
    auto feat_a = features(grid_jpeg_a, work);
    auto feat_b = features(grid_jpeg_b, work);
    if (!feat_a || !feat_b) return Status::InvalidArgument("grid thumbnail cannot be decoded");
    // Register the smaller onto the larger so the warp never magnifies much.
    const bool swapped = feat_b->gray.total() > feat_a->gray.total();
    if (swapped) std::swap(feat_a, feat_b);
    const cv::Mat& a = feat_a->gray;
    const cv::Mat& b = feat_b->gray;
    Registration reg = register_pair(a, feat_a->keys, feat_a->descriptors, b, feat_b->keys, feat_b->descriptors, o);
    if (o.score_by_coverage && reg.by_features && work >= o.refine_min_px) reg.m = refine(a, b, reg.m);
    const double sx = reg.m.at<double>(0, 0), sy = reg.m.at<double>(1, 0);
    const double scale = std::sqrt(sx * sx + sy * sy);
    const double rot = std::abs(std::atan2(sy, sx)) * 180.0 / CV_PI;
    char buf[200];
    if (reg.by_features && (rot > o.max_rotation_deg || scale > o.max_scale_change ||
                            scale < 1.0 / o.max_scale_change)) {
      std::snprintf(buf, sizeof buf, "registration: rotation %.1f deg, scale %.2f", rot, scale);
      return PairVerdict{false, 0.0f, buf};
    }
    cv::Mat wb, mask;
    cv::warpAffine(b, wb, reg.m, a.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
    cv::Mat ones(b.size(), CV_8U, cv::Scalar(255));
    cv::warpAffine(ones, mask, reg.m, a.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
    cv::erode(mask, mask, cv::Mat(), cv::Point(-1, -1), 2);  // drop interpolated borders
    const double overlap = cv::countNonZero(mask);
    const double cover_a = overlap / static_cast<double>(a.total());
    const double cover_b = overlap / (static_cast<double>(b.total()) * scale * scale);
    const double coverage = std::min(cover_a, std::min(1.0, cover_b));
    if (coverage < o.min_coverage) {
      std::snprintf(buf, sizeof buf, "overlap covers %.0f%% only", coverage * 100);
      return PairVerdict{false, static_cast<float>(coverage * 0.5), buf};
    }

    // Levels matched over the overlap, then a blur that hides compression and resampling noise.
    const cv::Mat& fa = feat_a->blurred();
    cv::Mat fb;
    cv::GaussianBlur(wb, fb, cv::Size(0, 0), Features::kResidualBlur);
    fb = match_levels(fa, fb, mask);
    cv::Scalar ma, sa, mb, sb;
    cv::meanStdDev(fa, ma, sa, mask);
    cv::meanStdDev(fb, mb, sb, mask);
    if (sa[0] < 2.0 || sb[0] < 2.0) {
      // A blank frame has nothing to compare: two of them look alike whatever they were. Byte-equal
      // copies are still found as exact duplicates.
      return PairVerdict{false, 0.0f, "flat image: nothing to compare"};
    }
    // Normalized cross-correlation and the residual |fa − fb| over the overlap, in one pass.
    double cross = 0;
    cv::Mat resid(fa.size(), CV_8U);
    for (int y = 0; y < fa.rows; ++y) {
      const uchar* pa = fa.ptr<uchar>(y);
      const uchar* pb = fb.ptr<uchar>(y);
      const uchar* pm = mask.ptr<uchar>(y);
      uchar* pr = resid.ptr<uchar>(y);
      for (int x = 0; x < fa.cols; ++x) {
        pr[x] = static_cast<uchar>(std::abs(pa[x] - pb[x]));
        if (pm[x]) cross += (pa[x] - ma[0]) * (pb[x] - mb[0]);
      }
    }
    const double ncc = overlap > 0 ? cross / (overlap * sa[0] * sb[0]) : 0.0;

    // Cell map of the residual.
    const int cells = 8;
    double resid_sum = 0, resid_count = 0;
    const std::vector<double> cell = cell_means<uchar>(resid, mask, cells, &resid_sum, &resid_count);
    std::vector<double> vals;
    for (double v : cell)
      if (v >= 0) vals.push_back(v);
    if (vals.empty()) return PairVerdict{false, 0.0f, "no comparable cells"};
    std::sort(vals.begin(), vals.end());
    const double median = vals[vals.size() / 2];
    const double mean_resid = resid_count > 0 ? resid_sum / resid_count : 0.0;
    // Hot cells, and whether all of them fit in one corner block (a watermark).
    int hot = 0, outside_corner[4] = {0, 0, 0, 0};
    for (int cy = 0; cy < cells; ++cy) {
      for (int cx = 0; cx < cells; ++cx) {
        double v = cell[cy * cells + cx];
        if (v < 0 || v < o.hot_cell || v < o.hot_ratio * median) continue;
        ++hot;
        const int k = o.corner_block;
        bool left = cx < k, right = cx >= cells - k, top = cy < k, bottom = cy >= cells - k;
        if (!(top && left)) ++outside_corner[0];
        if (!(top && right)) ++outside_corner[1];
        if (!(bottom && left)) ++outside_corner[2];
        if (!(bottom && right)) ++outside_corner[3];
      }
    }
    const int stray = *std::min_element(outside_corner, outside_corner + 4);
    // Tracing: the residual's cells on a grid over the web copy (the first photo), so that a logo or a border of
    // the copy falls in the same cells against every frame, whatever the frame's shift; -1 where the frame does
    // not hold the cell. The score drops with the third-worst of them: where someone moved between two frames
    // (several cells), not a logo (one or two cells, the same against every frame).
    std::vector<float> copy_cells;
    double third = 0;
    if (o.score_by_coverage) {
      std::vector<double> cc;
      if (swapped) {  // the copy is b: back into b's own coordinates
        cv::Mat fres, cres, cmask;
        resid.convertTo(fres, CV_32F);
        cv::warpAffine(fres, cres, reg.m, b.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, 0);
        cv::warpAffine(mask, cmask, reg.m, b.size(), cv::INTER_NEAREST | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT, 0);
        cc = cell_means<float>(cres, cmask, cells);
      } else {
        cc = cell;
      }
      copy_cells.assign(cells * cells, -1.0f);
      std::vector<double> cvals;
      for (std::size_t k = 0; k < cc.size(); ++k) {
        if (cc[k] < 0) continue;
        copy_cells[k] = static_cast<float>(cc[k]);
        cvals.push_back(cc[k]);
      }
      std::sort(cvals.begin(), cvals.end());
      if (!cvals.empty()) third = cvals[cvals.size() >= 3 ? cvals.size() - 3 : 0];
    }
    // The share of the first thumbnail (tracing: the web copy) that lies inside the second (the frame), from the
    // registered outlines (exact geometry, no eroded pixel mask): 1 when the frame holds the whole copy, whatever
    // small error the registered scale has; the share of the frame that the copy covers moves with that error.
    const double copy_cover = share_inside(reg.m, b.size(), a.size(), swapped);
    const double fit = std::clamp(ncc, 0.0, 1.0) * copy_cover;
    const float score = static_cast<float>(o.score_by_coverage ? fit - third / 255.0 : std::clamp(ncc, 0.0, 1.0));
    std::snprintf(buf, sizeof buf,
                  "%s, cover %.2f (copy %.2f), ncc %.3f, residual mean %.1f median %.1f max %.1f, hot cells %d (%d "
                  "outside a corner)",
                  reg.by_features ? "orb" : "resize", coverage, copy_cover, ncc, mean_resid, median, vals.back(), hot,
                  stray);
    const bool dup = ncc >= o.min_correlation && stray <= o.max_hot_cells && mean_resid <= o.max_mean_residual;
    PairVerdict verdict{dup, score, buf};
    if (o.score_by_coverage) verdict.fit = static_cast<float>(fit), verdict.cells = std::move(copy_cells);
    return verdict;
  } catch (const cv::Exception& e) {
    return Status::InvalidArgument(std::string("pair check failed: ") + e.what());
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("pair check failed: ") + e.what());
  }
}

}  // namespace kho::thumb
