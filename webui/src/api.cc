// The JSON API documents (kho/webui/api.h): the page views, serialized.
#include "kho/webui/api.h"

#include "views.h"

namespace kho::web {
namespace {

Result<std::string> dump(Result<Json> view) {
  if (!view.ok()) return view.status();
  // Invalid UTF-8 in stored text must not throw: replace it rather than fail the whole document.
  return view->dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Result<std::string> api_events(const Snapshot& snap, std::size_t page, std::size_t page_size) {
  return dump(events_view(snap, page, page_size));
}
Result<std::string> api_event(const Snapshot& snap, std::string_view event_id) {
  return dump(event_view(snap, event_id, GridPage{1, 0, GridSort::kArticle}));  // every photo, as before
}
Result<std::string> api_article(const Snapshot& snap, std::string_view article_id) {
  return dump(article_view(snap, article_id));
}
Result<std::string> api_photo(const Snapshot& snap, std::string_view digest_hex) {
  return dump(photo_view(snap, digest_hex));
}
Result<std::string> api_dups(const Snapshot& snap, std::size_t page, std::size_t page_size) {
  return dump(dups_view(snap, page, page_size));
}
Result<std::string> api_search(const Snapshot& snap, std::string_view query, std::size_t limit) {
  return dump(search_view(snap, query, limit));
}

}  // namespace kho::web
