// Writing an exported JPEG without copying its image data through the CPU (export_internal.h).
//
// Why: copy_file_range (and cp, splice, read/write) makes the kernel copy every byte of the image data
// into a new page-cache page of the destination, and the process also pays for allocating those pages and
// for reclaiming others under memory pressure: on 1,000 12-MP files that was 90–95% of `kho export`'s CPU,
// and it varied ×4 between runs with the page cache's state. With O_DIRECT the destination never enters
// the page cache, and with O_DIRECT reads of the original into one buffer the device moves the bytes both
// ways (copy_middle). bench/export/run.sh measures both.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "export_internal.h"
#include "jpeg_segments.h"

namespace kho::ingest::detail {
namespace {

constexpr std::string_view kXmpMagic("http://ns.adobe.com/xap/1.0/\0", 29);
constexpr std::string_view kPacketEnd("<?xpacket end=");
constexpr std::uint64_t kChunk = 64u << 20;  // bytes per write of the mapped middle

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<char, FreeDeleter>;

AlignedBuffer aligned_buffer(std::size_t size) {
  return AlignedBuffer(static_cast<char*>(std::aligned_alloc(kDirectAlign, size)));
}

// Reads exactly [from, from + size) of `fd` into `into`; false with *err = EIO when the file is shorter.
bool pread_exact(int fd, char* into, std::size_t size, std::uint64_t from, int* err) {
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, into + done, size - done, static_cast<off_t>(from + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *err = n < 0 ? errno : EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes [data, data + size) at `offset`. -1 with errno on failure; EFAULT (the mapped original shrank
// under it) is reported as EIO, as copy_file_range's early end is.
int pwrite_all(int fd, const char* data, std::uint64_t size, std::uint64_t offset) {
  std::uint64_t done = 0;
  while (done < size) {
    const ssize_t n = ::pwrite(fd, data + done, std::min(size - done, kChunk), static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EFAULT) errno = EIO;
    if (n < 0) return -1;
    if (n == 0) {
      errno = EIO;
      return -1;
    }
    done += static_cast<std::uint64_t>(n);
  }
  return 0;
}

// Reads the original's whole pages [from, from + size) with O_DIRECT into one reused buffer and writes them
// with O_DIRECT at `to`: the device moves the bytes both ways, and the process neither maps the original nor
// walks its page cache (on 1,000 12-MP files, mapping, pinning and unmapping the cached pages was a third
// of kho export's sys time). The buffer is 2 MB-aligned and asks for huge pages, so pinning it for each
// transfer touches a few folios, not a thousand pages. Where the original's file system refuses O_DIRECT
// reads, the pages come from a mapping of the original instead, as the write still goes around the cache.
// 0, or an errno.
int copy_middle(int src, int fd, std::uint64_t from, std::uint64_t size, std::uint64_t to, MiddleRead read) {
  constexpr std::size_t kBuffer = 8u << 20, kHuge = 2u << 20;
  static thread_local AlignedBuffer buffer = [] {
    void* p = std::aligned_alloc(kHuge, kBuffer);
    if (p) ::madvise(p, kBuffer, MADV_HUGEPAGE);
    return AlignedBuffer(static_cast<char*>(p));
  }();
  const int flags = read == MiddleRead::kDirect ? ::fcntl(src, F_GETFL) : -1;
  if (buffer && flags >= 0 && ::fcntl(src, F_SETFL, flags | O_DIRECT) == 0) {
    struct Restore {
      int fd, flags;
      ~Restore() { ::fcntl(fd, F_SETFL, flags); }
    } restore{src, flags};
    std::uint64_t done = 0;
    while (done < size) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kBuffer, size - done));
      const ssize_t got = ::pread(src, buffer.get(), n, static_cast<off_t>(from + done));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && errno == EINVAL && done == 0) break;  // no O_DIRECT reads here: map the original
      if (got <= 0) return got < 0 ? errno : EIO;
      // A short read ends at the file's end, which cannot fall inside the whole pages: the file shrank.
      if (static_cast<std::size_t>(got) % kDirectAlign != 0) return EIO;
      if (pwrite_all(fd, buffer.get(), static_cast<std::uint64_t>(got), to + done) != 0) return errno;
      done += static_cast<std::uint64_t>(got);
    }
    if (done == size) return 0;
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, src, static_cast<off_t>(from));
  if (map == MAP_FAILED) return errno;
  const int rc = pwrite_all(fd, static_cast<const char*>(map), size, to) == 0 ? 0 : errno;
  ::munmap(map, size);
  return rc;
}

}  // namespace

