// seal_value / unseal_value (kho/catalog.h): the CRC-32C trailer of FORMAT.md's "Values", for the value
// layouts of extension databases.
#include <cstring>

#include "crc32c.h"
#include "kho/catalog.h"

namespace kho {

std::string seal_value(std::string_view payload) {
  std::string out(payload);
  const std::uint32_t crc = crc32c(payload.data(), payload.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xFFu));
  return out;
}

Result<std::string_view> unseal_value(std::string_view sealed) {
  if (sealed.size() < 4) return Status::Corruption("sealed value shorter than its checksum");
  const std::string_view payload = sealed.substr(0, sealed.size() - 4);
  std::uint32_t stored = 0;
  for (int i = 0; i < 4; ++i)
    stored |= static_cast<std::uint32_t>(static_cast<unsigned char>(sealed[payload.size() + i])) << (8 * i);
  if (stored != crc32c(payload.data(), payload.size())) return Status::Corruption("checksum mismatch");
  return payload;
}

}  // namespace kho
