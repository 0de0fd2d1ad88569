#include "event_builder.h"

#include <algorithm>
#include <map>

#include "pipeline_util.h"

#include "kho/ingest/article_parser.h"
#include "kho/ingest/linker.h"
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

std::vector<Article> parse_folder_articles(const EventFolder& folder, IngestSummary& summary) {
  std::vector<Article> articles;
  for (const auto& f : folder.articles) {
    auto parsed = parse_article_file(f.path);
    if (!parsed.ok()) {
      // A .html/.htm/.docx/.doc is meant as an article: failing to read it is an error. A .txt that is
      // no article (a stray text file) stays a warning.
      if (article_format(f.path) == ArticleFormat::kText) {
        summary.warnings.push_back(display(f.path) + ": not read as an article: " + parsed.status().message());
      } else {
        std::string reason = parsed.status().message();
        if (reason.rfind(f.path + ": ", 0) == 0) reason.erase(0, f.path.size() + 2);  // the path is said once
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
  }
}

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

  std::vector<Article> articles = parse_folder_articles(folder, summary);
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
      if (l.method == LinkMethod::kEmbedded) {  // resolved by path already, digest filled
        claimed.insert(std::string(file_name(l.path)));
        if (!ev.cover) ev.cover = l.digest;
        ++summary.links;
        summary.link_report.push_back({a.title, l.ref, display(l.path), l.method, l.confidence});
        continue;
      }
      auto it = l.method == LinkMethod::kUnresolved ? by_name.end() : by_name.find(l.path);
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
      summary.link_report.push_back({a.title, l.ref, display(l.path), l.method, l.confidence});
    }
    batch.put_article(a);
    batch.put_links(a.id, links);
    if (indexed_articles.insert(a.id).second) KHO_RETURN_IF_ERROR(index_article(current, batch, a));
    ++summary.articles;
  }

  std::set<Digest> distinct;
  for (const auto& p : work.photos) {
    distinct.insert(p.digest);
    if (!claimed.contains(file_name(p.path))) summary.orphans.push_back(display(p.path));
  }
  if (!ev.cover && !work.photos.empty()) ev.cover = work.photos.front().digest;
  ev.photo_count = static_cast<std::uint32_t>(distinct.size());

  // Title and date: the first article's, else the folder's name and the earliest EXIF capture time.
  ev.title = articles.empty() ? display(file_name(folder.path)) : articles.front().title;
  for (const auto& a : articles) {
    if (a.date) {
      ev.date = a.date;
      break;
    }
  }
  if (!ev.date) ev.date = earliest_exif_date(current, work.photos);

  KHO_RETURN_IF_ERROR(drop_vanished_articles(current, ev, batch));
  batch.put_event(ev);
  ++summary.events;
  return Status::OK();
}

}  // namespace kho::ingest::detail
