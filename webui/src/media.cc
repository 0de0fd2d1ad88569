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
//
// Two kinds of recorded file are not the photo's bytes on disk (core/FORMAT.md, "File"):
// - an image embedded in a Word file, "FOLDER/bai.docx#word/media/image1.jpeg" (issue 11): the .docx is
//   opened the same way (no link on the way, a regular file), the part read with libzip (bounded by the
//   recorded size) and served only when its SHA-256 is the digest;
// - the raw file of a RAW+JPEG pair (issue 14), whose record has its own size and whose bytes were never
//   hashed: /original/{digest}/file/{n} serves it when its size and mtime are still those recorded at
//   ingest (anything else is 409).
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

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
  std::optional<ThumbSize> size = thumb_size_from_pixels(px == "1280" ? 1280 : px == "640" ? 640 : 320);
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
    if (!view.ok() && view.status().is_not_found() && *size == ThumbSize::kMid) {
      // No 640 px entry: a photo no larger than 640 px (its preview is that image) or one ingested before
      // the size existed. The next larger size is sent, under its own ETag (webui cannot make thumbnails).
      view = (*snap)->thumb_view(*d, ThumbSize::kPreview);
      etag.replace(etag.size() - 4, 4, "1280\"");
      res.set_header("ETag", etag);
      if (view.ok() && etag_matches(req, etag)) {
        res.status = 304;
        return;
      }
    }
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

