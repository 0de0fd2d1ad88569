// parse_html_article (kho/ingest/article_parser.h): a saved or raw news page → one kho::Article.
//
// Steps: bytes → UTF-8 (article_html_text.cc) → gumbo's HTML5 tree → the title, the date, the article's
// body region (readability-style scoring), the photos in it with their captions, the byline.
// Every rule is structural (figure/figcaption, a caption element next to the image, a table row, the short
// italic or centred paragraph after it); see ingest/README.md, "HTML articles". Walks are iterative or
// depth-bounded, so 10,000 nested elements cost nothing special.
#include <gumbo.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "article_html_internal.h"
#include "article_parser_internal.h"
#include "kho/ingest/article_parser.h"
#include "kho/text.h"

namespace kho::ingest {
namespace {

using detail::clean_text;
using detail::declared_charset;
using detail::normalize_iso_date;

constexpr int kMaxDepth = 400;  // text collection and scoring stop descending below this

struct GumboDeleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};

bool is_element(const GumboNode* n) { return n && n->type == GUMBO_NODE_ELEMENT; }
GumboTag tag_of(const GumboNode* n) { return is_element(n) ? n->v.element.tag : GUMBO_TAG_UNKNOWN; }

const char* attr(const GumboNode* n, const char* name) {
  if (!is_element(n)) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? a->value : nullptr;
}
std::string_view attr_sv(const GumboNode* n, const char* name) {
  const char* v = attr(n, name);
  return v ? std::string_view(v) : std::string_view();
}

const GumboVector* children(const GumboNode* n) {
  if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) return &n->v.element.children;
  if (n->type == GUMBO_NODE_DOCUMENT) return &n->v.document.children;
  return nullptr;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// class and id, lower case, split into tokens on anything not a letter or digit ("PhotoCMS_Caption" →
// "photocms", "caption").
std::vector<std::string> name_tokens(const GumboNode* n) {
  std::vector<std::string> out;
  for (const char* which : {"class", "id"}) {
    const std::string v = lower(attr_sv(n, which));
    std::string cur;
    for (char c : v) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        cur.push_back(c);
      } else if (!cur.empty()) {
        out.push_back(std::move(cur));
        cur.clear();
      }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
  }
  return out;
}

std::string class_and_id(const GumboNode* n) {
  return lower(std::string(attr_sv(n, "class")) + " " + std::string(attr_sv(n, "id")));
}

bool contains_any(std::string_view s, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view w) { return s.find(w) != std::string_view::npos; });
}

// Site chrome by its class or id: menus, related articles, comments, ads, share bars, logos, sidebars.
bool is_chrome_name(const GumboNode* n) {
  static const std::unordered_set<std::string> kTokens = {
      "ad",       "ads",      "adv",        "advert",         "advertisement", "banner",  "qc",         "quangcao",
      "related",  "relate",   "rela",       "relation",       "lienquan",      "comment", "comments",   "share",
      "sharing",  "social",   "sidebar",    "aside",          "nav",           "navbar",  "navigation", "menu",
      "footer",   "logo",     "icon",       "avatar",         "widget",        "promo",   "sponsor",    "sponsored",
      "tags",     "tag",      "breadcrumb", "breadcrumbs",    "hidden",        "xemthem", "newsletter", "popup",
      "modal",    "toolbar",  "rating",     "poll",           "subscribe",     "login",   "hotnews",    "mostview",
      "trending", "readmore", "recommend",  "recommendation", "topics",        "dable",   "outbrain"};
  for (const std::string& t : name_tokens(n)) {
    if (kTokens.count(t)) return true;
  }
  const std::string s = class_and_id(n);
  return contains_any(s, {"related", "tinlienquan", "tin-lien-quan", "lien-quan", "comment", "sidebar", "list-news",
                          "box-news", "banner", "advert", "social", "xem-them", "xemthem"});
}

bool is_chrome_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_HEAD: return true;
    default: return false;
  }
}

bool is_skipped_for_text(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE ||
         t == GUMBO_TAG_SVG || t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_SELECT || t == GUMBO_TAG_BUTTON ||
         t == GUMBO_TAG_HEAD;
}

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: return true;
    default: return false;
  }
}

// The text a reader sees: inline tags add nothing, block tags and <br> separate words.
void append_text(const GumboNode* n, std::string& out, int depth = 0) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
    out += n->v.text.text;
    return;
  }
  if (depth > kMaxDepth) return;
  const GumboVector* kids = children(n);
  if (!kids) return;
  const GumboTag t = tag_of(n);
  if (is_skipped_for_text(t)) return;
  const bool block = is_block_tag(t);
  if (block) out.push_back(' ');
  for (unsigned i = 0; i < kids->length; ++i) append_text(static_cast<const GumboNode*>(kids->data[i]), out, depth + 1);
  if (block) out.push_back(' ');
}

std::string text_of(const GumboNode* n) {
  std::string raw;
  append_text(n, raw);
  return clean_text(raw);
}

std::size_t raw_text_len(const GumboNode* n, int depth = 0) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) return std::strlen(n->v.text.text);
  if (depth > kMaxDepth) return 0;
  const GumboVector* kids = children(n);
  if (!kids || is_skipped_for_text(tag_of(n))) return 0;
  std::size_t total = 0;
  for (unsigned i = 0; i < kids->length; ++i)
    total += raw_text_len(static_cast<const GumboNode*>(kids->data[i]), depth + 1);
  return total;
}

