// kho-bench catalog: the catalog's write and read rates against a plain LMDB loop over the same bytes.
//
//   kho-bench catalog [--photos 100000] [--thumb-bytes 20000] [--batch 64] [--rounds 10] [--dir /tmp]
//
// Writes N photo records plus N thumbnail blobs in batches, then reads them back in random order, once
// through kho::Catalog (encode + checksum + index upkeep, decode on read) and once through a bare LMDB
// loop that puts and gets the same keys and values. The two alternate in rounds (writes in `rounds`
// slices, reads in ten times as many), each store going first in turn, so that both meet the same disk
// and cache conditions. Prints one JSON document with both rates and the ratios (the target: the catalog
// keeps >= 80% of raw LMDB's rates).
#include <benchmark/benchmark.h>
#include <lmdb.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/catalog/src/record_codec.h"
#include "kho/catalog.h"
#include "kho_bench.h"

namespace kho::bench {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Photo i's digest. The read loops call this alone (not make_photo) so that neither side's rate
// includes building a whole record.
Digest make_digest(std::uint32_t i) {
  Digest d;
  for (int b = 0; b < 32; ++b) d.bytes[b] = static_cast<std::uint8_t>((i * 2654435761u >> (b % 4 * 8)) + b);
  d.bytes[0] = static_cast<std::uint8_t>(i >> 24);
  d.bytes[1] = static_cast<std::uint8_t>(i >> 16);
  d.bytes[2] = static_cast<std::uint8_t>(i >> 8);
  d.bytes[3] = static_cast<std::uint8_t>(i);
  return d;
}

Photo make_photo(std::uint32_t i) {
  Photo p;
  p.digest = make_digest(i);
  p.size = 4'500'000 + i;
  p.width = 4000;
  p.height = 3000;
  p.meta.format = "jpeg";
  p.meta.make = "Canon";
  p.meta.model = "Canon EOS 80D";
  p.meta.datetime_original = "2020-11-18T08:15:02+07:00";
  p.meta.f_number = 5.6;
  p.meta.exposure_time = 0.004;
  p.meta.iso = 400;
  p.meta.description = "Đoàn công tác tỉnh Sơn La thăm và làm việc tại thành phố Thanh Hóa";
  p.sig.phash = 0x9e3779b97f4a7c15ull * i;
  p.sig.block_mean.assign(32, static_cast<std::uint8_t>(i));
  p.sig.color_moment.assign(42, 0.5f);
  p.has_signatures = p.has_thumbs = true;
  p.first_path = "/archive/2020/event-" + std::to_string(i / 50) + "/IMG_" + std::to_string(i) + ".jpg";
  return p;
}

// The two stores side by side. Writes and reads run in rounds that alternate which store goes first
// (ABBA), so both meet the same disk and cache weather: run one after the other, the second writer
// was 2-3x slower whichever it was (the first one's 2 GB were still being absorbed by the host's disk),
// which made a single-pass ratio anywhere from 0.4 to 3.4.
class Raw {
 public:
  explicit Raw(const std::string& dir) {
    fs::create_directories(dir);
    mdb_env_create(&env_);
    mdb_env_set_maxdbs(env_, 4);
    mdb_env_set_mapsize(env_, std::size_t{1} << 36);
    if (mdb_env_open(env_, dir.c_str(), MDB_NOTLS, 0644) != 0) std::exit(2);
    MDB_txn* txn;
    mdb_txn_begin(env_, nullptr, 0, &txn);
    mdb_dbi_open(txn, "photos", MDB_CREATE, &photos_);
    mdb_dbi_open(txn, "thumbs", MDB_CREATE, &thumbs_);
    mdb_txn_commit(txn);
  }
  ~Raw() { mdb_env_close(env_); }

