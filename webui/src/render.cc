// Rendering of view models with the templates (mustache.h, over the JSON itself). JSON null, false, "" and the
// empty list are false for {{#x}} sections; numbers are written as text.
#include "render.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "mustache.h"
#include "session.h"
#include "templates.h"
#include "templates_team.h"

namespace kho::web {
namespace {

// Parsed templates, shared by every thread (a Template is immutable once parsed), keyed by the address of the
// template's text: the templates are static strings (templates.h), never temporaries.
const Template& compiled(std::string_view tmpl) {
  static std::mutex mu;
  static std::map<const char*, std::unique_ptr<const Template>> cache;
  std::lock_guard lock(mu);
  std::unique_ptr<const Template>& t = cache[tmpl.data()];
  if (!t) t = std::make_unique<const Template>(tmpl);
  return *t;
}

std::string render(std::string_view tmpl, const Json& view, std::size_t expect = 0) {
  const Template& t = compiled(tmpl);
  if (!t.valid()) return "template error: " + t.error();
  std::string out;
  out.reserve(expect);
  t.render(view, &out);
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

std::string render_fragment(std::string_view tmpl, const Json& view) { return render(tmpl, view); }

std::string render_page(std::string_view body_template, const Json& view, const PageInfo& info) {
  return render_layout(render(body_template, view), info);
}

std::string render_layout(std::string body, const PageInfo& info) {
  Json layout = Json::object();
  layout["content"] = std::move(body);
  layout["page_title"] = info.title;
  layout["page_kind"] = info.kind;
  layout["q"] = info.query;
  layout["api_url"] = info.api_url.empty() ? std::string("/api/events") : info.api_url;
  layout["asset_version"] = asset_version();
  layout["nav_events"] = info.kind == "home" || info.kind == "event";
  layout["nav_dups"] = info.kind == "dups";
  // Issue 16: who is signed in (the masthead's account menu and logout form, the workbench link).
  const http::Request::Identity& who = current_identity();
  layout["user"] = who.user;  // "" is false: no account menu
  layout["csrf"] = who.csrf;
  layout["is_editor"] = who.role >= 1;
  layout["nav_workbench"] = info.kind == "workbench";
  const std::size_t body_bytes = layout["content"].get_ref<const std::string&>().size();
  return render(kLayoutTemplate, layout, body_bytes + 4096);
}

}  // namespace kho::web