// Every node in document order (pre-order), without recursion.
std::vector<const GumboNode*> flatten(const GumboNode* root) {
  std::vector<const GumboNode*> out, stack{root};
  while (!stack.empty()) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    out.push_back(n);
    const GumboVector* kids = children(n);
    if (!kids) continue;
    for (unsigned i = kids->length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  }
  return out;
}

bool is_ancestor(const GumboNode* a, const GumboNode* n) {
  for (; n; n = n->parent) {
    if (n == a) return true;
  }
  return false;
}

int depth_of(const GumboNode* n) {
  int d = 0;
  for (; n->parent; n = n->parent) ++d;
  return d;
}

const GumboNode* common_ancestor(const GumboNode* a, const GumboNode* b) {
  int da = depth_of(a), db = depth_of(b);
  while (da > db) {
    a = a->parent;
    --da;
  }
  while (db > da) {
    b = b->parent;
    --db;
  }
  while (a != b) {
    a = a->parent;
    b = b->parent;
  }
  return a;
}

const GumboNode* next_element_sibling(const GumboNode* n) {
  const GumboNode* p = n->parent;
  if (!p) return nullptr;
  const GumboVector* kids = children(p);
  for (unsigned i = static_cast<unsigned>(n->index_within_parent) + 1; kids && i < kids->length; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids->data[i]);
    if (k->type == GUMBO_NODE_ELEMENT) return k;
    if (k->type == GUMBO_NODE_TEXT && !clean_text(k->v.text.text).empty()) return nullptr;  // text between
  }
  return nullptr;
}

const GumboNode* prev_element_sibling(const GumboNode* n) {
  const GumboNode* p = n->parent;
  if (!p) return nullptr;
  const GumboVector* kids = children(p);
  for (unsigned i = static_cast<unsigned>(n->index_within_parent); kids && i-- > 0;) {
    const auto* k = static_cast<const GumboNode*>(kids->data[i]);
    if (k->type == GUMBO_NODE_ELEMENT) return k;
    if (k->type == GUMBO_NODE_TEXT && !clean_text(k->v.text.text).empty()) return nullptr;
  }
  return nullptr;
}

std::size_t count_tag(const GumboNode* n, GumboTag tag, std::size_t stop_at = 100) {
  std::size_t count = 0;
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty() && count < stop_at) {
    const GumboNode* x = stack.back();
    stack.pop_back();
    if (tag_of(x) == tag) ++count;
    const GumboVector* kids = children(x);
    if (!kids) continue;
    for (unsigned i = 0; i < kids->length; ++i) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  }
  return count;
}

const GumboNode* find_first(const GumboNode* n, GumboTag tag) {
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty()) {
    const GumboNode* x = stack.back();
    stack.pop_back();
    if (x != n && tag_of(x) == tag) return x;
    const GumboVector* kids = children(x);
    if (!kids) continue;
    for (unsigned i = kids->length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  }
  return nullptr;
}

// ---- the document's head: meta tags and JSON-LD ----

struct HeadInfo {
  std::string og_title, title_tag, published, author_meta, article_author, site_name, jsonld_date, jsonld_author;
};

// The string value of "key": "…" in a JSON-LD text (the first one), unescaped minimally.
std::string json_string_after(std::string_view json, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  std::size_t pos = json.find(quoted);
  if (pos == std::string_view::npos) return {};
  pos += quoted.size();
  while (pos < json.size() &&
         (json[pos] == ' ' || json[pos] == ':' || json[pos] == '\n' || json[pos] == '\r' || json[pos] == '\t')) {
    ++pos;
  }
  if (pos >= json.size() || json[pos] != '"') return {};
  std::string out;
  for (++pos; pos < json.size() && json[pos] != '"'; ++pos) {
    if (json[pos] == '\\' && pos + 1 < json.size()) ++pos;
    out.push_back(json[pos]);
  }
  return out;
}

HeadInfo read_head(const std::vector<const GumboNode*>& nodes) {
  HeadInfo h;
  for (const GumboNode* n : nodes) {
    const GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_META) {
      const std::string key = lower(attr(n, "property") ? attr_sv(n, "property")
                                    : attr(n, "name")   ? attr_sv(n, "name")
                                                        : attr_sv(n, "itemprop"));
      const std::string_view content = attr_sv(n, "content");
      if (content.empty()) continue;
      if (key == "og:title" && h.og_title.empty()) h.og_title = clean_text(content);
      else if ((key == "article:published_time" || key == "datepublished" || key == "pubdate" || key == "publishdate" ||
                key == "dc.date.issued") &&
               h.published.empty())
        h.published = content;
      else if (key == "author" && h.author_meta.empty()) h.author_meta = clean_text(content);
      else if (key == "article:author" && h.article_author.empty()) h.article_author = clean_text(content);
      else if (key == "og:site_name" && h.site_name.empty()) h.site_name = clean_text(content);
    } else if (t == GUMBO_TAG_TITLE && h.title_tag.empty()) {
      h.title_tag = text_of(n);
    } else if (t == GUMBO_TAG_SCRIPT && lower(attr_sv(n, "type")) == "application/ld+json") {
      std::string json;
      const GumboVector* kids = children(n);
      for (unsigned i = 0; kids && i < kids->length; ++i) {
        const auto* k = static_cast<const GumboNode*>(kids->data[i]);
        if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_CDATA)
          json += k->v.text.text;
      }
      if (h.jsonld_date.empty()) h.jsonld_date = json_string_after(json, "datePublished");
      if (h.jsonld_author.empty()) {
        const std::size_t a = json.find("\"author\"");
        if (a != std::string::npos)
          h.jsonld_author = clean_text(json_string_after(std::string_view(json).substr(a, 400), "name"));
      }
    }
  }
  return h;
}

