// Private to webui: turning a view model (JSON) into an HTML page with mustache.
#pragma once

#include <string>
#include <string_view>

#include "views.h"

namespace kho::web {

struct PageInfo {
  std::string title;      // <title>, before " · Kho"
  std::string kind;       // body class suffix: home, event, photo, dups, search, error
  std::string query;      // pre-fills the search box
  std::string api_url;    // the JSON of this page, linked in the footer
};

// Renders `body_template` with `view`, then the layout around it. Text is HTML-escaped by the templates.
// A template error (a bug, not user input) yields a plain message instead of a page.
std::string render_page(std::string_view body_template, const Json& view, const PageInfo& info);

// The layout around an already rendered body (the event page keeps its bodies: page_cache.h).
std::string render_layout(std::string body, const PageInfo& info);

// Renders a template alone, without the layout (a page's section, e.g. the team's {{{team_html}}}).
std::string render_fragment(std::string_view tmpl, const Json& view);

// A short hex of the assets, so their URLs change when they do.
const std::string& asset_version();

}  // namespace kho::web