std::optional<std::string> pad_jpeg_head(std::string_view head, std::size_t pad) {
  const std::span<const std::uint8_t> b(reinterpret_cast<const std::uint8_t*>(head.data()), head.size());
  std::optional<std::pair<std::size_t, std::size_t>> xmp;  // offset and size of the XMP APP1 segment
  walk_jpeg_segments(b, [&](const JpegSegment& s) {
    if (s.marker == 0xE1 && !s.truncated && payload_starts_with(s, kXmpMagic)) {
      xmp = std::make_pair(s.offset, s.size);
      return false;
    }
    return true;
  });
  if (!xmp) return std::nullopt;
  const auto [offset, size] = *xmp;
  if (size - 2 + pad > 0xFFFF) return std::nullopt;
  const std::size_t at = head.substr(offset, size).rfind(kPacketEnd);
  if (at == std::string_view::npos) return std::nullopt;
  std::string out;
  out.reserve(head.size() + pad);
  out.append(head.substr(0, offset + at));
  out.append(pad, ' ');
  out.append(head.substr(offset + at));
  const std::size_t len = size - 2 + pad;
  out[offset + 2] = static_cast<char>(len >> 8);
  out[offset + 3] = static_cast<char>(len & 0xFF);
  return out;
}

DirectResult write_copy_direct(int fd, const ExportedCopy& copy, int* err, std::uint64_t min_tail, MiddleRead read) {
  const std::string& head = copy.head;
  if (!copy.source || copy.tail_size == 0 || copy.tail_size < min_tail || head.size() < 4 ||
      static_cast<unsigned char>(head[0]) != 0xFF || static_cast<unsigned char>(head[1]) != 0xD8)
    return DirectResult::kNotTried;
  constexpr std::uint64_t A = kDirectAlign;
  const int src = *copy.source;
  const std::uint64_t tail = copy.tail_offset, end = copy.tail_offset + copy.tail_size;
  const std::uint64_t first_page = (tail + A - 1) / A * A;  // the original's first whole page of the tail
  const std::uint64_t last_page = end / A * A;              // and the end of its last whole page
  if (first_page >= last_page) return DirectResult::kNotTried;
  // The new head gets the length that puts the tail at the original's offset modulo A.
  const std::size_t pad = static_cast<std::size_t>((tail % A + A - head.size() % A) % A);
  const std::optional<std::string> padded = pad_jpeg_head(head, pad);
  if (!padded) return DirectResult::kNotTried;
  // A byte of the original at offset o ≥ tail goes to o - tail + padded->size() in the copy.
  auto dest = [&](std::uint64_t o) { return o - tail + padded->size(); };

  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_DIRECT) != 0) return DirectResult::kNotTried;
  auto not_tried = [&] {
    ::fcntl(fd, F_SETFL, flags);
    return ::ftruncate(fd, 0) == 0 ? DirectResult::kNotTried : DirectResult::kFailed;
  };
  const std::uint64_t middle = last_page - first_page;
  // The first page(s): the padded head and the tail's bytes up to the original's first page boundary.
  const std::size_t first_size = padded->size() + (first_page - tail);
  AlignedBuffer first = aligned_buffer(first_size);
  if (!first) return not_tried();
  std::memcpy(first.get(), padded->data(), padded->size());
  if (!pread_exact(src, first.get() + padded->size(), first_page - tail, tail, err)) return DirectResult::kFailed;
  if (pwrite_all(fd, first.get(), first_size, 0) != 0) {
    if (errno == EINVAL) return not_tried();  // the file system takes no O_DIRECT at this alignment
    *err = errno;
    return DirectResult::kFailed;
  }
  // The whole pages.
  if (const int rc = copy_middle(src, fd, first_page, middle, dest(first_page), read); rc != 0) {
    *err = rc;
    return DirectResult::kFailed;
  }
  // The last partial page, zero-filled to a whole page, then the file cut to its length.
  if (end > last_page) {
    AlignedBuffer last = aligned_buffer(A);
    if (!last) {
      *err = ENOMEM;
      return DirectResult::kFailed;
    }
    std::memset(last.get(), 0, A);
    if (!pread_exact(src, last.get(), end - last_page, last_page, err)) return DirectResult::kFailed;
    if (pwrite_all(fd, last.get(), A, dest(last_page)) != 0 || ::ftruncate(fd, static_cast<off_t>(dest(end))) != 0) {
      *err = errno;
      return DirectResult::kFailed;
    }
  }
  ::fcntl(fd, F_SETFL, flags);
  return DirectResult::kWritten;
}

}  // namespace kho::ingest::detail