// ---- title ----

bool is_logo_heading(const GumboNode* h) {
  if (is_chrome_name(h) || contains_any(class_and_id(h), {"logo", "brand", "site-title", "category"})) return true;
  // A heading that is only a link (the site's name linking home) or an image.
  return count_tag(h, GUMBO_TAG_IMG, 1) > 0 && raw_text_len(h) < 40;
}

std::string strip_site_name(const std::string& title) {
  for (std::string_view sep : {" | ", " - ", " – ", " — "}) {
    const std::size_t pos = title.rfind(sep);
    if (pos != std::string::npos && pos > 0 && title.size() - pos - sep.size() <= 40 && pos * 2 > title.size()) {
      return std::string(detail::trim(std::string_view(title).substr(0, pos)));
    }
  }
  return title;
}

const GumboNode* find_title_h1(const std::vector<const GumboNode*>& nodes, const HeadInfo& head) {
  const std::string hint = search_key(strip_site_name(!head.og_title.empty() ? head.og_title : head.title_tag));
  const GumboNode* first_good = nullptr;
  for (const GumboNode* n : nodes) {
    if (tag_of(n) != GUMBO_TAG_H1 || is_logo_heading(n)) continue;
    const std::string t = text_of(n);
    if (t.size() < 8) continue;
    const std::string key = search_key(t);
    if (!hint.empty() && (key == hint || hint.find(key) != std::string::npos || key.find(hint) != std::string::npos)) {
      return n;
    }
    if (!first_good) first_good = n;
  }
  return first_good;
}

// ---- the body: readability-style scoring ----

double name_weight(const GumboNode* n) {
  if (is_chrome_name(n)) return -25;
  const std::string s = class_and_id(n);
  if (contains_any(s, {"article", "content", "detail", "body", "entry", "main", "post", "story", "text", "singular",
                       "noidung", "fck", "maincontent"})) {
    return 25;
  }
  return 0;
}

struct Scores {
  std::unordered_map<const GumboNode*, double> score;
};

// Strong signs only: layout words such as "sidebar" name a page's main column on some sites (VnExpress's
// article sits in div.sidebar-1), so they weigh in the score but never exclude text.
bool is_strong_chrome_name(const GumboNode* n) {
  static const std::unordered_set<std::string> kTokens = {
      "comment", "comments", "related",    "relate",      "lienquan", "footer", "menu",
      "nav",     "navbar",   "ads",        "adv",         "advert",   "banner", "qc",
      "share",   "social",   "breadcrumb", "breadcrumbs", "xemthem",  "hidden", "popup"};
  for (const std::string& t : name_tokens(n)) {
    if (kTokens.count(t)) return true;
  }
  return false;
}

bool inside_chrome(const GumboNode* n) {
  for (const GumboNode* p = n->parent; p; p = p->parent) {
    if (is_chrome_tag(tag_of(p)) || is_strong_chrome_name(p)) return true;
  }
  return false;
}

double link_density(const GumboNode* n) {
  const std::size_t total = raw_text_len(n);
  if (total == 0) return 0;
  std::size_t linked = 0;
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty()) {
    const GumboNode* x = stack.back();
    stack.pop_back();
    if (tag_of(x) == GUMBO_TAG_A) {
      linked += raw_text_len(x);
      continue;
    }
    const GumboVector* kids = children(x);
    if (!kids) continue;
    for (unsigned i = 0; i < kids->length; ++i) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  }
  return static_cast<double>(linked) / static_cast<double>(total);
}

const GumboNode* find_body(const std::vector<const GumboNode*>& nodes) {
  std::unordered_map<const GumboNode*, double> score;
  auto init = [&](const GumboNode* n) -> double& {
    auto it = score.find(n);
    if (it != score.end()) return it->second;
    double base = name_weight(n);
    const GumboTag t = tag_of(n);
    if (t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN) base += 10;
    if (t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION) base += 5;
    return score.emplace(n, base).first->second;
  };
  for (const GumboNode* n : nodes) {
    const GumboTag t = tag_of(n);
    if (t != GUMBO_TAG_P && t != GUMBO_TAG_PRE && t != GUMBO_TAG_TD) continue;
    if (!n->parent || !is_element(n->parent)) continue;
    const std::string text = text_of(n);
    const std::size_t chars = detail::count_code_points(text);
    if (chars < 25 || inside_chrome(n)) continue;
    double s = 1 + static_cast<double>(std::count(text.begin(), text.end(), ','));
    s += std::min(3.0, static_cast<double>(chars) / 100.0);
    init(n->parent) += s;
    if (n->parent->parent && is_element(n->parent->parent)) init(n->parent->parent) += s / 2;
  }
  const GumboNode* best = nullptr;
  double best_score = 0;
  for (auto& [n, s] : score) {
    const double final_score = s * (1 - link_density(n));
    if (!best || final_score > best_score) {
      best = n;
      best_score = final_score;
    }
  }
  return best;
}

// ---- photos ----

bool is_placeholder_url(std::string_view u) {
  return u.empty() || u.substr(0, 5) == "data:" || u.substr(0, 6) == "about:" || u.substr(0, 11) == "javascript:";
}

