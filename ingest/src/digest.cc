#include "kho/ingest/digest.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace kho::ingest {

Digest sha256(std::span<const std::uint8_t> bytes) {
  Digest d;
  unsigned int len = 0;
  // EVP_Digest picks the fastest implementation (SHA-NI) and allocates nothing we must free.
  if (EVP_Digest(bytes.data(), bytes.size(), d.bytes.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != d.bytes.size()) {
    // Only an OpenSSL library that cannot do SHA-256 at all gets here: identity would be meaningless.
    std::abort();
  }
  return d;
}

}  // namespace kho::ingest
