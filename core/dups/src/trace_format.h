// Keys and values of the `traces` database (core/FORMAT.md, "Traces"). Private to kho::dups.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "kho/catalog.h"
#include "kho/trace.h"

namespace kho::tracefmt {

inline constexpr char kRecord = 'r';      // 'r' article id \0 pos(be32)             → record value
inline constexpr char kByOriginal = 'o';  // 'o' original(32) article id \0 pos(be32) → "" (published copies)
inline constexpr std::uint8_t kVersion = 1;

inline std::string link_part(std::string_view article_id, std::uint32_t pos) {
  std::string k(article_id);
  k.push_back('\0');
  for (int s = 24; s >= 0; s -= 8) k.push_back(static_cast<char>((pos >> s) & 0xff));
  return k;
}
inline std::string record_key(std::string_view article_id, std::uint32_t pos) {
  return std::string(1, kRecord) + link_part(article_id, pos);
}
inline std::string by_original_key(const Digest& original, std::string_view article_id, std::uint32_t pos) {
  return std::string(1, kByOriginal) + std::string(original.view()) + link_part(article_id, pos);
}
// Splits "article id \0 pos(be32)"; false when malformed.
inline bool split_link_part(std::string_view s, std::string* article_id, std::uint32_t* pos) {
  if (s.size() < 6 || s[s.size() - 5] != '\0') return false;
  *article_id = std::string(s.substr(0, s.size() - 5));
  std::uint32_t p = 0;
  for (std::size_t i = s.size() - 4; i < s.size(); ++i) p = (p << 8) | static_cast<unsigned char>(s[i]);
  *pos = p;
  return true;
}

// Sealed (kho::seal_value: CRC-32C trailer) payload:
// version(1) state(1) copy(32) original(32, zeros unless traced) score(float32 LE) fingerprint(u64 LE)
// count(u16 LE) candidates(32 each)
inline std::string encode(const TraceRecord& r) {
  std::string s;
  s.push_back(static_cast<char>(kVersion));
  s.push_back(static_cast<char>(r.state));
  s.append(r.copy.view());
  s.append(r.original ? std::string(r.original->view()) : std::string(32, '\0'));
  std::uint32_t bits = 0;
  std::memcpy(&bits, &r.score, 4);
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((r.fingerprint >> (8 * i)) & 0xff));
  const auto n = static_cast<std::uint16_t>(r.candidates.size());
  s.push_back(static_cast<char>(n & 0xff));
  s.push_back(static_cast<char>(n >> 8));
  for (std::size_t i = 0; i < n; ++i) s.append(r.candidates[i].view());
  return seal_value(s);
}

inline std::optional<TraceRecord> decode(std::string_view sealed) {
  auto payload = unseal_value(sealed);
  if (!payload.ok()) return std::nullopt;
  const std::string_view s = *payload;
  constexpr std::size_t kFixed = 1 + 1 + 32 + 32 + 4 + 8 + 2;
  if (s.size() < kFixed || static_cast<std::uint8_t>(s[0]) != kVersion) return std::nullopt;
  TraceRecord r;
  const auto state = static_cast<std::uint8_t>(s[1]);
  if (state > static_cast<std::uint8_t>(TraceState::kAmbiguous)) return std::nullopt;
  r.state = static_cast<TraceState>(state);
  std::memcpy(r.copy.bytes.data(), s.data() + 2, 32);
  if (r.state == TraceState::kTraced) {
    Digest d;
    std::memcpy(d.bytes.data(), s.data() + 34, 32);
    r.original = d;
  }
  std::uint32_t bits = 0;
  for (int i = 0; i < 4; ++i) bits |= std::uint32_t{static_cast<unsigned char>(s[66 + i])} << (8 * i);
  std::memcpy(&r.score, &bits, 4);
  for (int i = 0; i < 8; ++i) r.fingerprint |= std::uint64_t{static_cast<unsigned char>(s[70 + i])} << (8 * i);
  const std::size_t n = static_cast<unsigned char>(s[78]) |
                        (static_cast<std::size_t>(static_cast<unsigned char>(s[79])) << 8);
  if (s.size() != kFixed + 32 * n) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i) {
    Digest d;
    std::memcpy(d.bytes.data(), s.data() + kFixed + 32 * i, 32);
    r.candidates.push_back(d);
  }
  return r;
}

}  // namespace kho::tracefmt