std::string first_srcset_url(std::string_view srcset) {
  std::size_t i = 0;
  while (i < srcset.size() && srcset[i] == ' ') ++i;
  std::size_t j = i;
  while (j < srcset.size() && srcset[j] != ' ' && srcset[j] != ',') ++j;
  return std::string(srcset.substr(i, j - i));
}

// The image's real URL: data-src (lazy loading), else src unless a placeholder, else data-original, else
// the first srcset / data-srcset candidate. Empty when there is none.
std::string image_url(const GumboNode* img) {
  // A saved page: the browser rewrote `src` to the local copy ("bai_files/x.jpg"); that is the reference
  // even when data-src still names the remote URL.
  const std::string_view src = detail::trim(attr_sv(img, "src"));
  if (!is_placeholder_url(src) && src.find("://") == std::string_view::npos && src.substr(0, 1) != "/" &&
      (src.find("_files/") != std::string_view::npos || src.find(".files/") != std::string_view::npos)) {
    return std::string(src);
  }
  for (const char* a : {"data-src", "data-lazy-src", "src", "data-original", "data-srcset", "srcset"}) {
    std::string_view v = detail::trim(attr_sv(img, a));
    if (std::strcmp(a, "src") == 0 || std::strcmp(a, "data-original") == 0 || std::strcmp(a, "data-src") == 0 ||
        std::strcmp(a, "data-lazy-src") == 0) {
      if (!is_placeholder_url(v)) return std::string(v);
    } else if (!v.empty()) {
      std::string u = first_srcset_url(v);
      if (!is_placeholder_url(u)) return u;
    }
  }
  return {};
}

bool small_dimension(const GumboNode* img) {
  for (const char* a : {"width", "height"}) {
    std::string_view v = attr_sv(img, a);
    if (v.empty()) continue;
    int px = 0;
    std::size_t i = 0;
    for (; i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])) && px < 100000; ++i)
      px = px * 10 + (v[i] - '0');
    if (i > 0 && (i == v.size() || v.substr(i) == "px") && px < 60) return true;
  }
  return false;
}

bool chrome_url(const std::string& url) {
  const std::string u = lower(url);
  return contains_any(u, {"logo", "/icon", "icon-", "icons/", "pixel", "tracking", "spacer", "blank.gif", "1x1",
                          "avatar", "/ads/", "banner", "emoji", "sprite", "loading.gif"}) ||
         (u.size() > 4 && u.substr(u.size() - 4) == ".svg");
}

bool is_image_href(std::string_view href) {
  const std::string h = lower(href.substr(0, href.find('?')));
  for (std::string_view ext : {".jpg", ".jpeg", ".png", ".gif", ".webp"}) {
    if (h.size() >= ext.size() && h.substr(h.size() - ext.size()) == ext) return true;
  }
  return false;
}

// An <img> that is site chrome: inside a menu/related/ad block, a link to another page, tiny, or a logo.
bool is_chrome_image(const GumboNode* img, const GumboNode* region_root, const std::string& url) {
  if (url.empty() || small_dimension(img) || chrome_url(url)) return true;
  for (const GumboNode* p = img->parent; p && p != region_root; p = p->parent) {
    // A <figure> in the article is content whatever its class says ("detail__avatar" is a lead photo).
    if (is_chrome_tag(tag_of(p)) || (tag_of(p) != GUMBO_TAG_FIGURE && is_chrome_name(p))) return true;
    if (tag_of(p) == GUMBO_TAG_A) {
      const std::string_view href = attr_sv(p, "href");
      if (!href.empty() && href != "#" && href.substr(0, 11) != "javascript:" && !is_image_href(href)) return true;
    }
  }
  return false;
}

enum class CaptionSource { kNone, kFigcaption, kElement, kTable, kNextParagraph, kShared, kAlt };

struct FoundPhoto {
  const GumboNode* img = nullptr;
  std::string url;
  std::optional<std::string> caption;
  CaptionSource source = CaptionSource::kNone;
  const GumboNode* caption_node = nullptr;
  std::optional<std::string> group_caption;
};

bool is_caption_name(const GumboNode* n) {
  const std::string s = class_and_id(n);
  if (contains_any(s, {"caption", "chuthich", "chu-thich", "figcaption", "img-desc", "image-desc", "photo-desc",
                       "imgdesc", "desc-img", "expnote", "img_desc", "photo_desc", "image_desc"})) {
    return true;
  }
  for (const std::string& t : name_tokens(n)) {
    if (t == "cap" || t == "legend" || t == "note" || t == "desc" || t == "description") return true;
  }
  return false;
}

bool is_centred(const GumboNode* n) {
  const std::string style = lower(attr_sv(n, "style"));
  if (style.find("text-align:center") != std::string::npos || style.find("text-align: center") != std::string::npos) {
    return true;
  }
  if (lower(attr_sv(n, "align")) == "center") return true;
  const std::string s = class_and_id(n);
  return contains_any(s, {"center", "centre"});
}

// How much of the node's text sits inside <em>/<i> (0–1).
double italic_share(const GumboNode* n) {
  const std::size_t total = raw_text_len(n);
  if (total == 0) return 0;
  std::size_t italic = 0;
  std::vector<const GumboNode*> stack{n};
  while (!stack.empty()) {
    const GumboNode* x = stack.back();
    stack.pop_back();
    const GumboTag t = tag_of(x);
    if (t == GUMBO_TAG_EM || t == GUMBO_TAG_I) {
      italic += raw_text_len(x);
      continue;
    }
    const GumboVector* kids = children(x);
    if (!kids) continue;
    for (unsigned i = 0; i < kids->length; ++i) stack.push_back(static_cast<const GumboNode*>(kids->data[i]));
  }
  // Blanks outside the <em> count against it: measure the trimmed text instead.
  const std::size_t visible = text_of(n).size();
  return visible == 0 ? 0 : std::min(1.0, static_cast<double>(italic) / static_cast<double>(visible));
}

