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

namespace kho::app {
namespace {

// The JSON of DESIGN.md §5. TODO(lead): switch to kho::metadata_json() once core/src/json_model.cc
// implements it, so that the CLI and the web API share one writer.
nlohmann::ordered_json to_json(const kho::Metadata& m) {
  auto opt = [](const auto& v) -> nlohmann::ordered_json {
    if (v) return *v;
    return nullptr;
  };
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["format"] = opt(m.format);
  j["width"] = opt(m.width);
  j["height"] = opt(m.height);
  j["orientation"] = opt(m.orientation);
  j["make"] = opt(m.make);
  j["model"] = opt(m.model);
  j["lens"] = opt(m.lens);
  j["datetime_original"] = opt(m.datetime_original);
  j["exposure_time"] = opt(m.exposure_time);
  j["f_number"] = opt(m.f_number);
  j["iso"] = opt(m.iso);
  j["focal_length"] = opt(m.focal_length);
  j["gps_lat"] = opt(m.gps_lat);
  j["gps_lon"] = opt(m.gps_lon);
  j["gps_alt"] = opt(m.gps_alt);
  j["description"] = opt(m.description);
  j["headline"] = opt(m.headline);
  j["keywords"] = m.keywords;
  j["creator"] = opt(m.creator);
  j["credit"] = opt(m.credit);
  j["event"] = opt(m.event);
  j["warnings"] = m.warnings;
  return j;
}

void print_text(const std::string& path, const kho::Metadata& m, bool several) {
  if (several) std::printf("%s\n", path.c_str());
  nlohmann::ordered_json j = to_json(m);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_null() || (it->is_array() && it->empty())) continue;
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
    std::printf("%s%-18s %s\n", several ? "  " : "", it.key().c_str(), value.c_str());
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
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      bool several = opts->files.size() > 1;
      for (const auto& path : opts->files) {
        auto result = kho::ingest::read_metadata_file(path);
        if (!result.ok()) {
          failed = true;
          print_error(result.status().message());
          list.push_back(nullptr);
          continue;
        }
        if (opts->json) {
          list.push_back(to_json(*result));
        } else {
          print_text(path, *result, several);
        }
      }
      if (opts->json) {
        std::string doc = several ? list.dump(2) : list.at(0).dump(2);
        std::printf("%s\n", doc.c_str());
      }
      return failed ? kExitPartial : kExitOk;
    });
  });
}

}  // namespace kho::app
