// Exported copies on disk (write_file_atomic) and the PhotoExporter the CLI and the gallery use.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

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

// Reads a whole file. NotFound when it is not there, IOError otherwise.
Result<std::string> read_whole(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return Status::NotFound(path + ": vanished since ingest (no such file)");
    return Status::IOError(path + ": " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IOError(path + ": not a regular file");
  }
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  bytes.resize(done);
  return bytes;
}

std::string extension_for(std::string_view format) {
  if (format == "jpeg") return ".jpg";
  if (format == "tiff") return ".tif";
  if (format == "heif") return ".heic";
  return "." + std::string(format);
}

}  // namespace

Status write_file_atomic(const std::string& dir, const std::string& name, std::string_view bytes) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    return Status::InvalidArgument("'" + name + "' is not a file name");
  const std::string target = dir + "/" + name;
  std::string tmp = dir + "/.kho-export-XXXXXX";
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot write in " + dir + ": " + errno_text(errno));
  int err = 0;
  bool ok = write_all(fd, bytes, &err);
  if (ok && ::fsync(fd) != 0) {
    err = errno;
    ok = false;
  }
  if (::close(fd) != 0 && ok) {
    err = errno;
    ok = false;
  }
  if (ok) {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::chmod(tmp.c_str(), 0666 & ~mask);
    // renameat2(RENAME_NOREPLACE) never replaces a file that appeared meanwhile; link() is the fallback
    // on file systems without it (same guarantee: EEXIST).
    if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
      err = errno;
      if (err == EINVAL || err == ENOSYS) {
        if (::link(tmp.c_str(), target.c_str()) == 0) {
          err = 0;
          ::unlink(tmp.c_str());
        } else {
          err = errno;
        }
      }
      ok = err == 0;
    }
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    if (err == EEXIST) return Status::InvalidArgument(target + " exists already (never overwritten)");
    return Status::IOError("cannot write " + target + ": " + errno_text(err));
  }
  if (int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::OK();
}

Result<ExportedCopy> Exporter::export_photo(const std::vector<std::string>& paths, const Digest& digest,
                                            const CaptionFields& fields, bool sidecar) const {
  if (paths.empty()) return Status::NotFound("photo " + digest.hex() + " has no file in the archive");
  Status first_problem;
  for (const std::string& path : paths) {
    Result<std::string> bytes = read_whole(path);
    if (!bytes.ok()) {
      if (first_problem.ok() || first_problem.is_not_found()) first_problem = bytes.status();
      continue;
    }
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes->data());
    std::span<const std::uint8_t> span(data, bytes->size());
    if (sha256(span) != digest) {
      first_problem = Status::InvalidArgument(path + ": changed since ingest (its SHA-256 is no longer " +
                                              digest.hex().substr(0, 12) + "…); not exported");
      continue;
    }
    const std::optional<std::string> format = sniff_image_type(span);
    if (!format) return Status::InvalidArgument(path + ": not an image");
    ExportedCopy copy;
    copy.source_path = path;
    copy.extension = extension_for(*format);
    if (sidecar || !can_embed(*format)) {
      Result<std::string> xmp = sidecar_xmp(span, fields);
      if (!xmp.ok()) return Status::InvalidArgument(path + ": " + xmp.status().message());
      copy.sidecar_xmp = std::move(*xmp);
      copy.bytes = std::move(*bytes);
      if (!sidecar) copy.notes.push_back(*format + " files get an XMP sidecar (metadata is not written into them)");
      return copy;
    }
    Result<EmbedResult> embedded = embed_fields(span, fields);
    if (!embedded.ok()) return embedded.status().with_context(path);
    copy.bytes = std::move(embedded->bytes);
    copy.notes = std::move(embedded->notes);
    return copy;
  }
  return first_problem;
}

}  // namespace kho::ingest