bool caption_sized_text(const std::string& t) {
  return !t.empty() && detail::count_code_points(t) <= detail::kMaxCaptionChars;
}

// The image's own block: the highest ancestor (below `stop`) that holds this image and no other, and
// hardly any text of its own.
const GumboNode* photo_block(const GumboNode* img, const GumboNode* stop) {
  const GumboNode* block = img;
  for (const GumboNode* p = img->parent; p && p != stop && is_element(p); p = p->parent) {
    const GumboTag t = tag_of(p);
    if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_ARTICLE || t == GUMBO_TAG_MAIN) break;
    if (count_tag(p, GUMBO_TAG_IMG, 2) > 1) break;
    if (raw_text_len(p) > 400) break;
    block = p;
  }
  return block;
}

std::optional<std::string> figure_caption(const GumboNode* img, const GumboNode** caption_node) {
  int level = 0;
  for (const GumboNode* p = img->parent; p && level < 6; p = p->parent, ++level) {
    if (tag_of(p) != GUMBO_TAG_FIGURE) continue;
    const GumboNode* fc = find_first(p, GUMBO_TAG_FIGCAPTION);
    if (!fc) return std::nullopt;
    *caption_node = fc;
    std::string t = text_of(fc);
    if (t.empty()) return std::nullopt;
    return t;
  }
  return std::nullopt;
}

// A caption element beside the image: climbing from the image while the ancestor holds only this image,
// the next element sibling (or a descendant of the climbed block) whose class says caption.
std::optional<std::string> element_caption(const GumboNode* img, const GumboNode** caption_node, bool* found) {
  *found = false;
  int level = 0;
  for (const GumboNode* n = img; n && n->parent && level < 5; n = n->parent, ++level) {
    if (level > 0 && count_tag(n, GUMBO_TAG_IMG, 2) > 1) break;
    const GumboNode* sib = next_element_sibling(n);
    if (sib && is_caption_name(sib)) {
      *found = true;
      *caption_node = sib;
      std::string t = text_of(sib);
      if (t.empty() || !caption_sized_text(t)) return std::nullopt;
      return t;
    }
  }
  return std::nullopt;
}

// Table layout: the image in one row, its caption in the next row(s) of a small table.
std::optional<std::string> table_caption(const GumboNode* img, const GumboNode** caption_node) {
  const GumboNode* tr = nullptr;
  int level = 0;
  for (const GumboNode* p = img->parent; p && level < 5; p = p->parent, ++level) {
    if (tag_of(p) == GUMBO_TAG_TR) {
      tr = p;
      break;
    }
  }
  if (!tr) return std::nullopt;
  if (raw_text_len(tr) > 40) return std::nullopt;  // image row with body text: not a photo table
  const GumboNode* next = next_element_sibling(tr);
  if (!next || tag_of(next) != GUMBO_TAG_TR || count_tag(next, GUMBO_TAG_IMG, 1) > 0) return std::nullopt;
  std::string t = text_of(next);
  if (!caption_sized_text(t)) return std::nullopt;
  *caption_node = next;
  return t;
}

// The next short paragraph after the image's block, when it is italic, centred, or a caption by class.
std::optional<std::string> next_paragraph_caption(const GumboNode* block, const GumboNode** caption_node) {
  const GumboNode* next = next_element_sibling(block);
  if (!next) return std::nullopt;
  const GumboTag t = tag_of(next);
  if (t != GUMBO_TAG_P && t != GUMBO_TAG_DIV && t != GUMBO_TAG_SPAN && t != GUMBO_TAG_EM && t != GUMBO_TAG_I &&
      t != GUMBO_TAG_H4 && t != GUMBO_TAG_H5 && t != GUMBO_TAG_H6) {
    return std::nullopt;
  }
  if (count_tag(next, GUMBO_TAG_IMG, 1) > 0) return std::nullopt;
  std::string text = text_of(next);
  if (!caption_sized_text(text)) return std::nullopt;
  const bool italic = t == GUMBO_TAG_EM || t == GUMBO_TAG_I || italic_share(next) >= 0.8;
  if (!italic && !is_centred(next)) return std::nullopt;
  *caption_node = next;
  return text;
}

bool looks_like_file_name(std::string_view s) {
  if (s.find(' ') == std::string_view::npos) return true;
  const std::string l = lower(s);
  for (std::string_view ext : {".jpg", ".jpeg", ".png", ".gif", ".webp"}) {
    if (l.find(ext) != std::string::npos) return true;
  }
  return false;
}

// alt/title as a caption of last resort: a few words, not a file name, not the article's title again.
std::optional<std::string> alt_caption(const GumboNode* img, const std::string& title) {
  for (const char* a : {"alt", "title"}) {
    std::string t = clean_text(attr_sv(img, a));
    if (t.empty() || looks_like_file_name(t) || std::count(t.begin(), t.end(), ' ') < 2) continue;
    const std::string k = search_key(t), tk = search_key(title);
    if (!tk.empty() && (k.substr(0, tk.size()) == tk || tk.find(k) != std::string::npos)) continue;
    if (!caption_sized_text(t)) continue;
    return t;
  }
  return std::nullopt;
}

