// Image bytes: thumbnails from LMDB and originals from disk.
//
// Thumbnails are content-addressed (digest + size), so their ETag is known from the URL alone: a
// conditional request is answered 304 without opening a transaction. Otherwise the bytes are copied out
// of the map and the snapshot is closed before the response is written (never hold a read transaction
// across network I/O).
//
// Originals are served only from the paths the archive recorded for the digest, and only when what is
// there now is provably the same file: no symbolic link anywhere under the event's folder (each
// component opened with O_NOFOLLOW), a regular file of the recorded size, and, once per (device, inode,
// size, mtime, ctime), the SHA-256 of its bytes equal to the digest. The descriptor that was checked is
// the one sent. A path that no longer exists is 404; one that holds something else is 409.
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>

#include "kho/json_model.h"
#include "kho/text.h"
#include "routes.h"
#include "views.h"

namespace kho::web {

std::string mime_for(const std::optional<std::string>& format) {
  if (!format) return "application/octet-stream";
  const std::string& f = *format;
  if (f == "jpeg" || f == "jpg") return "image/jpeg";
  if (f == "png") return "image/png";
  if (f == "tiff") return "image/tiff";
  if (f == "webp") return "image/webp";
  if (f == "heic") return "image/heic";  // HEVC-coded HEIF (RFC 8536 names both types)
  if (f == "heif") return "image/heif";
  if (f == "avif") return "image/avif";
  if (f == "gif") return "image/gif";
  return "application/octet-stream";  // camera raw and anything else: a download
}

namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

// Image routes answer errors as JSON, like /api/: {"error": "Conflict", "message": "…"}.
void plain_error(http::Response& res, int status, const std::string& msg) {
  res.status = status;
  Json err = {{"error", error_name(status)}, {"message", msg}};
  res.set_content(err.dump(), "application/json");
}

// 64 lower-case hex digits: the one spelling of a digest in URLs (upper case is not found, so each
// resource has one address and one cache entry).
bool is_canonical_hex(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

void serve_thumb(const Catalog& catalog, const http::Request& req, http::Response& res, std::string_view hex,
                 std::string_view px) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(hex);
  std::optional<ThumbSize> size = thumb_size_from_pixels(px == "1280" ? 1280 : 320);
  if (!d || !size) return plain_error(res, 400, "bad thumbnail address");
  std::string etag;
  etag.reserve(72);
  etag.append("\"").append(hex).append("-").append(px).append("\"");
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", kImmutable);
  if (etag_matches(req, etag)) {
    res.status = 304;
    return;
  }
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return plain_error(res, 503, "archive unavailable");
    Result<std::string_view> view = (*snap)->thumb_view(*d, *size);
    if (!view.ok()) {
      res.headers.erase("Cache-Control");
      res.headers.erase("ETag");
      return plain_error(res, view.status().is_not_found() ? 404 : 500, "no such thumbnail");
    }
    res.body.assign(view->data(), view->size());
  }  // the read transaction ends here, before any byte goes out
  res.set_header("Content-Type", "image/jpeg");
  res.ranges_allowed = true;
}

// "/thumb/" 64 hex "/" (320|1280), split without a regex: this is the hottest route.
bool parse_thumb_path(std::string_view path, std::string_view& hex, std::string_view& px) {
  constexpr std::string_view kPrefix = "/thumb/";
  if (path.size() < kPrefix.size() + 65 || path.substr(0, kPrefix.size()) != kPrefix) return false;
  hex = path.substr(kPrefix.size(), 64);
  if (path[kPrefix.size() + 64] != '/') return false;
  px = path.substr(kPrefix.size() + 65);
  return (px == "320" || px == "1280") && is_canonical_hex(hex);
}

