// Building the `terms` index at ingest: index_article, index_photo_text, unindex_article.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "kho/search.h"
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
  }
  return "body";
}

namespace {

// Words of a text with their positions, once per distinct key.
using Postings = std::map<std::string, std::vector<std::uint32_t>>;

void collect(const std::string& text, Postings& folded, Postings& accent) {
  std::vector<si::Token> tokens = si::tokenize(text);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const si::Token& t = tokens[i];
    if (t.folded.size() > si::kMaxWordBytes || t.accent.size() > si::kMaxWordBytes) continue;
    folded[t.folded].push_back(static_cast<std::uint32_t>(i));
    accent[t.accent].push_back(static_cast<std::uint32_t>(i));
  }
}

void add_doc(WriteBatch& batch, const std::string& owner, const std::string& doc, const si::DocRecord& rec) {
  Postings folded, accent;
  collect(rec.text, folded, accent);
  for (const auto& [word, pos] : folded)
    batch.raw_put(db::kTerms, si::posting_key(si::kFoldedPrefix, word, doc), si::encode_positions(pos));
  for (const auto& [word, pos] : accent)
    batch.raw_put(db::kTerms, si::posting_key(si::kAccentPrefix, word, doc), si::encode_positions(pos));
  batch.raw_put(db::kTerms, std::string(1, si::kDocPrefix) + doc, si::encode_doc(rec));
  batch.raw_put(db::kTerms, std::string(1, si::kOwnerPrefix) + owner + doc, "");
}

// The documents of `owner` that `current` holds (their doc keys).
Status owner_docs(const Snapshot& current, const std::string& owner, std::vector<std::string>& docs) {
  const std::string prefix = std::string(1, si::kOwnerPrefix) + owner;
  return current.raw_scan(db::kTerms, prefix, [&](std::string_view key, std::string_view) {
    docs.emplace_back(key.substr(prefix.size()));
    return ScanStep::Continue();
  });
}

// Deletes one document of `owner` with all its postings.
Status remove_doc(const Snapshot& current, WriteBatch& batch, const std::string& owner, const std::string& doc) {
  const std::string doc_record_key = std::string(1, si::kDocPrefix) + doc;
  Result<std::string_view> raw = current.raw_get(db::kTerms, doc_record_key);
  if (raw.ok()) {
    Result<si::DocRecord> rec = si::decode_doc(*raw);
    if (!rec.ok()) return rec.status().with_context("re-indexing");
    Postings folded, accent;
    collect(rec->text, folded, accent);
    for (const auto& entry : folded) batch.raw_delete(db::kTerms, si::posting_key(si::kFoldedPrefix, entry.first, doc));
    for (const auto& entry : accent) batch.raw_delete(db::kTerms, si::posting_key(si::kAccentPrefix, entry.first, doc));
    batch.raw_delete(db::kTerms, doc_record_key);
  } else if (!raw.status().is_not_found()) {
    return raw.status();
  }
  batch.raw_delete(db::kTerms, std::string(1, si::kOwnerPrefix) + owner + doc);
  return Status::OK();
}

// Deletes every document of `owner` that `current` knows, with all their postings.
Status remove_owner(const Snapshot* current, WriteBatch& batch, const std::string& owner) {
  if (current == nullptr) return Status::OK();
  std::vector<std::string> docs;
  KHO_RETURN_IF_ERROR(owner_docs(*current, owner, docs));
  for (const std::string& doc : docs) KHO_RETURN_IF_ERROR(remove_doc(*current, batch, owner, doc));
  return Status::OK();
}

bool has_words(const std::string& text) { return !si::tokenize(text, /*with_keys=*/false).empty(); }

}  // namespace

Status unindex_article(const Snapshot* current, WriteBatch& batch, std::string_view article_id) {
  if (article_id.empty()) return Status::InvalidArgument("search index: article without an id");
  return remove_owner(current, batch, si::owner_key(si::kOwnerArticle, article_id));
}

namespace {

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
    add_doc(batch, owner, si::doc_key(SearchField::kTitle, owner, 0), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  for (std::size_t i = 0; i < article.refs.size(); ++i) {
    const PhotoRef& ref = article.refs[i];
    if (!ref.caption || !has_words(*ref.caption)) continue;
    si::DocRecord rec = base;
    rec.ref_index = static_cast<std::uint32_t>(i);
    rec.text = *ref.caption;
    add_doc(batch, owner, si::doc_key(SearchField::kCaption, owner, static_cast<std::uint32_t>(i)), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  // Group captions live in blocks and are repeated on each of their refs: index each text once.
  std::set<std::string> groups;
  for (const ArticleBlock& b : article.blocks)
    if (b.kind == ArticleBlock::Kind::kGroupCaption) groups.insert(b.text);
  for (const PhotoRef& ref : article.refs)
    if (ref.group_caption) groups.insert(*ref.group_caption);
  std::uint32_t g = 0;
  for (const std::string& text : groups) {
    if (!has_words(text)) continue;
    si::DocRecord rec = base;
    rec.text = text;
    add_doc(batch, owner, si::doc_key(SearchField::kCaption, owner, si::kGroupCaptionBase + g++), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  for (std::size_t i = 0; i < article.blocks.size(); ++i) {
    const ArticleBlock& b = article.blocks[i];
    if (b.kind != ArticleBlock::Kind::kParagraph || !has_words(b.text)) continue;
    si::DocRecord rec = base;
    rec.text = b.text;
    add_doc(batch, owner, si::doc_key(SearchField::kBody, owner, static_cast<std::uint32_t>(i)), rec);
    KHO_RETURN_IF_ERROR(next());
  }
  return Status::OK();
}

}  // namespace

Status index_article(const Snapshot* current, WriteBatch& batch, const Article& article) {
  if (article.id.empty()) return Status::InvalidArgument("search index: article without an id");
  const std::string owner = si::owner_key(si::kOwnerArticle, article.id);
  KHO_RETURN_IF_ERROR(remove_owner(current, batch, owner));
  return add_article_docs(batch, owner, article, {});
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
    KHO_RETURN_IF_ERROR(owner_docs(**snap, owner, docs));
  }
  for (std::size_t i = 0; i < docs.size();) {
    {
      auto snap = catalog.snapshot();
      if (!snap.ok()) return snap.status();
      for (; i < docs.size() && batch.size() < ops_per_part; ++i)
        KHO_RETURN_IF_ERROR(remove_doc(**snap, batch, owner, docs[i]));
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
  std::uint32_t sub = 0;
  for (const std::string& text : texts) {
    if (!has_words(text)) continue;
    si::DocRecord rec;
    rec.event_id = std::string(event_id);
    rec.digest = photo.digest;
    rec.text = text;
    add_doc(batch, owner, si::doc_key(SearchField::kPhoto, owner, sub++), rec);
  }
  return Status::OK();
}

}  // namespace kho
