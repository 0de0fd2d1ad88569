// parse_docx_article and read_docx_part (kho/ingest/article_parser.h): a Word file → one kho::Article.
//
// A .docx is a zip (libzip, read from memory) of XML parts (pugixml). word/document.xml holds the
// paragraphs in order; an image is a w:drawing whose a:blip r:embed names a relationship in
// word/_rels/document.xml.rels, whose Target is the media part ("media/image1.jpeg" → word/media/…).
// Every part is read with a bound on its expanded size, checked while reading (a zip's declared size can
// lie), so a zip bomb costs at most the bound.
#include <zip.h>

#include <algorithm>
#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "article_html_internal.h"
#include "article_parser_internal.h"
#include "kho/ingest/article_parser.h"
#include "kho/text.h"

namespace kho::ingest {
namespace {

constexpr std::uint64_t kMaxXmlPartBytes = 64ull << 20;     // document.xml of a long article is < 5 MB
constexpr std::uint64_t kMaxMediaPartBytes = 256ull << 20;  // one embedded photo

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

kho::Result<ZipPtr> open_zip(std::string_view bytes, const std::string& source) {
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
    return Status::InvalidArgument(source + ": unsupported: a Word 97-2003 .doc (binary format) named .docx");
  }
  if (bytes.size() < 4 || bytes.substr(0, 2) != "PK") {
    return Status::InvalidArgument(source + ": not a .docx: not a zip archive" +
                                   (bytes.substr(0, 3) == "\xFF\xD8\xFF" ? std::string(" (it is a JPEG image)") : ""));
  }
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (!src) {
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    return Status::InvalidArgument(source + ": cannot read the zip: " + msg);
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (!z) {
    zip_source_free(src);
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    return Status::InvalidArgument(source + ": not a readable .docx (damaged or truncated zip: " + msg + ")");
  }
  zip_error_fini(&err);
  return ZipPtr(z);
}

kho::Result<std::string> read_part(zip_t* z, std::string_view part, std::uint64_t limit, const std::string& source) {
  const std::string name(part);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name.c_str(), 0, &st) != 0) return Status::NotFound(source + ": no part " + name + " in the .docx");
  if ((st.valid & ZIP_STAT_SIZE) && st.size > limit) {
    return Status::InvalidArgument(source + ": part " + name + " expands to " + std::to_string(st.size >> 20) +
                                   " MB, over the " + std::to_string(limit >> 20) + " MB limit (a zip bomb?)");
  }
  zip_file_t* f = zip_fopen(z, name.c_str(), 0);
  if (!f) return Status::InvalidArgument(source + ": cannot open part " + name + ": " + zip_strerror(z));
  std::string out;
  out.reserve(std::min<std::uint64_t>((st.valid & ZIP_STAT_SIZE) ? st.size : 0, limit));
  char buf[64 * 1024];
  while (true) {
    const zip_int64_t n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      std::string msg = zip_file_strerror(f);
      zip_fclose(f);
      return Status::InvalidArgument(source + ": part " + name + " is damaged: " + msg);
    }
    if (n == 0) break;
    if (out.size() + static_cast<std::uint64_t>(n) > limit) {
      zip_fclose(f);
      return Status::InvalidArgument(source + ": part " + name + " expands beyond the " + std::to_string(limit >> 20) +
                                     " MB limit (a zip bomb?)");
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  zip_fclose(f);
  return out;
}

bool on(const pugi::xml_node& flag) {
  if (!flag) return false;
  const std::string_view v = flag.attribute("w:val").value();
  return v.empty() || (v != "0" && v != "false" && v != "none");
}

struct Para {
  std::string text;
  std::string style;  // w:pStyle, e.g. "Title", "Heading1"
  bool centred = false;
  bool all_bold = false;
  bool all_italic = false;
  std::vector<std::string> images;  // relationship ids, in order
};

void read_run(const pugi::xml_node& r, Para& p, std::size_t& text_runs, std::size_t& bold, std::size_t& italic) {
  std::string text;
  for (pugi::xml_node c : r.children()) {
    const std::string_view n = c.name();
    if (n == "w:t") text += c.text().get();
    else if (n == "w:tab" || n == "w:br" || n == "w:cr") text += ' ';
  }
  for (pugi::xpath_node blip : r.select_nodes(".//a:blip")) {
    const char* id = blip.node().attribute("r:embed").value();
    if (*id) p.images.emplace_back(id);
  }
  for (pugi::xpath_node im : r.select_nodes(".//v:imagedata")) {
    const char* id = im.node().attribute("r:id").value();
    if (*id) p.images.emplace_back(id);
  }
  if (detail::trim(text).empty()) {
    p.text += text;
    return;
  }
  ++text_runs;
  const pugi::xml_node rpr = r.child("w:rPr");
  if (on(rpr.child("w:b"))) ++bold;
  if (on(rpr.child("w:i"))) ++italic;
  p.text += text;
}

// Paragraphs in document order; tables are read cell by cell.
void collect(const pugi::xml_node& parent, std::vector<Para>& out, int depth = 0) {
  if (depth > 32) return;
  for (pugi::xml_node n : parent.children()) {
    const std::string_view name = n.name();
    if (name == "w:tbl" || name == "w:tr" || name == "w:tc" || name == "w:sdt" || name == "w:sdtContent") {
      collect(n, out, depth + 1);
      continue;
    }
    if (name != "w:p") continue;
    Para p;
    const pugi::xml_node ppr = n.child("w:pPr");
    p.style = ppr.child("w:pStyle").attribute("w:val").value();
    p.centred = std::string_view(ppr.child("w:jc").attribute("w:val").value()) == "center";
    std::size_t text_runs = 0, bold = 0, italic = 0;
    for (pugi::xml_node c : n.children()) {
      const std::string_view cn = c.name();
      if (cn == "w:r") {
        read_run(c, p, text_runs, bold, italic);
      } else if (cn == "w:hyperlink" || cn == "w:ins" || cn == "w:smartTag" || cn == "w:fldSimple") {
        for (pugi::xml_node r : c.children("w:r")) read_run(r, p, text_runs, bold, italic);
      }
    }
    // Paragraph-level run properties make the whole paragraph bold/italic too.
    const pugi::xml_node prpr = ppr.child("w:rPr");
    p.all_bold = text_runs > 0 && (bold == text_runs || on(prpr.child("w:b")));
    p.all_italic = text_runs > 0 && (italic == text_runs || on(prpr.child("w:i")));
    p.text = detail::clean_text(p.text);
    out.push_back(std::move(p));
  }
}

bool is_heading_style(std::string_view s) {
  std::string l(s);
  for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == "title" || l.rfind("heading", 0) == 0 || l.rfind("tieude", 0) == 0;
}

}  // namespace

