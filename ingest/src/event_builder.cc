#include "event_builder.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "pairs.h"
#include "pipeline_util.h"

#include "kho/ingest/article_parser.h"
#include "kho/ingest/linker.h"
#include "kho/ingest/scanner.h"
#include "kho/search.h"

namespace kho::ingest::detail {
namespace {

// The same article met in two exports of one folder (same id from title and date) is stored once.
void merge_article(std::vector<Article>& articles, Article a) {
  auto it = std::find_if(articles.begin(), articles.end(), [&](const Article& x) { return x.id == a.id; });
  if (it == articles.end()) {
    articles.push_back(std::move(a));
    return;
  }
  it->copies += a.copies;
  for (auto& s : a.sources)
    if (std::find(it->sources.begin(), it->sources.end(), s) == it->sources.end()) it->sources.push_back(s);
}

// An article file above the limit is refused before it is read: its text, parsed and indexed, would cost many
// times its size (issue #17). An error names the file, its size and the limit.
bool too_large_article(const ScannedFile& f, std::uint64_t max_bytes, IngestSummary& summary) {
  if (max_bytes == 0 || f.size <= max_bytes) return false;
  constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
  std::string limit = max_bytes % kMiB == 0 ? std::to_string(max_bytes / kMiB) + " MiB"
                                            : std::to_string(max_bytes) + " bytes";
  summary.errors.push_back({display(f.path), "too large for an article: " + std::to_string(f.size) +
                                                 " bytes (the limit is " + limit + "); not read"});
  return true;
}

// A file that was no link at the scan but is one now (swapped after the scan) is refused: the scan's
// decision about links must hold for what is read. (The parser opens by path, so a swap in the instant
// between this check and its open is still possible; photos are opened with O_NOFOLLOW.)
bool became_a_link(const ScannedFile& f, IngestSummary& summary) {
  struct stat st {};
  if (f.via_link || ::lstat(f.path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return false;
  summary.errors.push_back({display(f.path), "replaced by a symbolic link after the scan: not followed"});
  return true;
}

// Bytes of text an article's search postings grow with.
std::size_t text_bytes(const Article& a) {
  std::size_t n = a.title.size();
  for (const auto& b : a.blocks) n += b.text.size();
  for (const auto& r : a.refs) n += r.caption ? r.caption->size() : 0;
  return n;
}

std::vector<Article> parse_folder_articles(const EventFolder& folder, std::uint64_t max_bytes, IngestSummary& summary) {
  std::vector<Article> articles;
  for (const auto& f : folder.articles) {
    if (too_large_article(f, max_bytes, summary)) continue;
    if (became_a_link(f, summary)) continue;
    auto parsed = parse_article_file(f.path);
    if (!parsed.ok()) {
      // A .html/.htm/.docx/.doc is meant as an article: failing to read it is an error, and so is a file that
      // could not be read at all (an I/O error, gone since the scan). A .txt that was read but is no article
      // (a stray text file: binary, empty) stays a warning.
      const Status& st = parsed.status();
      if (article_format(f.path) == ArticleFormat::kText && !st.is_io_error() && !st.is_not_found()) {
        summary.warnings.push_back(display(f.path) + ": not read as an article: " + st.message());
      } else {
        std::string reason = st.message();
        if (reason.rfind(f.path + ": ", 0) == 0) reason.erase(0, f.path.size() + 2);  // the path is said once
        if (st.is_io_error() || st.is_not_found()) reason = "cannot read the article: " + reason;
        summary.errors.push_back({display(f.path), std::move(reason)});
      }
      continue;
    }
    for (const auto& w : parsed->warnings) summary.warnings.push_back(display(f.path) + ": " + w);
    if (parsed->articles.empty()) {
      summary.warnings.push_back(display(f.path) + ": no article found in this text file");
      continue;
    }
    for (auto& a : parsed->articles) merge_article(articles, std::move(a));
  }
  return articles;
}

// An HTML or DOCX article carries its photos: each reference that resolves to a scanned file (a saved
// page's _files/ image, a file beside the page, a .docx's word/media part) is linked to it as kEmbedded.
// Name matching means nothing for URLs, so such an article's other references stay unresolved.
void link_embedded(const Article& a, const std::vector<StoredPhoto>& photos, std::vector<Link>& links) {
  if (a.sources.empty()) return;
  const std::string& source = a.sources.front();
  const ArticleFormat format = article_format(source);
  if (format != ArticleFormat::kHtml && format != ArticleFormat::kDocx) return;
  std::map<std::string, const StoredPhoto*, std::less<>> by_path;
  for (const auto& p : photos) by_path.emplace(p.path, &p);
  for (auto& l : links) {
    l.method = LinkMethod::kUnresolved;
    l.confidence = 0;
    l.path.clear();
    if (l.position >= a.refs.size()) continue;
    const std::string file = resolve_embedded_ref(source, a.refs[l.position].ref);
    auto it = file.empty() ? by_path.end() : by_path.find(file);
    if (it == by_path.end()) continue;
    l.method = LinkMethod::kEmbedded;
    l.confidence = 1.0f;
    l.path = it->second->path;
    l.digest = it->second->digest;
    l.near_misses.clear();
  }
}

}  // namespace

std::optional<std::string> folder_name_date(std::string_view name) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > name.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (name[i] < '0' || name[i] > '9') return -1;
      v = v * 10 + (name[i] - '0');
    }
    return v;
  };
  int year = digits(0, 4), month = -1, day = -1;
  std::size_t end = 0;
  if (year < 0) return std::nullopt;
  if (name.size() > 4 && (name[4] == '-' || name[4] == '.' || name[4] == '_') && name.size() > 7 &&
      name[7] == name[4]) {
    month = digits(5, 2);
    day = digits(8, 2);
    end = 10;
  } else {
    month = digits(4, 2);
    day = digits(6, 2);
    end = 8;
  }
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDays[month - 1]) return std::nullopt;
  if (month == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) return std::nullopt;
  if (end < name.size() && name[end] >= '0' && name[end] <= '9') return std::nullopt;  // 2021-01-051, 202101051
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return std::string(buf);
}

