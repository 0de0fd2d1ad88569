// Private to webui: the download routes (views_export.cc), registered by one call from server.cc.
#pragma once

#include "http.h"

#include "kho/catalog.h"
#include "kho/photo_exporter.h"

namespace kho::web {

// GET /photo/{digest}/download: the photo with its caption written in (kho export's copy).
// GET /event/{id}/download: a ZIP of the event's exported copies plus captions.csv, produced one photo at a
// time while it is sent (chunked).
// With `exporter` null (a server built without one) both answer 503.
void add_export_routes(http::Router& http, const Catalog& catalog, const PhotoExporter* exporter);

}  // namespace kho::web
