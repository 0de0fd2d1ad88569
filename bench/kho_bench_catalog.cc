// kho-bench catalog: the catalog's write and read rates against a plain LMDB loop over the same bytes.
//
//   kho-bench catalog [--photos 100000] [--thumb-bytes 20000] [--batch 64] [--dir /tmp]
//
// Writes N photo records plus N thumbnail blobs in batches, then reads them back in random order, once
// through kho::Catalog (encode + checksum + index upkeep, decode on read) and once through a bare LMDB
// loop that puts and gets the same keys and values. Prints one JSON document with both rates and the
// ratios (the target: the catalog keeps ≥ 80% of raw LMDB's rates).
#include <lmdb.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "../core/src/record_codec.h"
#include "kho/catalog.h"
#include "kho_bench.h"

namespace kho::bench {
namespace {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

Photo make_photo(std::uint32_t i) {
  Photo p;
  for (int b = 0; b < 32; ++b) p.digest.bytes[b] = static_cast<std::uint8_t>((i * 2654435761u >> (b % 4 * 8)) + b);
  p.digest.bytes[0] = static_cast<std::uint8_t>(i >> 24);
  p.digest.bytes[1] = static_cast<std::uint8_t>(i >> 16);
  p.digest.bytes[2] = static_cast<std::uint8_t>(i >> 8);
  p.digest.bytes[3] = static_cast<std::uint8_t>(i);
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

struct Rates {
  double write_s = 0, read_s = 0;
};

Rates run_catalog(const std::string& dir, std::uint32_t n, const std::string& blob, std::uint32_t batch,
                  const std::vector<std::uint32_t>& order) {
  Rates r;
  auto cat = Catalog::open(dir);
  if (!cat.ok()) {
    std::fprintf(stderr, "kho-bench: %s\n", cat.status().to_string().c_str());
    std::exit(2);
  }
  auto t0 = Clock::now();
  WriteBatch b;
  for (std::uint32_t i = 0; i < n; ++i) {
    Photo p = make_photo(i);
    std::string thumb = blob;  // the encoder's output, handed over as the pipeline does
    b.put_photo(p);
    b.put_thumb(p.digest, ThumbSize::kGrid, std::move(thumb));
    if (b.size() >= 2 * batch || i + 1 == n) {
      if (!(*cat)->write(b).ok()) std::exit(2);
      b.clear();
    }
  }
  r.write_s = seconds_since(t0);
  t0 = Clock::now();
  std::size_t bytes = 0;
  auto snap = (*cat)->snapshot();
  for (std::uint32_t i : order) {
    Digest d = make_photo(i).digest;
    auto p = (*snap)->photo(d);
    auto t = (*snap)->thumb_view(d, ThumbSize::kGrid);
    if (!p.ok() || !t.ok()) std::exit(3);
    bytes += t->size() + p->size % 2;
  }
  r.read_s = seconds_since(t0);
  if (bytes == 0) std::exit(3);
  return r;
}

Rates run_raw(const std::string& dir, std::uint32_t n, const std::string& blob, std::uint32_t batch,
              const std::vector<std::uint32_t>& order) {
  Rates r;
  fs::create_directories(dir);
  MDB_env* env;
  mdb_env_create(&env);
  mdb_env_set_maxdbs(env, 4);
  mdb_env_set_mapsize(env, std::size_t{1} << 36);
  if (mdb_env_open(env, dir.c_str(), MDB_NOTLS, 0644) != 0) std::exit(2);
  MDB_txn* txn;
  MDB_dbi photos, thumbs;
  mdb_txn_begin(env, nullptr, 0, &txn);
  mdb_dbi_open(txn, "photos", MDB_CREATE, &photos);
  mdb_dbi_open(txn, "thumbs", MDB_CREATE, &thumbs);
  mdb_txn_commit(txn);
  // The same encoded bytes the catalog stores (encoding is paid on both sides, so the ratio measures what
  // the catalog adds: recording the batch, replay safety, snapshots and checksummed decoding).
  auto t0 = Clock::now();
  mdb_txn_begin(env, nullptr, 0, &txn);
  for (std::uint32_t i = 0; i < n; ++i) {
    Photo p = make_photo(i);
    std::string value = codec::encode(p);
    std::string thumb = blob;  // the encoder's output, as in the catalog loop
    std::string tkey(p.digest.view());
    tkey.push_back('\0');
    MDB_val k{32, p.digest.bytes.data()}, v{value.size(), value.data()};
    MDB_val tk{tkey.size(), tkey.data()}, tv{thumb.size(), thumb.data()};
    if (mdb_put(txn, photos, &k, &v, 0) || mdb_put(txn, thumbs, &tk, &tv, 0)) std::exit(2);
    if ((i + 1) % batch == 0 || i + 1 == n) {
      mdb_txn_commit(txn);
      if (i + 1 < n) mdb_txn_begin(env, nullptr, 0, &txn);
    }
  }
  r.write_s = seconds_since(t0);
  t0 = Clock::now();
  std::size_t bytes = 0;
  mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn);
  for (std::uint32_t i : order) {
    Digest d = make_photo(i).digest;
    std::string tkey(d.view());
    tkey.push_back('\0');
    MDB_val k{32, d.bytes.data()}, v, tk{tkey.size(), tkey.data()}, tv;
    if (mdb_get(txn, photos, &k, &v) || mdb_get(txn, thumbs, &tk, &tv)) std::exit(3);
    bytes += tv.mv_size + v.mv_size % 2;
  }
  mdb_txn_abort(txn);
  r.read_s = seconds_since(t0);
  mdb_env_close(env);
  if (bytes == 0) std::exit(3);
  return r;
}

int catalog_scenario(const std::vector<std::string>& args) {
  std::uint32_t n = 100000, thumb_bytes = 20000, batch = 64;
  std::string base = fs::temp_directory_path().string();
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (args[i] == "--photos") n = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    else if (args[i] == "--thumb-bytes") thumb_bytes = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    else if (args[i] == "--batch") batch = static_cast<std::uint32_t>(std::stoul(args[i + 1]));
    else if (args[i] == "--dir") base = args[i + 1];
    else {
      std::fprintf(stderr, "usage: kho-bench catalog [--photos N] [--thumb-bytes B] [--batch N] [--dir D]\n");
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
  Rates raw = run_raw(raw_dir, n, blob, batch, order);
  Rates cat = run_catalog(cat_dir, n, blob, batch, order);
  fs::remove_all(raw_dir);
  fs::remove_all(cat_dir);
  std::printf(
      "{\"photos\": %u, \"thumb_bytes\": %u, \"batch\": %u,\n"
      " \"raw_lmdb\": {\"write_per_s\": %.0f, \"read_per_s\": %.0f},\n"
      " \"catalog\": {\"write_per_s\": %.0f, \"read_per_s\": %.0f},\n"
      " \"write_ratio\": %.3f, \"read_ratio\": %.3f}\n",
      n, thumb_bytes, batch, n / raw.write_s, n / raw.read_s, n / cat.write_s, n / cat.read_s,
      raw.write_s / cat.write_s, raw.read_s / cat.read_s);
  return 0;
}

const bool registered = register_scenario("catalog", catalog_scenario);

}  // namespace
}  // namespace kho::bench
