// Rendered page bodies by archive version (page_cache.h).
#include "page_cache.h"

namespace kho::web {

PageCache::PageCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::shared_ptr<const PageCache::Page> PageCache::find(const std::string& key, std::uint64_t version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.version != version) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second.used);
  return it->second.page;
}

void PageCache::put(const std::string& key, std::uint64_t version, std::shared_ptr<const Page> page) {
  if (!page || size_of(*page) > max_bytes_) return;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (it->second.version > version) return;
    bytes_ -= size_of(*it->second.page);
    lru_.erase(it->second.used);
    entries_.erase(it);
  }
  lru_.push_front(key);
  bytes_ += size_of(*page);
  entries_.emplace(key, Entry{version, std::move(page), lru_.begin()});
  while (bytes_ > max_bytes_ && !lru_.empty()) {
    auto last = entries_.find(lru_.back());
    bytes_ -= size_of(*last->second.page);
    entries_.erase(last);
    lru_.pop_back();
  }
}

std::size_t PageCache::bytes_held() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

std::size_t PageCache::entries() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace kho::web
