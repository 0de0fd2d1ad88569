// Keys and sealed JSON values of the team databases (team_format.h).
#include "team_format.h"

#include <sodium.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace kho::teamfmt {
namespace {

using nlohmann::json;

void put_be64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

// Parses the sealed JSON object; Corruption with `what` on any damage.
Result<json> open_object(std::string_view sealed, const char* what) {
  Result<std::string_view> payload = unseal_value(sealed);
  if (!payload.ok()) return payload.status().with_context(what);
  json j = json::parse(*payload, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption(std::string(what) + ": not a JSON object");
  return j;
}

template <typename T>
bool get(const json& j, const char* key, T* out) {
  auto it = j.find(key);
  if (it == j.end()) return false;
  if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return false;
  } else {
    if (!it->is_number_integer() && !it->is_number_unsigned()) return false;
  }
  *out = it->get<T>();
  return true;
}

bool get_opt(const json& j, const char* key, std::optional<std::string>* out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    out->reset();
    return true;
  }
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

std::string dump(const json& j) { return seal_value(j.dump(-1, ' ', false, json::error_handler_t::replace)); }

}  // namespace

std::string user_key(std::string_view name) { return std::string(1, kUser) + std::string(name); }

std::string session_key(std::string_view token) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return std::string(1, kSession) + std::string(reinterpret_cast<const char*>(h), sizeof h);
}

std::string entry_key(std::uint64_t seq) {
  std::string k(1, kEntry);
  put_be64(k, seq);
  return k;
}

std::string target_prefix(TargetKind kind, std::string_view target) {
  std::string k(1, kByTarget);
  k.push_back(static_cast<char>(kind));
  k.append(target);
  k.push_back('\0');
  return k;
}

std::string target_key(TargetKind kind, std::string_view target, std::uint64_t seq) {
  std::string k = target_prefix(kind, target);
  put_be64(k, seq);
  return k;
}

std::uint64_t seq_at(std::string_view tail) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < tail.size(); ++i) v = (v << 8) | static_cast<unsigned char>(tail[i]);
  return v;
}

std::string encode(const User& u) {
  return dump(json{{"name", u.name},
                   {"role", role_name(u.role)},
                   {"hash", u.password_hash},
                   {"created", u.created_at},
                   {"updated", u.updated_at}});
}

std::string encode(const Session& s) {
  return dump(json{{"user", s.user},
                   {"role", role_name(s.role)},
                   {"created", s.created_at},
                   {"expires", s.expires_at},
                   {"csrf", s.csrf_token}});
}

std::string encode(const Correction& c) { return seal_value(correction_record_json(c)); }

Status decode(std::string_view sealed, User* out) {
  Result<json> j = open_object(sealed, "user record");
  if (!j.ok()) return j.status();
  std::string role;
  if (!get(*j, "name", &out->name) || !get(*j, "role", &role) || !get(*j, "hash", &out->password_hash) ||
      !get(*j, "created", &out->created_at) || !get(*j, "updated", &out->updated_at))
    return Status::Corruption("user record: a field is missing or of the wrong type");
  std::optional<Role> r = role_from_name(role);
  if (!r) return Status::Corruption("user record: unknown role " + role);
  out->role = *r;
  return Status::OK();
}

Status decode(std::string_view sealed, Session* out) {
  Result<json> j = open_object(sealed, "session record");
  if (!j.ok()) return j.status();
  std::string role;
  if (!get(*j, "user", &out->user) || !get(*j, "role", &role) || !get(*j, "created", &out->created_at) ||
      !get(*j, "expires", &out->expires_at) || !get(*j, "csrf", &out->csrf_token))
    return Status::Corruption("session record: a field is missing or of the wrong type");
  std::optional<Role> r = role_from_name(role);
  if (!r) return Status::Corruption("session record: unknown role " + role);
  out->role = *r;
  return Status::OK();
}

Status decode(std::string_view sealed, Correction* out) {
  Result<json> j = open_object(sealed, "correction record");
  if (!j.ok()) return j.status();
  std::string kind;
  if (!get(*j, "seq", &out->seq) || !get(*j, "time", &out->time) || !get(*j, "user", &out->user) ||
      !get(*j, "kind", &kind) || !get(*j, "target", &out->target) || !get(*j, "field", &out->field) ||
      !get_opt(*j, "old", &out->old_value) || !get_opt(*j, "new", &out->new_value) ||
      !get(*j, "reverts", &out->reverts))
    return Status::Corruption("correction record: a field is missing or of the wrong type");
  for (TargetKind k :
       {TargetKind::kPhoto, TargetKind::kArticle, TargetKind::kEvent, TargetKind::kPair, TargetKind::kCluster}) {
    if (target_kind_name(k) == kind) {
      out->kind = k;
      return Status::OK();
    }
  }
  return Status::Corruption("correction record: unknown target kind " + kind);
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    out.push_back(kHex[(static_cast<unsigned char>(c) >> 4) & 15]);
    out.push_back(kHex[static_cast<unsigned char>(c) & 15]);
  }
  return out;
}

}  // namespace kho::teamfmt

namespace kho {

std::string correction_record_json(const Correction& c) {
  using nlohmann::json;
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return json{{"seq", c.seq},        {"time", c.time},   {"user", c.user},          {"kind", target_kind_name(c.kind)},
              {"target", c.target},  {"field", c.field}, {"old", opt(c.old_value)}, {"new", opt(c.new_value)},
              {"reverts", c.reverts}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace kho
