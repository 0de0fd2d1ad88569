// Exported copies on disk (write_file_atomic, write_copy_atomic) and the PhotoExporter the CLI and the
// gallery use (kho/ingest/export.h).
//
// Speed (bench/export/run.sh): a JPEG's metadata segments (up to the start of scan, ~10–100 KB) are all
// Exiv2 sees and all that passes through memory; the image data goes from the original to the copy by DMA
// with O_DIRECT (export_direct.cc), or with copy_file_range for small files and file systems without it. The original
// is checked like `kho ingest` checks a file: size and mtime equal to the record mean unchanged; anything else (or
// --verify) costs a SHA-256 of the whole file. `kho export` writes with Sync::kDeferred and one syncfs at the end: a
// per-file fsync made this process pay for the writeback of every copy (an eighth of its CPU on 50 12-MP files, perf),
// which cp and exiftool leave to the kernel's flusher.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "export_internal.h"
#include "jpeg_segments.h"
#include "kho/ingest/digest.h"
#include "kho/ingest/export.h"
#include "kho/ingest/metadata.h"

namespace kho::ingest {
namespace {

std::string errno_text(int err) {
  if (err == ENOSPC) return "disk full (ENOSPC)";
  if (err == EROFS) return "read-only file system (EROFS)";
  if (err == EDQUOT) return "disk quota exceeded (EDQUOT)";
  return std::strerror(err);
}

bool write_all(int fd, std::string_view bytes, int* err) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, std::min<std::size_t>(bytes.size() - done, 1 << 20));
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Copies `size` bytes of `in` from `offset` to the end of `out`. copy_file_range first; a read/write loop
// when the kernel or the file systems cannot (EXDEV, EINVAL, ENOSYS, EOPNOTSUPP).
bool copy_range(int in, std::uint64_t offset, std::uint64_t size, int out, int* err) {
  loff_t off = static_cast<loff_t>(offset);
  std::uint64_t left = size;
  while (left > 0) {
    ssize_t n = ::copy_file_range(in, &off, out, nullptr, left, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP)) break;
    if (n < 0) {
      *err = errno;
      return false;
    }
    if (n == 0) {
      *err = EIO;  // the original is shorter than when it was checked
      return false;
    }
    left -= static_cast<std::uint64_t>(n);
  }
  std::string buf;
  while (left > 0) {
    buf.resize(std::min<std::uint64_t>(left, 1 << 20));
    ssize_t n = ::pread(in, buf.data(), buf.size(), off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *err = n < 0 ? errno : EIO;
      return false;
    }
    if (!write_all(out, std::string_view(buf.data(), static_cast<std::size_t>(n)), err)) return false;
    off += n;
    left -= static_cast<std::uint64_t>(n);
  }
  return true;
}

// Writes dir/name through a temporary file that `fill` fills; see write_file_atomic.
Status write_atomic(const std::string& dir, const std::string& name, const std::function<bool(int, int*)>& fill,
                    Sync sync) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    return Status::InvalidArgument("'" + name + "' is not a file name");
  const std::string target = dir + "/" + name;
  std::string tmp = dir + "/.kho-export-XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot write in " + dir + ": " + errno_text(errno));
  int err = 0;
  bool ok = fill(fd, &err);
  if (ok && sync == Sync::kEachFile && ::fsync(fd) != 0) {
    err = errno;
    ok = false;
  }
  if (::close(fd) != 0 && ok) {
    err = errno;
    ok = false;
  }
  if (ok) {
    // mkostemp makes the file 0600; give it the mode a new file gets (0666 less the umask).
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(tmp.c_str(), 0666 & ~mask);
    // renameat2(RENAME_NOREPLACE) never replaces a file that appeared meanwhile; link() is the fallback
    // on file systems without it (the same guarantee: EEXIST).
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
      err = errno;
      if (err == EINVAL || err == ENOSYS) {
        err = ::link(tmp.c_str(), target.c_str()) == 0 ? 0 : errno;
        if (err == 0) ::unlink(tmp.c_str());
      }
      ok = err == 0;
    }
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    if (err == EEXIST) return Status::InvalidArgument(target + " exists already (never overwritten)");
    if (err == EIO) return Status::IOError("cannot write " + target + ": the original changed while it was copied");
    return Status::IOError("cannot write " + target + ": " + errno_text(err));
  }
  if (sync == Sync::kDeferred) return Status::OK();
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::OK();
}

