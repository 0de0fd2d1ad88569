// Private to webui: route registration, split by kind (pages and API in server.cc, bytes in media.cc).
// A new kind of route goes in its own file with an add_*_routes(http::Router&, …) called from
// server.cc's add_routes().
#pragma once

#include <optional>
#include <string>

#include "http.h"
#include "kho/catalog.h"

namespace kho::web {

// Common response headers of every answer (content sniffing off, a strict content security policy).
void set_security_headers(http::Response& res);
// The "error" field of a JSON error answer with this status ("NotFound", "Conflict", "UriTooLong", …).
const char* error_name(int status);
// True when the request's If-None-Match names `etag` (or is "*").
bool etag_matches(const http::Request& req, const std::string& etag);

// The Content-Type of an original by Metadata::format ("jpeg", "heic", "avif", …): the registered image
// type, or application/octet-stream (camera raw, unknown) so the browser downloads it.
std::string mime_for(const std::optional<std::string>& format);

// /thumb/{digest}/{320|1280} (a fast route) and /original/{digest} from disk with Range.
void add_media_routes(http::Router& router, const Catalog& catalog);
// Answers GET/HEAD /thumb/{digest}/{320|1280} from the thumbs db and returns true; false (nothing
// written) for any other request.
bool try_serve_thumb(const Catalog& catalog, const http::Request& req, http::Response& res);

}  // namespace kho::web
