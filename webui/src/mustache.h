// Private to webui: mustache templates rendered straight from a JSON view model.
//
// The pages used kainjow's mustache, which needs its own data tree: every view model was copied into it (a
// hash map per object, a string per value) and rendered through a string stream, 11 ms of the 17 ms a
// 5,000-photo event's page cost. This engine reads the nlohmann::json view model in place and writes into one
// string; its output is kainjow's, byte for byte (tests/webui/test_webui_render.cc compares the two on every
// template), for the subset the templates use:
//   {{name}} (HTML-escaped: & < > " '), {{{name}}} and {{&name}} (raw), {{#name}}…{{/name}} (a list repeats
//   it per item, any other true value renders it once with the value on top of the context), {{^name}}…{{/name}}
//   (inverted), {{! comments}}, dotted names ("photo.url": the first context level from the top that holds
//   the whole path) and {{.}} (the top of the context).
//   False values are null, false, "" and the empty list; a number is written as JSON writes it; true, objects
//   and lists write nothing.
//   Whitespace as kainjow: a line that held a section tag that was rendered, and holds nothing else but spaces
//   and tabs, is dropped with its newline.
// Partials and delimiter changes are not supported: such a template is invalid (error()).
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace kho::web {

class Template {
 public:
  // Parses once; a template is immutable afterwards, so threads may share it.
  explicit Template(std::string_view text);
  ~Template();
  Template(const Template&) = delete;
  Template& operator=(const Template&) = delete;

  bool valid() const { return error_.empty(); }
  const std::string& error() const { return error_; }  // "Unclosed section \"x\" at 12", …

  // Appends the rendering of `view` to *out (nothing when invalid).
  void render(const nlohmann::json& view, std::string* out) const;

  struct Node;

 private:
  std::unique_ptr<Node> root_;
  std::string error_;
};

// The HTML escaping of {{name}}: & < > " ' (as &amp; &lt; &gt; &quot; &apos;), appended to *out.
void html_escape_to(std::string_view text, std::string* out);

}  // namespace kho::web
