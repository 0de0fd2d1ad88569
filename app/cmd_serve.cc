// kho serve: the web gallery over the archive (webui/README.md). It reads, and since issue 16 it writes
// logins and editors' corrections: the archive is opened for writing (one short transaction per write, so
// `kho ingest` and `kho watch` can run at the same time).
#include <CLI/CLI.hpp>

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "archive.h"
#include "kho/ingest/export.h"
#include "kho/webui/server.h"

namespace kho::app {
namespace {

int run_serve(const GlobalOptions& g, const web::ServerOptions& options) {
  // Ctrl-C and SIGTERM are taken by one waiting thread (sigwait), which stops the server from outside
  // any signal handler. They are blocked first so that every thread started later inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Writable (logins, corrections), but never created here: serving a mistyped path is an error. When the
  // archive cannot be opened for writing (a read-only disk), the gallery still serves it read-only.
  CatalogOptions open_options;
  open_options.create_if_missing = false;
  open_options.keep_mapped_pages = true;  // logins and corrections must not make the next searches fault
  auto opened = Catalog::open(g.archive, open_options);
  if (!opened.ok() && opened.status().code() == Status::Code::kIOError) {
    open_options.read_only = true;
    opened = Catalog::open(g.archive, open_options);
    if (opened.ok())
      std::fprintf(stderr, "kho: %s is read-only here: serving it without logins or corrections\n", g.archive.c_str());
  }
  if (!opened.ok()) {
    print_error(opened.status().message());
    return kExitFatal;
  }
  std::unique_ptr<Catalog> cat = std::move(*opened);
  // The archive's pages are mapped in the background while the server starts, so the first searches cost
  // what later ones do (Catalog::prewarm); requests are answered meanwhile. When the server stops first, the
  // jthread asks the prewarm to stop after its current 64 MB step and joins it.
  std::jthread prewarm([&cat](std::stop_token stop) { cat->prewarm(stop); });
  ingest::Exporter exporter;  // downloads with captions (webui never links ingest: it gets the interface)
  web::ServerOptions with_exporter = options;
  with_exporter.exporter = &exporter;
  std::unique_ptr<web::Server> server = web::Server::create(*cat, with_exporter);
  if (Status st = server->bind(); !st.ok()) {
    print_error(st.message());
    return kExitFatal;
  }
  std::fprintf(stderr, "kho: serving %s at %s (Ctrl-C to stop)\n", g.archive.c_str(), server->url().c_str());
  std::fflush(stderr);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server->stop();
  });
  Status st = server->run();
  // When run() ended on its own (socket error), wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  if (!st.ok()) {
    print_error(st.message());
    return kExitFatal;
  }
  std::fprintf(stderr, "kho: stopped\n");
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand(
      "serve", "Browse the archive in a web browser; editors correct it there once signed in (works during ingest)");
  auto options = std::make_shared<web::ServerOptions>();
  cmd->add_option("--host", options->host, "Address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", options->port, "Port to listen on (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options->threads,
                  "Worker threads for pages, the API and originals (default 8; connections do not hold them)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--io-threads", options->io_threads, "Event loops that own the connections (default 2)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--allow-host", options->allowed_hosts,
                  "Also accept this Host name (repeatable; 127.0.0.1, localhost, [::1] and --host always are)");
  cmd->add_option("--cors", options->cors_origin,
                  "Let this origin read /api/ from other pages (Access-Control-Allow-Origin; default: none)");
  cmd->add_option("--max-per-address", options->max_connections_per_address,
                  "Connections one client address may hold (default 256; beyond, its oldest idle one is closed)")
      ->check(CLI::Range(1, 100000));
  cmd->add_flag("--public", options->public_read,
                "Let people read without signing in (read-only); writes still need an editor's login");
  cmd->add_flag("--secure-cookies", options->secure_cookies,
                "Mark the session cookie Secure (set this when a TLS proxy serves the gallery over https)");
  cmd->callback([&g, options] { set_command([&g, options] { return run_serve(g, *options); }); });
}

}  // namespace kho::app
