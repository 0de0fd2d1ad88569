// Private to webui: route registration, split by kind (pages and API in server.cc, bytes in media.cc).
#pragma once

#include <httplib.h>

#include <string>

#include "kho/catalog.h"

namespace kho::web {

// Common response headers of every answer (content sniffing off, a strict content security policy).
void set_security_headers(httplib::Response& res);
// True when the request's If-None-Match names `etag` (or is "*").
bool etag_matches(const httplib::Request& req, const std::string& etag);

// /original/{digest} from disk with Range.
void add_media_routes(httplib::Server& http, const Catalog& catalog);
// Answers GET/HEAD /thumb/{digest}/{320|1280} from the thumbs db and returns true; false (nothing
// written) for any other request.
bool try_serve_thumb(const Catalog& catalog, const httplib::Request& req, httplib::Response& res);

}  // namespace kho::web
