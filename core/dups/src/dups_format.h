// Keys and values of the `dups` database (core/FORMAT.md, "Duplicates"). Private to core.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "kho/model.h"

namespace kho::dupsfmt {

inline constexpr char kIndexed = 'h';   // 'h' digest(32)            → phash (8 bytes, little-endian)
inline constexpr char kPair = 'p';      // 'p' digest(32) digest(32) → PairValue (both directions)
inline constexpr char kRejected = 'x';  // 'x' lower(32) higher(32)  → PairValue (one direction)
inline constexpr std::string_view kRadiusKey = "mradius";  // the radius pairs were searched with (ASCII)
inline constexpr std::uint8_t kValueVersion = 1;

inline std::string indexed_key(const Digest& d) { return std::string(1, kIndexed) + std::string(d.view()); }
inline std::string pair_key(char tag, const Digest& a, const Digest& b) {
  return std::string(1, tag) + std::string(a.view()) + std::string(b.view());
}
inline std::string pair_prefix(const Digest& a) { return std::string(1, kPair) + std::string(a.view()); }

inline Digest digest_at(std::string_view key, std::size_t offset) {
  Digest d;
  std::memcpy(d.bytes.data(), key.data() + offset, 32);
  return d;
}

inline std::string encode_u64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
inline std::optional<std::uint64_t> decode_u64(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{static_cast<unsigned char>(s[i])} << (8 * i);
  return v;
}

// version(1) distance(1) score(float32 bits, 4 bytes LE) reason(UTF-8, rest)
struct PairValue {
  int distance = 0;
  float score = 0;
  std::string reason;
};
inline std::string encode_pair(const PairValue& p) {
  std::string s;
  s.push_back(static_cast<char>(kValueVersion));
  s.push_back(static_cast<char>(static_cast<std::uint8_t>(p.distance)));
  std::uint32_t bits = 0;
  std::memcpy(&bits, &p.score, 4);
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  s += p.reason;
  return s;
}
inline std::optional<PairValue> decode_pair(std::string_view s) {
  if (s.size() < 6 || static_cast<std::uint8_t>(s[0]) != kValueVersion) return std::nullopt;
  PairValue p;
  p.distance = static_cast<std::uint8_t>(s[1]);
  if (p.distance > 64) return std::nullopt;
  std::uint32_t bits = 0;
  for (int i = 0; i < 4; ++i) bits |= std::uint32_t{static_cast<unsigned char>(s[2 + i])} << (8 * i);
  std::memcpy(&p.score, &bits, 4);
  p.reason.assign(s.substr(6));
  return p;
}

}  // namespace kho::dupsfmt
