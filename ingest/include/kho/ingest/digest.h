// SHA-256 of a photo's bytes: its identity in the archive (DESIGN.md §1).
#pragma once

#include <cstdint>
#include <span>

#include "kho/model.h"

namespace kho::ingest {

// The SHA-256 of `bytes` (OpenSSL EVP; SHA-NI where the CPU has it). Empty input gives the digest of the
// empty string. Thread-safe: no shared state.
Digest sha256(std::span<const std::uint8_t> bytes);

}  // namespace kho::ingest
