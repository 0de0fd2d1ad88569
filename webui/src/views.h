// Private to webui: the view models of each page, as JSON. The HTML templates render exactly these, and
// /api/ serves them, so the page and the API can never disagree. Each reads from one Snapshot and
// returns copies.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "kho/catalog.h"
#include "kho/dups.h"
#include "kho/model.h"
#include "kho/status.h"

namespace kho::web {

using Json = nlohmann::json;

// Events newest first; `date` ("", a year "2021" or a month "2021-03"; else InvalidArgument) filters them.
// A page past the last shows the last.
Result<Json> events_view(const Snapshot& snap, std::size_t page, std::size_t page_size, std::string_view date = {});
// The order of an event's photo grid: capture time (then file name), file name, or the articles' order.
enum class GridSort { kTime, kName, kArticle };
class GridOrders;
struct GridPage {
  std::size_t page = 1;         // 1-based; past the last page shows the last
  std::size_t page_size = 200;  // photos a page; 0 = all on one page (kho show)
  GridSort sort = GridSort::kTime;
  GridOrders* orders = nullptr;  // the server's cache of grid orders; null: computed for this call
};
inline constexpr std::size_t kEventGridPageSize = 200;
// "time" / "name" / "article"; nullopt for anything else.
std::optional<GridSort> grid_sort_from_name(std::string_view name);
// An event's photos in the grid's order (views_events.cc): sorted, then each traced original in its web copy's
// place. The photo page's previous/next walk the same order as the grid. Kept in `orders` when given.
Result<std::shared_ptr<const std::vector<EventFile>>> grid_order(const Snapshot& snap, const std::string& event_id,
                                                                 GridSort sort, GridOrders* orders = nullptr);
// The grid orders of one archive (one per server: the key holds no archive), each kept while the archive's
// version (Snapshot::version, LMDB's last committed transaction, which every write moves, from any process:
// ingest, `kho caption`, a correction in the gallery) is the one it was computed at; a snapshot at another
// version computes the order again. Sorting a 5,000-photo event by capture time decodes 5,000 photo records,
// which each of its pages and each of its photos' pages would repeat. Thread-safe; holds at most `max_files`
// photos in all (least recently used orders go first; an order larger than that is not kept). A request on an
// older snapshot never replaces a newer order.
class GridOrders {
 public:
  using Order = std::shared_ptr<const std::vector<EventFile>>;
  static constexpr std::size_t kDefaultMaxFiles = 200'000;  // ~100 bytes each (path and digest): ~20 MB
  explicit GridOrders(std::size_t max_files = kDefaultMaxFiles);
  Result<Order> get(const Snapshot& snap, const std::string& event_id, GridSort sort);
  std::size_t files_held() const;  // photos in all kept orders
  std::size_t entries() const;

 private:
  struct Entry {
    std::uint64_t version;
    Order order;
    std::list<std::string>::iterator used;  // its place in lru_
  };
  const std::size_t max_files_;
  mutable std::mutex mu_;
  std::size_t files_ = 0;
  std::list<std::string> lru_;  // keys, most recently used first
  std::map<std::string, Entry> entries_;
};
Result<Json> event_view(const Snapshot& snap, std::string_view event_id, const GridPage& grid = {});
// Natural order of names: digit runs compare as numbers (IMG_2 < IMG_10), letters without regard to ASCII case.
bool natural_less(std::string_view a, std::string_view b);
Result<Json> article_view(const Snapshot& snap, std::string_view article_id);
// `orders`: the server's grid orders, for previous/next (null: computed for this call).
Result<Json> photo_view(const Snapshot& snap, std::string_view digest_hex, GridOrders* orders = nullptr);
Result<Json> dups_view(const Snapshot& snap, std::size_t page, std::size_t page_size);
Result<Json> search_view(const Snapshot& snap, std::string_view query, std::size_t limit);
// The search page and /api/search from the request's parameters (one function, so they agree): `q` the query,
// `date` and `event` the filters of the same name (as date:… and event:… in q). No parameter at all: the
// empty form (has_query false); a q without words: InvalidArgument, on both.
Result<Json> search_request_view(const Snapshot& snap, const std::optional<std::string>& q, const std::string& date,
                                 const std::string& event, std::size_t limit);

// Duplicate review (views_dups.cc): a cluster with each copy's facts, what differs from the best copy, how
// alike it is and why the best is best, in words; `current` (may be null) is marked.
Json dup_review(const Snapshot& snap, const DupCluster& cluster, const Digest* current);
std::string human_bytes(std::uint64_t n);       // "1.2 MB"
std::string camera_display(const Metadata& m);  // make and model, the make once
// Links of a photo with their article's title, event and credit line (views_photo.cc).
Json links_with_articles(const Snapshot& snap, const Digest& d);

// The event page's hook (views_photo.cc) for what its grid and the viewer show beyond the caption:
// note() each article's links (the first link of a photo wins), then apply() to each photo item:
// `own_caption`, `group_caption` (only when it has no caption of its own), `credit` (a person's correction,
// else the article's credit line, else the photo's metadata).
class CaptionNotes {
 public:
  void note(const Article& art, const Link& link);
  void apply(const Snapshot& snap, const Digest& d, Json& item) const;  // credit: a person's correction first