namespace {

// The earliest EXIF capture time among the folder's photos: the date of an event without an article.
std::optional<std::string> earliest_exif_date(const Snapshot* current, const std::vector<StoredPhoto>& photos) {
  if (!current) return std::nullopt;
  std::optional<std::string> best;
  for (const auto& p : photos) {
    auto photo = current->photo(p.digest);
    if (!photo.ok() || !photo->meta.datetime_original) continue;
    if (!best || *photo->meta.datetime_original < *best) best = photo->meta.datetime_original;
  }
  return best;
}

// An article the folder held last time but not now (its export was deleted, or edited into another title
// or date) must not keep its links, search postings and record: they would keep old photos alive and show
// in search. Only articles that belong to this event are removed.
Status drop_vanished_articles(const Snapshot* current, const Event& ev, WriteBatch& batch) {
  if (!current) return Status::OK();
  auto before = current->event(ev.id);
  if (!before.ok()) return Status::OK();
  for (const auto& old_id : before->article_ids) {
    if (std::find(ev.article_ids.begin(), ev.article_ids.end(), old_id) != ev.article_ids.end()) continue;
    auto old = current->article(old_id);
    if (!old.ok() || old->event_id != ev.id) continue;
    batch.put_links(old_id, {});
    KHO_RETURN_IF_ERROR(unindex_article(current, batch, old_id));
    batch.raw_delete(db::kArticles, old_id);
  }
  return Status::OK();
}

// The name of the file a reference reaches through a RAW+JPEG pair: same stem (ASCII case-insensitive), one
// side a camera raw extension and the other jpg/jpeg. nullopt when there is none.
std::optional<std::string> pair_partner_name(const std::string& ref,
                                             const std::map<std::string, const StoredPhoto*, std::less<>>& by_name) {
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  const std::string ref_name(file_name(ref));
  const std::string ref_ext = lower(extension_of(ref_name));
  const bool ref_raw = is_raw_extension(ref_ext);
  const bool ref_jpeg = ref_ext == "jpg" || ref_ext == "jpeg";
  if (!ref_raw && !ref_jpeg) return std::nullopt;
  const std::string stem = lower(stem_of(ref_name));
  for (const auto& [name, photo] : by_name) {
    const std::string ext = lower(extension_of(name));
    const bool ok = ref_raw ? (ext == "jpg" || ext == "jpeg") : is_raw_extension(ext);
    if (ok && lower(stem_of(name)) == stem) return name;
  }
  return std::nullopt;
}

}  // namespace

