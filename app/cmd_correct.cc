// Corrections from the command line (issue 16, kho/team.h): kho caption, kho link, kho event, kho history.
//
// Each correction is a journal entry with the acting user, the time, the old value and the new one; the
// machine's records are never edited, so a re-ingest cannot undo a person's decision. The acting user comes
// from --user NAME or $KHO_USER. Once the archive has accounts, it must be an editor or admin; an archive
// without accounts (one person on one machine) takes any name.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "archive.h"
#include "correct.h"
#include "kho/json_model.h"
#include "kho/team.h"
#include "kho/text.h"

namespace kho::app {
namespace {

struct CorrectArgs {
  std::string user;
  std::string photo, text, credit, headline;
  bool has_credit = false, has_headline = false;
  std::string article, ref, target;
  bool none = false;
  std::string event, title, date;
  std::string id;
  std::uint64_t revert = 0;
  std::size_t limit = 50;
  bool json = false;
};

// A photo named by its digest (64 hex digits) or by the path of one of its files.
Result<Digest> resolve_photo(const Snapshot& snap, const std::string& what) {
  if (std::optional<Digest> d = Digest::from_hex(what)) {
    Result<Photo> p = snap.photo(*d);
    if (!p.ok()) return p.status().is_not_found() ? Status::NotFound("no photo " + what) : p.status();
    return *d;
  }
  Result<File> f = snap.file(what);
  if (f.ok()) return f->digest;
  if (!f.status().is_not_found()) return f.status();
  return Status::NotFound("no photo with digest or path '" + what + "'");
}

// What the reader shows now for a photo's caption: a correction in force, else its first link's caption.
Result<std::optional<std::string>> shown_caption(const Snapshot& snap, const Digest& d) {
  Result<std::vector<Link>> links = snap.photo_links(d);
  if (!links.ok()) return links.status();
  std::optional<std::string> machine;
  for (const Link& l : *links) {
    if (l.caption) {
      machine = l.caption;
      break;
    }
  }
  if (!machine) {
    Result<Photo> p = snap.photo(d);
    if (p.ok()) machine = p->meta.description;
  }
  return value_in_force(snap, TargetKind::kPhoto, d.hex(), "caption", machine);
}

// A correction of `field` of (kind, target) by `user`: from `old_value` (what readers showed) to `value` (NFC).
Correction make_correction(const std::string& user, TargetKind kind, const std::string& target, std::string field,
                           std::optional<std::string> old_value, const std::string& value) {
  Correction c;
  c.user = user;
  c.kind = kind;
  c.target = target;
  c.field = std::move(field);
  c.old_value = std::move(old_value);
  c.new_value = to_nfc(value);
  return c;
}

int run_caption(const GlobalOptions& g, const CorrectArgs& a) {
  Corrector w = open_for_corrections(g, a.user);
  if (!w.catalog) return kExitFatal;
  auto& cat = w.catalog;
  const std::string& user = w.user;
  std::vector<Correction> todo;
  {
    auto snap = cat->snapshot();
    if (!snap.ok()) return fail(snap.status());
    Result<Digest> d = resolve_photo(**snap, a.photo);
    if (!d.ok()) return fail(d.status());
    auto add = [&](const char* field, std::optional<std::string> old_value, const std::string& value) {
      todo.push_back(make_correction(user, TargetKind::kPhoto, d->hex(), field, std::move(old_value), value));
    };
    Result<std::optional<std::string>> caption = shown_caption(**snap, *d);
    if (!caption.ok()) return fail(caption.status());
    add("caption", *caption, a.text);
    Result<Photo> p = (*snap)->photo(*d);
    if (!p.ok()) return fail(p.status());
    if (a.has_credit) {
      auto old = value_in_force(**snap, TargetKind::kPhoto, d->hex(), "credit", p->meta.credit);
      if (!old.ok()) return fail(old.status());
      add("credit", *old, a.credit);
    }
    if (a.has_headline) {
      auto old = value_in_force(**snap, TargetKind::kPhoto, d->hex(), "headline", p->meta.headline);
      if (!old.ok()) return fail(old.status());
      add("headline", *old, a.headline);
    }
  }
  return record_all(*cat, std::move(todo), a.json);
}

int run_link(const GlobalOptions& g, const CorrectArgs& a) {
  Corrector w = open_for_corrections(g, a.user);
  if (!w.catalog) return kExitFatal;
  auto& cat = w.catalog;
  const std::string& user = w.user;
  if (a.none == !a.target.empty()) return fail(Status::InvalidArgument("give either PHOTO or --none"));
  Correction c;
  {
    auto snap = cat->snapshot();
    if (!snap.ok()) return fail(snap.status());
    Result<std::vector<Link>> links = (*snap)->article_links(a.article);
    if (!links.ok()) return fail(links.status());
    if (links->empty()) return fail(Status::NotFound("no article " + a.article + " (or it has no photos)"));
    const Link* found = nullptr;
    for (const Link& l : *links) {
      if (l.ref == a.ref || l.ref == to_nfc(a.ref) || "#" + std::to_string(l.position) == a.ref) found = &l;
    }
    if (!found) return fail(Status::NotFound("article " + a.article + " has no reference '" + a.ref + "'"));
    Link shown = *found;
    if (Status st = apply_corrections(**snap, shown); !st.ok()) return fail(st);
    c.kind = TargetKind::kArticle;
    c.target = a.article;
    c.field = "link:" + std::to_string(found->position);
    c.old_value = shown.digest ? shown.digest->hex() : std::string();
    if (a.none) {
      c.new_value = std::string();
    } else {
      Result<Digest> d = resolve_photo(**snap, a.target);
      if (!d.ok()) return fail(d.status());
      c.new_value = d->hex();
    }
  }
  c.user = user;
  return record_all(*cat, {std::move(c)}, a.json);
}

int run_event(const GlobalOptions& g, const CorrectArgs& a) {
  if (a.title.empty() && a.date.empty()) return fail(Status::InvalidArgument("give --title, --date or both"));
  Corrector w = open_for_corrections(g, a.user);
  if (!w.catalog) return kExitFatal;
  auto& cat = w.catalog;
  const std::string& user = w.user;
  std::vector<Correction> todo;
  {
    auto snap = cat->snapshot();
    if (!snap.ok()) return fail(snap.status());
    Result<Event> e = (*snap)->event(a.event);
    if (!e.ok()) return fail(e.status().is_not_found() ? Status::NotFound("no event " + a.event) : e.status());
    Event shown = *e;
    if (Status st = apply_corrections(**snap, shown); !st.ok()) return fail(st);
    auto add = [&](const char* field, std::optional<std::string> old_value, const std::string& value) {
      todo.push_back(make_correction(user, TargetKind::kEvent, a.event, field, std::move(old_value), value));
    };
    if (!a.title.empty()) add("title", shown.title, a.title);
    if (!a.date.empty()) {
      if (!is_iso_date(a.date))
        return fail(Status::InvalidArgument("--date is YYYY-MM-DD, optionally with a time (ISO 8601), not " + a.date));
      add("date", shown.date, a.date);
    }
  }
  return record_all(*cat, std::move(todo), a.json);
}

int run_history(const GlobalOptions& g, const CorrectArgs& a) {
  if (a.revert != 0) {
    Corrector w = open_for_corrections(g, a.user);
    if (!w.catalog) return kExitFatal;
    auto& cat = w.catalog;
    const std::string& user = w.user;
    Result<std::uint64_t> seq = revert_correction(*cat, a.revert, user);
    if (!seq.ok()) return fail(seq.status());
    if (a.json) {
      print_json(nlohmann::json{{"recorded", {*seq}}}.dump());
    } else if (!g.quiet) {
      std::fprintf(stderr, "kho: correction %llu reverted (as correction %llu)\n",
                   static_cast<unsigned long long>(a.revert), static_cast<unsigned long long>(*seq));
    }
    return kExitOk;
  }
  auto doc = read_view(g, [&](const Snapshot& snap) -> Result<std::string> {
    Result<std::vector<Correction>> list = history_of(snap, a.id, a.limit);
    if (!list.ok()) return list.status();
    nlohmann::json out = nlohmann::json::array();
    for (const Correction& c : *list) out.push_back(nlohmann::json::parse(correction_json(c)));
    return nlohmann::json{{"corrections", out}}.dump();
  });
  if (!doc) return kExitFatal;
  if (a.json) {
    print_json(*doc);
    return kExitOk;
  }
  auto j = nlohmann::json::parse(*doc);
  for (const auto& c : j["corrections"]) {
    std::printf("%s  %-12s %s %s %s: %s -> %s%s\n", c["time_iso"].get<std::string>().c_str(),
                terminal_safe(c["user"].get<std::string>()).c_str(), c["kind"].get<std::string>().c_str(),
                terminal_safe(c["target"].get<std::string>()).c_str(), c["field"].get<std::string>().c_str(),
                c["old"].is_null() ? "(machine)" : terminal_safe(c["old"].get<std::string>()).c_str(),
                c["new"].is_null() ? "(machine)" : terminal_safe(c["new"].get<std::string>()).c_str(),
                c["reverts"].get<std::uint64_t>() ? "  [revert]" : "");
    std::printf("    seq %llu\n", static_cast<unsigned long long>(c["seq"].get<std::uint64_t>()));
  }
  if (!g.quiet) std::fprintf(stderr, "kho: %zu corrections\n", j["corrections"].size());
  return kExitOk;
}

void user_option(CLI::App* cmd, CorrectArgs& a) {
  cmd->add_option("--user", a.user, "Who makes the correction (default: $KHO_USER)")->type_name("NAME");
}

}  // namespace

void add_correct_commands(CLI::App& app, GlobalOptions& g) {
  auto args = std::make_shared<CorrectArgs>();

  auto* caption = app.add_subcommand("caption", "Set a photo's caption (and its credit or headline)");
  caption->add_option("PHOTO", args->photo, "The photo: its digest, or the path of one of its files")->required();
  caption->add_option("TEXT", args->text, "The caption")->required();
  caption->add_option("--credit", args->credit, "Also set the photo credit")->each([args](const std::string&) {
    args->has_credit = true;
  });
  caption->add_option("--headline", args->headline, "Also set the headline")->each([args](const std::string&) {
    args->has_headline = true;
  });
  caption->add_flag("--json", args->json, "Print one JSON document on stdout");
  user_option(caption, *args);
  caption->footer(
      "The machine's caption is kept: `kho history PHOTO` shows both, and a revert brings it back.\n"
      "Example: kho caption 3fa1…c9 'Đồng chí Lê Anh Xuân tiếp đoàn công tác' --user hien");
  caption->callback([&g, args] { set_command([&g, args] { return run_caption(g, *args); }); });

  auto* link = app.add_subcommand("link", "Link an article's photo reference to a photo by hand (or to none)");
  link->add_option("ARTICLE", args->article, "The article id (kho show / kho search show it)")->required();
  link->add_option("REF", args->ref, "The reference as written in the article, or #N for its position")->required();
  link->add_option("PHOTO", args->target, "The photo: its digest, or the path of one of its files");
  link->add_flag("--none", args->none, "Unlink: the reference shows no photo");
  link->add_flag("--json", args->json, "Print one JSON document on stdout");
  user_option(link, *args);
  link->callback([&g, args] { set_command([&g, args] { return run_link(g, *args); }); });

  auto* event = app.add_subcommand("event", "Correct an event's title or date");
  event->add_option("EVENT", args->event, "The event id (kho events shows them)")->required();
  event->add_option("--title", args->title, "The event's title");
  event->add_option("--date", args->date, "The event's date, YYYY-MM-DD (ISO 8601)");
  event->add_flag("--json", args->json, "Print one JSON document on stdout");
  user_option(event, *args);
  event->callback([&g, args] { set_command([&g, args] { return run_event(g, *args); }); });

  auto* history = app.add_subcommand("history", "List corrections: of one photo, article or event, or the latest");
  history->add_option("ID", args->id, "A photo digest (or a file's path), an article id or an event id");
  history->add_option("--limit", args->limit, "How many of the latest to list without ID (default 50)");
  history->add_option("--revert", args->revert, "Revert correction SEQ (itself recorded as a correction)")
      ->type_name("SEQ");
  history->add_flag("--json", args->json, "Print one JSON document on stdout");
  user_option(history, *args);
  history->callback([&g, args] { set_command([&g, args] { return run_history(g, *args); }); });
}

}  // namespace kho::app
