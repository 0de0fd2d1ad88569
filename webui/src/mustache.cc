// mustache over nlohmann::json (mustache.h): a parse into a tree of nodes, then one walk per rendering that
// appends to the caller's string. The whitespace rule and the name lookup follow kainjow's mustache, the
// engine it replaced, so that every page renders to the same bytes.
#include "mustache.h"

#include <cstdint>
#include <vector>

namespace kho::web {

struct Template::Node {
  enum class Kind : std::uint8_t { kRoot, kText, kNewline, kVariable, kRaw, kSection, kInverted };
  Kind kind = Kind::kRoot;
  std::string text;               // kText, kNewline: the bytes; tags: the name
  std::vector<std::string> path;  // the name split on '.' (one element for a plain name)
  bool dot = false;               // {{.}}
  std::vector<Node> children;     // sections
};

namespace {

using Json = nlohmann::json;
using Node = Template::Node;
using Kind = Node::Kind;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// kainjow's split on '.': empty pieces are kept, a trailing '.' adds none.
std::vector<std::string> split_name(std::string_view name) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  while (from < name.size()) {
    std::size_t dot = name.find('.', from);
    if (dot == std::string_view::npos) dot = name.size();
    parts.emplace_back(name.substr(from, dot - from));
    from = dot + 1;
  }
  if (parts.empty()) parts.emplace_back();
  return parts;
}

bool falsy(const Json& j) {
  switch (j.type()) {
    case Json::value_t::boolean: return !j.get<bool>();
    case Json::value_t::string: return j.get_ref<const std::string&>().empty();
    case Json::value_t::array: return j.empty();
    case Json::value_t::object:
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return false;
    default: return true;  // null, binary, discarded
  }
}

class Renderer {
 public:
  Renderer(const Json& view, std::string* out) : out_(out), line_start_(out->size()) { stack_.push_back(&view); }

  void walk(const std::vector<Node>& nodes) {
    for (const Node& n : nodes) {
      switch (n.kind) {
        case Kind::kText: out_->append(n.text); break;
        case Kind::kNewline: end_line(n.text); break;
        case Kind::kVariable:
        case Kind::kRaw:
          if (const Json* v = lookup(n)) write(*v, n.kind == Kind::kVariable);
          break;
        case Kind::kSection: {
          const Json* v = lookup(n);
          if (!v || falsy(*v)) break;
          if (v->is_array()) {
            for (const Json& item : *v) section(n, &item);
          } else {
            section(n, v);
          }
          break;
        }
        case Kind::kInverted: {
          const Json* v = lookup(n);
          if (!v || falsy(*v)) section(n, v);
          break;
        }
        case Kind::kRoot: break;
      }
    }
  }

  // The last line, which has no newline.
  void finish() {
    if (section_tag_ && blank_line()) out_->resize(line_start_);
  }

 private:
  void section(const Node& n, const Json* top) {
    section_tag_ = true;  // the section's opening tag is on the current line
    if (top) stack_.push_back(top);
    walk(n.children);
    if (top) stack_.pop_back();
    section_tag_ = true;  // and its closing tag
  }

  // A line that held a rendered section tag and otherwise only spaces and tabs goes, with its newline.
  void end_line(const std::string& newline) {
    if (section_tag_ && blank_line()) {
      out_->resize(line_start_);
    } else {
      out_->append(newline);
    }
    line_start_ = out_->size();
    section_tag_ = false;
  }

  bool blank_line() const {
    for (std::size_t i = line_start_; i < out_->size(); ++i)
      if ((*out_)[i] != ' ' && (*out_)[i] != '\t') return false;
    return true;
  }

  const Json* lookup(const Node& n) const {
    if (n.dot) return stack_.back();
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      const Json* v = *it;
      for (const std::string& key : n.path) {
        if (!v->is_object()) {
          v = nullptr;
          break;
        }
        auto f = v->find(key);
        v = f == v->end() ? nullptr : &*f;
        if (!v) break;
      }
      if (v) return v;
    }
    return nullptr;
  }