 private:
  struct Note {
    std::string own, group, credit;
  };
  std::map<Digest, Note> notes_;
};
// A photo item's viewer fields: `taken_display`, `camera`, `original`, `download`, `credit` (its metadata's).
void viewer_fields(const Photo& p, Json& item);
// EXIF codes in words, in Vietnamese (views_photo.cc): Orientation 1–8, Flash (bit field: fired, mode, red-eye,
// return light, no flash), ExposureProgram, MeteringMode, WhiteBalance. Unknown codes say so with the code.
std::string orientation_display(int code);
std::string flash_display(std::int64_t code);
std::string exposure_program_display(std::int64_t code);
std::string metering_display(std::int64_t code);
std::string white_balance_display(std::int64_t code);
// A photo item's image addresses (views_photo.cc): `preview` (1280 px, or the original when that is no larger
// in bytes and a browser shows its format), `srcset` (the 320, 640 and 1280 px sizes with their widths, the
// original in place of any size not smaller in bytes; null without thumbnails or dimensions) and `sizes` (a
// square grid tile's, from grid_sizes()). Reads the thumbnails' lengths from `snap`.
void image_fields(const Snapshot& snap, const Photo& p, Json& item);
// The `sizes` attribute of a grid tile for a photo of width × height (the image covers the square tile).
std::string grid_sizes(std::uint32_t width, std::uint32_t height);

// Helpers shared by the view files (view_util.cc).
std::string date_display(const std::optional<std::string>& iso);  // "15/07/2020 10:30", "" when absent
std::string excerpt(std::string_view text, std::size_t max_bytes);  // cut on a space, with "…"
std::string base_name(const std::string& raw_path);                // last component, display_path'd
// A path as pages show it: below its ingest root (kho::path_below_root: "anh/2021-01-05 Lũ/IMG_1.jpg"), as the
// absolute path on archives without recorded roots, display_path'd. Model fields keep their absolute paths.
std::string shown_path(const Snapshot& snap, const std::string& raw_path);
std::string thumb_url(const Digest& digest, int px);
std::string event_url(std::string_view id);
std::string photo_url(const Digest& digest);
Json parse_model(const std::string& json_text);  // the output of kho/json_model.h
// Records as people corrected them (kho/team.h): links (relinks and photo captions) and events (title, date).
// `relinked` (when given) gets one flag per link: a person chose its photo.
Result<std::vector<Link>> corrected(const Snapshot& snap, Result<std::vector<Link>> links,
                                    std::vector<bool>* relinked = nullptr);
Result<Event> corrected(const Snapshot& snap, Result<Event> event);
bool is_hex_id(std::string_view id, std::size_t len);
// Links that people relinked to `d` (kho link / the gallery), as corrected: photo_links(d) holds only the
// machine's links, so the chosen photo's page adds these (views_edit.cc).
Result<std::vector<Link>> relinked_to(const Snapshot& snap, const Digest& d);
std::size_t page_count(std::uint64_t total, std::size_t page_size);

}  // namespace kho::web
