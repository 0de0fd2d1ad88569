// Record encoding for every value kho stores (core/FORMAT.md, "Values").
//
// A value is: type (1 byte) | codec version (1 byte) | fields | CRC-32C of everything before (4 bytes, LE).
// Fields are tagged like Protocol Buffers (tag = number << 3 | wire type; varint, fixed64, bytes, fixed32),
// so new fields can be added without a migration: decoders skip fields they do not know.
// Every length and count is checked against the bytes that remain; a value that fails any check, or
// whose checksum does not match, is Corruption. Private to core.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kho/model.h"
#include "kho/status.h"

namespace kho::codec {

enum class RecordType : std::uint8_t {
  kPhoto = 1,
  kFile = 2,
  kEvent = 3,
  kArticle = 4,
  kLink = 5,
};

std::string encode(const Photo& photo);
std::string encode(const File& file);
std::string encode(const Event& event);
std::string encode(const Article& article);
std::string encode(const Link& link);

Status decode(std::string_view bytes, Photo* out);
Status decode(std::string_view bytes, File* out);
Status decode(std::string_view bytes, Event* out);
Status decode(std::string_view bytes, Article* out);
Status decode(std::string_view bytes, Link* out);

// Big-endian 32-bit integers inside keys, so that keys sort numerically.
void append_be32(std::string* out, std::uint32_t v);
bool read_be32(std::string_view in, std::uint32_t* v);

}  // namespace kho::codec