Status build_event(const Snapshot* current, const FolderWork& work, WriteBatch& batch,
                   IngestSummary& summary, std::set<std::string>& indexed_articles) {
  const EventFolder& folder = *work.folder;
  Event ev;
  ev.id = event_id_for_folder(folder.path);
  ev.folder = folder.path;

  // The linker matches NAMES inside the folder; names are unique within one folder.
  std::vector<std::string> names;
  std::map<std::string, const StoredPhoto*, std::less<>> by_name;
  for (const auto& p : work.photos) {
    std::string name(file_name(p.path));
    by_name.emplace(name, &p);
    names.push_back(std::move(name));
  }

  std::vector<Article> articles = parse_folder_articles(folder, work.max_article_bytes, summary);
  std::vector<std::size_t> long_articles;  // indexed in parts after the batch (FolderWork::index_later)
  std::set<std::string, std::less<>> claimed;
  for (auto& a : articles) {
    a.event_id = ev.id;
    ev.article_ids.push_back(a.id);
    if (a.refs.empty()) {
      std::string from = a.sources.empty() ? display(folder.path) : display(a.sources.front());
      summary.warnings.push_back(from + ": article \"" + a.title + "\" names no photos");
    }
    std::vector<Link> links = link_article(a, names);
    link_embedded(a, work.photos, links);
    for (auto& l : links) {
      l.article_id = a.id;
      // The linker's near-misses are names in this folder: stored with their full path and photo.
      std::erase_if(l.near_misses, [&](NearMiss& m) {
        auto at = by_name.find(m.path);
        if (at == by_name.end()) return true;
        m.path = at->second->path;
        m.digest = at->second->digest;
        return false;
      });
      if (l.method == LinkMethod::kEmbedded) {  // resolved by path already, digest filled
        claimed.insert(std::string(file_name(l.path)));
        if (!ev.cover) ev.cover = l.digest;
        ++summary.links;
        summary.link_report.push_back({a.title, l.ref, display(l.path), l.method, l.confidence, a.id, l.position});
        continue;
      }
      auto it = l.method == LinkMethod::kUnresolved ? by_name.end() : by_name.find(l.path);
      const bool weak = l.method == LinkMethod::kUnresolved || l.method == LinkMethod::kFuzzy ||
                        l.method == LinkMethod::kTelex;
      if (it == by_name.end() || weak) {
        // RAW+JPEG pairs: "DSC_0001.JPG" finds DSC_0001.NEF once the JPEG is gone, and the other way round. This
        // beats a fuzzy match, which would take DSC_0003.JPG (one letter away) for a missing DSC_0001.JPG.
        if (auto pair = pair_partner_name(l.ref, by_name); pair && !claimed.contains(*pair)) {
          it = by_name.find(*pair);
          l.method = LinkMethod::kCaseFolded;
          l.confidence = 0.9f;
          l.near_misses.clear();
        }
      }
      if (it == by_name.end()) {
        l.method = LinkMethod::kUnresolved;
        l.confidence = 0;
        l.path.clear();
        l.digest.reset();
        summary.unresolved.push_back({a.title, l.ref, display(folder.path)});
        continue;
      }
      claimed.insert(it->first);
      l.path = it->second->path;
      l.digest = it->second->digest;
      if (!ev.cover) ev.cover = l.digest;
      ++summary.links;
      summary.link_report.push_back({a.title, l.ref, display(l.path), l.method, l.confidence, a.id, l.position});
    }
    batch.put_article(a);
    batch.put_links(a.id, links);
    if (indexed_articles.insert(a.id).second) {
      if (work.index_later && text_bytes(a) > kIndexInPartsBytes)
        long_articles.push_back(static_cast<std::size_t>(&a - articles.data()));
      else KHO_RETURN_IF_ERROR(index_article(current, batch, a));
    }
    ++summary.articles;
  }

  // A pair's raw file shares its JPEG's digest (pairs.h): the pair is reported once, through its JPEG, and is
  // no orphan when an article names either file.
  std::set<Digest> non_raw_digests, claimed_digests;
  for (const auto& p : work.photos) {
    if (!is_raw_extension(extension_of(p.path))) non_raw_digests.insert(p.digest);
    if (claimed.contains(file_name(p.path))) claimed_digests.insert(p.digest);
  }
  std::set<Digest> distinct;
  for (const auto& p : work.photos) {
    distinct.insert(p.digest);
    const bool raw = is_raw_extension(extension_of(p.path));
    if (raw && non_raw_digests.contains(p.digest)) continue;  // the raw file of a pair
    const bool pair_claimed = !raw && claimed_digests.contains(p.digest);
    if (!claimed.contains(file_name(p.path)) && !pair_claimed) summary.orphans.push_back(display(p.path));
  }
  if (!ev.cover && !work.photos.empty()) ev.cover = work.photos.front().digest;
  ev.photo_count = static_cast<std::uint32_t>(distinct.size());

  // Title and date: the first article's; else the folder's name, with the date it starts with ("2021-01-05 Lũ
  // ở Quảng Bình") or else the earliest EXIF capture time.
  ev.title = articles.empty() ? display(file_name(folder.path)) : articles.front().title;
  for (const auto& a : articles) {
    if (a.date) {
      ev.date = a.date;
      break;
    }
  }
  if (!ev.date) ev.date = folder_name_date(file_name(folder.path));
  if (!ev.date) ev.date = earliest_exif_date(current, work.photos);

  KHO_RETURN_IF_ERROR(drop_vanished_articles(current, ev, batch));
  for (std::size_t i : long_articles) work.index_later->push_back(std::move(articles[i]));
  KHO_RETURN_IF_ERROR(index_event(current, batch, ev));  // its title and folder name are searchable
  batch.put_event(ev);
  ++summary.events;
  return Status::OK();
}

}  // namespace kho::ingest::detail
