// Private to webui: the download routes (views_export.cc), registered by one call from server.cc.
#pragma once

#include <httplib.h>

#include "kho/catalog.h"
#include "kho/photo_exporter.h"

namespace kho::web {

// GET /photo/{digest}/download: the photo with its caption written in (kho export's copy), streamed.
// GET /event/{id}/download: a ZIP of the event's exported copies plus captions.csv, streamed while built.
// With `exporter` null (a server built without one) both answer 503.
void add_export_routes(httplib::Server& http, const Catalog& catalog, const PhotoExporter* exporter);

}  // namespace kho::web
