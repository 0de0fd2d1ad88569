// kho serve: the web gallery over the archive, read-only (webui/README.md).
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

  auto cat = open_archive(g, /*read_only=*/true);
  if (!cat) return kExitFatal;
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
  auto* cmd = app.add_subcommand("serve", "Browse the archive in a web browser (read-only; works during ingest)");
  auto options = std::make_shared<web::ServerOptions>();
  cmd->add_option("--host", options->host, "Address to listen on (default 127.0.0.1: this machine only)");
  cmd->add_option("--port", options->port, "Port to listen on (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options->threads, "Worker threads = concurrent connections (default 64)")
      ->check(CLI::Range(1, 1024));
  cmd->callback([&g, options] { set_command([&g, options] { return run_serve(g, *options); }); });
}

}  // namespace kho::app