// A group lead before the image: walking back from the image's block over blocks that hold only images,
// a short paragraph that reads as one ("Một số hình ảnh …", a line ending in ':'), as in text exports.
std::optional<std::string> group_lead(const GumboNode* block, const GumboNode** lead_node) {
  const GumboNode* prev = prev_element_sibling(block);
  for (int steps = 0; prev && steps < 20; ++steps) {
    if (count_tag(prev, GUMBO_TAG_IMG, 1) > 0 && raw_text_len(prev) < 10) {
      prev = prev_element_sibling(prev);
      continue;
    }
    const GumboTag t = tag_of(prev);
    if (t != GUMBO_TAG_P && t != GUMBO_TAG_DIV && t != GUMBO_TAG_H2 && t != GUMBO_TAG_H3 && t != GUMBO_TAG_H4) break;
    std::string text = text_of(prev);
    if (text.empty() || !caption_sized_text(text) || !detail::looks_like_group_lead(text)) break;
    *lead_node = prev;
    return text;
  }
  return std::nullopt;
}

// ---- date and byline near the title ----

// Short text elements with no element children of block kind, in document order.
bool is_leafish(const GumboNode* n) {
  if (!is_element(n)) return false;
  const GumboVector* kids = children(n);
  for (unsigned i = 0; kids && i < kids->length; ++i) {
    const auto* k = static_cast<const GumboNode*>(kids->data[i]);
    if (is_element(k) && is_block_tag(tag_of(k)) && tag_of(k) != GUMBO_TAG_BR) return false;
  }
  return true;
}

// The date written near the title: within the title's header (up to three ancestors), a short element
// whose text is a date line ("08:36 ngày 14/03/2016", "Thứ bảy, 7/3/2026, 00:05 (GMT+7)"), or a
// time[datetime] there. A page clock elsewhere in the page is never looked at.
std::optional<std::string> date_near(const GumboNode* h1, const std::vector<const GumboNode*>& nodes,
                                     std::size_t h1_pos) {
  // After the title: inside its header (up to three ancestors, the page body at most); before the title
  // only beside it (same parent), where a site clock rarely sits.
  const GumboNode* scope = h1;
  for (int i = 0; i < 3 && scope->parent && is_element(scope->parent); ++i) {
    scope = scope->parent;
    if (tag_of(scope) == GUMBO_TAG_BODY) break;
  }
  const std::size_t from = h1_pos > 40 ? h1_pos - 40 : 0;
  const std::size_t to = std::min(nodes.size(), h1_pos + 400);
  std::optional<std::string> after, before;
  for (std::size_t i = from; i < to; ++i) {
    const GumboNode* n = nodes[i];
    if (!is_element(n) || n == h1 || !is_ancestor(i > h1_pos ? scope : h1->parent, n)) continue;
    if (tag_of(n) == GUMBO_TAG_TIME && attr(n, "datetime")) {
      if (auto d = normalize_iso_date(attr_sv(n, "datetime"))) return d;
    }
    if (!is_leafish(n) || raw_text_len(n) > 200) continue;
    const std::string t = text_of(n);
    if (t.size() < 8 || t.size() > 120) continue;
    std::optional<std::string> d = parse_date_line(t);
    if (!d) {
      // "Cập nhật: …", "Lượt xem" and similar: keep only from the first digit on and retry.
      const std::size_t digit = t.find_first_of("0123456789");
      if (digit != std::string::npos && digit > 0 && digit < 40) d = parse_date_line(std::string_view(t).substr(digit));
    }
    if (!d) continue;
    if (i > h1_pos) {
      if (!after) after = d;
      break;
    }
    before = d;
  }
  return after ? after : before;
}

struct Byline {
  std::optional<std::string> name;
  const GumboNode* node = nullptr;  // the element, to stop photos after a closing byline
};

bool is_author_name(const GumboNode* n) {
  const std::string s = class_and_id(n);
  if (contains_any(s, {"title-author", "author-title", "authorbox", "author-info"})) return false;
  return contains_any(s, {"author", "byline", "tac-gia", "tacgia", "writer", "reporter"});
}

