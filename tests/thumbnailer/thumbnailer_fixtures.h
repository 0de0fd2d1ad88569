// Helpers shared by the thumbnailer tests: fixture bytes and decoding a derivative for pixel checks.
#pragma once

#include <opencv2/imgcodecs.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "test_support.h"

namespace kho::thumb::testing {

// The bytes of tests/data/images/<name>.
inline std::vector<std::uint8_t> image(const std::string& name) {
  const std::string bytes = kho::testing::read_file(kho::testing::test_data_dir() / "images" / name);
  return {bytes.begin(), bytes.end()};
}

// Decodes a derivative's JPEG as it is stored. Derivatives are already upright, so OpenCV must not rotate
// them again (they carry no EXIF anyway; the flag says so explicitly).
inline cv::Mat decode(const std::string& jpeg) {
  return cv::imdecode(cv::Mat(1, static_cast<int>(jpeg.size()), CV_8UC1, const_cast<char*>(jpeg.data())),
                      cv::IMREAD_COLOR | cv::IMREAD_IGNORE_ORIENTATION);
}

}  // namespace kho::thumb::testing
