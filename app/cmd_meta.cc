// `kho meta FILE... [--json]`: read photo metadata only, no archive (DESIGN.md §5).
//
// With --json: one object for one file, a list (in argument order) for several; a file that could
// not be read is null there and its error is on stderr. Exit 0 when all were read, 1 when some
// failed, 2 on usage errors. Exiv2's warnings are part of each record ("warnings"), never stderr.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

#include "commands.h"
#include "kho/ingest/metadata.h"
#include "kho/json_model.h"
#include "terminal_text.h"

namespace kho::app {
namespace {

// The text form shows the fields in the order of DESIGN.md §5, present ones only. Values come from
// kho::metadata_json (core/json_model.h), the writer shared with --json and the web API.
constexpr const char* kFieldOrder[] = {"format", "width", "height", "orientation", "make", "model", "lens",
                                       "datetime_original", "exposure_time", "f_number", "iso",
                                       "focal_length", "gps_lat", "gps_lon", "gps_alt", "description",
                                       "headline", "keywords", "creator", "credit", "event", "warnings"};

void print_text(const std::string& path, const kho::Metadata& m, bool several) {
  if (several) std::printf("%s\n", terminal_safe(display_path(path)).c_str());
  nlohmann::json j = nlohmann::json::parse(kho::metadata_json(m));
  for (const char* key : kFieldOrder) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null() || (it->is_array() && it->empty())) continue;
    std::string value;
    if (it->is_string()) {
      value = it->get<std::string>();
    } else if (it->is_array()) {
      for (const auto& v : *it) {
        if (!value.empty()) value += " | ";
        value += v.get<std::string>();
      }
    } else {
      value = it->dump();
    }
    std::printf("%s%-18s %s\n", several ? "  " : "", key, terminal_safe(value).c_str());
  }
}

}  // namespace

void add_meta_command(CLI::App& app, GlobalOptions&) {
  auto* cmd = app.add_subcommand("meta", "Print the metadata (EXIF, IPTC, XMP) of image files; no archive needed");
  struct Options {
    std::vector<std::string> files;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("FILE", opts->files, "Image files (the type is detected from the bytes)")->required();
  cmd->add_flag("--json", opts->json, "Print one JSON document: an object for one file, a list for several");
  cmd->callback([opts] {
    set_command([opts] {
      bool failed = false;
      std::vector<std::string> docs;  // one per file, "null" for a file that failed
      bool several = opts->files.size() > 1;
      for (const auto& path : opts->files) {
        auto result = kho::ingest::read_metadata_file(path);
        if (!result.ok()) {
          failed = true;
          print_error(result.status().message());
          docs.emplace_back("null");
          continue;
        }
        if (opts->json) {
          docs.push_back(kho::metadata_json(*result));
        } else {
          print_text(path, *result, several);
        }
      }
      if (opts->json) {
        std::string doc;
        if (several) {
          doc = "[";
          for (std::size_t i = 0; i < docs.size(); ++i) doc += (i ? ",\n " : "") + docs[i];
          doc += "]";
        } else {
          doc = docs.at(0);
        }
        std::printf("%s\n", doc.c_str());
      }
      return failed ? kExitPartial : kExitOk;
    });
  });
}

}  // namespace kho::app
