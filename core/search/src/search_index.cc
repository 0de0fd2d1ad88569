// Building the `terms` index: index_article, index_photo_text, index_event, unindex_article.
#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "kho/search.h"
#include "kho/text.h"
#include "search_format.h"
#include "search_text.h"

namespace kho {
namespace si = search_internal;

const char* search_field_name(SearchField field) {
  switch (field) {
    case SearchField::kTitle: return "title";
    case SearchField::kCaption: return "caption";
    case SearchField::kPhoto: return "photo";
    case SearchField::kBody: return "body";
    case SearchField::kEvent: return "event";
    case SearchField::kDetails: return "details";
  }
  return "body";
}

namespace search_internal {

void for_each_posting(std::string_view text, const std::function<void(const std::string&, std::uint32_t)>& fn) {
  static const auto* abbreviations = [] {
    auto* by_short = new std::unordered_map<std::string, std::vector<std::string>>();
    for (const auto& [abbr, expansion] : search_abbreviations()) {
      std::vector<std::string>& words = (*by_short)[abbr];
      for (std::size_t at = 0, end; at < expansion.size(); at = end + 1) {
        end = std::min(expansion.find(' ', at), expansion.size());
        words.push_back(expansion.substr(at, end - at));
      }
    }
    return by_short;
  }();
  std::vector<Token> tokens = tokenize(text);
  auto post = [&](const std::string& word, std::uint32_t pos) {
    if (word.empty() || word.size() > kMaxWordBytes) return;
    fn(word, pos);
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto pos = static_cast<std::uint32_t>(i);
    post(tokens[i].folded, pos);
    // Both ways: the abbreviation's words at its position, and the abbreviation where its words start.
    auto it = abbreviations->find(tokens[i].folded);
    if (it != abbreviations->end())
      for (const std::string& w : it->second) post(w, pos);
    for (const auto& [abbr, words] : *abbreviations) {
      if (words.front() != tokens[i].folded || i + words.size() > tokens.size()) continue;
      bool all = true;
      for (std::size_t k = 1; k < words.size() && all; ++k) all = tokens[i + k].folded == words[k];
      if (all) post(abbr, pos);
    }
  }
}

Postings collect_postings(std::string_view text) {
  Postings out;
  for_each_posting(text, [&](const std::string& word, std::uint32_t pos) {
    std::vector<std::uint32_t>& p = out[word];
    if (p.empty() || p.back() != pos) p.push_back(pos);
  });
  return out;
}

}  // namespace search_internal

namespace {

bool has_words(std::string_view text) { return !si::tokenize(text, /*with_keys=*/false).empty(); }

void add_doc(WriteBatch& batch, const std::string& doc, const si::DocRecord& rec) {
  for (const auto& [word, pos] : si::collect_postings(rec.text))
    batch.raw_put(db::kTerms, si::posting_key(word, doc), si::encode_positions(pos));
  batch.raw_put(db::kTerms, std::string(1, si::kDocPrefix) + doc, si::encode_doc(rec));
}

// The documents of `owner` that `current` holds (their doc keys).
Status owner_docs(const Snapshot& current, const std::string& owner, std::vector<std::string>& docs) {
  const std::string prefix = std::string(1, si::kDocPrefix) + owner;
  return current.raw_scan(db::kTerms, prefix, [&](std::string_view key, std::string_view) {
    if (si::doc_owner(key.substr(1)) == owner) docs.emplace_back(key.substr(1));
    return ScanStep::Continue();
  });
}

// Deletes one document with all its postings.
Status remove_doc(const Snapshot& current, WriteBatch& batch, const std::string& doc) {
  const std::string doc_record_key = std::string(1, si::kDocPrefix) + doc;
  Result<std::string_view> raw = current.raw_get(db::kTerms, doc_record_key);
  if (raw.ok()) {
    Result<si::DocRecord> rec = si::decode_doc(*raw);
    if (!rec.ok()) return rec.status().with_context("re-indexing");
    for (const auto& entry : si::collect_postings(rec->text))
      batch.raw_delete(db::kTerms, si::posting_key(entry.first, doc));
    batch.raw_delete(db::kTerms, doc_record_key);
  } else if (!raw.status().is_not_found()) {
    return raw.status();
  }
  return Status::OK();
}

// Deletes every document of `owner` that `current` knows, with all their postings.
Status remove_owner(const Snapshot* current, WriteBatch& batch, const std::string& owner) {
  if (current == nullptr) return Status::OK();
  std::vector<std::string> docs;
  Status st = owner_docs(*current, owner, docs);
  if (!st.ok() && !st.is_not_found()) return st;
  for (const std::string& doc : docs) KHO_RETURN_IF_ERROR(remove_doc(*current, batch, doc));
  return Status::OK();
}

// The documents of one article (title, captions, group captions, body paragraphs) into `batch`;
// `after_doc` (may be empty) runs after each one.
Status add_article_docs(WriteBatch& batch, const std::string& owner, const Article& article,
                        const std::function<Status()>& after_doc) {
  auto next = [&]() { return after_doc ? after_doc() : Status::OK(); };
  si::DocRecord base;
  base.event_id = article.event_id;
  base.article_id = article.id;
  base.article_title = article.title;

  if (has_words(article.title)) {
    si::DocRecord rec = base;
    rec.text = article.title;
    add_doc(batch, si::doc_key(owner, SearchField::kTitle, 0), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  for (std::size_t i = 0; i < article.refs.size(); ++i) {
    const PhotoRef& ref = article.refs[i];
    if (!ref.caption || !has_words(*ref.caption)) continue;
    si::DocRecord rec = base;
    rec.ref_index = static_cast<std::uint32_t>(i);
    rec.text = *ref.caption;
    for (std::size_t b = 0; b < article.blocks.size(); ++b)
      if (article.blocks[b].kind == ArticleBlock::Kind::kPhoto && article.blocks[b].ref_index == i) {
        rec.block = static_cast<std::uint32_t>(b);
        break;
      }
    add_doc(batch, si::doc_key(owner, SearchField::kCaption, static_cast<std::uint32_t>(i)), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  // Group captions live in blocks and are repeated on each of their refs: index each text once, at its
  // first block when it has one.
  std::map<std::string, std::optional<std::uint32_t>> groups;
  for (std::size_t b = 0; b < article.blocks.size(); ++b)
    if (article.blocks[b].kind == ArticleBlock::Kind::kGroupCaption)
      groups.emplace(article.blocks[b].text, static_cast<std::uint32_t>(b));
  for (const PhotoRef& ref : article.refs)
    if (ref.group_caption) groups.emplace(*ref.group_caption, std::nullopt);
  std::uint32_t g = 0;
  for (const auto& [text, block] : groups) {
    if (!has_words(text)) continue;
    si::DocRecord rec = base;
    rec.text = text;
    rec.block = block;
    add_doc(batch, si::doc_key(owner, SearchField::kCaption, si::kGroupCaptionBase + g++), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  for (std::size_t i = 0; i < article.blocks.size(); ++i) {
    const ArticleBlock& b = article.blocks[i];
    if (b.kind != ArticleBlock::Kind::kParagraph || !has_words(b.text)) continue;
    si::DocRecord rec = base;
    rec.text = b.text;
    rec.block = static_cast<std::uint32_t>(i);
    add_doc(batch, si::doc_key(owner, SearchField::kBody, static_cast<std::uint32_t>(i)), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  return Status::OK();
}

std::string last_component(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const std::size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

Status index_article(const Snapshot* current, WriteBatch& batch, const Article& article) {
  if (article.id.empty()) return Status::InvalidArgument("search index: article without an id");
  const std::string owner = si::owner_key(si::kOwnerArticle, article.id);
  KHO_RETURN_IF_ERROR(remove_owner(current, batch, owner));
  return add_article_docs(batch, owner, article, {});
}

Status unindex_article(const Snapshot* current, WriteBatch& batch, std::string_view article_id) {
  if (article_id.empty()) return Status::InvalidArgument("search index: article without an id");
  return remove_owner(current, batch, si::owner_key(si::kOwnerArticle, article_id));
}

Status reindex_article_in_parts(Catalog& catalog, const Article& article, std::size_t ops_per_part) {
  if (article.id.empty()) return Status::InvalidArgument("search index: article without an id");
  const std::string owner = si::owner_key(si::kOwnerArticle, article.id);
  ops_per_part = std::max<std::size_t>(ops_per_part, 1);
  WriteBatch batch;
  auto commit = [&]() -> Status {
    if (batch.empty()) return Status::OK();
    Status st = catalog.write(batch);
    batch.clear();
    return st;
  };
  // The old documents, a part at a time; no snapshot is held while a part is written (a write that must
  // grow the map needs no reader in this thread).
  std::vector<std::string> docs;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    Status st = owner_docs(**snap, owner, docs);
    if (!st.ok() && !st.is_not_found()) return st;
  }
  for (std::size_t i = 0; i < docs.size();) {
    {
      auto snap = catalog.snapshot();
      if (!snap.ok()) return snap.status();
      for (; i < docs.size() && batch.size() < ops_per_part; ++i)
        KHO_RETURN_IF_ERROR(remove_doc(**snap, batch, docs[i]));
    }
    KHO_RETURN_IF_ERROR(commit());
  }
  KHO_RETURN_IF_ERROR(add_article_docs(
      batch, owner, article, [&]() -> Status { return batch.size() >= ops_per_part ? commit() : Status::OK(); }));
  return commit();
}

Status index_photo_text(const Snapshot* current, WriteBatch& batch, const Photo& photo,
                        std::string_view event_id) {
  const std::string owner = si::owner_key(si::kOwnerPhoto, photo.digest.view());
  KHO_RETURN_IF_ERROR(remove_owner(current, batch, owner));
  std::vector<std::string> texts;
  if (photo.meta.headline) texts.push_back(*photo.meta.headline);
  if (photo.meta.description && photo.meta.description != photo.meta.headline)
    texts.push_back(*photo.meta.description);
  if (!photo.meta.keywords.empty()) {
    std::string joined;
    for (const std::string& k : photo.meta.keywords) {
      if (!joined.empty()) joined += ", ";
      joined += k;
    }
    texts.push_back(std::move(joined));
  }
  si::DocRecord base;
  base.event_id = std::string(event_id);
  base.digest = photo.digest;
  std::uint32_t sub = 0;
  for (const std::string& text : texts) {
    if (!has_words(text)) continue;
    si::DocRecord rec = base;
    rec.text = text;
    add_doc(batch, si::doc_key(owner, SearchField::kPhoto, sub++), rec);
  }
  // Details: file name, people, camera, joined by " · " (one document, so "nikon d850" is a phrase).
  std::string details;
  auto add = [&](const std::optional<std::string>& s) {
    if (!s || s->empty() || details.find(*s) != std::string::npos) return;
    if (!details.empty()) details += " · ";
    details += *s;
  };
  if (!photo.first_path.empty()) add(to_nfc(last_component(photo.first_path), InvalidUtf8::kWindows1252));
  add(photo.meta.creator);
  add(photo.meta.credit);
  std::string camera = photo.meta.make.value_or("");
  if (photo.meta.model) {
    // Most makers repeat their name in the model ("Canon" + "Canon EOS R5").
    if (search_key(*photo.meta.model).rfind(search_key(camera), 0) == 0) camera.clear();
    camera += (camera.empty() ? "" : " ") + *photo.meta.model;
  }
  if (!camera.empty()) add(camera);
  if (has_words(details)) {
    si::DocRecord rec = base;
    rec.text = details;
    add_doc(batch, si::doc_key(owner, SearchField::kDetails, 0), rec);
  }
  return Status::OK();
}

Status index_event(const Snapshot* current, WriteBatch& batch, const Event& event) {
  if (event.id.empty()) return Status::InvalidArgument("search index: event without an id");
  const std::string owner = si::owner_key(si::kOwnerEvent, event.id);
  KHO_RETURN_IF_ERROR(remove_owner(current, batch, owner));
  std::string text = event.title;
  const std::string folder = to_nfc(last_component(event.folder), InvalidUtf8::kWindows1252);
  if (!folder.empty() && folder != text) text += (text.empty() ? "" : " · ") + folder;
  if (!has_words(text)) return Status::OK();
  si::DocRecord rec;
  rec.event_id = event.id;
  rec.text = std::move(text);
  add_doc(batch, si::doc_key(owner, SearchField::kEvent, 0), rec);
  return Status::OK();
}

}  // namespace kho
