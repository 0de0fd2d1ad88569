// A small reader for the XMP properties kho uses. Exiv2 0.27 parses every XMP property through the
// Adobe toolkit and expat: 0.3–4 ms per JPEG, most of kho's metadata time, and unsafe on two threads
// at once (see metadata_exiv2.cc). Kho needs about fifteen properties, in the three shapes XMP
// writes them (attribute, element text, rdf:Bag/Seq/Alt of rdf:li), so it reads those itself.
#include <algorithm>
#include <cstring>

#include "jpeg_segments.h"
#include "metadata_internal.h"

namespace kho::ingest::detail {
namespace {

constexpr std::pair<std::string_view, std::string_view> kNamespaces[] = {
    {"http://purl.org/dc/elements/1.1/", "dc"},
    {"http://ns.adobe.com/photoshop/1.0/", "photoshop"},
    {"http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "iptcExt"},
    {"http://ns.adobe.com/tiff/1.0/", "tiff"},
    {"http://ns.adobe.com/exif/1.0/", "exif"},
    {"http://ns.adobe.com/exif/1.0/aux/", "aux"},
    {"http://cipa.jp/exif/1.0/", "exifEX"},
};
constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

std::string_view known_prefix(std::string_view uri) {
  for (const auto& [u, p] : kNamespaces) {
    if (u == uri) return p;
  }
  return {};
}

// XML character and entity references in text and attribute values.
std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    auto semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    std::uint32_t cp = 0;
    if (ent == "lt") cp = '<';
    else if (ent == "gt") cp = '>';
    else if (ent == "amp") cp = '&';
    else if (ent == "quot") cp = '"';
    else if (ent == "apos") cp = '\'';
    else if (ent.size() > 1 && ent[0] == '#') {
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string digits(ent.substr(hex ? 2 : 1));
      cp = static_cast<std::uint32_t>(std::strtoul(digits.c_str(), nullptr, hex ? 16 : 10));
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
      out += s[i];
      continue;
    }
    // UTF-8 encode.
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    i = semi;
  }
  return out;
}

struct Attr {
  std::string_view name, value;  // value still escaped
};

class XmpReader {
 public:
  XmpReader(std::string_view xml, XmpProps* out) : s_(xml), out_(out) {}

  // False at the first malformed construct, or at the first bound a hostile packet crosses (fault() says which).
  bool run() {
    while (i_ < s_.size()) {
      auto lt = s_.find('<', i_);
      if (lt == std::string_view::npos) break;
      text(s_.substr(i_, lt - i_));
      i_ = lt;
      if (starts("<?")) {
        if (!skip_past("?>")) return false;
      } else if (starts("<!--")) {
        if (!skip_past("-->")) return false;
      } else if (starts("<![CDATA[")) {
        auto end = s_.find("]]>", i_);
        if (end == std::string_view::npos) return false;
        raw_text(s_.substr(i_ + 9, end - i_ - 9));
        i_ = end + 3;
      } else if (starts("<!")) {
        if (!skip_past(">")) return false;
      } else if (starts("</")) {
        if (!skip_past(">")) return false;
        if (!close()) return false;
      } else if (!open()) {
        return false;
      }
    }
    return true;
  }

  // Empty, or the bound that refused the packet.
  std::string_view fault() const { return fault_; }

 private:
  static constexpr std::size_t kMaxDepth = 64, kMaxAttributes = 1024, kMaxNamespaces = 256;
  enum class Role { kOther, kDescription, kProperty, kArray, kItem };
  struct Frame {
    Role role = Role::kOther;
    std::size_t ns_mark = 0;
    std::string key;   // kProperty: "Xmp.dc.description"
    std::string lang;  // kProperty / kItem: xml:lang
    std::string text;
    bool has_children = false;
    std::vector<std::pair<std::string, std::string>> items;  // kProperty
  };

  bool starts(std::string_view p) const { return s_.compare(i_, p.size(), p) == 0; }
  bool skip_past(std::string_view end) {
    auto at = s_.find(end, i_);
    if (at == std::string_view::npos) return false;
    i_ = at + end.size();
    return true;
  }

  std::string_view uri_of(std::string_view prefix) const {
    for (auto it = ns_.rbegin(); it != ns_.rend(); ++it) {
      if (it->first == prefix) return it->second;
    }
    return {};
  }

