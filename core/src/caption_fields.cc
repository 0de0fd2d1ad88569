// caption_fields(): what an exported copy carries, worked out from the catalog (kho/photo_exporter.h).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "kho/photo_exporter.h"
#include "kho/text.h"

namespace kho {
namespace {

std::string_view trim_view(std::string_view s) {
  const char* blanks = " \t\r\n";
  std::size_t b = s.find_first_not_of(blanks);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(blanks);
  return s.substr(b, e - b + 1);
}

std::optional<std::string> nonempty(std::string_view s) {
  s = trim_view(s);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

}  // namespace

AuthorParts split_author_line(std::string_view author) {
  AuthorParts out;
  std::string_view line = trim_view(author);
  if (line.empty()) return out;
  // "Label: rest" where the label is a by-line or source word ("Tin, ảnh", "Bài và ảnh", "Nguồn").
  if (std::size_t colon = line.find(':'); colon != std::string_view::npos && colon <= 24) {
    const std::string label = search_key(line.substr(0, colon));
    std::string_view rest = trim_view(line.substr(colon + 1));
    if (label == "nguon" || label == "theo") {
      out.organisation = nonempty(rest);
      return out;
    }
    for (const char* l : {"tin", "bai", "anh", "tin anh", "bai anh", "tin va anh", "bai va anh", "tac gia", "pv"}) {
      if (label == l) {
        line = rest;
        break;
      }
    }
  } else if (line.size() > 5 && search_key(line.substr(0, 5)) == "theo" && line[4] == ' ') {
    out.organisation = nonempty(line.substr(5));
    return out;
  }
  // "Name (Organisation)": the person, then the organisation in the last parentheses.
  if (!line.empty() && line.back() == ')') {
    std::size_t open = line.rfind('(');
    if (open != std::string_view::npos && open > 0) {
      out.person = nonempty(line.substr(0, open));
      out.organisation = nonempty(line.substr(open + 1, line.size() - open - 2));
      if (out.person) return out;
      out.organisation.reset();
    }
  }
  out.person = nonempty(line);
  return out;
}

Result<CaptionFields> caption_fields(const Snapshot& snap, const Digest& digest) {
  Result<Photo> photo = snap.photo(digest);
  if (!photo.ok()) return photo.status();
  CaptionFields out;
  out.date_created = photo->meta.datetime_original;
  Result<std::vector<Link>> links = snap.photo_links(digest);
  if (!links.ok()) return links.status();
  const Link* chosen = nullptr;
  for (const Link& l : *links)
    if (!chosen && l.caption && !trim_view(*l.caption).empty()) chosen = &l;
  for (const Link& l : *links)
    if (!chosen && l.group_caption && !trim_view(*l.group_caption).empty()) chosen = &l;
  if (!chosen && !links->empty()) chosen = &links->front();
  if (!chosen) return out;
  if (chosen->caption && !trim_view(*chosen->caption).empty()) {
    out.caption = chosen->caption;
  } else if (chosen->group_caption && !trim_view(*chosen->group_caption).empty()) {
    out.caption = chosen->group_caption;
  }
  Result<Article> art = snap.article(chosen->article_id);
  if (art.status().is_not_found()) return out;  // a link without its article: verify reports it
  if (!art.ok()) return art.status();
  out.article_id = art->id;
  out.article_title = art->title;
  out.headline = nonempty(art->title);
  out.event = out.headline;
  AuthorParts author = art->author ? split_author_line(*art->author) : AuthorParts{};
  std::optional<std::string> photo_credit;
  if (chosen->position < art->refs.size() && art->refs[chosen->position].credit)
    photo_credit = nonempty(*art->refs[chosen->position].credit);
  out.creator = photo_credit ? photo_credit : author.person;
  out.credit = author.organisation;
  if (!art->sources.empty()) out.source = nonempty(art->sources.front());
  return out;
}

Result<std::string> read_exported(const ExportedCopy& copy) {
  std::string out = copy.head;
  if (copy.tail_size == 0) return out;
  if (!copy.source) return Status::IOError(copy.source_path + ": the original is not open");
  out.resize(copy.head.size() + copy.tail_size);
  std::uint64_t done = 0;
  while (done < copy.tail_size) {
    ssize_t n = ::pread(*copy.source, out.data() + copy.head.size() + done, copy.tail_size - done,
                        static_cast<off_t>(copy.tail_offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError(copy.source_path + ": " + std::strerror(errno));
    if (n == 0) return Status::IOError(copy.source_path + ": shorter than when it was checked");
    done += static_cast<std::uint64_t>(n);
  }
  return out;
}

}  // namespace kho
