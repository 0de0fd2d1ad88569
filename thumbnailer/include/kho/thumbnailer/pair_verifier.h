// OpenCvPairVerifier: the pixel check behind near duplicates (docs/duplicates.md).
//
// Given two 320 px grid thumbnails of a candidate pair, it (1) registers one onto the other with ORB
// keypoints and a RANSAC similarity transform (rotation, scale, shift), falling back to a plain resize
// when there are too few keypoints; (2) requires the registered overlap to cover most of both images
// (crops of one large photo that overlap by less than half are not copies); (3) matches grey levels
// (histograms) over the overlap and looks at where the residual differences are: a copy's residual is low
// and spread evenly (compression, blur, resampling), another frame of the same scene has a few cells
// with large residuals (people who moved). A lone corner cluster of hot cells is allowed (watermark).
// verify() is thread-safe. A photo with several copies is in several candidate pairs, so the features of
// recently seen thumbnails (grey pixels at the working size, ORB keypoints and descriptors, ~85 KB; twice that
// at the previews' 480 px, and the blurred grey pixels too once the thumbnail is the larger of a pair) are
// cached under a 64-bit hash of the JPEG's bytes, its size and the working size. The cache holds at most
// 64 entries and is emptied when it is full (not least-recently-used: the pairs of one photo come
// together). ORB is deterministic, so the cache changes the cost, never a verdict (barring a 64-bit
// hash collision). OpenCV exceptions stop here and become a Status.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "kho/dups.h"

namespace kho::thumb {

struct PairVerifierOptions {
  int work_px = 256;             // long edge both are compared at (or the smaller thumbnail's, if less)
  int min_inliers = 12;          // RANSAC inliers needed to trust a registration
  double max_rotation_deg = 8;   // larger rotations are other photos (or edits we do not call copies)
  double max_scale_change = 4.5;  // between the two registered thumbnails (a 25% copy of a small photo)
  double min_coverage = 0.66;    // overlap / area, for each of the two images
  double min_correlation = 0.80;  // normalized cross-correlation over the overlap
  double hot_cell = 14.0;        // a cell's mean residual (grey levels, after the photometric fit) that is "hot"
  double hot_ratio = 3.0;        // … and this many times the median cell residual
  int max_hot_cells = 0;         // hot cells allowed outside one corner block
  int corner_block = 3;          // a watermark may occupy this many cells square at one corner
  double max_mean_residual = 9.0;  // overall mean residual of a copy
  // Tracing (kho/trace.h) compares a web copy with burst frames on previews: score = correlation × coverage −
  // the third-largest cell residual / 255 (a logo fills one or two cells), so a frame shifted against the copy,
  // or one where someone moved, scores below the one the copy was made from. The verdict is unchanged.
  bool score_by_coverage = false;
  // With score_by_coverage, a registration compared at a long edge of at least this many pixels (the previews, not
  // the 320 px grid thumbnails, whose stage only rules frames out by a wide margin) is refined to a fraction of a
  // pixel: burst frames differ by a sliver of one or two pixels at the copy's border (docs/tracing.md).
  int refine_min_px = 400;
  // ORB's pyramid levels (scale factor 1.2 between levels): 6 reach a copy at 40 % of the other's size. Tracing
  // compares a web copy with frames at one working size, where the scales differ by a crop's few per cent: one
  // level registers every crop that min_coverage lets through (a test checks it on eight real photos) and gives
  // the same decisions as 3 or 6 for less than half the feature work (docs/tracing.md, "Bursts", rule version 5).
  int orb_levels = 6;
};

class OpenCvPairVerifier final : public kho::PairVerifier {
 public:
  explicit OpenCvPairVerifier(PairVerifierOptions options = {});
  ~OpenCvPairVerifier() override;
  // duplicate=true only when registration, coverage, correlation and the residual map all agree; two
  // flat (blank) thumbnails are never duplicates here. The reason names the deciding measurement.
  // `a` and `b` are not looked at: only the thumbnails are. Errors: InvalidArgument when a thumbnail
  // cannot be decoded or OpenCV fails on it ("pair check failed: …").
  Result<PairVerdict> verify(const Photo& a, std::string_view grid_jpeg_a, const Photo& b,
                             std::string_view grid_jpeg_b) const override;

 private:
  struct Features;  // one thumbnail, grey, at the working size, with its ORB keypoints and descriptors
  std::shared_ptr<const Features> features(std::string_view jpeg, int work) const;

  PairVerifierOptions options_;
  static constexpr std::size_t kCacheEntries = 64;  // 85–300 KB each; emptied when full
  mutable std::mutex mu_;
  // A thumbnail being worked on is in the cache already, as a future the other threads wait on.
  mutable std::unordered_map<std::uint64_t, std::shared_future<std::shared_ptr<const Features>>> cache_;
};

}  // namespace kho::thumb
