// Downloads with captions: one exported photo, or a whole event as a streamed ZIP (export_routes.h).
//
// Both plan inside one short snapshot (which photos, their files, their CaptionFields), close it, and only
// then read originals and send bytes: no read transaction is held across network I/O. The exported copy
// comes from the PhotoExporter that `kho serve` hands in (ingest's Exiv2 writer): webui never links ingest.
// The ZIP is produced while it is sent (http::BodyProducer): memory holds one photo at a time and a
// bounded buffer of unsent bytes however large the event is.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <set>

#include "export_routes.h"
#include "kho/text.h"
#include "routes.h"
#include "views.h"
#include "zip_stream.h"

namespace kho::web {
namespace {

struct DownloadItem {
  Digest digest;
  std::vector<File> files;
  std::string name;  // the original's base name
  CaptionFields fields;
};

void plain_error(http::Response& res, int status, const std::string& msg) {
  res.status = status;
  res.set_content(msg + "\n", "text/plain; charset=utf-8");
}

int status_for(const Status& st) {
  if (st.is_not_found()) return 410;         // the original vanished since ingest
  if (st.is_invalid_argument()) return 409;  // the original changed since ingest
  if (st.code() == Status::Code::kUnsupported) return 415;
  return 500;
}

// RFC 5987: any bytes are safe in the header; plain ASCII fallback for old clients.
std::string attachment(const std::string& name) {
  static const char* hex = "0123456789ABCDEF";
  std::string enc, ascii;
  for (unsigned char c : name) {
    const bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii.push_back(plain ? static_cast<char>(c) : '_');
    if (plain) {
      enc.push_back(static_cast<char>(c));
    } else {
      enc.push_back('%');
      enc.push_back(hex[c >> 4]);
      enc.push_back(hex[c & 15]);
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + enc;
}

std::string base_of(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return to_nfc(name);  // NFD names from a Mac come out composed; invalid bytes become U+FFFD
}

std::pair<std::string, std::string> split_ext(const std::string& name) {
  std::size_t dot = name.find_last_of('.');
  if (dot == std::string::npos || dot == 0) return {name, ""};
  return {name.substr(0, dot), name.substr(dot)};
}

Result<DownloadItem> plan_item(const Snapshot& snap, const Digest& d, const std::string& event_path) {
  Result<Photo> photo = snap.photo(d);
  if (!photo.ok()) return photo.status();
  Result<std::vector<File>> files = snap.photo_files(d);
  if (!files.ok()) return files.status();
  Result<CaptionFields> fields = caption_fields(snap, d);
  if (!fields.ok()) return fields.status();
  DownloadItem item;
  item.digest = d;
  item.fields = std::move(*fields);
  // The event's own file first, then where it was first seen, then the others.
  auto taken = [&](const File& f) {
    return std::any_of(item.files.begin(), item.files.end(), [&](const File& x) { return x.path == f.path; });
  };
  for (const std::string& preferred : {event_path, photo->first_path})
    for (const File& f : *files)
      if (f.path == preferred && !taken(f)) item.files.push_back(f);
  for (const File& f : *files)
    if (!taken(f)) item.files.push_back(f);
  if (item.files.empty()) return Status::NotFound("photo " + d.hex() + " has no file");
  item.name = base_of(item.files.front().path);
  return item;
}

ExportRequest request_for(const DownloadItem& item) {
  ExportRequest r;
  r.digest = item.digest;
  r.files = item.files;
  r.fields = item.fields;
  return r;
}

std::string csv_field(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

void serve_photo_download(const Catalog& catalog, const PhotoExporter& exporter, const http::Request& req,
                          http::Response& res) {
  set_security_headers(res);
  std::optional<Digest> d = Digest::from_hex(req.matches[1].str());
  if (!d) return plain_error(res, 400, "bad photo address");
  Result<DownloadItem> item = Status::Busy("archive unavailable");
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return plain_error(res, 503, "archive unavailable");
    item = plan_item(**snap, *d, "");
  }  // the read transaction ends here
  if (!item.ok()) return plain_error(res, item.status().is_not_found() ? 404 : 500, "no such photo");
  Result<ExportedCopy> copy = exporter.export_photo(request_for(*item));
  if (!copy.ok()) return plain_error(res, status_for(copy.status()), copy.status().message());
  res.set_header("Cache-Control", "no-cache");
  auto [stem, ext] = split_ext(item->name);
  if (ext.empty()) ext = copy->extension;
  if (!copy->sidecar_xmp.empty()) {  // RAW / HEIF: the original and its sidecar, as a small ZIP
    auto body = std::make_shared<std::string>();
    ZipStream zip([&](std::string_view b) {
      body->append(b);
      return true;
    });
    Result<std::string> bytes = read_exported(*copy);
    if (!bytes.ok()) return plain_error(res, 500, bytes.status().message());
    zip.add(stem + ext, *bytes);
    zip.add(stem + ".xmp", copy->sidecar_xmp);
    zip.finish();
    res.set_header("Content-Disposition", attachment(stem + ".zip"));
    res.set_content(*body, "application/zip");
    return;
  }
  res.set_header("Content-Disposition", attachment(stem + ext));
  // One photo: the new head and the original's image data, read once into the reply.
  Result<std::string> bytes = read_exported(*copy);
  if (!bytes.ok()) return plain_error(res, 500, bytes.status().message());
  const std::string type = ext == ".png"                     ? "image/png"
                           : ext == ".webp"                  ? "image/webp"
                           : ext == ".tif" || ext == ".tiff" ? "image/tiff"
                                                             : "image/jpeg";
  res.set_content(std::move(*bytes), type);
}

// The state of one streamed event ZIP, kept alive by the content provider.
struct EventZip {
  std::vector<DownloadItem> items;
  std::size_t next = 0;
  std::set<std::string> taken;  // entry names, case-folded
  std::string csv =
      "\xEF\xBB\xBF"
      "file,caption,credit,article\r\n";  // BOM: spreadsheets then read UTF-8
  std::string errors;

  std::string claim(const std::string& stem, const std::string& ext, bool sidecar) {
    for (int k = 1;; ++k) {
      const std::string s = k == 1 ? stem : stem + "-" + std::to_string(k);
      if (taken.count(fold_case(s + ext)) || (sidecar && taken.count(fold_case(s + ".xmp")))) continue;
      taken.insert(fold_case(s + ext));
      if (sidecar) taken.insert(fold_case(s + ".xmp"));
      return s + ext;
    }
  }
};

void serve_event_download(const Catalog& catalog, const PhotoExporter* exporter, const http::Request& req,
                          http::Response& res) {
  set_security_headers(res);
  const std::string id = req.matches[1].str();
  if (!is_hex_id(id, 16)) return plain_error(res, 400, "not an event id");
  auto state = std::make_shared<EventZip>();
  state->taken.insert(fold_case("captions.csv"));
  state->taken.insert(fold_case("errors.txt"));
  std::string title;
  {
    Result<std::unique_ptr<Snapshot>> snap = catalog.snapshot();
    if (!snap.ok()) return plain_error(res, 503, "archive unavailable");
    Result<Event> ev = (*snap)->event(id);
    if (!ev.ok()) return plain_error(res, ev.status().is_not_found() ? 404 : 500, "no such event");
    title = ev->title;
    Result<std::vector<EventFile>> files = (*snap)->event_photos_in_order(id);
    if (!files.ok()) return plain_error(res, 500, files.status().message());
    for (const EventFile& f : *files) {
      Result<DownloadItem> item = plan_item(**snap, f.digest, f.path);
      if (item.ok()) state->items.push_back(std::move(*item));
    }
  }  // closed before the first byte is read from disk or sent
  std::string zip_name;
  for (unsigned char c : to_nfc(title)) zip_name.push_back(c < 0x20 || std::strchr("/\\:*?\"<>|", c) ? '_' : c);
  if (zip_name.empty()) zip_name = "event-" + id;
  res.set_header("Content-Disposition", attachment(zip_name + ".zip"));
  res.set_header("Cache-Control", "no-cache");
  // The ZIP is produced while it is sent (http::BodyProducer, on this worker once the head is out): one
  // photo at a time is exported, read, handed to the connection's bounded buffer and forgotten, so memory
  // holds one photo and at most CoreOptions::stream_buffer of unsent bytes however large the event. The
  // length is not known in advance (each copy's new head is made as it comes), so it goes out chunked.
  // A client that leaves stops the export at the next write.
  res.producer = [state, exporter](const http::BodySink& sink) {
    ZipStream zip([&sink](std::string_view b) { return sink(b); });
    EventZip& z = *state;
    for (const DownloadItem& item : z.items) {  // one photo at a time: exported, sent, forgotten
      Result<ExportedCopy> copy = exporter->export_photo(request_for(item));
      Result<std::string> bytes = copy.ok() ? read_exported(*copy) : Result<std::string>(copy.status());
      if (!bytes.ok()) {
        z.errors += item.name + "\t" + bytes.status().message() + "\n";
        continue;
      }
      auto [stem, ext] = split_ext(item.name);
      if (ext.empty()) ext = copy->extension;
      const bool with_sidecar = !copy->sidecar_xmp.empty();
      const std::string name = z.claim(stem, ext, with_sidecar);
      if (!zip.add(name, *bytes)) return false;
      if (with_sidecar && !zip.add(split_ext(name).first + ".xmp", copy->sidecar_xmp)) return false;
      const CaptionFields& f = item.fields;
      z.csv += csv_field(name) + "," + csv_field(f.caption.value_or("")) + "," +
               csv_field(f.creator ? *f.creator : f.credit.value_or("")) + "," + csv_field(f.article_title) + "\r\n";
    }
    if (!zip.add("captions.csv", z.csv)) return false;
    if (!z.errors.empty() && !zip.add("errors.txt", z.errors)) return false;
    return zip.finish();
  };
  res.set_header("Content-Type", "application/zip");
}

}  // namespace

void add_export_routes(http::Router& http, const Catalog& catalog, const PhotoExporter* exporter) {
  using Req = http::Request;
  using Res = http::Response;
  http.Get(R"(/photo/([0-9a-f]{64})/download)", [&catalog, exporter](const Req& req, Res& res) {
    if (!exporter) {
      set_security_headers(res);
      return plain_error(res, 503, "this server cannot export photos");
    }
    serve_photo_download(catalog, *exporter, req, res);
  });
  http.Get(R"(/event/([^/]+)/download)", [&catalog, exporter](const Req& req, Res& res) {
    if (!exporter) {
      set_security_headers(res);
      return plain_error(res, 503, "this server cannot export photos");
    }
    serve_event_download(catalog, exporter, req, res);
  });
}

}  // namespace kho::web
