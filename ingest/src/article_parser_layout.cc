// The layout of one article: which line is the date, the author, a caption, a group caption, a credit.
//
// Caption side. Most portals put a photo's caption on the line after it; some put it on the line before.
// Per article we count the photos that have a caption-sized text line after them, and those that have one
// before them while a clear body paragraph follows them. The caption is taken from the side with more
// photos; a tie goes to "after", the common layout. A caption-sized line is at most 300 characters with fewer
// than two sentence breaks inside: anything longer is clearly a body paragraph and is never taken as a
// caption.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <algorithm>

#include "article_parser_internal.h"
#include "kho/ingest/article_parser.h"
#include "kho/text.h"

namespace kho::ingest::detail {
namespace {

enum class Kind { kText, kPhoto, kCredit, kGroupLead };

struct BodyLine {
  std::string_view text;
  Kind kind = Kind::kText;
  bool consumed = false;  // taken as a caption or credit
  int ref = -1;           // for photos: index into Article::refs
  bool blank_before = false, blank_after = false;  // a blank line (or the text's edge) right before/after
  int pinned = -1;                                 // for photos: the body index of the caption the blank lines give it
};

// The blank-line rule: a photo line and one caption-sized text line glued together (no blank line between
// them), with a blank line before the pair and one after it, are a photo and its caption, on whichever side
// the text is. Credit lines may sit in the pair's block too. Returns the caption's index, or -1.
int pinned_caption(const std::vector<BodyLine>& body, std::size_t photo) {
  std::size_t s = photo, e = photo;
  while (s > 0 && !body[s].blank_before) --s;
  while (e + 1 < body.size() && !body[e].blank_after) ++e;
  if (!body[s].blank_before || !body[e].blank_after) return -1;  // the block runs past the article's body
  int text = -1;
  for (std::size_t k = s; k <= e; ++k) {
    if (k == photo || body[k].kind == Kind::kCredit) continue;
    if (body[k].kind != Kind::kText || text >= 0) return -1;  // another photo, a group lead, a second text
    text = static_cast<int>(k);
  }
  if (text < 0 || !caption_sized(body[static_cast<std::size_t>(text)].text)) return -1;
  return text;
}

bool free_caption(const std::vector<BodyLine>& body, std::size_t i) {
  return i < body.size() && body[i].kind == Kind::kText && !body[i].consumed && caption_sized(body[i].text);
}

std::string quote(std::string_view title) {
  std::string t(title.substr(0, 60));
  if (title.size() > 60) {
    while (!t.empty() && (static_cast<unsigned char>(t.back()) & 0xC0) == 0x80) t.pop_back();
    if (!t.empty()) t.pop_back();
    t += "…";
  }
  return "\"" + t + "\"";
}

}  // namespace

kho::Article build_article(const std::vector<std::string_view>& all_lines, std::string_view source,
                           std::vector<std::string>& warnings, std::optional<std::string> date_before,
                           const std::vector<bool>& blank_before) {
  kho::Article a;
  if (all_lines.empty()) return a;
  // Left out before anything else, their blank-line structure passed on: the title printed again within
  // the next three lines (a page that shows it as breadcrumb and heading, or twice in a row), and a
  // breadcrumb from the home page.
  std::vector<std::string_view> lines{all_lines[0]};
  std::vector<bool> blank{blank_before.empty() ? false : blank_before[0]};
  {
    const std::string title_key = search_key(all_lines[0]);
    bool pending = false;
    for (std::size_t i = 1; i < all_lines.size(); ++i) {
      const bool b = !blank_before.empty() && blank_before[i];
      const bool again = i <= 3 && all_lines[i].size() <= kMaxTitleBytes && search_key(all_lines[i]) == title_key;
      const char c0 = all_lines[i][0];
      const bool crumb = (c0 == 'T' || c0 == 't' || c0 == 'H' || c0 == 'h') &&
                         page_chrome(all_lines[i]) == Chrome::kBreadcrumb &&
                         search_key(all_lines[i]).rfind("trang chu", 0) == 0;
      if (again || crumb) {
        pending = pending || b;
        continue;
      }
      lines.push_back(all_lines[i]);
      blank.push_back(b || pending);
      pending = false;
    }
    blank.push_back(blank_before.empty() ? false : blank_before.back() || pending);
  }
  a.title = std::string(lines[0]);
  std::size_t begin = 1, end = lines.size();

  // The date is in the header: one of the two lines after the title. Later dates belong to the body.
  for (std::size_t i = 1; i < lines.size() && i <= 2; ++i) {
    if (auto d = parse_date_line(lines[i])) {
      a.date = std::move(d);
      begin = i + 1;
      break;
    }
  }
  if (!a.date) a.date = std::move(date_before);
  // Lines between the title and the date (a sapo) stay in the body.
  std::vector<std::string_view> pre;
  if (a.date && begin > 2) pre.push_back(lines[1]);

  // The last line is the author/source when it looks like one; it is never a caption. "Ảnh: …" right
  // under the last photo is that photo's credit instead.
  const bool credit_of_last_photo =
      end >= begin + 2 && credit_line(lines[end - 1]) && is_photo_line(lines[end - 2]);
  if (end > begin && looks_like_author(lines[end - 1]) && !credit_of_last_photo) {
    a.author = std::string(lines[end - 1]);
    --end;
  }
  // Else a byline directly under the date (or the title): a short name line, followed by more text.
  if (!a.author && begin + 1 < end && lines[begin].size() <= 60 && looks_like_author(lines[begin]) &&
      !is_photo_line(lines[begin + 1]) && !credit_line(lines[begin]) &&
      std::count(lines[begin].begin(), lines[begin].end(), ' ') <= 4) {
    a.author = std::string(lines[begin]);
    ++begin;
  }

  std::vector<BodyLine> body;
  for (std::string_view p : pre) body.push_back({p});
  for (std::size_t i = begin; i < end; ++i) {
    BodyLine b{lines[i]};
    b.blank_before = blank[i];
    b.blank_after = blank[i + 1];
    if (is_photo_line(b.text)) {
      b.kind = Kind::kPhoto;
    } else if (credit_line(b.text)) {
      b.kind = Kind::kCredit;
    }
    body.push_back(b);
  }
  for (std::size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i].kind == Kind::kText && body[i + 1].kind == Kind::kPhoto &&
        looks_like_group_lead(body[i].text)) {
      body[i].kind = Kind::kGroupLead;
    }
  }

  // Photos whose caption the blank lines give (pinned_caption) take it first, whatever the vote says, and
  // count for their side in it.
  int after = 0, before = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i].kind != Kind::kPhoto) continue;
    body[i].pinned = pinned_caption(body, i);
    if (body[i].pinned >= 0) {
      body[static_cast<std::size_t>(body[i].pinned)].consumed = true;
      (body[i].pinned < static_cast<int>(i) ? before : after) += 1;
    }
  }
  // Which side the captions are on (see the comment at the top). A numbered label ("Ảnh 2: …") says which
  // photo its line belongs to: it counts for the side where its number is this photo's, and never for the
  // other.
  int photo_number = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i].kind != Kind::kPhoto) continue;
    ++photo_number;
    if (body[i].pinned >= 0) continue;
    std::size_t next = i + 1;
    if (next < body.size() && body[next].kind == Kind::kCredit) ++next;
    const int after_label = free_caption(body, next) ? caption_number(body[next].text) : 0;
    const int before_label = i > 0 && free_caption(body, i - 1) ? caption_number(body[i - 1].text) : 0;
    after += free_caption(body, next) && (after_label == 0 || after_label == photo_number);
    // Evidence for "before" needs both sides: a short line before the photo and a paragraph that is
    // clearly not a caption after it. A short line before the article's last photo proves nothing.
    before += i > 0 && free_caption(body, i - 1) &&
              (before_label == photo_number || (before_label == 0 && next < body.size() &&
                                                body[next].kind == Kind::kText && !caption_sized(body[next].text)));
  }
  const bool caption_before = before > after;

  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i].kind != Kind::kPhoto) continue;
    kho::PhotoRef ref;
    ref.ref = std::string(body[i].text);
    std::size_t next = i + 1;
    if (next < body.size() && body[next].kind == Kind::kCredit) {
      ref.credit = credit_line(body[next].text);
      body[next].consumed = true;
      ++next;
    }
    if (body[i].pinned >= 0) {
      const auto cap = static_cast<std::size_t>(body[i].pinned);
      ref.caption = std::string(body[cap].text);
      if (!ref.credit) ref.credit = trailing_credit(body[cap].text);
      if (!ref.credit && cap + 1 < body.size() && body[cap + 1].kind == Kind::kCredit && !body[cap + 1].blank_before) {
        ref.credit = credit_line(body[cap + 1].text);
        body[cap + 1].consumed = true;
      }
      body[i].ref = static_cast<int>(a.refs.size());
      a.refs.push_back(std::move(ref));
      continue;
    }
    const std::size_t cap = caption_before ? i - 1 : next;
    // The last photo of a run of two or more under a group caption: the line after the run, when no photo
    // follows it, is body text (the group caption already says what the photos show).
    bool ends_group_run = false;
    if (!caption_before) {
      std::size_t k = i, photos = 0;
      while (k > 0 && (body[k].kind == Kind::kPhoto || body[k].kind == Kind::kCredit)) {
        photos += body[k].kind == Kind::kPhoto;
        --k;
      }
      // …and the line closes the run: no photo follows it, or the photo after it has a caption of its own
      // (a new captioned photo, not the run going on: "Riêng ảnh b" before a bare c.jpg is b's caption).
      const bool closes = cap + 1 >= body.size() || body[cap + 1].kind != Kind::kPhoto ||
                          (cap + 2 < body.size() && body[cap + 2].kind == Kind::kText &&
                           caption_sized(body[cap + 2].text));
      ends_group_run = body[k].kind == Kind::kGroupLead && photos >= 2 && closes;
    }
    if ((caption_before ? i > 0 : true) && !ends_group_run && free_caption(body, cap)) {
      ref.caption = std::string(body[cap].text);
      body[cap].consumed = true;
      if (!ref.credit) ref.credit = trailing_credit(body[cap].text);
      if (!caption_before && cap + 1 < body.size() && body[cap + 1].kind == Kind::kCredit && !ref.credit) {
        ref.credit = credit_line(body[cap + 1].text);
        body[cap + 1].consumed = true;
      }
    }
    body[i].ref = static_cast<int>(a.refs.size());
    a.refs.push_back(std::move(ref));
  }

  // A group caption covers the photos after it that have no caption of their own, up to the next
  // paragraph or group caption (photos with their own caption and credits do not end the run).
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i].kind != Kind::kGroupLead) continue;
    for (std::size_t j = i + 1; j < body.size(); ++j) {
      if (body[j].kind == Kind::kPhoto) {
        kho::PhotoRef& ref = a.refs[static_cast<std::size_t>(body[j].ref)];
        if (!ref.caption) ref.group_caption = std::string(body[i].text);
      } else if (!body[j].consumed) {
        break;
      }
    }
  }

  for (const BodyLine& b : body) {
    if (b.consumed) continue;
    kho::ArticleBlock block;
    if (b.kind == Kind::kPhoto) {
      block.kind = kho::ArticleBlock::Kind::kPhoto;
      block.ref_index = static_cast<std::uint32_t>(b.ref);
    } else {
      block.kind = b.kind == Kind::kGroupLead ? kho::ArticleBlock::Kind::kGroupCaption
                                              : kho::ArticleBlock::Kind::kParagraph;
      block.text = std::string(b.text);
    }
    a.blocks.push_back(std::move(block));
  }

  const std::string where = std::string(source) + ": article " + quote(a.title);
  if (!a.date) warnings.push_back(where + ": no date line after the title");
  if (a.refs.empty()) warnings.push_back(where + ": no photo references");
  return a;
}

}  // namespace kho::ingest::detail
