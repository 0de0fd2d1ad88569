// Private to webui: the mustache templates and static assets, compiled into the binary so that `kho`
// alone is the whole server. Templates escape with {{ }}; the only {{{ }}} are the layout's content and
// the editors' section (team_html), which are the output of other templates.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace kho::web {

extern const std::string_view kLayoutTemplate;
extern const std::string_view kHomeTemplate;
extern const std::string_view kEventTemplate;
extern const std::string_view kPhotoTemplate;
extern const std::string_view kDupsTemplate;
extern const std::string_view kSearchTemplate;
extern const std::string_view kErrorTemplate;

extern const std::string_view kStylesheet;  // /static/kho.css
extern const std::string_view kScript;      // /static/kho.js
extern const std::string_view kFavicon;     // /favicon.svg

// A template made of shared pieces (raw strings), joined once at start-up.
inline std::string splice(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

}  // namespace kho::web
