// The pages' mustache engine (webui/src/mustache.cc) against kainjow's mustache, the engine it replaced (issue
// 15: the copy into kainjow's data tree and its rendering were 11 of the 17 ms a 5,000-photo event's page cost).
// Kainjow is the oracle: the same template and view model must give the same bytes, on hand-made cases that
// probe the whitespace and lookup rules, on every template of the gallery with random view models built from
// the template's own names, and on the real view models of the test archive.
#include <kainjow/mustache.hpp>

#include <nlohmann/json.hpp>

#include <random>
#include <regex>
#include <set>

#include "web_fixture.h"
#include "webui/src/mustache.h"
#include "webui/src/templates.h"
#include "webui/src/templates_team.h"
#include "webui/src/views.h"

namespace kho::webtest {
namespace {

using nlohmann::json;
namespace mst = kainjow::mustache;

// The conversion the gallery used before (webui/src/render.cc): null, false and "" are false, numbers text.
mst::data to_data(const json& j) {
  switch (j.type()) {
    case json::value_t::object: {
      mst::data d{mst::data::type::object};
      for (auto it = j.begin(); it != j.end(); ++it) d.set(it.key(), to_data(it.value()));
      return d;
    }
    case json::value_t::array: {
      mst::data d{mst::data::type::list};
      for (const json& v : j) d.push_back(to_data(v));
      return d;
    }
    case json::value_t::string: {
      const std::string& s = j.get_ref<const std::string&>();
      return s.empty() ? mst::data{false} : mst::data{s};
    }
    case json::value_t::boolean: return mst::data{j.get<bool>()};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return mst::data{j.dump()};
    default: return mst::data{false};
  }
}

std::string oracle(std::string_view tmpl, const json& view) {
  mst::mustache m{std::string(tmpl)};
  if (!m.is_valid()) return "invalid: " + m.error_message();
  std::string out = m.render(to_data(view));
  return m.is_valid() ? out : "invalid: " + m.error_message();
}

std::string ours(std::string_view tmpl, const json& view) {
  web::Template t(tmpl);
  if (!t.valid()) return "invalid: " + t.error();
  std::string out;
  t.render(view, &out);
  return out;
}

TEST(MustacheTest, HandMadeCasesRenderAsKainjowDoes) {
  const json view = {
      {"name", "A & B <c> \"d\" 'e'"},
      {"empty", ""},
      {"none", nullptr},
      {"no", false},
      {"yes", true},
      {"zero", 0},
      {"pi", 3.5},
      {"big", 18446744073709551615ull},
      {"neg", -12},
      {"obj", {{"url", "/x?a=1&b=2"}, {"inner", {{"deep", "D"}}}, {"name", "inner name"}}},
      {"emptyobj", json::object()},
      {"list", json::array({{{"v", "1"}, {"name", nullptr}}, {{"v", "2"}}, {{"v", ""}, {"flag", true}}})},
      {"strings", json::array({"a", "", "c"})},
      {"nolist", json::array()},
      {"multi", "line one\nline two"},
      {"spaces", "   "},
  };
  const std::vector<std::string> cases = {
      "plain text, no tags",
      "{{name}} / {{{name}}} / {{& name}} / {{  name  }}",
      "{{empty}}|{{none}}|{{no}}|{{yes}}|{{zero}}|{{pi}}|{{big}}|{{neg}}|{{obj}}|{{list}}|{{missing}}",
      "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#none}}0{{/none}}{{#empty}}E{{/empty}}{{#zero}}Z{{/zero}}",
      "{{^yes}}Y{{/yes}}{{^no}}N{{/no}}{{^none}}0{{/none}}{{^empty}}E{{/empty}}{{^missing}}M{{/missing}}",
      "{{#nolist}}x{{/nolist}}{{^nolist}}none{{/nolist}}{{#emptyobj}}[{{name}}]{{/emptyobj}}",
      "{{#list}}<{{v}}:{{name}}:{{#flag}}F{{/flag}}>{{/list}}",
      "{{#strings}}[{{.}}]{{/strings}}{{#name}}({{.}}){{/name}}",
      "{{obj.url}} {{obj.inner.deep}} {{obj.missing}} {{#obj}}{{url}} {{inner.deep}} {{name}}{{/obj}}",
      "{{#obj}}{{#inner}}{{deep}} {{url}} {{name}}{{/inner}}{{/obj}}",
      "{{#list}}{{obj.url}}{{/list}}",
      "a{{! a comment }}b{{!\n a comment over lines }}c",
      "<ul>\n  {{#list}}\n  <li>{{v}}</li>\n  {{/list}}\n</ul>\n",
      "<ul>\n  {{#nolist}}\n  <li>{{v}}</li>\n  {{/nolist}}\n</ul>\n",
      "<ul>\n  {{^nolist}}\n  <li>none</li>\n  {{/nolist}}\n</ul>\n",
      "  {{#yes}}  \n  x  \n  {{/yes}}  \n  {{#no}}\nn\n{{/no}}\nend",
      "line {{#yes}}{{empty}}{{/yes}}\n{{#yes}}{{empty}}{{/yes}}\n  {{#yes}}{{spaces}}{{/yes}}\t\nnext",
      "{{#yes}}{{multi}}{{/yes}}\n{{#yes}}\n{{/yes}}",
      "crlf\r\n{{#yes}}\r\nin\r\n{{/yes}}\r\nlone\rcr\n",
      "ends with a section line\n  {{#yes}}  ",
      "ends with a plain line\n    ",
      "{{#list}}\n{{#flag}}\n  flagged {{v}}\n{{/flag}}\n{{^flag}}\n  plain {{v}}\n{{/flag}}\n{{/list}}\n",
      "{{#strings}}{{#.}}[{{.}}]{{/.}}{{/strings}}",
      "{{ # yes }}spaced{{ / yes }}",
      "{{#a}}unclosed",
      "{{/a}}unopened",
      "{{#a}}{{/b}}",
      "{{unclosed tag",
      "trailing {{",
      "{{{triple}}",
  };
  for (const std::string& tmpl : cases) {
    SCOPED_TRACE(tmpl);
    const std::string want = oracle(tmpl, view);
    const std::string got = ours(tmpl, view);
    if (want.rfind("invalid: ", 0) == 0) {
      EXPECT_EQ(got.rfind("invalid: ", 0), 0u) << got;
    } else {
      EXPECT_EQ(got, want);
    }
  }
}

// Every name a template uses, split at dots, to build view models that exercise it.
std::vector<std::string> names_of(std::string_view tmpl) {
  std::set<std::string> names;
  const std::string text(tmpl);
  static const std::regex tag(R"(\{\{[#^/&{]?\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}?\}\})");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1];
    std::size_t from = 0;
    while (from <= name.size()) {
      std::size_t dot = name.find('.', from);
      names.insert(name.substr(from, dot == std::string::npos ? std::string::npos : dot - from));
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
  }
  return {names.begin(), names.end()};
}

json random_value(std::mt19937& rng, const std::vector<std::string>& names, int depth);

json random_object(std::mt19937& rng, const std::vector<std::string>& names, int depth) {
  json o = json::object();
  std::bernoulli_distribution present(0.6);
  for (const std::string& n : names)
    if (present(rng)) o[n] = random_value(rng, names, depth + 1);
  return o;
}

json random_value(std::mt19937& rng, const std::vector<std::string>& names, int depth) {
  static const std::vector<std::string> texts = {
      "", " ", "x", "Hà Nội & <b>\"Sài Gòn\"</b> 'ok'", "two\nlines", "\t", "/photo/ab?x=1&y=2"};
  const int kinds = depth >= 3 ? 6 : 8;
  switch (std::uniform_int_distribution<int>(0, kinds - 1)(rng)) {
    case 0: return nullptr;
    case 1: return std::bernoulli_distribution(0.5)(rng);
    case 2: return std::uniform_int_distribution<int>(-3, 2000)(rng);
    case 3: return 0.25 * std::uniform_int_distribution<int>(0, 9)(rng);
    case 4:
    case 5: return texts[std::uniform_int_distribution<std::size_t>(0, texts.size() - 1)(rng)];
    case 6: return random_object(rng, names, depth);
    default: {
      json a = json::array();
      const int n = std::uniform_int_distribution<int>(0, 3)(rng);
      for (int i = 0; i < n; ++i) a.push_back(random_object(rng, names, depth + 1));
      return a;
    }
  }
}

TEST(MustacheTest, EveryGalleryTemplateRendersAsKainjowDoesOnRandomModels) {
  const std::vector<std::pair<const char*, std::string_view>> templates = {
      {"layout", web::kLayoutTemplate},
      {"home", web::kHomeTemplate},
      {"event", web::kEventTemplate},
      {"photo", web::kPhotoTemplate},
      {"dups", web::kDupsTemplate},
      {"search", web::kSearchTemplate},
      {"error", web::kErrorTemplate},
      {"login", web::kLoginTemplate},
      {"workbench", web::kWorkbenchTemplate},
      {"photo team", web::kPhotoTeamTemplate},
      {"event team", web::kEventTeamTemplate},
  };
  std::mt19937 rng(20261202);
  for (const auto& [label, tmpl] : templates) {
    SCOPED_TRACE(label);
    ASSERT_TRUE(web::Template(tmpl).valid()) << web::Template(tmpl).error();
    const std::vector<std::string> names = names_of(tmpl);
    ASSERT_GT(names.size(), 1u);
    for (int i = 0; i < 150; ++i) {
      const json view = random_object(rng, names, 0);
      const std::string want = oracle(tmpl, view);
      ASSERT_EQ(ours(tmpl, view), want) << "model: " << view.dump();
    }
  }
}

class RenderRealModels : public WebServerTest {};

TEST_F(RenderRealModels, TheTestArchivesPagesRenderAsKainjowDoes) {
  auto snap = catalog_->snapshot();
  ASSERT_TRUE(snap.ok());
  std::vector<std::pair<std::string_view, Result<json>>> pages;
  pages.emplace_back(web::kHomeTemplate, web::events_view(**snap, 1, 24));
  pages.emplace_back(web::kEventTemplate, web::event_view(**snap, archive_.event_id));
  web::GridPage one;
  one.page_size = 1;
  one.page = 2;
  one.sort = web::GridSort::kName;
  pages.emplace_back(web::kEventTemplate, web::event_view(**snap, archive_.event_id, one));
  for (const Digest* d : {&archive_.p1, &archive_.p2, &archive_.p3})
    pages.emplace_back(web::kPhotoTemplate, web::photo_view(**snap, d->hex()));
  pages.emplace_back(web::kDupsTemplate, web::dups_view(**snap, 1, 30));
  pages.emplace_back(web::kSearchTemplate, web::search_request_view(**snap, std::string("caption"), "", "", 50));
  pages.emplace_back(web::kSearchTemplate, web::search_request_view(**snap, std::nullopt, "", "", 50));
  for (auto& [tmpl, view] : pages) {
    ASSERT_TRUE(view.ok()) << view.status().to_string();
    const std::string want = oracle(tmpl, *view);
    EXPECT_GT(want.size(), 200u);
    EXPECT_EQ(ours(tmpl, *view), want);
  }
}

TEST(MustacheTest, EscapesTheFiveCharactersAndNothingElse) {
  std::string out;
  web::html_escape_to("<a href=\"x\" title='y'>Tôi & bạn</a>", &out);
  EXPECT_EQ(out, "&lt;a href=&quot;x&quot; title=&apos;y&apos;&gt;Tôi &amp; bạn&lt;/a&gt;");
  out.clear();
  web::html_escape_to("", &out);
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace kho::webtest