// A byline: an author element near the title or at the end of the body; else the last right-aligned
// short paragraph of the body with bold text; else a source line ("Theo Forbes").
Byline find_byline(const GumboNode* region, const GumboNode* body, const std::vector<const GumboNode*>& nodes) {
  Byline b;
  // 1. right-aligned closing line inside the body.
  const GumboNode* last_right = nullptr;
  for (const GumboNode* n : nodes) {
    if (!is_ancestor(body, n) || tag_of(n) != GUMBO_TAG_P) continue;
    const std::string style = lower(attr_sv(n, "style"));
    const bool right = style.find("text-align:right") != std::string::npos ||
                       style.find("text-align: right") != std::string::npos || lower(attr_sv(n, "align")) == "right";
    if (!right || raw_text_len(n) > 150) continue;
    last_right = n;
  }
  if (last_right) {
    const GumboNode* strong = find_first(last_right, GUMBO_TAG_STRONG);
    if (!strong) strong = find_first(last_right, GUMBO_TAG_B);
    if (auto name = detail::clean_byline(text_of(strong ? strong : last_right))) {
      b.name = name;
      b.node = last_right;
      return b;
    }
  }
  // 2. an author element in the article region.
  for (const GumboNode* n : nodes) {
    if (!is_element(n) || !is_ancestor(region, n) || !is_author_name(n)) continue;
    if (is_skipped_for_text(tag_of(n))) continue;
    const GumboNode* pick = n;
    const GumboNode* named = nullptr;
    for (const GumboNode* x : flatten(n)) {
      if (x == n || !is_element(x)) continue;
      const std::vector<std::string> tokens = name_tokens(x);
      if (std::find(tokens.begin(), tokens.end(), "name") != tokens.end()) {
        named = x;
        break;
      }
    }
    for (const GumboNode* x : {named, find_first(n, GUMBO_TAG_STRONG), find_first(n, GUMBO_TAG_B)}) {
      if (x && !text_of(x).empty()) {
        pick = x;
        break;
      }
    }
    std::string t = text_of(pick);
    if (t.empty()) continue;
    if (pick == n && t.size() > 60) {
      // A block holding an avatar, the name and more: its first short text element.
      for (const GumboNode* x : flatten(n)) {
        if (!is_element(x) || !is_leafish(x)) continue;
        std::string xt = text_of(x);
        if (!xt.empty() && xt.size() <= 60) {
          t = xt;
          break;
        }
      }
    }
    if (auto name = detail::clean_byline(t)) {
      b.name = name;
      if (is_ancestor(body, n)) b.node = n;
      return b;
    }
  }
  // 3. a source line ("Theo Forbes") by class.
  for (const GumboNode* n : nodes) {
    if (!is_element(n) || !is_ancestor(region, n)) continue;
    const std::string s = class_and_id(n);
    if (!contains_any(s, {"source", "nguon"}) || raw_text_len(n) > 100) continue;
    if (auto name = detail::clean_byline(text_of(n))) {
      b.name = name;
      if (is_ancestor(body, n)) b.node = n;
      return b;
    }
  }
  return b;
}

bool looks_like_site(const std::string& name, const HeadInfo& head) {
  const std::string k = search_key(name);
  if (k.empty()) return true;
  if (!head.site_name.empty() && search_key(head.site_name).find(k) != std::string::npos) return true;
  if (k.find(".vn") != std::string::npos || k.find(".com") != std::string::npos ||
      k.find("news") != std::string::npos || k.find("bao ") == 0 || k.find("tap chi") == 0) {
    return true;
  }
  const std::string title_key = search_key(head.title_tag);
  const std::size_t pos = title_key.rfind(k);
  return pos != std::string::npos && pos + k.size() + 2 >= title_key.size() && pos > 0;
}

}  // namespace

