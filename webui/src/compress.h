// Private to webui: gzip for answers the browser accepts compressed (Accept-Encoding).
//
// Dynamic pages and JSON are compressed per request at a fast level (kDynamicGzipLevel: level 1 costs
// ~1 ms per 100 KB of HTML, while Brotli at its default level 11 cost 70 ms on the seed event); the
// compiled-in assets are compressed once, at the best level, when the server starts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http.h"

namespace kho::web {

inline constexpr int kDynamicGzipLevel = 1;
// Bodies smaller than this are sent as they are: the gzip framing would eat most of the gain.
inline constexpr std::size_t kMinCompressBytes = 1024;

// True when the request's Accept-Encoding lists gzip (or "*") with a non-zero q.
bool accepts_gzip(const http::Request& req);
// The gzip stream (RFC 1952) of `data` at `level` (1..9); nullopt only if zlib fails.
std::optional<std::string> gzip(std::string_view data, int level);
// True for the text types worth compressing (HTML, CSS, JavaScript, JSON, SVG, CSV, plain text).
bool compressible_type(std::string_view content_type);
// Compresses res.body in place when the client accepts gzip, the type is compressible, the body is large
// enough and not yet encoded, and no file or range is involved. Adds Vary: Accept-Encoding to every
// answer of a compressible type, so caches keep the two forms apart.
void compress_response(const http::Request& req, http::Response& res);

}  // namespace kho::web