// Files whose digest was checked, by (device, inode, size, mtime, ctime): a change to the bytes in place
// changes mtime or ctime, a replacement changes the inode, so a match needs no new hash.
class VerifiedFiles {
 public:
  using Key = std::tuple<dev_t, ino_t, off_t, std::int64_t, std::int64_t, std::string>;
  static Key key(const struct stat& st, const Digest& d) {
    return {st.st_dev,
            st.st_ino,
            st.st_size,
            st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
            st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec,
            std::string(d.view())};
  }
  bool contains(const Key& k) {
    std::lock_guard lock(mu_);
    return set_.count(k) > 0;
  }
  void insert(const Key& k) {
    std::lock_guard lock(mu_);
    if (set_.size() >= 10000) set_.clear();
    set_.insert(k);
  }

 private:
  std::mutex mu_;
  std::set<Key> set_;
};

VerifiedFiles& verified_files() {
  static VerifiedFiles v;
  return v;
}

bool sha256_of_fd(int fd, std::uint64_t size, Digest& out) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return false;
  std::vector<char> buf(1 << 20);
  std::uint64_t off = 0;
  while (off < size) {
    ssize_t n = ::pread(fd, buf.data(), static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size - off)),
                        static_cast<off_t>(off));
    if (n <= 0) return false;
    if (EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n)) != 1) return false;
    off += static_cast<std::uint64_t>(n);
  }
  unsigned int len = 0;
  return EVP_DigestFinal_ex(ctx.get(), out.bytes.data(), &len) == 1 && len == out.bytes.size();
}

struct Opened {
  int status = 404;  // 0 = `fd` is the recorded file, else 404 (gone) or 409 (something else is there)
  int fd = -1;
};

// Opens `path` below `root` (trusted as recorded) with no symbolic link on the way.
Opened open_under(const std::string& root, std::string_view rel) {
  Opened o;
  int dir = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return o;
  for (;;) {
    std::size_t slash = rel.find('/');
    std::string part(rel.substr(0, slash));
    if (part.empty() || part == "." || part == "..") {
      ::close(dir);
      o.status = 409;
      return o;
    }
    const bool last = slash == std::string_view::npos;
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK | O_NOCTTY : O_DIRECTORY);
    int fd = ::openat(dir, part.c_str(), flags);
    const int err = errno;
    ::close(dir);
    if (fd < 0) {
      o.status = err == ENOENT ? 404 : 409;  // ELOOP, ENOTDIR: a link or a file where a folder was
      return o;
    }
    if (last) {
      o.status = 0;
      o.fd = fd;
      return o;
    }
    dir = fd;
    rel = rel.substr(slash + 1);
  }
}

Opened open_recorded(const File& f, const std::string& event_folder, const Photo& photo) {
  std::string root, rel;
  if (!event_folder.empty() && f.path.size() > event_folder.size() + 1 &&
      f.path.compare(0, event_folder.size(), event_folder) == 0 && f.path[event_folder.size()] == '/') {
    root = event_folder;
    rel = f.path.substr(event_folder.size() + 1);
  } else {
    std::size_t slash = f.path.find_last_of('/');
    if (slash == std::string::npos) return Opened{404, -1};
    root = slash == 0 ? "/" : f.path.substr(0, slash);
    rel = f.path.substr(slash + 1);
  }
  Opened o = open_under(root, rel);
  if (o.status != 0) return o;
  struct stat st {};
  bool same = ::fstat(o.fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) == photo.size;
  if (same) {
    const VerifiedFiles::Key key = VerifiedFiles::key(st, photo.digest);
    if (!verified_files().contains(key)) {
      Digest actual;
      same = sha256_of_fd(o.fd, photo.size, actual) && actual == photo.digest;
      if (same) verified_files().insert(key);
    }
  }
  if (!same) {
    ::close(o.fd);
    return Opened{409, -1};
  }
  return o;
}

