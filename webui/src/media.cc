// Image bytes: thumbnails from LMDB and originals from disk.
//
// Thumbnails are content-addressed (digest + size), so their ETag is known from the URL alone: a
// conditional request is answered 304 without opening a transaction. Otherwise the bytes are copied out
// of the map and the snapshot is closed before the response is written (never hold a read transaction
// across network I/O).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "kho/json_model.h"
#include "routes.h"

namespace kho::web {
namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

std::string mime_for(const std::optional<std::string>& format) {
  if (!format) return "application/octet-stream";
  const std::string& f = *format;
  if (f == "jpeg" || f == "jpg") return "image/jpeg";
  if (f == "png") return "image/png";
  if (f == "tiff") return "image/tiff";
  if (f == "webp") return "image/webp";
  if (f == "heif" || f == "heic") return "image/heif";
  if (f == "gif") return "image/gif";
  return "application/octet-stream";
}

// RFC 5987 filename*, so any bytes in the name are safe in the header.
std::string content_disposition(const std::string& raw_path) {
  std::size_t slash = raw_path.find_last_of('/');
  std::string name = slash == std::string::npos ? raw_path : raw_path.substr(slash + 1);
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
  return "inline; filename*=UTF-8''" + enc;
}

void plain_error(httplib::Response& res, int status, const std::string& msg) {
  res.status = status;
  res.set_content(msg + "\n", "text/plain; charset=utf-8");
}

void serve_thumb(const Catalog& catalog, const httplib::Request& req, httplib::Response& res,
                 const std::string& hex, const std::string& px) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(hex);
  std::optional<ThumbSize> size = thumb_size_from_pixels(px == "1280" ? 1280 : 320);
  if (!d || !size) return plain_error(res, 400, "bad thumbnail address");
  std::string etag;
  etag.append("\"").append(d->hex()).append("-").append(px).append("\"");
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", kImmutable);
  if (etag_matches(req, etag)) {
    res.status = 304;
    return;
  }
  std::string bytes;
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return plain_error(res, 503, "archive unavailable");
    Result<std::string_view> view = (*snap)->thumb_view(*d, *size);
    if (!view.ok()) {
      res.headers.erase("Cache-Control");
      res.headers.erase("ETag");
      return plain_error(res, view.status().is_not_found() ? 404 : 500, "no such thumbnail");
    }
    bytes.assign(view->data(), view->size());
  }  // the read transaction ends here, before any byte goes out
  res.set_content(bytes, "image/jpeg");
}

void serve_original(const Catalog& catalog, const httplib::Request& req, httplib::Response& res) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(req.matches[1].str());
  if (!d) return plain_error(res, 400, "bad photo address");
  Photo photo;
  std::vector<File> files;
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return plain_error(res, 503, "archive unavailable");
    Result<Photo> p = (*snap)->photo(*d);
    if (!p.ok()) return plain_error(res, p.status().is_not_found() ? 404 : 500, "no such photo");
    photo = std::move(*p);
    Result<std::vector<File>> f = (*snap)->photo_files(*d);
    if (f.ok()) files = std::move(*f);
  }
  // Only paths the archive recorded for this digest are ever opened, and only when they still hold
  // a file of the recorded size: the URL never names a path.
  for (const File& f : files) {
    int fd = ::open(f.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) != photo.size) {
      ::close(fd);
      continue;
    }
    auto fd_holder = std::make_shared<int>(fd);
    const std::string etag = "\"" + d->hex() + "\"";
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "public, max-age=86400");
    res.set_header("Accept-Ranges", "bytes");
    res.set_header("Content-Disposition", content_disposition(f.path));
    if (etag_matches(req, etag)) {
      ::close(fd);
      res.status = 304;
      return;
    }
    // httplib 0.11 serves a range that starts past the end as 206; RFC 9110 says 416.
    for (const auto& [first, last] : req.ranges) {
      if (first >= 0 && static_cast<std::uint64_t>(first) >= photo.size) {
        ::close(fd);
        res.status = 416;
        res.set_header("Content-Range", "bytes */" + std::to_string(photo.size));
        return;
      }
    }
    res.set_content_provider(
        static_cast<std::size_t>(photo.size), mime_for(photo.meta.format),
        [fd_holder](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          char buf[64 * 1024];
          std::size_t n = std::min(length, sizeof buf);
          ssize_t got = ::pread(*fd_holder, buf, n, static_cast<off_t>(offset));
          if (got <= 0) return false;
          return sink.write(buf, static_cast<std::size_t>(got));
        },
        [fd_holder](bool) { ::close(*fd_holder); });
    return;
  }
  plain_error(res, 404, "the original file is no longer where it was ingested");
}

// "/thumb/" 64 hex "/" (320|1280), split without a regex: this is the hottest route.
bool parse_thumb_path(const std::string& path, std::string& hex, std::string& px) {
  constexpr std::string_view kPrefix = "/thumb/";
  if (path.size() < kPrefix.size() + 65 || path.compare(0, kPrefix.size(), kPrefix) != 0) return false;
  hex = path.substr(kPrefix.size(), 64);
  if (path[kPrefix.size() + 64] != '/') return false;
  px = path.substr(kPrefix.size() + 65);
  return (px == "320" || px == "1280") && Digest::from_hex(hex).has_value();
}

}  // namespace

bool try_serve_thumb(const Catalog& catalog, const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  std::string hex, px;
  if (!parse_thumb_path(req.path, hex, px)) return false;
  serve_thumb(catalog, req, res, hex, px);
  return true;
}

void add_media_routes(httplib::Server& http, const Catalog& catalog) {
  // Thumbnails are answered before routing (try_serve_thumb, from the pre-routing handler), so the
  // dozen route regexes are not tried on every grid image. Other /thumb/ paths fall through to a 404.
  http.Get(R"(/original/([0-9a-fA-F]{64}))",
           [&catalog](const httplib::Request& req, httplib::Response& res) { serve_original(catalog, req, res); });
}

}  // namespace kho::web
