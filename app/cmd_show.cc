// kho show ID: one event (16 hex digits), article (16 hex digits) or photo (64 hex digits).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "archive.h"
#include "kho/webui/api.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

using nlohmann::json;

// Every string shown comes from files or their names: escaped for the terminal (terminal_text.h).
std::string str(const json& j) { return j.is_string() ? terminal_safe(j.get<std::string>()) : ""; }

void print_event(const json& r) {
  std::printf("event    %s\ntitle    %s\ndate     %s\nfolder   %s\nphotos   %zu (%s not in any article)\n",
              str(r["event"]["id"]).c_str(), str(r["event"]["title"]).c_str(),
              str(r["event"]["date"]).c_str(), str(r["event"]["folder_display"]).c_str(), r["photos"].size(),
              r["orphan_count"].dump().c_str());
  for (const auto& a : r["articles"]) {
    std::printf("\narticle  %s  %s\n", str(a["id"]).c_str(), str(a["title"]).c_str());
    for (const auto& b : a["blocks_view"]) {
      if (str(b["kind"]) != "photo") continue;
      std::string target = b["photo"].is_object() ? str(b["photo"]["digest"]).substr(0, 12) : "UNRESOLVED";
      std::printf("  %-12s %s — %s\n", target.c_str(), str(b["ref"]).c_str(), str(b["caption"]).c_str());
    }
  }
}

void print_article(const json& r) {
  std::printf("article  %s\ntitle    %s\ndate     %s\nauthor   %s\n", str(r["article"]["id"]).c_str(),
              str(r["article"]["title"]).c_str(), str(r["article"]["date"]).c_str(),
              str(r["article"]["author"]).c_str());
  for (const auto& l : r["links"]) {
    std::printf("  %-3s %-12s %s — %s\n", l["position"].dump().c_str(),
                l["digest"].is_string() ? str(l["digest"]).substr(0, 12).c_str() : "UNRESOLVED", str(l["ref"]).c_str(),
                str(l["caption"]).c_str());
    if (l.contains("original") && l["original"].is_object())  // the traced camera original (issue 12)
      std::printf("      original %s %s\n", str(l["original"]["digest"]).substr(0, 12).c_str(),
                  str(l["original"]["path"]).c_str());
  }
}

void print_photo(const json& r) {
  std::printf("photo    %s\nfile     %s\n", str(r["photo"]["digest"]).c_str(), str(r["photo"]["path"]).c_str());
  if (r["caption"].is_string()) std::printf("caption  %s\n", str(r["caption"]).c_str());
  for (const auto& row : r["meta_rows"])
    std::printf("  %-28s %s\n", str(row["label"]).c_str(), str(row["value"]).c_str());
  for (const auto& l : r["links"]) std::printf("in article  %s\n", str(l["article_title"]).c_str());
  for (const auto& d : r["duplicates"])
    std::printf("duplicate   %s (distance %s)%s\n", str(d["path"]).c_str(), d["distance"].dump().c_str(),
                d["best"].get<bool>() ? " best copy" : "");
}

int run_show(const GlobalOptions& g, const std::string& id, bool as_json) {
  char kind = 0;
  auto doc = read_view(
      g,
      [&](const Snapshot& snap) -> Result<std::string> {
        if (id.size() == 64) {
          kind = 'p';
          return web::api_photo(snap, id);
        }
        if (id.size() != 16)
          return Status::InvalidArgument("'" + id +
                                         "' is not an id: events and articles have 16 hex digits, photos 64");
        kind = 'e';
        Result<std::string> ev = web::api_event(snap, id);
        if (!ev.status().is_not_found()) return ev;
        kind = 'a';
        return web::api_article(snap, id);
      },
      "no event, article or photo has the id " + id);
  if (!doc) return kExitFatal;
  if (as_json) {
    print_json(*doc);
    return kExitOk;
  }
  json r = json::parse(*doc);
  if (kind == 'e') print_event(r);
  else if (kind == 'a') print_article(r);
  else print_photo(r);
  return kExitOk;
}

}  // namespace

void add_show_command(CLI::App& app, GlobalOptions& g) {
  auto* cmd = app.add_subcommand("show", "Show one event, article or photo by its id or digest");
  auto id = std::make_shared<std::string>();
  auto json_flag = std::make_shared<bool>(false);
  cmd->add_option("ID", *id, "Event id or article id (16 hex digits), or photo digest (64)")->required();
  cmd->add_flag("--json", *json_flag, "Print one JSON document on stdout");
  cmd->callback([&g, id, json_flag] { set_command([&g, id, json_flag] { return run_show(g, *id, *json_flag); }); });
}

}  // namespace kho::app
