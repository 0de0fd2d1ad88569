// kho-bench-gen-archive: writes a large synthetic archive straight into the catalog (no files on disk), for
// the page benchmarks of bench/web/page_latency.sh: many events (the home page) and one event with many
// photos (the event page).
//
//   kho-bench-gen-archive ARCHIVE_DIR [EVENTS=50000] [BIG_EVENT_PHOTOS=5000]
//
// Each event gets a dated folder ("/bench/2019-03-07 Sự kiện 123"), one article (a title, two paragraphs,
// a captioned photo) and one photo (its cover). The big event gets BIG_EVENT_PHOTOS photos named
// IMG_1.JPG … (so the natural sort matters), with capture times, sizes and a description, and an article
// that places its first 40 photos. Thumbnails are small stand-in bytes. Prints the big event's id.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "kho/catalog.h"

namespace {

kho::Digest digest_of(std::uint64_t n, std::uint8_t kind) {
  kho::Digest d;
  for (int i = 0; i < 8; ++i) d.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  d.bytes[31] = kind;
  d.bytes[30] = 0x5a;
  return d;
}

std::string two(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u", v);
  return buf;
}

kho::Photo photo_for(const kho::Digest& d, const std::string& path, const std::string& when, std::size_t i) {
  kho::Photo p;
  p.digest = d;
  p.size = 2'400'000 + i;
  p.width = 1600;
  p.height = 1067;
  p.meta.format = "jpeg";
  p.meta.width = 1600;
  p.meta.height = 1067;
  p.meta.make = "NIKON CORPORATION";
  p.meta.model = "NIKON D750";
  p.meta.datetime_original = when;
  p.meta.description = "Người dân Quảng Bình di chuyển đồ đạc lên chỗ cao khi nước lũ lên nhanh, ảnh số " +
                       std::to_string(i);
  p.meta.credit = "Thành Nguyễn";  // IPTC Credit holds the name; the pages write "Ảnh:" before it
  p.has_thumbs = true;
  p.first_path = path;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: kho-bench-gen-archive ARCHIVE_DIR [EVENTS=50000] [BIG_EVENT_PHOTOS=5000]\n");
    return 2;
  }
  const std::size_t events = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 50000;
  const std::size_t big = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 5000;
  auto cat = kho::Catalog::open(argv[1]);
  if (!cat.ok()) {
    std::fprintf(stderr, "kho-bench-gen-archive: %s\n", cat.status().to_string().c_str());
    return 1;
  }
  const std::string thumb(2000, 'j');  // stand-in bytes: the pages only link thumbnails
  kho::WriteBatch batch;
  auto flush = [&](bool force) {
    if (!force && batch.size() < 4000) return true;
    kho::Status st = (*cat)->write(batch);
    batch.clear();
    if (!st.ok()) std::fprintf(stderr, "kho-bench-gen-archive: %s\n", st.to_string().c_str());
    return st.ok();
  };