  // The same encoded bytes the catalog stores (encoding is paid on both sides, so the ratio measures what
  // the catalog adds: recording the batch, replay safety, snapshots and checksummed decoding).
  void write(std::uint32_t first, std::uint32_t last, const std::string& blob, std::uint32_t batch) {
    MDB_txn* txn;
    mdb_txn_begin(env_, nullptr, 0, &txn);
    for (std::uint32_t i = first; i < last; ++i) {
      Photo p = make_photo(i);
      std::string value = codec::encode(p);
      std::string thumb = blob;  // the encoder's output, as in the catalog loop
      std::string tkey(p.digest.view());
      tkey.push_back('\0');
      MDB_val k{32, p.digest.bytes.data()}, v{value.size(), value.data()};
      MDB_val tk{tkey.size(), tkey.data()}, tv{thumb.size(), thumb.data()};
      if (mdb_put(txn, photos_, &k, &v, 0) || mdb_put(txn, thumbs_, &tk, &tv, 0)) std::exit(2);
      if ((i + 1 - first) % batch == 0 || i + 1 == last) {
        mdb_txn_commit(txn);
        if (i + 1 < last) mdb_txn_begin(env_, nullptr, 0, &txn);
      }
    }
  }

  std::size_t read(const std::uint32_t* ids, std::size_t n) {
    std::size_t bytes = 0;
    MDB_txn* txn;
    mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
    for (std::size_t j = 0; j < n; ++j) {
      Digest d = make_digest(ids[j]);
      char tkey[33];  // digest + size byte, on the stack as a careful LMDB user would
      std::memcpy(tkey, d.bytes.data(), 32);
      tkey[32] = '\0';
      MDB_val k{32, d.bytes.data()}, v, tk{sizeof tkey, tkey}, tv;
      if (mdb_get(txn, photos_, &k, &v) || mdb_get(txn, thumbs_, &tk, &tv)) std::exit(3);
      // The record's bytes are taken into the caller's hands, as any reader of a record must (without
      // it the loop never touches the value and measures the B-tree lookup alone); the thumbnail stays
      // a view into the map on both sides.
      std::string record(static_cast<const char*>(v.mv_data), v.mv_size);
      benchmark::DoNotOptimize(record.data());
      bytes += tv.mv_size + record.size() % 2;
    }
    mdb_txn_abort(txn);
    return bytes;
  }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi photos_ = 0, thumbs_ = 0;
};

class Cat {
 public:
  explicit Cat(const std::string& dir) {
    auto cat = Catalog::open(dir);
    if (!cat.ok()) {
      std::fprintf(stderr, "kho-bench: %s\n", cat.status().to_string().c_str());
      std::exit(2);
    }
    cat_ = std::move(*cat);
  }

  void write(std::uint32_t first, std::uint32_t last, const std::string& blob, std::uint32_t batch) {
    WriteBatch b;
    for (std::uint32_t i = first; i < last; ++i) {
      Photo p = make_photo(i);
      std::string thumb = blob;  // the encoder's output, handed over as the pipeline does
      b.put_photo(p);
      b.put_thumb(p.digest, ThumbSize::kGrid, std::move(thumb));
      if (b.size() >= 2 * batch || i + 1 == last) {
        if (!cat_->write(b).ok()) std::exit(2);
        b.clear();
      }
    }
  }

  // What a gallery page does per photo: the decoded record and a view of its grid thumbnail.
  std::size_t read(const std::uint32_t* ids, std::size_t n) {
    std::size_t bytes = 0;
    auto snap = cat_->snapshot();
    if (!snap.ok()) std::exit(3);
    for (std::size_t j = 0; j < n; ++j) {
      Digest d = make_digest(ids[j]);
      auto p = (*snap)->photo(d);
      auto t = (*snap)->thumb_view(d, ThumbSize::kGrid);
      if (!p.ok() || !t.ok()) std::exit(3);
      bytes += t->size() + p->size % 2;
    }
    return bytes;
  }

