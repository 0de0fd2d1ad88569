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
#include "kho/correct.h"
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
    PhotoTextEdit edit;
    edit.caption = a.text;
    if (a.has_credit) edit.credit = a.credit;
    if (a.has_headline) edit.headline = a.headline;
    Result<std::vector<Correction>> built = photo_text_corrections(**snap, user, *d, edit);
    if (!built.ok()) return fail(built.status());
    todo = std::move(*built);
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
    std::optional<Digest> photo;
    if (!a.none) {
      Result<Digest> d = resolve_photo(**snap, a.target);
      if (!d.ok()) return fail(d.status());
      photo = *d;
    }
    Result<Correction> built = link_correction(**snap, user, a.article, a.ref, photo);
    if (!built.ok()) return fail(built.status());
    c = std::move(*built);
  }
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
    std::optional<std::string> title, date;
    if (!a.title.empty()) title = a.title;
    if (!a.date.empty()) date = a.date;
    if (date && !is_iso_date(*date))
      return fail(Status::InvalidArgument("--date is YYYY-MM-DD, optionally with a time (ISO 8601), not " + a.date));
    Result<std::vector<Correction>> built = event_corrections(**snap, user, a.event, title, date);
    if (!built.ok()) return fail(built.status());
    todo = std::move(*built);
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
