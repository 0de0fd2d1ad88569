// Private to webui: the mustache templates and static assets, compiled into the binary so that `kho`
// alone is the whole server. Templates escape with {{ }}; the only {{{ }}} is the layout's content,
// which is the output of another template.
#pragma once

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

}  // namespace kho::web
