// View models of duplicate review: the /dups page, and the copies of one photo on its photo page. Both show
// each copy large, at its own aspect ratio, with what differs from the best copy, and say in words why the
// best is the best (core/dups' BestReason) and how alike the copies are (instead of a bare PHash distance).
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <set>

#include "kho/decisions.h"
#include "kho/dups.h"
#include "kho/json_model.h"
#include "views.h"

namespace kho::web {
namespace {

std::string pixels_display(std::uint32_t w, std::uint32_t h) {
  return w && h ? std::to_string(w) + " × " + std::to_string(h) : "";
}

// Core's reason, as a sentence for the photo desk.
std::string best_reason_text(const DupCluster& c) {
  const DupPhoto* best = nullptr;
  for (const DupPhoto& p : c.photos)
    if (p.best) best = &p;
  const std::string px = best ? pixels_display(best->width, best->height) : "";
  switch (c.best_reason) {
    case BestReason::kChosen: return "Người biên tập đã chọn bản này là bản tốt nhất.";
    case BestReason::kMorePixels: return "Bản này có nhiều điểm ảnh nhất (" + px + "): các bản khác nhỏ hơn.";
    case BestReason::kDateTimeOriginal:
      return "Bản này lớn nhất (" + px + ", bằng một bản khác) và là bản còn giữ ngày giờ chụp gốc (EXIF).";
    case BestReason::kOldestFile:
      return c.kind == DupKind::kExact
                 ? "Các tệp giống nhau từng byte; tệp này cũ nhất nên được giữ làm bản chính."
                 : "Các bản ngang nhau về độ phân giải và ngày chụp; bản này là tệp cũ nhất, gần bản gốc nhất.";
    case BestReason::kPath: return "Các bản ngang nhau về mọi mặt; chọn theo tên tệp để lựa chọn không tự thay đổi.";
  }
  return "";
}

// How a copy relates to the best, in words: what an editor needs, not the Hamming distance behind it.
std::string likeness_text(const DupCluster& c, const DupPhoto& best, const DupPhoto& p, std::uint64_t best_size,
                          std::uint64_t size) {
  if (p.best) return c.kind == DupKind::kExact ? "Bản được giữ" : "Bản tốt nhất";
  if (c.kind == DupKind::kExact) return "Giống hệt: cùng nội dung từng byte, chỉ khác chỗ lưu";
  std::string what;
  auto add = [&](const char* s) { what += (what.empty() ? "" : " / ") + std::string(s); };
  if (p.width != best.width || p.height != best.height) {
    const double a = best.height ? static_cast<double>(best.width) / best.height : 0;
    const double b = p.height ? static_cast<double>(p.width) / p.height : 0;
    add(a > 0 && b > 0 && std::abs(a - b) / a > 0.02 ? "đã cắt xén" : "đã đổi cỡ");
  }
  if (size != best_size) add("nén lại");
  if (p.distance > 8) add("đã chỉnh sửa");
  if (what.empty()) return "Giống hệt về hình ảnh, khác tệp";
  return "Gần giống: " + what;
}

// A file's modification time, in the server's time zone, as the other dates are shown.
std::string file_time_display(std::int64_t mtime_ns) {
  const std::time_t t = static_cast<std::time_t>(mtime_ns / 1000000000);
  std::tm tm{};
  char buf[32] = "";
  if (localtime_r(&t, &tm)) std::strftime(buf, sizeof buf, "%d/%m/%Y %H:%M", &tm);
  return buf;
}

struct CopyInfo {
  std::string pixels, size, taken, camera, file_date, articles;
};

}  // namespace

std::string human_bytes(std::uint64_t n) {
  char buf[32];
  if (n >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(n) / (1 << 20));
  else if (n >= 1024) std::snprintf(buf, sizeof buf, "%.0f KB", static_cast<double>(n) / 1024);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  return buf;
}

std::string camera_display(const Metadata& m) {
  // Cameras often repeat the make in the model ("Canon" + "Canon EOS 80D").
  std::string camera = m.model.value_or("");
  if (m.make && camera.rfind(*m.make, 0) != 0) camera = camera.empty() ? *m.make : *m.make + " " + camera;
  return camera;
}

Json dup_review(const Snapshot& snap, const DupCluster& c, const Digest* current) {
  Json jc = parse_model(dup_cluster_json(c));  // DESIGN.md §5's fields, then the gallery's own
  jc["is_exact"] = c.kind == DupKind::kExact;
  jc["count"] = c.photos.size();
  jc["best_reason"] = std::string(best_reason_name(c.best_reason));
  jc["best_reason_text"] = best_reason_text(c);
  jc["kind_display"] = c.kind == DupKind::kExact ? "Trùng hoàn toàn" : "Gần giống";
  jc["kind_note"] = c.kind == DupKind::kExact ? "cùng nội dung, nhiều tệp" : "bản sao đã sửa, đổi cỡ hoặc nén lại";
  const DupPhoto* best = &c.photos.front();
  for (const DupPhoto& p : c.photos)
    if (p.best) best = &p;
  std::vector<CopyInfo> info(c.photos.size());
  std::vector<std::uint64_t> sizes(c.photos.size(), 0);
  for (std::size_t k = 0; k < c.photos.size(); ++k) {
    const DupPhoto& dp = c.photos[k];
    Json& j = jc["photos"][k];
    j["name"] = base_name(dp.path);
    j["url"] = photo_url(dp.digest);
    j["thumb"] = thumb_url(dp.digest, 320);
    j["preview"] = thumb_url(dp.digest, 1280);
    j["current"] = current && *current == dp.digest;
    Result<Photo> p = snap.photo(dp.digest);
    sizes[k] = p.ok() ? p->size : 0;
    info[k].pixels = pixels_display(dp.width, dp.height);
    info[k].size = p.ok() ? human_bytes(p->size) : "";
    info[k].taken = p.ok() ? date_display(p->meta.datetime_original) : "";
    info[k].camera = p.ok() ? camera_display(p->meta) : "";
    Result<std::vector<File>> files = snap.photo_files(dp.digest);
    if (files.ok())
      for (const File& f : *files)
        if (f.path == dp.path && f.mtime_ns > 0) info[k].file_date = file_time_display(f.mtime_ns);
    j["size"] = sizes[k];
    j["size_display"] = info[k].size;
    j["pixels_display"] = info[k].pixels;
    j["taken"] = info[k].taken;
    j["camera"] = info[k].camera;
    j["file_date"] = info[k].file_date;
    // Which articles use it, and its caption there: captions follow duplicates.
    Json links = links_with_articles(snap, dp.digest);
    Json articles = Json::array();
    std::set<std::string> seen;
    std::string caption, credit;
    for (const Json& l : links) {
      const std::string title = l.value("article_title", "");
      if (caption.empty() && l.contains("caption") && l["caption"].is_string()) caption = l["caption"];
      if (credit.empty() && l.contains("credit") && l["credit"].is_string()) credit = l["credit"];
      if (title.empty() || !seen.insert(title).second) continue;
      articles.push_back({{"title", title}, {"url", l["event_url"]}});
      info[k].articles += title + "\n";
    }
    j["articles"] = std::move(articles);
    j["caption"] = caption.empty() ? Json(nullptr) : Json(caption);
    j["credit"] = credit.empty() ? Json(nullptr) : Json(credit);
  }
  const std::size_t b = static_cast<std::size_t>(best - c.photos.data());
  for (std::size_t k = 0; k < c.photos.size(); ++k) {
    Json& j = jc["photos"][k];
    j["likeness"] = likeness_text(c, *best, c.photos[k], sizes[b], sizes[k]);
    // What differs from the best copy (the page marks those rows).
    Json diff = Json::array();
    auto differs = [&](const char* key, const std::string& mine, const std::string& theirs) {
      const bool d = k != b && mine != theirs;
      j[std::string(key) + "_differs"] = d;
      if (d) diff.push_back(key);
    };
    differs("pixels", info[k].pixels, info[b].pixels);
    differs("size", info[k].size, info[b].size);
    differs("taken", info[k].taken, info[b].taken);
    differs("camera", info[k].camera, info[b].camera);
    differs("file_date", info[k].file_date, info[b].file_date);
    differs("articles", info[k].articles, info[b].articles);
    j["differences"] = std::move(diff);
  }
  return jc;
}

Result<Json> dups_view(const Snapshot& snap, std::size_t page, std::size_t page_size) {
  Result<DupOptions> decided = with_decisions(snap);
  if (!decided.ok()) return decided.status();
  Result<std::vector<DupCluster>> clusters = list_duplicates(snap, *decided);
  if (!clusters.ok()) return clusters.status();
  const std::size_t pages = page_count(clusters->size(), page_size);
  page = std::clamp<std::size_t>(page, 1, pages);
  Json out;
  out["clusters"] = Json::array();
  for (std::size_t i = (page - 1) * page_size; i < clusters->size() && i < page * page_size; ++i)
    out["clusters"].push_back(dup_review(snap, (*clusters)[i], nullptr));
  out["page"] = page;
  out["pages"] = pages;
  out["total"] = clusters->size();
  out["prev_url"] = page > 1 ? Json("/dups?page=" + std::to_string(page - 1)) : Json(nullptr);
  out["next_url"] = page < pages ? Json("/dups?page=" + std::to_string(page + 1)) : Json(nullptr);
  return out;
}

}  // namespace kho::web
