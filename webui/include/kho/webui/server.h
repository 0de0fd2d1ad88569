// The gallery server behind `kho serve` (DESIGN.md §5, webui/README.md).
//
// It only reads: every request opens one short Snapshot, copies what it needs, closes it, and only then
// writes the response, so a slow client never holds an LMDB read transaction and `kho ingest` can write
// at the same time (new photos show on reload).
#pragma once

#include <memory>
#include <string>

#include "kho/catalog.h"
#include "kho/photo_exporter.h"
#include "kho/status.h"

namespace kho::web {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0 picks a free port (see Server::port())
  // Worker threads. A keep-alive connection holds a worker, so this bounds concurrent connections.
  int threads = 64;
  std::size_t page_size = 24;      // events per home page
  // Writes captions into downloaded copies (/photo/{digest}/download, /event/{id}/download). `kho serve`
  // passes ingest's writer; null answers those routes with 503. Must outlive the server.
  const PhotoExporter* exporter = nullptr;
};

class Server {
 public:
  // `catalog` must outlive the server; open it with CatalogOptions::read_only.
  static std::unique_ptr<Server> create(const Catalog& catalog, const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket. Errors: IOError naming host:port (in use, no permission, bad host).
  Status bind();
  int port() const;          // the bound port, valid after bind()
  std::string url() const;   // "http://host:port/"
  // Serves until stop(). Call after bind(). Errors: IOError when the socket fails.
  Status run();
  // Makes run() return after the requests in flight. Thread-safe; not async-signal-safe.
  void stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kho::web
