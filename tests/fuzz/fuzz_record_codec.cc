// Fuzz target: the record codec every catalog value goes through (core/catalog/src/record_codec.cc, wire.h)
// and the sealed-value trailer of extension databases (seal_value/unseal_value). A value's first byte is its
// record type, so the input is decoded as that type (and as every type when the byte is no type).
// Whatever decodes must encode back to bytes that decode to the same value (re-encoding is stable).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/catalog/src/record_codec.h"
#include "kho/catalog.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

template <typename T>
void round_trip(std::string_view bytes) {
  T value;
  if (!kho::codec::decode(bytes, &value).ok()) return;
  const std::string once = kho::codec::encode(value);
  T again;
  FUZZ_CHECK(kho::codec::decode(once, &again).ok());
  FUZZ_CHECK(kho::codec::encode(again) == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes = kho::fuzz::as_text(data, size);
  const int type = size > 0 ? data[0] : 0;
  if (type == 1 || type > 5) round_trip<kho::Photo>(bytes);
  if (type == 2 || type > 5) round_trip<kho::File>(bytes);
  if (type == 3 || type > 5) round_trip<kho::Event>(bytes);
  if (type == 4 || type > 5) round_trip<kho::Article>(bytes);
  if (type == 5 || type > 5) round_trip<kho::Link>(bytes);
  auto payload = kho::unseal_value(bytes);
  if (payload.ok()) FUZZ_CHECK(kho::seal_value(*payload) == bytes);
  std::uint32_t be = 0;
  if (kho::codec::read_be32(bytes, &be)) {
    std::string key;
    kho::codec::append_be32(&key, be);
    FUZZ_CHECK(bytes.substr(0, 4) == key);
  }
  return 0;
}
