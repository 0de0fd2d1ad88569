// The gallery server behind `kho serve` (DESIGN.md §5, webui/README.md).
//
// Reading: every request opens one short Snapshot, copies what it needs, closes it, and only then
// writes the response, so a slow client never holds an LMDB read transaction and `kho ingest` can write
// at the same time (new photos show on reload).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kho/catalog.h"
#include "kho/photo_exporter.h"
#include "kho/status.h"

namespace kho::web {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 8080;                 // 0 picks a free port (see Server::port())
  // Worker threads for pages, the API and originals. Connections do not hold them: they live on
  // `io_threads` event loops (which also answer thumbnails and assets).
  int threads = 8;
  int io_threads = 2;
  std::size_t page_size = 24;      // events per home page
  int header_timeout_s = 10;       // a request head must arrive whole within this
  int keepalive_timeout_s = 5;     // an idle connection is closed after this
  int write_timeout_s = 30;        // a reply making no progress this long is dropped (its producer stops)
  // Connections one address may hold; a new one beyond this closes that address's least recently
  // active idle connection.
  int max_connections_per_address = 256;
  // Host header names accepted besides 127.0.0.1, localhost, [::1] and `host` (DNS rebinding guard);
  // other names get 421.
  std::vector<std::string> allowed_hosts;
  std::string cors_origin;  // Access-Control-Allow-Origin on /api/ (none when empty)
  // Writes captions into downloaded copies (/photo/{digest}/download, /event/{id}/download). `kho serve`
  // passes ingest's writer; null answers those routes with 503. Must outlive the server.
  const PhotoExporter* exporter = nullptr;
  // Accounts and sessions (issue 16; webui/README.md, "Accounts and sessions"). Once the archive has a user,
  // every page needs a login unless `public_read` (anonymous read-only). `secure_cookies` adds Secure to the
  // session cookie (set it behind a TLS proxy).
  bool public_read = false;
  bool secure_cookies = false;
  std::chrono::seconds session_lifetime = std::chrono::hours(12);  // from login, whatever happens
  std::chrono::seconds session_idle = std::chrono::hours(2);       // without a request
  std::function<std::int64_t()> clock;  // Unix seconds for sessions and the login throttle; null: the system's
};

class Server {
 public:
  // `catalog` must outlive the server. Open it writable: logins, logouts and editors' corrections write
  // (one short transaction each); on a read-only catalog those answer 500/503 and reading still works.
  static std::unique_ptr<Server> create(Catalog& catalog, const ServerOptions& options);
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