kho::Result<ParseResult> parse_html_article(std::string_view bytes, std::string_view source_name) {
  const std::string source(source_name);
  ParseResult result;
  if (bytes.size() > detail::kMaxHtmlBytes) {
    return Status::InvalidArgument(source + ": HTML page of " + std::to_string(bytes.size() >> 20) +
                                   " MB is larger than the " + std::to_string(detail::kMaxHtmlBytes >> 20) +
                                   " MB limit for an article");
  }
  if (bytes.find('\0') != std::string_view::npos && declared_charset(bytes).rfind("utf-16", 0) != 0) {
    return Status::InvalidArgument(source + ": binary data (NUL bytes), not an HTML page");
  }
  auto utf8 = detail::html_to_utf8(bytes, source, result.warnings);
  if (!utf8.ok()) return utf8.status();
  const std::string html = detail::drop_late_doctypes(detail::drop_script_bodies(*utf8));

  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 8;
  std::unique_ptr<GumboOutput, GumboDeleter> out(gumbo_parse_with_options(&options, html.data(), html.size()));
  if (!out) return Status::InvalidArgument(source + ": the HTML parser gave up");
  const std::vector<const GumboNode*> nodes = flatten(out->document);
  std::unordered_map<const GumboNode*, std::size_t> pos;
  pos.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) pos.emplace(nodes[i], i);

  const HeadInfo head = read_head(nodes);
  kho::Article a;

  // Title.
  const GumboNode* h1 = find_title_h1(nodes, head);
  if (h1) a.title = text_of(h1);
  if (a.title.empty()) a.title = strip_site_name(!head.og_title.empty() ? head.og_title : head.title_tag);
  if (a.title.empty()) {
    result.warnings.push_back(source + ": no title (no h1, og:title or <title>), no article found");
    return result;
  }

  // Body and the region photos come from: from the title to the end of the body.
  const GumboNode* body = find_body(nodes);
  if (!body) body = out->root;
  const GumboNode* region = h1 && !is_ancestor(body, h1) ? common_ancestor(h1, body) : body;
  // A region that swallows the page (title and body far apart) falls back to the body alone.
  if (region != body && raw_text_len(region) > 3 * raw_text_len(body) + 4000) region = body;
  const std::size_t region_begin = region == body || !h1 ? pos[body] : pos[h1];
  const GumboNode* last = body;
  while (const GumboVector* kids = children(last)) {
    if (kids->length == 0) break;
    last = static_cast<const GumboNode*>(kids->data[kids->length - 1]);
  }
  const std::size_t region_end = pos[last];

  // Date: the page's own metadata first, then the date line by the title.
  if (auto d = normalize_iso_date(head.published)) a.date = d;
  else if (auto j = normalize_iso_date(head.jsonld_date)) a.date = j;
  else if (h1) a.date = date_near(h1, nodes, pos[h1]);

  // Byline.
  const Byline byline = find_byline(region, body, nodes);
  a.author = byline.name;
  if (!a.author) {
    for (const std::string* m : {&head.article_author, &head.jsonld_author, &head.author_meta}) {
      if (m->empty() || looks_like_site(*m, head)) continue;
      if (auto name = detail::clean_byline(*m)) {
        a.author = name;
        break;
      }
    }
  }
  const std::size_t stop_at = byline.node && pos[byline.node] > pos[body] ? pos[byline.node] : region_end + 1;

  // Photos, in document order.
  std::vector<FoundPhoto> photos;
  std::unordered_set<std::string> seen_urls;
  for (std::size_t i = region_begin; i <= region_end && i < stop_at; ++i) {
    const GumboNode* n = nodes[i];
    if (tag_of(n) != GUMBO_TAG_IMG || !is_ancestor(region, n)) continue;
    FoundPhoto p;
    p.img = n;
    p.url = clean_text(image_url(n));
    if (is_chrome_image(n, region, p.url) || !seen_urls.insert(p.url).second) continue;
    photos.push_back(std::move(p));
  }
  std::unordered_set<const GumboNode*> caption_nodes, group_nodes;
  for (std::size_t k = 0; k < photos.size(); ++k) {
    FoundPhoto& p = photos[k];
    const GumboNode* cn = nullptr;
    bool element_found = false;
    if ((p.caption = figure_caption(p.img, &cn))) {
      p.source = CaptionSource::kFigcaption;
    } else if (cn) {
      p.source = CaptionSource::kFigcaption;  // a figure with an empty figcaption: no caption, decided
    } else if ((p.caption = element_caption(p.img, &cn, &element_found)) || element_found) {
      p.source = CaptionSource::kElement;
    } else if ((p.caption = table_caption(p.img, &cn))) {
      p.source = CaptionSource::kTable;
    } else if ((p.caption = next_paragraph_caption(photo_block(p.img, region), &cn))) {
      p.source = CaptionSource::kNextParagraph;
    }
    p.caption_node = cn;
    if (cn) caption_nodes.insert(cn);
  }
  // A run of images with nothing between them, then one caption after the last: the caption is shared.
  for (std::size_t k = photos.size(); k-- > 1;) {
    FoundPhoto& cur = photos[k];
    if (!cur.caption || (cur.source != CaptionSource::kNextParagraph && cur.source != CaptionSource::kShared &&
                         cur.source != CaptionSource::kElement)) {
      continue;
    }
    FoundPhoto& prev = photos[k - 1];
    if (prev.source != CaptionSource::kNone) continue;
    // prev's block must be directly before cur's block, with no text between.
    const GumboNode* cur_block = photo_block(cur.img, region);
    if (cur.source == CaptionSource::kElement && is_ancestor(cur_block, cur.caption_node)) continue;
    const GumboNode* prev_block = photo_block(prev.img, region);
    if (prev_element_sibling(cur_block) != prev_block) continue;
    prev.caption = cur.caption;
    prev.source = CaptionSource::kShared;
  }
  for (FoundPhoto& p : photos) {
    const GumboNode* lead = nullptr;
    if (p.source == CaptionSource::kNone || p.source == CaptionSource::kShared) {
      p.group_caption = group_lead(photo_block(p.img, region), &lead);
      if (lead) group_nodes.insert(lead);
    }
    if (p.source == CaptionSource::kNone && !p.group_caption) {
      if ((p.caption = alt_caption(p.img, a.title))) p.source = CaptionSource::kAlt;
    }
  }

  // Blocks in order: paragraphs of the body (not captions), photos where they stand.
  std::size_t next_photo = 0;
  for (std::size_t i = region_begin; i <= region_end; ++i) {
    const GumboNode* n = nodes[i];
    while (next_photo < photos.size() && pos[photos[next_photo].img] <= i) {
      PhotoRef r;
      r.ref = photos[next_photo].url;
      r.caption = photos[next_photo].caption;
      r.caption_weak = photos[next_photo].source == CaptionSource::kAlt;
      r.group_caption = photos[next_photo].group_caption;
      if (r.caption) r.credit = detail::caption_credit(*r.caption);
      a.blocks.push_back({ArticleBlock::Kind::kPhoto, {}, static_cast<std::uint32_t>(a.refs.size())});
      a.refs.push_back(std::move(r));
      ++next_photo;
    }
    const GumboTag t = tag_of(n);
    if (t != GUMBO_TAG_P && t != GUMBO_TAG_H2 && t != GUMBO_TAG_H3 && t != GUMBO_TAG_BLOCKQUOTE) continue;
    if (group_nodes.count(n)) {
      a.blocks.push_back({ArticleBlock::Kind::kGroupCaption, text_of(n), 0});
      continue;
    }
    if (!is_ancestor(body, n) || caption_nodes.count(n) || inside_chrome(n)) continue;
    bool in_caption = false;
    for (const GumboNode* p = n->parent; p && p != body && !in_caption; p = p->parent) {
      in_caption = caption_nodes.count(p) > 0 || tag_of(p) == GUMBO_TAG_FIGCAPTION || tag_of(p) == GUMBO_TAG_P;
    }
    if (in_caption || (byline.node && n == byline.node)) continue;
    std::string text = text_of(n);
    if (!text.empty()) a.blocks.push_back({ArticleBlock::Kind::kParagraph, std::move(text), 0});
  }
  if (a.refs.empty()) result.warnings.push_back(source + ": no photos found in the article body");
  a.id = article_id(a.title, a.date);
  a.sources = {source};
  result.articles.push_back(std::move(a));
  return result;
}

}  // namespace kho::ingest
