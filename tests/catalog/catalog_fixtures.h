// Record builders shared by the core tests.
#pragma once

#include <string>

#include "kho/catalog.h"
#include "kho/model.h"

namespace kho::testing {

inline Digest digest_of(int n) {
  Digest d;
  for (size_t i = 0; i < d.bytes.size(); ++i)
    d.bytes[i] = static_cast<std::uint8_t>((n * 31 + static_cast<int>(i) * 7) & 0xff);
  d.bytes[0] = static_cast<std::uint8_t>(n & 0xff);
  d.bytes[1] = static_cast<std::uint8_t>((n >> 8) & 0xff);
  return d;
}

inline Photo sample_photo(int n) {
  Photo p;
  p.digest = digest_of(n);
  p.size = 1000u + static_cast<unsigned>(n);
  p.width = 4000;
  p.height = 3000;
  p.meta.format = "jpeg";
  p.meta.width = 4000;
  p.meta.height = 3000;
  p.meta.orientation = 6;
  p.meta.make = "Canon";
  p.meta.model = "Canon EOS 80D";
  p.meta.datetime_original = "2020-11-18T08:15:02.25+07:00";
  p.meta.exposure_time = 1.0 / 250;
  p.meta.f_number = 5.6;
  p.meta.iso = 400;
  p.meta.focal_length = 35;
  p.meta.gps_lat = -33.8567844;
  p.meta.gps_lon = 151.213108;
  p.meta.gps_alt = -12.5;
  p.meta.description = "Đồng chí Lê Anh Xuân tiếp đoàn công tác";
  p.meta.keywords = {"Thanh Hoá", "Sơn La"};
  p.meta.creator = "Thu Hiền";
  p.meta.warnings = {"maker note offset looks wrong"};
  p.sig.phash = 0x0123456789abcdefull + static_cast<unsigned>(n);
  p.sig.block_mean.assign(32, 0x5a);
  p.sig.color_moment.assign(42, 1.5f);
  p.has_signatures = true;
  p.has_thumbs = false;
  p.added_at = 1605661200 + n;
  p.first_path = "/photos/event/ảnh " + std::to_string(n) + ".jpg";
  return p;
}

inline Article sample_article(const std::string& id, const std::string& event_id) {
  Article a;
  a.id = id;
  a.title = "ĐOÀN CÔNG TÁC TỈNH SƠN LA THĂM VÀ LÀM VIỆC TẠI THÀNH PHỐ THANH HÓA";
  a.date = "2020-11-18T00:00:00+07:00";
  a.author = "Thu Hiền (Trung tâm Văn hóa)";
  a.refs = {{"ảnh 1.jpg", "Toàn cảnh", std::nullopt, std::nullopt},
            {"ảnh 2.jpg", std::nullopt, "Một số hình ảnh", "Ảnh: PV"}};
  a.blocks = {{ArticleBlock::Kind::kParagraph, "Sáng 18/11/2020 …", 0},
              {ArticleBlock::Kind::kPhoto, "", 0},
              {ArticleBlock::Kind::kGroupCaption, "Một số hình ảnh", 0},
              {ArticleBlock::Kind::kPhoto, "", 1}};
  a.sources = {"/exports/000.txt"};
  a.copies = 2;
  a.event_id = event_id;
  return a;
}

// Whether `kho verify`'s report names a problem containing `needle`.
inline bool mentions(const VerifyReport& r, const std::string& needle) {
  for (const auto& p : r.problems)
    if (p.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace kho::testing