kho::Result<std::string> read_docx_part(std::string_view docx_bytes, std::string_view part,
                                        std::string_view source_name) {
  const std::string source(source_name);
  auto z = open_zip(docx_bytes, source);
  if (!z.ok()) return z.status();
  const bool xml = part.size() > 4 &&
                   (part.substr(part.size() - 4) == ".xml" || part.substr(part.size() - 5) == ".rels");
  return read_part(z->get(), part, xml ? kMaxXmlPartBytes : kMaxMediaPartBytes, source);
}

kho::Result<ParseResult> parse_docx_article(std::string_view bytes, std::string_view source_name) {
  const std::string source(source_name);
  ParseResult result;
  auto z = open_zip(bytes, source);
  if (!z.ok()) return z.status();
  auto doc_xml = read_part(z->get(), "word/document.xml", kMaxXmlPartBytes, source);
  if (!doc_xml.ok()) {
    if (doc_xml.status().is_not_found()) {
      return Status::InvalidArgument(source + ": not a Word document (a zip without word/document.xml)");
    }
    return doc_xml.status();
  }
  // Relationship ids → part names.
  std::unordered_map<std::string, std::string> targets;
  auto rels = read_part(z->get(), "word/_rels/document.xml.rels", kMaxXmlPartBytes, source);
  if (rels.ok()) {
    pugi::xml_document rd;
    if (rd.load_buffer(rels->data(), rels->size())) {
      for (pugi::xml_node r : rd.child("Relationships").children("Relationship")) {
        if (std::string_view(r.attribute("TargetMode").value()) == "External") continue;
        std::string target = r.attribute("Target").value();
        if (target.rfind("/", 0) == 0) target.erase(0, 1);
        else target = "word/" + target;
        targets.emplace(r.attribute("Id").value(), std::move(target));
      }
    }
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(doc_xml->data(), doc_xml->size());
  if (!parsed) {
    return Status::InvalidArgument(source + ": word/document.xml is not well-formed XML: " + parsed.description());
  }
  std::vector<Para> paras;
  collect(doc.child("w:document").child("w:body"), paras);
  paras.erase(
      std::remove_if(paras.begin(), paras.end(), [](const Para& p) { return p.text.empty() && p.images.empty(); }),
      paras.end());

  kho::Article a;
  // Title: the first heading, else the first bold line, else the first line with text.
  std::size_t title_at = paras.size();
  for (std::size_t i = 0; i < paras.size() && title_at == paras.size(); ++i) {
    if (!paras[i].text.empty() && is_heading_style(paras[i].style)) title_at = i;
  }
  for (std::size_t i = 0; i < paras.size() && title_at == paras.size(); ++i) {
    if (!paras[i].text.empty() && paras[i].all_bold && paras[i].text.size() <= detail::kMaxTitleBytes) title_at = i;
  }
  for (std::size_t i = 0; i < paras.size() && title_at == paras.size(); ++i) {
    if (!paras[i].text.empty() && paras[i].text.size() <= detail::kMaxTitleBytes) title_at = i;
  }
  if (title_at == paras.size()) {
    result.warnings.push_back(source + ": no text that can be a title, no article found");
    return result;
  }
  a.title = paras[title_at].text;
  // Date: a date line among the two paragraphs after the title (or right before it).
  std::vector<bool> used(paras.size(), false);
  used[title_at] = true;
  for (std::size_t i : {title_at + 1, title_at + 2, title_at - 1}) {
    if (i >= paras.size() || !paras[i].images.empty()) continue;
    if (auto d = parse_date_line(paras[i].text)) {
      a.date = d;
      used[i] = true;
      break;
    }
  }
  // Author: the last paragraph with text, when it reads as a byline; or a byline right under the title.
  for (std::size_t i = paras.size(); i-- > title_at + 1;) {
    if (paras[i].text.empty()) continue;
    if (paras[i].images.empty() && detail::looks_like_author(paras[i].text)) {
      a.author = paras[i].text;  // the whole line, as in text exports: "Name (Organisation)"
      used[i] = true;
    }
    break;
  }

  std::string group;  // a group lead before a run of images
  for (std::size_t i = 0; i < paras.size(); ++i) {
    if (used[i] || i < title_at) continue;
    const Para& p = paras[i];
    if (p.images.empty()) {
      const bool lead = i + 2 < paras.size() && !paras[i + 1].images.empty() && detail::looks_like_group_lead(p.text);
      if (lead) {
        group = p.text;
        a.blocks.push_back({ArticleBlock::Kind::kGroupCaption, p.text, 0});
      } else {
        a.blocks.push_back({ArticleBlock::Kind::kParagraph, p.text, 0});
        group.clear();
      }
      continue;
    }
    // A paragraph with images: the paragraph right after the run is the caption, when it is short.
    std::size_t end = i;
    while (end + 1 < paras.size() && !paras[end + 1].images.empty() && paras[end + 1].text.empty()) ++end;
    std::optional<std::string> caption;
    std::optional<std::string> credit;
    std::size_t next = end + 1;
    if (!p.text.empty() && detail::caption_sized(p.text) && end == i) {
      caption = p.text;  // text beside the image in its own paragraph
    } else if (next < paras.size() && !used[next] && paras[next].images.empty() &&
               detail::caption_sized(paras[next].text)) {
      if (auto c = detail::credit_line(paras[next].text)) {
        credit = c;  // only a credit line under the photo
      } else {
        caption = paras[next].text;
      }
      used[next] = true;
      // A credit line on its own under the caption.
      if (caption && next + 1 < paras.size() && !used[next + 1] && paras[next + 1].images.empty()) {
        if (auto c = detail::credit_line(paras[next + 1].text)) {
          credit = c;
          used[next + 1] = true;
        }
      }
    }
    if (!credit && caption) credit = detail::caption_credit(*caption);
    const bool in_group = !group.empty() && (end > i || !caption);
    for (std::size_t k = i; k <= end; ++k) {
      for (const std::string& id : paras[k].images) {
        auto t = targets.find(id);
        if (t == targets.end()) {
          result.warnings.push_back(source + ": image relationship " + id + " names no part; skipped");
          continue;
        }
        PhotoRef r;
        r.ref = t->second;
        r.caption = caption;
        r.credit = credit;
        if (in_group) r.group_caption = group;
        a.blocks.push_back({ArticleBlock::Kind::kPhoto, {}, static_cast<std::uint32_t>(a.refs.size())});
        a.refs.push_back(std::move(r));
      }
    }
    if (caption) group.clear();
    i = end;
  }
  if (a.refs.empty()) result.warnings.push_back(source + ": no embedded photos");
  a.id = article_id(a.title, a.date);
  a.sources = {source};
  result.articles.push_back(std::move(a));
  return result;
}

}  // namespace kho::ingest
