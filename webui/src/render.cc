// mustache rendering of view models. JSON null, false and "" become false so that {{#x}} sections
// skip absent values; numbers are written as text.
#include "render.h"

#include <kainjow/mustache.hpp>

#include <functional>
#include <map>
#include <memory>

#include "session.h"
#include "templates.h"
#include "templates_team.h"

namespace kho::web {
namespace mst = kainjow::mustache;
namespace {

mst::data to_data(const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      mst::data d{mst::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
      return d;
    }
    case Json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (const Json& v : j) d.push_back(to_data(v));
      return d;
    }
    case Json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();
      return s.empty() ? mst::data{false} : mst::data{s};
    }
    case Json::value_t::boolean:
      return mst::data{j.get<bool>()};
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return mst::data{j.dump()};
    default:
      return mst::data{false};
  }
}

// Parsed templates, one cache per thread: parsing costs as much as rendering, and a mustache object
// keeps render state, so threads must not share one.
mst::mustache& compiled(std::string_view tmpl) {
  thread_local std::map<const char*, std::unique_ptr<mst::mustache>> cache;
  std::unique_ptr<mst::mustache>& m = cache[tmpl.data()];
  if (!m) m = std::make_unique<mst::mustache>(std::string(tmpl));
  return *m;
}

std::string render(std::string_view tmpl, const mst::data& data) {
  mst::mustache& m = compiled(tmpl);
  if (!m.is_valid()) return "template error: " + m.error_message();
  std::string out = m.render(data);
  if (!m.is_valid()) return "template error: " + m.error_message();
  return out;
}

}  // namespace

const std::string& asset_version() {
  static const std::string version = [] {
    std::size_t h = std::hash<std::string_view>{}(kStylesheet) ^ (std::hash<std::string_view>{}(kScript) << 1) ^
                    (std::hash<std::string_view>{}(kTeamScript) << 2);
    char buf[20];
    std::snprintf(buf, sizeof buf, "%016zx", h);
    return std::string(buf, 12);
  }();
  return version;
}

std::string render_fragment(std::string_view tmpl, const Json& view) { return render(tmpl, to_data(view)); }

std::string render_page(std::string_view body_template, const Json& view, const PageInfo& info) {
  const std::string body = render(body_template, to_data(view));
  mst::data layout{mst::data::type::object};
  layout.set("content", body);
  layout.set("page_title", info.title);
  layout.set("page_kind", info.kind);
  layout.set("q", info.query);
  layout.set("api_url", info.api_url.empty() ? std::string("/api/events") : info.api_url);
  layout.set("asset_version", asset_version());
  layout.set("nav_events", info.kind == "home" || info.kind == "event");
  layout.set("nav_dups", info.kind == "dups");
  // Issue 16: who is signed in (the masthead's account menu and logout form, the workbench link).
  const http::Request::Identity& who = current_identity();
  layout.set("user", who.user.empty() ? mst::data{false} : mst::data{who.user});  // "" would be truthy
  layout.set("csrf", who.csrf);
  layout.set("is_editor", who.role >= 1);
  layout.set("nav_workbench", info.kind == "workbench");
  return render(kLayoutTemplate, layout);
}

}  // namespace kho::web
