// CRC-32C (Castagnoli), the checksum on every stored value. Uses the SSE4.2 crc32 instruction when the
// processor has it (a few GB/s) and a table otherwise; both give the same result. Private to core.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kho {
std::uint32_t crc32c(const void* data, std::size_t n);
}