// The file's name as Content-Disposition: RFC 5987 filename* for a UTF-8 name, and always an ASCII
// filename= (marks dropped; the only one for a name that is not UTF-8, which filename* must not claim
// to be).
std::string content_disposition(const std::string& raw_path) {
  std::size_t slash = raw_path.find_last_of('/');
  std::string name = slash == std::string::npos ? raw_path : raw_path.substr(slash + 1);
  auto safe = [](std::uint32_t c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; };
  std::string ascii;
  const bool utf8 = is_valid_utf8(name);
  if (utf8) {  // Vietnamese without its marks: "tiết mục.jpg" → "tiet muc.jpg"
    const std::string nfd = to_nfd(name);
    std::uint32_t cp = 0;
    for (std::size_t i = 0, n; i < nfd.size(); i += n) {
      n = next_code_point(nfd, i, &cp);
      if (n == 0) break;
      if (cp == 0x111 || cp == 0x110) {
        ascii.push_back(cp == 0x111 ? 'd' : 'D');
      } else if (char_class(cp) != CharClass::kMark) {
        ascii.push_back(safe(cp) ? static_cast<char>(cp) : '_');
      }
    }
  } else {
    for (unsigned char c : name) ascii.push_back(safe(c) ? static_cast<char>(c) : '_');
  }
  std::string out = "inline; filename=\"" + ascii + "\"";
  if (!utf8) return out;
  std::string enc;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      enc.push_back(static_cast<char>(c));
    } else {
      enc.push_back('%');
      enc.push_back(hex[c >> 4]);
      enc.push_back(hex[c & 15]);
    }
  }
  return out + "; filename*=UTF-8''" + enc;
}

void serve_original(const Catalog& catalog, const http::Request& req, http::Response& res) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(req.matches[1].str());
  if (!d) return plain_error(res, 400, "bad photo address");
  const std::string etag = "\"" + d->hex() + "\"";
  Photo photo;
  std::vector<std::pair<File, std::string>> files;  // with the event's folder
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return plain_error(res, 503, "archive unavailable");
    Result<Photo> p = (*snap)->photo(*d);
    if (!p.ok()) return plain_error(res, p.status().is_not_found() ? 404 : 500, "no such photo");
    photo = std::move(*p);
    Result<std::vector<File>> f = (*snap)->photo_files(*d);
    if (f.ok()) {
      for (File& file : *f) {
        Result<Event> ev = (*snap)->event(file.event_id);
        files.emplace_back(std::move(file), ev.ok() ? ev->folder : std::string());
      }
    }
  }
  int status = 404;
  for (const auto& [f, folder] : files) {
    Opened o = open_recorded(f, folder, photo);
    if (o.status != 0) {
      status = std::max(status, o.status);
      continue;
    }
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "public, max-age=86400");
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("Content-Disposition", content_disposition(f.path));
    if (etag_matches(req, etag)) {
      ::close(o.fd);
      res.status = 304;
      return;
    }
    res.set_file(o.fd, photo.size, mime_for(photo.meta.format));
    res.ranges_allowed = true;
    return;
  }
  if (status == 409) return plain_error(res, 409, "the file at the ingested path is no longer this photo");
  plain_error(res, 404, "the original file is no longer where it was ingested");
}

}  // namespace

bool try_serve_thumb(const Catalog& catalog, const http::Request& req, http::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  std::string_view hex, px;
  if (!parse_thumb_path(req.path, hex, px)) return false;
  serve_thumb(catalog, req, res, hex, px);
  return true;
}

void add_media_routes(http::Router& router, const Catalog& catalog) {
  // Thumbnails are answered on the I/O thread (fast route): one LMDB read, no disk, no rendering.
  router.Fast([&catalog](const http::Request& req, http::Response& res) { return try_serve_thumb(catalog, req, res); });
  // Other /thumb/ paths fall through to a 404. Originals are checked (and maybe hashed): a worker's job.
  router.Get(R"(/original/([0-9a-f]{64}))",
             [&catalog](const http::Request& req, http::Response& res) { serve_original(catalog, req, res); });
}

}  // namespace kho::web
