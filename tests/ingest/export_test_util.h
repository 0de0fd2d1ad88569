// Shared by the export tests: independent readers of JPEG scan data and of the IPTC IIM datasets of an APP13
// Photoshop block, parsed here by hand (not by Exiv2, which wrote them); the File record of an original.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kho/model.h"

namespace kho::testing {

// The bytes from the first start-of-scan marker to the end of the file (the compressed image data and
// everything after it); empty when no SOS is found.
inline std::string scan_data(std::string_view jpeg) {
  std::size_t i = 2;
  while (i + 4 <= jpeg.size()) {
    if (static_cast<unsigned char>(jpeg[i]) != 0xFF) return {};
    const unsigned char m = static_cast<unsigned char>(jpeg[i + 1]);
    if (m == 0xFF) {
      ++i;
      continue;
    }
    if (m == 0xDA) return std::string(jpeg.substr(i));
    const std::size_t len = (static_cast<unsigned char>(jpeg[i + 2]) << 8) | static_cast<unsigned char>(jpeg[i + 3]);
    i += 2 + len;
  }
  return {};
}

struct IimDataset {
  int record = 0;
  int dataset = 0;
  std::string value;
};

// Every IIM dataset of every APP13 "Photoshop 3.0" resource 0x0404 before the scan.
inline std::vector<IimDataset> iim_datasets(std::string_view jpeg) {
  std::vector<IimDataset> out;
  auto u8 = [&](std::size_t at) { return static_cast<unsigned char>(jpeg[at]); };
  std::size_t i = 2;
  while (i + 4 <= jpeg.size() && u8(i) == 0xFF) {
    const unsigned char m = u8(i + 1);
    if (m == 0xDA || m == 0xD9) break;
    const std::size_t len = (u8(i + 2) << 8) | u8(i + 3);
    std::string_view seg = jpeg.substr(i + 4, len - 2);
    constexpr std::string_view kPs("Photoshop 3.0\0", 14);
    if (m == 0xED && seg.substr(0, kPs.size()) == kPs) {
      std::size_t p = kPs.size();
      while (p + 12 <= seg.size() && seg.substr(p, 4) == "8BIM") {
        const int id = (static_cast<unsigned char>(seg[p + 4]) << 8) | static_cast<unsigned char>(seg[p + 5]);
        std::size_t name_len = static_cast<unsigned char>(seg[p + 6]);
        std::size_t q = p + 6 + 1 + name_len;
        if ((1 + name_len) % 2) ++q;
        if (q + 4 > seg.size()) break;
        std::size_t size = 0;
        for (int k = 0; k < 4; ++k) size = (size << 8) | static_cast<unsigned char>(seg[q + k]);
        q += 4;
        if (q + size > seg.size()) break;
        if (id == 0x0404) {
          std::string_view iim = seg.substr(q, size);
          std::size_t r = 0;
          while (r + 5 <= iim.size() && iim[r] == 0x1C) {
            IimDataset d;
            d.record = static_cast<unsigned char>(iim[r + 1]);
            d.dataset = static_cast<unsigned char>(iim[r + 2]);
            const std::size_t n = (static_cast<unsigned char>(iim[r + 3]) << 8) |
                                  static_cast<unsigned char>(iim[r + 4]);
            if (n & 0x8000) break;  // extended datasets are not written by Kho
            d.value = std::string(iim.substr(r + 5, n));
            out.push_back(std::move(d));
            r += 5 + n;
          }
        }
        p = q + size + (size % 2);
      }
    }
    i += 2 + len;
  }
  return out;
}

// The File record ingest would write for `path` now (size and mtime as stat gives them): what an export checks
// the original against.
inline File file_record(const std::filesystem::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  File f;
  f.path = path.string();
  f.size = static_cast<std::uint64_t>(st.st_size);
  f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return f;
}

}  // namespace kho::testing
