// A test archive built with WriteBatch (no ingest), a gallery server on a free loopback port over it,
// and a raw-socket HTTP client (so tests can also send bytes no HTTP library would).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "kho/catalog.h"
#include "kho/webui/server.h"
#include "test_support.h"

namespace kho::webtest {

struct HttpResponse {
  int status = 0;                              // 0 when no status line came back
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// Sends `bytes` to 127.0.0.1:port and reads until the server closes or `timeout_ms` passes without data.
std::string raw_exchange(int port, const std::string& bytes, int timeout_ms = 5000);
HttpResponse parse_response(const std::string& raw);
// GET with "Connection: close" and optional extra header lines ("Name: value\r\n").
HttpResponse http_get(int port, const std::string& target, const std::string& extra_headers = "");
// SHA-256, as ingest computes a photo's digest.
Digest sha256_of(const std::string& bytes);
// A JSON view (web::api_photo, api_event, …) read in a fresh snapshot of `catalog`, parsed; null after a
// failure, which is reported as a test failure.
nlohmann::json view_json(Catalog& catalog, const std::function<Result<std::string>(const Snapshot&)>& view);

// The archive: one event with an article (3 refs: two resolved, one missing), a third photo that no
// article mentions (orphan), a caption holding <script>, thumbnails made from tests/webui/data/tiny.jpg
// and an original file on disk for photo 1.
struct Archive {
  std::string event_id;
  std::string article_id = "0123456789abcdef";
  Digest p1, p2, p3;
  std::string original_bytes;
  std::string jpeg;  // the thumbnail bytes
};

class WebServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static int port() { return server_->port(); }

  static testing::TempDir* dir_;
  static std::unique_ptr<Catalog> catalog_;
  static std::unique_ptr<web::Server> server_;
  static std::thread* thread_;
  static Archive archive_;
};

}  // namespace kho::webtest