  bool inside_property() const {
    return std::any_of(stack_.begin(), stack_.end(), [](const Frame& f) { return f.role == Role::kProperty; });
  }

  void store(const std::string& key, std::vector<std::pair<std::string, std::string>> items) {
    out_->values.try_emplace(key, std::move(items));  // the first value of a property wins
  }

  bool open() {
    std::size_t at = i_ + 1;
    std::size_t name_end = s_.find_first_of(" \t\r\n/>", at);
    if (name_end == std::string_view::npos) return false;
    std::string_view qname = s_.substr(at, name_end - at);
    std::vector<Attr> attrs;
    std::size_t p = name_end;
    bool self_closing = false;
    for (;;) {
      p = s_.find_first_not_of(" \t\r\n", p);
      if (p == std::string_view::npos) return false;
      if (s_[p] == '>') break;
      if (s_[p] == '/') {
        if (p + 1 >= s_.size() || s_[p + 1] != '>') return false;
        self_closing = true;
        ++p;
        break;
      }
      auto eq = s_.find('=', p);
      if (eq == std::string_view::npos) return false;
      std::string_view name = s_.substr(p, eq - p);
      while (!name.empty() && std::string_view(" \t\n\r").find(name.back()) != std::string_view::npos) {
        name.remove_suffix(1);
      }
      auto q = s_.find_first_of("\"'", eq);
      if (q == std::string_view::npos) return false;
      auto qend = s_.find(s_[q], q + 1);
      if (qend == std::string_view::npos) return false;
      attrs.push_back({name, s_.substr(q + 1, qend - q - 1)});
      if (attrs.size() > kMaxAttributes) return refuse("an element has more than 1024 attributes");
      p = qend + 1;
    }
    i_ = p + 1;

    Frame f;
    f.ns_mark = ns_.size();
    for (const auto& a : attrs) {
      if (a.name == "xmlns") ns_.emplace_back("", a.value);
      else if (a.name.substr(0, 6) == "xmlns:") ns_.emplace_back(a.name.substr(6), a.value);
      else if (a.name == "xml:lang") f.lang = unescape(a.value);
    }
    auto colon = qname.find(':');
    std::string_view prefix = colon == std::string_view::npos ? std::string_view{} : qname.substr(0, colon);
    std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
    std::string_view uri = uri_of(prefix);
    Frame* parent = stack_.empty() ? nullptr : &stack_.back();
    if (parent) parent->has_children = true;

    if (uri == kRdf && local == "Description" && !inside_property()) {
      f.role = Role::kDescription;
      // Properties written as attributes of rdf:Description.
      for (const auto& a : attrs) {
        auto c = a.name.find(':');
        if (c == std::string_view::npos) continue;
        std::string_view ns_prefix = known_prefix(uri_of(a.name.substr(0, c)));
        if (ns_prefix.empty()) continue;
        std::string key = "Xmp." + std::string(ns_prefix) + "." + std::string(a.name.substr(c + 1));
        store(key, {{"", unescape(a.value)}});
      }
    } else if (parent && parent->role == Role::kDescription) {
      std::string_view ns_prefix = known_prefix(uri);
      if (!ns_prefix.empty()) {
        f.role = Role::kProperty;
        f.key = "Xmp." + std::string(ns_prefix) + "." + std::string(local);
      }
    } else if (parent && parent->role == Role::kProperty && uri == kRdf &&
               (local == "Bag" || local == "Seq" || local == "Alt")) {
      f.role = Role::kArray;
    } else if (parent && parent->role == Role::kArray && uri == kRdf && local == "li") {
      f.role = Role::kItem;
    }
    // Bounds against hostile packets: the look-ups above walk the stack and the namespace list.
    if (stack_.size() >= kMaxDepth) return refuse("elements nest more than 64 deep");
    if (ns_.size() > kMaxNamespaces) return refuse("more than 256 namespaces are declared at once");
    stack_.push_back(std::move(f));
    if (self_closing) return close();
    return true;
  }

  bool refuse(std::string_view why) {
    fault_ = why;
    return false;
  }

