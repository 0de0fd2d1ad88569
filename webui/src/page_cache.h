// Private to webui: rendered page bodies kept while the archive's version stays the same (issue 15).
//
// The body of an event page (the article and a grid of 200 photos, ~380 KB of HTML for a 5,000-photo event) is
// the same for every reader at one archive version (Snapshot::version: every write moves it, from any process).
// Building and rendering it cost ~4.5 ms of CPU; a kept body costs a lookup. Only the editors' section and the
// layout, which depend on who asks, are made per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kho::web {

class PageCache {
 public:
  struct Page {
    std::string body;   // the rendered template, without the layout
    std::string title;  // <title>
  };
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;
  explicit PageCache(std::size_t max_bytes = kDefaultMaxBytes);

  // The page kept for `key` at exactly `version`, else null.
  std::shared_ptr<const Page> find(const std::string& key, std::uint64_t version);
  // Keeps `page` for `key` at `version`, unless a newer version is kept already (a request on an older
  // snapshot can finish last). Least recently used pages go first beyond max_bytes; a page larger than
  // max_bytes is not kept. Thread-safe.
  void put(const std::string& key, std::uint64_t version, std::shared_ptr<const Page> page);
  std::size_t bytes_held() const;
  std::size_t entries() const;

 private:
  struct Entry {
    std::uint64_t version;
    std::shared_ptr<const Page> page;
    std::list<std::string>::iterator used;
  };
  static std::size_t size_of(const Page& p) { return p.body.size() + p.title.size() + 64; }
  const std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::size_t bytes_ = 0;
  std::list<std::string> lru_;  // most recently used first
  std::map<std::string, Entry> entries_;
};

}  // namespace kho::web