 private:
  std::unique_ptr<Catalog> cat_;
};

struct Totals {
  double raw_write = 0, cat_write = 0, raw_read = 0, cat_read = 0;
};

// Runs `fn(first, last, a_first)` for each of `rounds` slices of [0, n), alternating which store goes
// first.
template <typename Fn>
void alternate(std::size_t n, std::uint32_t rounds, Fn&& fn) {
  for (std::uint32_t r = 0; r < rounds; ++r) fn(n * r / rounds, n * (r + 1) / rounds, r % 2 == 0);
}

template <typename Fn>
double timed(Fn&& fn) {
  auto t0 = Clock::now();
  fn();
  return seconds_since(t0);
}

Totals run_rounds(const std::string& raw_dir, const std::string& cat_dir, std::uint32_t n, std::uint32_t rounds,
                  const std::string& blob, std::uint32_t batch, const std::vector<std::uint32_t>& order) {
  Totals t;
  {
    Raw raw(raw_dir);
    Cat cat(cat_dir);
    alternate(n, rounds, [&](std::size_t first, std::size_t last, bool raw_first) {
      const auto f = static_cast<std::uint32_t>(first), l = static_cast<std::uint32_t>(last);
      auto w_raw = [&] { t.raw_write += timed([&] { raw.write(f, l, blob, batch); }); };
      auto w_cat = [&] { t.cat_write += timed([&] { cat.write(f, l, blob, batch); }); };
      if (raw_first) w_raw(), w_cat();
      else w_cat(), w_raw();
    });
  }
  // Reads start from freshly opened stores, as `kho serve` meets an archive. In the writing process
  // the raw loop would still have every B-tree page mapped from its puts, while the catalog lets its
  // mapped pages go after each commit (so a long ingest's memory stays flat): that would measure the
  // writes' leftovers, not reading.
  Raw raw(raw_dir);
  Cat cat(cat_dir);
  std::size_t bytes = 0;
  // Reads take a few seconds in all, so they alternate in slices ten times smaller than the writes'.
  alternate(order.size(), rounds * 10, [&](std::size_t first, std::size_t last, bool raw_first) {
    auto r_raw = [&] { t.raw_read += timed([&] { bytes += raw.read(order.data() + first, last - first); }); };
    auto r_cat = [&] { t.cat_read += timed([&] { bytes += cat.read(order.data() + first, last - first); }); };
    if (raw_first) r_raw(), r_cat();
    else r_cat(), r_raw();
  });
  if (bytes == 0) std::exit(3);
  return t;
}

int catalog_scenario(const std::vector<std::string>& args) {
  std::uint32_t n = 100000, thumb_bytes = 20000, batch = 64, rounds = 10;
  std::string base = fs::temp_directory_path().string();
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--photos") n = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    else if (args[i] == "--thumb-bytes") thumb_bytes = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    else if (args[i] == "--batch") batch = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    else if (args[i] == "--dir") base = args[i + 1];
    else if (args[i] == "--rounds") rounds = std::max(1u, static_cast<std::uint32_t>(std::stoul(args[i + 1])));
    else {
      std::fprintf(stderr,
                   "usage: kho-bench catalog [--photos N] [--thumb-bytes B] [--batch N] [--rounds R] [--dir D]\n");
      return 2;
    }
  }
  std::string blob(thumb_bytes, '\0');
  std::mt19937 rng(42);
  for (auto& c : blob) c = static_cast<char>(rng());
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin(), order.end(), rng);

  const std::string raw_dir = base + "/kho-bench-raw", cat_dir = base + "/kho-bench-catalog";
  fs::remove_all(raw_dir);
  fs::remove_all(cat_dir);
  Totals t = run_rounds(raw_dir, cat_dir, n, rounds, blob, batch, order);
  fs::remove_all(raw_dir);
  fs::remove_all(cat_dir);
  std::printf(
      "{\"photos\": %u, \"thumb_bytes\": %u, \"batch\": %u, \"rounds\": %u,\n"
      " \"raw_lmdb\": {\"write_per_s\": %.0f, \"read_per_s\": %.0f},\n"
      " \"catalog\": {\"write_per_s\": %.0f, \"read_per_s\": %.0f},\n"
      " \"write_ratio\": %.3f, \"read_ratio\": %.3f}\n",
      n, thumb_bytes, batch, rounds, n / t.raw_write, n / t.raw_read, n / t.cat_write, n / t.cat_read,
      t.raw_write / t.cat_write, t.raw_read / t.cat_read);
  return 0;
}

const bool registered = register_scenario("catalog", catalog_scenario);

}  // namespace
}  // namespace kho::bench
