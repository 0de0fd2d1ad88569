// Writes the seed corpus of fuzz_record_codec (corpus/record_codec/): one encoded value of each record type,
// filled the way ingest fills them, plus a sealed value. Not built by default; see README.md.
//   cmake --build build --target make_codec_seeds && build/tests/fuzz/make_codec_seeds tests/fuzz/corpus/record_codec
#include <cstdio>
#include <fstream>
#include <string>

#include "core/catalog/src/record_codec.h"
#include "kho/catalog.h"

namespace {

void write(const std::string& dir, const std::string& name, const std::string& bytes) {
  std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  kho::Digest digest = *kho::Digest::from_hex("5c2a1f0e9d8b7a6c5c2a1f0e9d8b7a6c5c2a1f0e9d8b7a6c5c2a1f0e9d8b7a6c");

  kho::Photo photo;
  photo.digest = digest;
  photo.size = 2'345'678;
  photo.width = 4000;
  photo.height = 3000;
  photo.meta.format = "jpeg";
  photo.meta.width = 4000;
  photo.meta.height = 3000;
  photo.meta.orientation = 6;
  photo.meta.make = "Canon";
  photo.meta.model = "Canon EOS 5D Mark IV";
  photo.meta.datetime_original = "2020-11-18T09:15:00.25+07:00";
  photo.meta.exposure_time = 1.0 / 250;
  photo.meta.f_number = 5.6;
  photo.meta.iso = 400;
  photo.meta.focal_length = 35;
  photo.meta.gps_lat = 19.8067;
  photo.meta.gps_lon = 105.7852;
  photo.meta.gps_alt = -3.5;
  photo.meta.description = "Lãnh đạo tỉnh Thanh Hóa thăm bộ phận một cửa";
  photo.meta.keywords = {"Thanh Hóa", "hành chính công"};
  photo.meta.creator = "Nguyễn Văn A";
  photo.meta.warnings = {"EXIF: damaged block, salvaged with libexif"};
  photo.sig.phash = 0x0123456789abcdefULL;
  photo.sig.block_mean.assign(32, 0x5a);
  photo.sig.color_moment.assign(42, 0.5f);
  photo.has_signatures = true;
  photo.has_thumbs = true;
  photo.added_at = 1'605'666'900;
  photo.first_path = "/srv/anh/2020-11-18 Thanh Hoa/IMG_0001.JPG";
  write(dir, "photo.bin", kho::codec::encode(photo));

  kho::File file{"/srv/anh/2020-11-18 Thanh Hoa/IMG_0001.JPG", digest, 2'345'678, 1'605'666'900'123'456'789,
                 "a1b2c3d4e5f60718"};
  write(dir, "file.bin", kho::codec::encode(file));

  kho::Event event;
  event.id = "a1b2c3d4e5f60718";
  event.folder = "/srv/anh/2020-11-18 Thanh Hoa";
  event.title = "Thanh Hóa: thăm bộ phận một cửa";
  event.date = "2020-11-18";
  event.article_ids = {"0011223344556677", "8899aabbccddeeff"};
  event.cover = digest;
  event.photo_count = 12;
  write(dir, "event.bin", kho::codec::encode(event));

  kho::Article article;
  article.id = "0011223344556677";
  article.title = "Thanh Hóa: thăm bộ phận một cửa";
  article.date = "2020-11-18T00:00:00+07:00";
  article.author = "Minh Hiếu (Cổng TTĐT)";
  article.blocks = {{kho::ArticleBlock::Kind::kParagraph, "Đoàn công tác đã đến thăm.", 0},
                    {kho::ArticleBlock::Kind::kPhoto, "", 0},
                    {kho::ArticleBlock::Kind::kGroupCaption, "Một số hình ảnh:", 0}};
  kho::PhotoRef ref;
  ref.ref = "thăm bộ phận một cửa.jpg";
  ref.caption = "Lãnh đạo tỉnh thăm hỏi cán bộ";
  ref.credit = "Ảnh: Minh Hiếu";
  article.refs = {ref};
  article.sources = {"/srv/anh/2020-11-18 Thanh Hoa/bai.txt"};
  article.copies = 2;
  article.event_id = "a1b2c3d4e5f60718";
  write(dir, "article.bin", kho::codec::encode(article));

  kho::Link link;
  link.article_id = "0011223344556677";
  link.position = 0;
  link.digest = digest;
  link.path = "/srv/anh/2020-11-18 Thanh Hoa/tham bo phan mot cua.jpg";
  link.ref = "thăm bộ phận một cửa.jpg";
  link.caption = "Lãnh đạo tỉnh thăm hỏi cán bộ";
  link.method = kho::LinkMethod::kSearchKey;
  link.confidence = 0.85f;
  write(dir, "link.bin", kho::codec::encode(link));

  write(dir, "sealed.bin", kho::seal_value("terms\x01\x02posting"));
  return 0;
}