  bool close() {
    if (stack_.empty()) return false;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    ns_.resize(f.ns_mark);
    Frame* parent = stack_.empty() ? nullptr : &stack_.back();
    if (f.role == Role::kItem && parent && parent->role == Role::kArray && stack_.size() >= 2) {
      Frame& property = stack_[stack_.size() - 2];
      if (property.role == Role::kProperty && !f.has_children) property.items.emplace_back(f.lang, unescape(f.text));
    } else if (f.role == Role::kProperty) {
      if (!f.items.empty()) {
        store(f.key, std::move(f.items));
      } else if (!f.has_children) {
        store(f.key, {{f.lang, unescape(f.text)}});
      }
    }
    return true;
  }

  void text(std::string_view t) {
    if (stack_.empty() || t.empty()) return;
    Frame& f = stack_.back();
    if (f.role == Role::kProperty || f.role == Role::kItem) f.text.append(t);
  }
  // CDATA is already literal: escape '&' so that the unescape() at the end restores it.
  void raw_text(std::string_view t) {
    std::string escaped;
    for (char c : t) {
      if (c == '&') escaped += "&amp;";
      else escaped += c;
    }
    text(escaped);
  }

  std::string_view s_;
  std::size_t i_ = 0;
  XmpProps* out_;
  std::vector<Frame> stack_;
  std::vector<std::pair<std::string_view, std::string_view>> ns_;
  std::string_view fault_;
};

}  // namespace

bool parse_xmp_packet(std::string_view packet, XmpProps* out, std::vector<std::string>* warnings) {
  std::string converted;
  // UTF-16 packets (allowed by the XMP spec, rare): '<' next to a NUL in the first two bytes, or a BOM.
  if (packet.size() >= 2) {
    auto b0 = static_cast<unsigned char>(packet[0]), b1 = static_cast<unsigned char>(packet[1]);
    bool le = (b0 == 0xFF && b1 == 0xFE) || (b0 == '<' && b1 == 0);
    bool be = (b0 == 0xFE && b1 == 0xFF) || (b0 == 0 && b1 == '<');
    if (le || be) {
      converted = decode_utf16({reinterpret_cast<const std::uint8_t*>(packet.data()), packet.size()}, le);
      packet = converted;
    }
  }
  // Skip a UTF-8 BOM; the packet wrapper and anything before the first '<' is not XML content.
  if (packet.substr(0, 3) == "\xEF\xBB\xBF") packet.remove_prefix(3);
  XmpReader reader(packet, out);
  if (!reader.run()) {
    if (reader.fault().empty()) warnings->emplace_back("XMP packet is not well-formed XML; read up to the fault");
    else warnings->emplace_back("XMP packet refused: " + std::string(reader.fault()) + "; read up to there");
    return false;
  }
  return true;
}

bool split_jpeg_xmp(std::span<const std::uint8_t> b, JpegWithoutXmp* out) {
  static constexpr std::string_view kXmpId("http://ns.adobe.com/xap/1.0/\0", 29);
  static constexpr std::string_view kXmpExtId("http://ns.adobe.com/xmp/extension/\0", 35);
  out->head.assign(b.begin(), b.begin() + std::min<std::size_t>(2, b.size()));
  bool truncated = false;
  JpegWalkEnd end = walk_jpeg_segments(b, [&](const JpegSegment& s) {
    if (s.marker == 0xD9) return false;
    if (s.truncated) {  // its bytes are not all there: nothing to split safely
      truncated = true;
      return false;
    }
    std::string_view payload(reinterpret_cast<const char*>(s.payload.data()), s.payload.size());
    bool xmp = s.marker == 0xE1 && payload.substr(0, kXmpId.size()) == kXmpId;
    bool xmp_ext = s.marker == 0xE1 && payload.substr(0, kXmpExtId.size()) == kXmpExtId;
    if (xmp) out->xmp_packets.push_back(payload.substr(kXmpId.size()));
    if (!xmp && !xmp_ext) {  // keep everything else, so Exiv2 still sees EXIF, IPTC and the scan header
      auto from = b.begin() + static_cast<std::ptrdiff_t>(s.offset);
      out->head.insert(out->head.end(), from, from + static_cast<std::ptrdiff_t>(s.size));
    }
    return true;  // Exiv2 stops at the first scan; the image data is not needed
  });
  if (truncated || end == JpegWalkEnd::kMalformed) return false;
  out->head.push_back(0xFF);
  out->head.push_back(0xD9);
  return true;
}

}  // namespace kho::ingest::detail
