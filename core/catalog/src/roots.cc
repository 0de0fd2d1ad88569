// Ingest roots (kho/catalog.h, FORMAT.md "Roots"): recording them, listing them, and a path below its root.
#include <string>

#include "kho/catalog.h"

namespace kho {

void put_ingest_root(WriteBatch& batch, std::string_view root, std::int64_t when) {
  batch.raw_put(db::kRoots, std::string(root), seal_value(std::to_string(when)));
}

Result<std::vector<std::string>> ingest_roots(const Snapshot& snap) {
  std::vector<std::string> roots;
  Status st = snap.raw_scan(db::kRoots, {}, [&](std::string_view key, std::string_view value) -> ScanStep {
    Result<std::string_view> payload = unseal_value(value);
    if (!payload.ok())
      return Status::Corruption("roots: entry " + std::string(key) + ": " + payload.status().message());
    roots.emplace_back(key);
    return ScanStep::Continue();
  });
  if (!st.ok()) return st;
  return roots;
}

std::string path_below_root(const std::vector<std::string>& roots, std::string_view path) {
  const std::string* best = nullptr;
  for (const std::string& root : roots) {
    if (root.empty() || !path.starts_with(root)) continue;
    const bool holds = path.size() == root.size() || root.back() == '/' || path[root.size()] == '/';
    if (holds && (!best || root.size() > best->size())) best = &root;
  }
  if (!best) return std::string(path);
  std::string_view rest = path.substr(best->size());
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  std::string_view root = *best;
  while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
  const std::size_t slash = root.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? root : root.substr(slash + 1);
  if (name.empty()) return std::string(rest);  // the root is "/"
  std::string out(name);
  if (!rest.empty()) out.append("/").append(rest);
  return out;
}

}  // namespace kho