// "/thumb/" 64 hex "/" (320|640|1280), split without a regex: this is the hottest route.
bool parse_thumb_path(std::string_view path, std::string_view& hex, std::string_view& px) {
  constexpr std::string_view kPrefix = "/thumb/";
  if (path.size() < kPrefix.size() + 65 || path.substr(0, kPrefix.size()) != kPrefix) return false;
  hex = path.substr(kPrefix.size(), 64);
  if (path[kPrefix.size() + 64] != '/') return false;
  px = path.substr(kPrefix.size() + 65);
  return (px == "320" || px == "640" || px == "1280") && is_canonical_hex(hex);
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

// Opens the file at `path` (a recorded path, or the .docx of an embedded one) with no link below the
// event's folder (or below its own folder when it lies outside the event's).
Opened open_path(const std::string& path, const std::string& event_folder) {
  std::string root, rel;
  if (!event_folder.empty() && path.size() > event_folder.size() + 1 &&
      path.compare(0, event_folder.size(), event_folder) == 0 && path[event_folder.size()] == '/') {
    root = event_folder;
    rel = path.substr(event_folder.size() + 1);
  } else {
    std::size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return Opened{404, -1};
    root = slash == 0 ? "/" : path.substr(0, slash);
    rel = path.substr(slash + 1);
  }
  return open_under(root, rel);
}

// "…/bai.docx#word/media/image1.jpeg" → {"…/bai.docx", "word/media/image1.jpeg"} (ingest's spelling).
std::optional<std::pair<std::string, std::string>> split_docx_path(const std::string& path) {
  const std::size_t hash = path.find(".docx#");
  if (hash == std::string::npos) return std::nullopt;
  return std::make_pair(path.substr(0, hash + 5), path.substr(hash + 6));
}

// An embedded image's bytes: the part of the .docx, read only when its expanded size is the photo's (and
// never more than that, whatever the zip claims), and returned only when its SHA-256 is the digest.
struct Embedded {
  int status = 404;  // 0: `bytes` is the photo
  std::string bytes;
};

Embedded read_embedded(const File& f, const std::string& event_folder, const Photo& photo) {
  Embedded out;
  const auto split = split_docx_path(f.path);
  Opened o = open_path(split->first, event_folder);
  if (o.status != 0) {
    out.status = o.status;
    return out;
  }
  out.status = 409;
  struct stat st {};
  if (::fstat(o.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(o.fd);
    return out;
  }
  int err = 0;
  zip_t* z = ::zip_fdopen(o.fd, ZIP_RDONLY | ZIP_CHECKCONS, &err);  // owns the descriptor from here
  if (!z) {
    ::close(o.fd);
    return out;
  }
  zip_stat_t zs;
  zip_stat_init(&zs);
  const zip_int64_t index = ::zip_name_locate(z, split->second.c_str(), 0);
  zip_file_t* part = nullptr;
  if (index >= 0 && ::zip_stat_index(z, static_cast<zip_uint64_t>(index), 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE) &&
      zs.size == photo.size && (part = ::zip_fopen_index(z, static_cast<zip_uint64_t>(index), 0)) != nullptr) {
    out.bytes.resize(photo.size + 1);  // one byte more: a part longer than it claims is caught
    std::uint64_t done = 0;
    for (;;) {
      const zip_int64_t n = ::zip_fread(part, out.bytes.data() + done, out.bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<std::uint64_t>(n);
      if (done == out.bytes.size()) break;
    }
    ::zip_fclose(part);
    if (done == photo.size) {
      out.bytes.resize(done);
      Digest actual;
      unsigned int len = 0;
      if (EVP_Digest(out.bytes.data(), out.bytes.size(), actual.bytes.data(), &len, EVP_sha256(), nullptr) == 1 &&
          actual == photo.digest)
        out.status = 0;
    }
  }
  ::zip_discard(z);
  if (out.status != 0) out.bytes.clear();
  return out;
}

Opened open_recorded(const File& f, const std::string& event_folder, const Photo& photo) {
  Opened o = open_path(f.path, event_folder);
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

// The raw file of a RAW+JPEG pair: its record's size differs from the photo's (its bytes were never hashed),
// so it is served only while it is a regular file of the recorded size and mtime.
Opened open_pair_member(const File& f, const std::string& event_folder) {
  Opened o = open_path(f.path, event_folder);
  if (o.status != 0) return o;
  struct stat st {};
  const bool same = ::fstat(o.fd, &st) == 0 && S_ISREG(st.st_mode) &&
                    static_cast<std::uint64_t>(st.st_size) == f.size &&
                    st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec == f.mtime_ns;
  if (!same) {
    ::close(o.fd);
    return Opened{409, -1};
  }
  return o;
}

// The file's name as Content-Disposition: RFC 5987 filename* for a UTF-8 name, and always an ASCII
// filename= (marks dropped; the only one for a name that is not UTF-8, which filename* must not claim
// to be).
std::string content_disposition(const std::string& raw_path, const char* kind = "inline") {
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
  std::string out = std::string(kind) + "; filename=\"" + ascii + "\"";
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

// The photo's record, and its files with their events' folders, read in one short snapshot.
struct Recorded {
  Photo photo;
  std::vector<std::pair<File, std::string>> files;
};

int load_recorded(const Catalog& catalog, const Digest& d, Recorded& out) {
  Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
  if (!snap.ok()) return 503;
  Result<Photo> p = (*snap)->photo(d);
  if (!p.ok()) return p.status().is_not_found() ? 404 : 500;
  out.photo = std::move(*p);
  Result<std::vector<File>> f = (*snap)->photo_files(d);
  if (f.ok()) {
    for (File& file : *f) {
      Result<Event> ev = (*snap)->event(file.event_id);
      out.files.emplace_back(std::move(file), ev.ok() ? ev->folder : std::string());
    }
  }
  return 0;
}

// Sends one recorded file of the photo: checked as its kind requires (the photo's bytes on disk, an
// embedded image, a pair's raw file). Returns 0 when `res` is filled, else 404 or 409.
// With `member` false only the photo's own bytes are sent (the /original/ route).
int send_file(const http::Request& req, http::Response& res, const Photo& photo, const File& f,
              const std::string& folder, const std::string& etag, bool member) {
  const bool embedded = split_docx_path(f.path).has_value();
  const bool pair_member = member && !embedded && f.size != photo.size;
  Embedded e;
  Opened o;
  if (embedded) {
    e = read_embedded(f, folder, photo);
    if (e.status != 0) return e.status;
  } else {
    o = pair_member ? open_pair_member(f, folder) : open_recorded(f, folder, photo);
    if (o.status != 0) return o.status;
  }
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "public, max-age=86400");
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Content-Disposition", content_disposition(f.path, pair_member ? "attachment" : "inline"));
  if (etag_matches(req, etag)) {
    if (o.fd >= 0) ::close(o.fd);
    res.status = 304;
    return 0;
  }
  if (embedded) {
    res.set_content(std::move(e.bytes), mime_for(photo.meta.format));
  } else if (pair_member) {
    res.set_file(o.fd, f.size, "application/octet-stream");  // camera raw: a download
  } else {
    res.set_file(o.fd, photo.size, mime_for(photo.meta.format));
  }
  res.ranges_allowed = true;
  return 0;
}

void answer_missing(http::Response& res, int status) {
  if (status == 409) return plain_error(res, 409, "the file at the ingested path is no longer this photo");
  plain_error(res, 404, "the original file is no longer where it was ingested");
}

void serve_original(const Catalog& catalog, const http::Request& req, http::Response& res) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(req.matches[1].str());
  if (!d) return plain_error(res, 400, "bad photo address");
  Recorded rec;
  if (int st = load_recorded(catalog, *d, rec); st != 0)
    return plain_error(res, st, st == 404 ? "no such photo" : "archive unavailable");
  int status = 404;
  for (const auto& [f, folder] : rec.files) {  // a pair's raw file is not the photo's bytes: 409, go on
    const int st = send_file(req, res, rec.photo, f, folder, "\"" + d->hex() + "\"", /*member=*/false);
    if (st == 0) return;
    status = std::max(status, st);
  }
  answer_missing(res, status);
}

// /original/{digest}/file/{n}: the n-th of the photo's files as the photo page lists them (photo_files
// order), e.g. the raw file of a RAW+JPEG pair. Its ETag names the file too.
void serve_file(const Catalog& catalog, const http::Request& req, http::Response& res) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(req.matches[1].str());
  if (!d) return plain_error(res, 400, "bad photo address");
  const std::string n_text = req.matches[2].str();
  if (n_text.size() > 6) return plain_error(res, 404, "no such file of this photo");
  const std::size_t n = std::stoul(n_text);
  Recorded rec;
  if (int st = load_recorded(catalog, *d, rec); st != 0)
    return plain_error(res, st, st == 404 ? "no such photo" : "archive unavailable");
  if (n >= rec.files.size()) return plain_error(res, 404, "no such file of this photo");
  const auto& [f, folder] = rec.files[n];
  const std::string etag = "\"" + d->hex() + "-" + std::to_string(n) + "-" + std::to_string(f.size) + "-" +
                           std::to_string(f.mtime_ns) + "\"";
  if (int st = send_file(req, res, rec.photo, f, folder, etag, /*member=*/true); st != 0) answer_missing(res, st);
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
  router.Get(R"(/original/([0-9a-f]{64})/file/([0-9]+))",
             [&catalog](const http::Request& req, http::Response& res) { serve_file(catalog, req, res); });
}

}  // namespace kho::web
