#include "correct.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

#include "archive.h"
#include "commands.h"

namespace kho::app {

Result<std::string> acting_user(const Catalog& catalog, const std::string& given, Role needed) {
  std::string name = given;
  if (name.empty()) {
    const char* env = std::getenv("KHO_USER");
    if (env) name = env;
  }
  if (name.empty()) return Status::InvalidArgument("who makes this correction? Pass --user NAME or set KHO_USER");
  if (!is_valid_user_name(name)) return Status::InvalidArgument("'" + name + "' is not a user name");
  auto snap = catalog.snapshot();
  if (!snap.ok()) return snap.status();
  Result<bool> any = has_users(**snap);
  if (!any.ok()) return any.status();
  if (!*any) return name;
  Result<User> u = find_user(**snap, name);
  if (!u.ok()) return u.status().is_not_found() ? Status::NotFound("no user " + name + " in this archive") : u.status();
  if (!role_allows(u->role, needed))
    return Status::InvalidArgument(name + " is a " + std::string(role_name(u->role)) + "; corrections need an " +
                                   std::string(role_name(needed)) + " or admin");
  return name;
}

Corrector open_for_corrections(const GlobalOptions& g, const std::string& given_user) {
  Corrector out;
  out.catalog = open_archive(g, /*read_only=*/false);
  if (!out.catalog) return out;
  Result<std::string> user = acting_user(*out.catalog, given_user, Role::kEditor);
  if (!user.ok()) {
    print_error(user.status().message());
    out.catalog.reset();
    return out;
  }
  out.user = std::move(*user);
  return out;
}

int fail(const Status& status) {
  print_error(status.message());
  return kExitFatal;
}

int record_all(Catalog& catalog, std::vector<Correction> corrections, bool json) {
  std::vector<std::uint64_t> seqs;
  for (Correction& c : corrections) {
    const std::string what = std::string(target_kind_name(c.kind)) + " " + c.target + " " + c.field;
    Result<std::uint64_t> seq = record_correction(catalog, std::move(c));
    if (!seq.ok()) return fail(seq.status());
    seqs.push_back(*seq);
    if (!json)
      std::fprintf(stderr, "kho: corrected %s (correction %llu)\n", terminal_safe(what).c_str(),
                   static_cast<unsigned long long>(*seq));
  }
  if (json) print_json(nlohmann::json{{"recorded", seqs}}.dump());
  return kExitOk;
}

}  // namespace kho::app