  for (std::size_t i = 0; i < events; ++i) {
    const unsigned year = 2005 + static_cast<unsigned>(i % 20), month = 1 + static_cast<unsigned>(i / 20 % 12),
                   day = 1 + static_cast<unsigned>(i / 240 % 28);
    const std::string date = std::to_string(year) + "-" + two(month) + "-" + two(day);
    const std::string folder = "/bench/" + date + " Sự kiện " + std::to_string(i);
    kho::Event ev;
    ev.folder = folder;
    ev.id = kho::event_id_for_folder(folder);
    ev.title = "Lũ lụt miền Trung, bài số " + std::to_string(i) + ": người dân Quảng Bình chạy lũ";
    ev.date = date + "T08:30:00+07:00";
    ev.photo_count = 1;
    kho::Digest d = digest_of(i, 1);
    ev.cover = d;
    kho::Article a;
    a.id = ev.id;  // any 16 hex digits
    a.title = ev.title;
    a.date = ev.date;
    a.event_id = ev.id;
    a.blocks.push_back({kho::ArticleBlock::Kind::kParagraph, "Nước lũ dâng cao khiến nhiều xã bị chia cắt.", 0});
    a.blocks.push_back({kho::ArticleBlock::Kind::kPhoto, "", 0});
    kho::PhotoRef r;
    r.ref = "IMG_1.JPG";
    r.caption = "Người dân sơ tán khỏi vùng ngập, sáng " + date + ".";
    a.refs.push_back(r);
    ev.article_ids.push_back(a.id);
    const std::string path = folder + "/IMG_1.JPG";
    batch.put_photo(photo_for(d, path, date + "T08:00:00", i));
    batch.put_thumb(d, kho::ThumbSize::kGrid, thumb);
    kho::File f;
    f.path = path;
    f.digest = d;
    f.size = 2'400'000;
    f.event_id = ev.id;
    batch.put_file(f);
    batch.put_article(a);
    kho::Link l;
    l.position = 0;
    l.digest = d;
    l.path = path;
    l.ref = r.ref;
    l.caption = r.caption;
    l.method = kho::LinkMethod::kExact;
    l.confidence = 1.0f;
    batch.put_links(a.id, {l});
    batch.put_event(ev);
    if (!flush(false)) return 1;
  }

  const std::string folder = "/bench/2021-06-01 Sự kiện lớn";
  kho::Event ev;
  ev.folder = folder;
  ev.id = kho::event_id_for_folder(folder);
  ev.title = "Sự kiện lớn: " + std::to_string(big) + " ảnh";
  ev.date = "2021-06-01T07:00:00+07:00";
  ev.photo_count = static_cast<std::uint32_t>(big);
  kho::Article a;
  a.id = "b16e000000000000";
  a.title = ev.title;
  a.date = ev.date;
  a.event_id = ev.id;
  std::vector<kho::Link> links;
  for (std::size_t i = 0; i < big; ++i) {
    kho::Digest d = digest_of(i, 2);
    const std::string name = "IMG_" + std::to_string(i + 1) + ".JPG";
    const std::string path = folder + "/" + name;
    // Capture times in a shuffled order, so that the time sort differs from the name sort.
    const std::size_t t = (i * 7919) % big;
    const std::string when = "2021-06-01T" + two(static_cast<unsigned>(7 + t / 3600 % 12)) + ":" +
                             two(static_cast<unsigned>(t / 60 % 60)) + ":" + two(static_cast<unsigned>(t % 60));
    batch.put_photo(photo_for(d, path, when, i));
    batch.put_thumb(d, kho::ThumbSize::kGrid, thumb);
    kho::File f;
    f.path = path;
    f.digest = d;
    f.size = 2'400'000;
    f.event_id = ev.id;
    batch.put_file(f);
    if (i == 0) ev.cover = d;
    if (i < 40) {
      a.blocks.push_back({kho::ArticleBlock::Kind::kParagraph,
                          "Đoạn " + std::to_string(i) + ": nước lũ dâng cao, người dân di chuyển đồ đạc.", 0});
      a.blocks.push_back({kho::ArticleBlock::Kind::kPhoto, "", static_cast<std::uint32_t>(i)});
      kho::PhotoRef r;
      r.ref = name;
      r.caption = "Chú thích ảnh " + std::to_string(i + 1) + ": người dân sơ tán.";
      a.refs.push_back(r);
      kho::Link l;
      l.position = static_cast<std::uint32_t>(i);
      l.digest = d;
      l.path = path;
      l.ref = name;
      l.caption = r.caption;
      l.method = kho::LinkMethod::kExact;
      l.confidence = 1.0f;
      links.push_back(l);
    }
    if (!flush(false)) return 1;
  }
  ev.article_ids.push_back(a.id);
  batch.put_article(a);
  batch.put_links(a.id, links);
  batch.put_event(ev);
  if (!flush(true)) return 1;
  std::printf("%s\n", ev.id.c_str());
  return 0;
}
