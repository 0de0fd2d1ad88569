// gzip of answers (compress.h), with zlib.
#include "compress.h"

#include <zlib.h>

#include <cstdlib>

namespace kho::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// q of one Accept-Encoding member ("gzip;q=0.5"): 1 without a q parameter, 0 when it reads as zero.
bool q_nonzero(std::string_view params) {
  while (!params.empty()) {
    std::size_t semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string v(trim(p.substr(2)));
      return std::strtod(v.c_str(), nullptr) > 0.0;
    }
  }
  return true;
}

}  // namespace

bool accepts_gzip(const http::Request& req) {
  bool gzip_said = false, gzip_ok = false, star_ok = false;
  for (auto [it, end] = req.headers.equal_range("Accept-Encoding"); it != end; ++it) {
    std::string_view v = it->second;
    while (!v.empty()) {
      std::size_t comma = v.find(',');
      std::string_view member = v.substr(0, comma);
      v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
      std::size_t semi = member.find(';');
      std::string_view coding = trim(member.substr(0, semi));
      std::string_view params = semi == std::string_view::npos ? std::string_view{} : member.substr(semi + 1);
      if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
        gzip_said = true;
        gzip_ok = q_nonzero(params);
      } else if (coding == "*") {
        star_ok = q_nonzero(params);
      }
    }
  }
  return gzip_said ? gzip_ok : star_ok;
}

std::optional<std::string> gzip(std::string_view data, int level) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's; memLevel 8 is zlib's default.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return std::nullopt;
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  const std::size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

bool compressible_type(std::string_view type) {
  for (std::string_view t : {"text/", "application/json", "application/javascript", "image/svg+xml"})
    if (type.substr(0, t.size()) == t) return true;
  return false;
}

void compress_response(const http::Request& req, http::Response& res) {
  if (res.file || !compressible_type(res.get_header_value("Content-Type"))) return;
  res.set_header("Vary", res.has_header("Vary") ? res.get_header_value("Vary") + ", Accept-Encoding"
                                                : std::string("Accept-Encoding"));
  if (res.body.size() < kMinCompressBytes || res.has_header("Content-Encoding") || res.ranges_allowed) return;
  if (!accepts_gzip(req)) return;
  std::optional<std::string> packed = gzip(res.body, kDynamicGzipLevel);
  if (!packed || packed->size() >= res.body.size()) return;
  res.body = std::move(*packed);
  res.set_header("Content-Encoding", "gzip");
}

}  // namespace kho::web