  void write(const Json& v, bool escape) {
    switch (v.type()) {
      case Json::value_t::string: {
        const std::string& s = v.get_ref<const std::string&>();
        if (escape) {
          html_escape_to(s, out_);
        } else {
          out_->append(s);
        }
        break;
      }
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float: out_->append(v.dump()); break;
      default: break;  // true, objects and lists write nothing
    }
  }

  std::string* out_;
  std::size_t line_start_;
  bool section_tag_ = false;
  std::vector<const Json*> stack_;
};

}  // namespace

void html_escape_to(std::string_view text, std::string* out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* rep = nullptr;
    switch (text[i]) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&apos;"; break;
      default: continue;
    }
    out->append(text.data() + run, i - run);
    out->append(rep);
    run = i + 1;
  }
  out->append(text.data() + run, text.size() - run);
}

Template::~Template() = default;

Template::Template(std::string_view input) : root_(std::make_unique<Node>()) {
  std::vector<Node*> open{root_.get()};
  std::string text;
  auto add = [&](Node n) { open.back()->children.push_back(std::move(n)); };
  auto flush_text = [&] {
    if (text.empty()) return;
    Node n;
    n.kind = Kind::kText;
    n.text = std::move(text);
    text.clear();
    add(std::move(n));
  };
  const std::size_t size = input.size();
  std::size_t pos = 0;
  while (pos < size) {
    if (input.substr(pos, 2) != "{{") {
      const char c = input[pos];
      if (c != '\n' && c != '\r') {
        text += c;
        ++pos;
        continue;
      }
      flush_text();
      Node nl;
      nl.kind = Kind::kNewline;
      nl.text = c == '\r' && pos + 1 < size && input[pos + 1] == '\n' ? "\r\n" : std::string(1, c);
      pos += nl.text.size();
      add(std::move(nl));
      continue;
    }
    flush_text();
    const std::size_t start = pos;
    std::size_t from = pos + 2;
    const bool triple = start != size - 2 && input[from] == '{';
    if (triple) ++from;
    const std::string_view close = triple ? "}}}" : "}}";
    const std::size_t end = input.find(close, from);
    if (end == std::string_view::npos) {
      error_ = "Unclosed tag at " + std::to_string(start);
      return;
    }
    pos = end + close.size();
    const std::string_view contents = trim(input.substr(from, end - from));
    Node n;
    std::string_view name = contents;
    if (triple) {
      n.kind = Kind::kRaw;
    } else if (contents.empty()) {
      n.kind = Kind::kVariable;
    } else {
      switch (contents[0]) {
        case '!': continue;  // a comment
        case '#': n.kind = Kind::kSection; break;
        case '^': n.kind = Kind::kInverted; break;
        case '&': n.kind = Kind::kRaw; break;
        case '/': n.kind = Kind::kRoot; break;  // a section's end, handled below
        case '>':
        case '=': error_ = "Partials and delimiter changes are not supported, at " + std::to_string(start); return;
        default: n.kind = Kind::kVariable; break;
      }
      if (n.kind != Kind::kVariable) name = trim(contents.substr(1));
    }
    n.text = std::string(name);
    if (n.kind == Kind::kRoot) {  // {{/name}}
      if (open.size() == 1) {
        error_ = "Unopened section \"" + n.text + "\" at " + std::to_string(start);
        return;
      }
      if (open.back()->text != n.text) {
        error_ = "Unclosed section \"" + open.back()->text + "\"";
        return;
      }
      open.pop_back();
      continue;
    }
    n.dot = name == ".";
    if (!n.dot) n.path = split_name(name);
    const bool opens = n.kind == Kind::kSection || n.kind == Kind::kInverted;
    add(std::move(n));
    // Only the innermost section grows while it is open, so this pointer stays valid until it closes.
    if (opens) open.push_back(&open.back()->children.back());
  }
  flush_text();
  if (open.size() > 1) error_ = "Unclosed section \"" + open.back()->text + "\"";
}

void Template::render(const Json& view, std::string* out) const {
  if (!valid()) return;
  Renderer r(view, out);
  r.walk(root_->children);
  r.finish();
}

}  // namespace kho::web