bool read_at(int fd, std::string& into, std::uint64_t from, std::uint64_t to) {
  into.resize(to);
  std::uint64_t done = from;
  while (done < to) {
    ssize_t n = ::pread(fd, into.data() + done, to - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::uint64_t>(n);
  }
  return true;
}

std::string extension_for(std::string_view format) {
  if (format == "jpeg") return ".jpg";
  if (format == "tiff") return ".tif";
  if (format == "heif") return ".heic";
  return "." + std::string(format);
}

// The offset and length of a JPEG's first start-of-scan segment; nullopt when there is none in `b`.
std::optional<std::pair<std::size_t, std::size_t>> find_sos(std::span<const std::uint8_t> b) {
  std::optional<std::pair<std::size_t, std::size_t>> out;
  detail::walk_jpeg_segments(b, [&](const detail::JpegSegment& s) {
    if (s.marker == 0xDA && !s.truncated) out = std::make_pair(s.offset, s.size);
    return true;
  });
  return out;
}

std::span<const std::uint8_t> span_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

Status write_file_atomic(const std::string& dir, const std::string& name, std::string_view bytes, Sync sync) {
  return write_atomic(
      dir, name, [&](int fd, int* err) { return write_all(fd, bytes, err); }, sync);
}

Status sync_folder(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open " + dir + ": " + errno_text(errno));
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Status::IOError("cannot flush " + dir + " to disk: " + errno_text(err));
  return Status::OK();
}

Status write_copy_atomic(const std::string& dir, const std::string& name, const ExportedCopy& copy, Sync sync) {
  return write_atomic(
      dir, name,
      [&](int fd, int* err) {
        // A large JPEG: zero-copy with O_DIRECT (export_direct.cc); otherwise, or where the file system
        // refuses it, through the page cache.
        switch (detail::write_copy_direct(fd, copy, err)) {
          case detail::DirectResult::kWritten: return true;
          case detail::DirectResult::kFailed: return false;
          case detail::DirectResult::kNotTried: break;
        }
        if (!write_all(fd, copy.head, err)) return false;
        if (copy.tail_size == 0) return true;
        if (!copy.source) {
          *err = EBADF;
          return false;
        }
        return copy_range(*copy.source, copy.tail_offset, copy.tail_size, fd, err);
      },
      sync);
}

Result<ExportedCopy> Exporter::export_photo(const ExportRequest& req) const {
  if (req.files.empty()) return Status::NotFound("photo " + req.digest.hex() + " has no file in the archive");
  Status problem;
  for (const File& file : req.files) {
    const std::string& path = file.path;
    int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (raw_fd < 0) {
      const int e = errno;
      Status st = e == ENOENT || e == ENOTDIR ? Status::NotFound(path + ": vanished since ingest (no such file)")
                                              : Status::IOError(path + ": " + std::strerror(e));
      if (problem.ok() || problem.is_not_found()) problem = st;
      continue;
    }
    auto fd = std::shared_ptr<const int>(new int(raw_fd), [](const int* p) {
      ::close(*p);
      delete p;
    });
    struct stat st {};
    if (::fstat(raw_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      problem = Status::IOError(path + ": not a regular file");
      continue;
    }
    const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    const std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    const bool unchanged = size == file.size && mtime_ns == file.mtime_ns;
    std::string bytes;  // the whole file when hashed, else the leading part that is needed
    bool whole = false;
    if (req.verify_digest || !unchanged) {
      if (!read_at(raw_fd, bytes, 0, size)) {
        problem = Status::IOError(path + ": cannot read: " + std::strerror(errno));
        continue;
      }
      whole = true;
      if (sha256(span_of(bytes)) != req.digest) {
        problem = Status::InvalidArgument(path + ": changed since ingest (its SHA-256 is no longer " +
                                          req.digest.hex().substr(0, 12) + "…); not exported");
        continue;
      }
    } else if (!read_at(raw_fd, bytes, 0, std::min<std::uint64_t>(size, 64 * 1024))) {  // grows ×4 as needed
      problem = Status::IOError(path + ": cannot read: " + std::strerror(errno));
      continue;
    }
    const std::optional<std::string> format = sniff_image_type(span_of(bytes));
    if (!format) return Status::InvalidArgument(path + ": not an image");
    ExportedCopy copy;
    copy.source = fd;
    copy.source_path = path;
    copy.extension = extension_for(*format);
    // A JPEG: only its metadata segments and the start-of-scan header go through Exiv2.
    std::optional<std::pair<std::size_t, std::size_t>> sos;
    if (*format == "jpeg") {
      sos = find_sos(span_of(bytes));
      while (!sos && !whole && bytes.size() < size) {  // metadata larger than what was read
        const std::uint64_t more = std::min<std::uint64_t>(size, bytes.size() * 4);
        whole = more == size;
        if (!read_at(raw_fd, bytes, bytes.size(), more)) return Status::IOError(path + ": cannot read");
        sos = find_sos(span_of(bytes));
      }
    }
    auto need_whole = [&]() -> Status {
      if (!whole && !read_at(raw_fd, bytes, bytes.size(), size)) return Status::IOError(path + ": cannot read");
      whole = true;
      return Status::OK();
    };
    if (req.sidecar || !can_embed(*format)) {
      if (!sos)
        if (Status s = need_whole(); !s.ok()) return s;
      std::string meta_part = sos ? bytes.substr(0, sos->first + sos->second) : bytes;
      Result<std::string> xmp = sidecar_xmp(span_of(meta_part), req.fields);
      if (!xmp.ok()) return xmp.status().with_context(path);
      copy.sidecar_xmp = std::move(*xmp);
      copy.tail_offset = 0;
      copy.tail_size = size;
      if (!req.sidecar) copy.notes.push_back(*format + " files get an XMP sidecar (metadata is not written into them)");
      return copy;
    }
    if (sos) {
      const std::string part = bytes.substr(0, sos->first + sos->second);
      Result<EmbedResult> embedded = embed_fields(span_of(part), req.fields);
      if (!embedded.ok()) return embedded.status().with_context(path);
      // Exiv2 copies everything from the start of scan as it is: the written head ends with the same SOS
      // header, and the original's bytes from there on complete the copy.
      const std::string sos_header = part.substr(sos->first);
      const std::string& out = embedded->bytes;
      const bool ends_with_sos = out.size() >= sos_header.size() &&
                                 out.compare(out.size() - sos_header.size(), sos_header.size(), sos_header) == 0;
      if (ends_with_sos) {
        copy.head = out.substr(0, out.size() - sos_header.size());
        copy.tail_offset = sos->first;
        copy.tail_size = size - sos->first;
        copy.notes = std::move(embedded->notes);
        return copy;
      }
      // Not the expected shape: write the whole file through Exiv2 instead.
    }
    if (Status s = need_whole(); !s.ok()) return s;
    Result<EmbedResult> embedded = embed_fields(span_of(bytes), req.fields);
    if (!embedded.ok()) return embedded.status().with_context(path);
    copy.head = std::move(embedded->bytes);
    copy.notes = std::move(embedded->notes);
    return copy;
  }
  return problem;
}

}  // namespace kho::ingest
