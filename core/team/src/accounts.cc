// Accounts and login sessions (kho/team.h).
#include <sodium.h>

#include "team_format.h"

namespace kho {
namespace {

using teamfmt::now_seconds;

Status sodium_ready() {
  static const int rc = sodium_init();  // thread-safe since libsodium 1.0.11; 1 = already initialised
  return rc < 0 ? Status::IOError("libsodium could not be initialised") : Status::OK();
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return teamfmt::hex(raw);
}

Status check_password_length(std::string_view password) {
  if (password.size() < kMinPasswordBytes)
    return Status::InvalidArgument("a password needs at least " + std::to_string(kMinPasswordBytes) + " bytes");
  if (password.size() > kMaxPasswordBytes)
    return Status::InvalidArgument("a password may have at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  return Status::OK();
}

// Deletes every session of `user` into `batch`.
Status end_sessions_of(const Snapshot& snap, std::string_view user, WriteBatch& batch) {
  return snap.raw_scan(db::kSessions, std::string(1, teamfmt::kSession),
                       [&](std::string_view k, std::string_view v) -> ScanStep {
                         Session s;
                         if (!teamfmt::decode(v, &s).ok() || s.user == user)
                           batch.raw_delete(db::kSessions, std::string(k));
                         return ScanStep::Continue();
                       });
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kEditor: return "editor";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}

std::optional<Role> role_from_name(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "editor") return Role::kEditor;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

bool is_valid_user_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(name[0])) return false;
  for (char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

Result<std::string> hash_password(std::string_view password) {
  KHO_RETURN_IF_ERROR(check_password_length(password));
  KHO_RETURN_IF_ERROR(sodium_ready());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Status::IOError("argon2id: out of memory");
  return std::string(out);
}

bool password_matches(std::string_view stored_hash, std::string_view password) {
  if (!sodium_ready().ok() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string h(stored_hash);  // NUL-terminated for libsodium
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

Status add_user(Catalog& catalog, std::string_view name, Role role, std::string_view password) {
  if (!is_valid_user_name(name))
    return Status::InvalidArgument("'" + std::string(name) +
                                   "' is not a user name: use 1-64 ASCII letters, digits, '.', '_' or '-'");
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    if ((*snap)->raw_get(db::kUsers, teamfmt::user_key(name)).ok())
      return Status::InvalidArgument("user " + std::string(name) + " exists already");
  }
  Result<std::string> hash = hash_password(password);
  if (!hash.ok()) return hash.status();
  User u{std::string(name), role, std::move(*hash), now_seconds(), now_seconds()};
  WriteBatch batch;
  batch.raw_put(db::kUsers, teamfmt::user_key(name), teamfmt::encode(u));
  return catalog.write(batch);
}

Status set_password(Catalog& catalog, std::string_view name, std::string_view password) {
  Result<std::string> hash = hash_password(password);
  if (!hash.ok()) return hash.status();
  WriteBatch batch;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    Result<User> u = find_user(**snap, name);
    if (!u.ok()) return u.status();
    u->password_hash = std::move(*hash);
    u->updated_at = now_seconds();
    batch.raw_put(db::kUsers, teamfmt::user_key(name), teamfmt::encode(*u));
    KHO_RETURN_IF_ERROR(end_sessions_of(**snap, name, batch));
  }
  return catalog.write(batch);
}

Status remove_user(Catalog& catalog, std::string_view name) {
  WriteBatch batch;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    Result<User> u = find_user(**snap, name);
    if (!u.ok()) return u.status();
    batch.raw_delete(db::kUsers, teamfmt::user_key(name));
    KHO_RETURN_IF_ERROR(end_sessions_of(**snap, name, batch));
  }
  return catalog.write(batch);
}

Result<std::vector<User>> list_users(const Snapshot& snap) {
  std::vector<User> out;
  Status st = snap.raw_scan(db::kUsers, std::string(1, teamfmt::kUser), [&](std::string_view, std::string_view v) {
    return ScanStep(teamfmt::decode(v, &out.emplace_back()));
  });
  if (!st.ok()) return st;
  return out;
}

Result<User> find_user(const Snapshot& snap, std::string_view name) {
  Result<std::string_view> v = snap.raw_get(db::kUsers, teamfmt::user_key(name));
  if (!v.ok()) {
    if (v.status().is_not_found()) return Status::NotFound("no user " + std::string(name));
    return v.status();
  }
  User u;
  KHO_RETURN_IF_ERROR(teamfmt::decode(*v, &u));
  return u;
}

Result<bool> has_users(const Snapshot& snap) {
  bool any = false;
  KHO_RETURN_IF_ERROR(
      snap.raw_scan(db::kUsers, std::string(1, teamfmt::kUser), [&](std::string_view, std::string_view) {
        any = true;
        return ScanStep::Stop();
      }));
  return any;
}

Result<User> check_password(const Snapshot& snap, std::string_view name, std::string_view password) {
  Result<User> u = find_user(snap, name);
  if (!u.ok() && !u.status().is_not_found()) return u.status();
  // An unknown name still costs one argon2id check, against a hash made once per process.
  static const std::string decoy = [] {
    Result<std::string> h = hash_password("decoy password, never valid");
    return h.ok() ? *h : std::string();
  }();
  const bool match = password_matches(u.ok() ? u->password_hash : decoy, password);
  if (!u.ok() || !match) return Status::NotFound("wrong user name or password");
  return u;
}

Result<NewSession> create_session(Catalog& catalog, const User& user, std::int64_t now, std::chrono::seconds lifetime) {
  KHO_RETURN_IF_ERROR(sodium_ready());
  NewSession ns;
  ns.token = random_hex(32);
  ns.session = Session{user.name, user.role, now, now + lifetime.count(), random_hex(32)};
  WriteBatch batch;
  batch.raw_put(db::kSessions, teamfmt::session_key(ns.token), teamfmt::encode(ns.session));
  KHO_RETURN_IF_ERROR(catalog.write(batch));
  return ns;
}

Result<Session> find_session(const Snapshot& snap, std::string_view token, std::int64_t now) {
  if (token.empty()) return Status::NotFound("no session");
  Result<std::string_view> v = snap.raw_get(db::kSessions, teamfmt::session_key(token));
  if (!v.ok()) {
    if (v.status().is_not_found()) return Status::NotFound("no such session");
    return v.status();
  }
  Session s;
  KHO_RETURN_IF_ERROR(teamfmt::decode(*v, &s));
  if (now >= s.expires_at) return Status::NotFound("the session has expired");
  Result<User> u = find_user(snap, s.user);
  if (!u.ok()) return u.status().is_not_found() ? Status::NotFound("the session's user is gone") : u.status();
  s.role = u->role;  // a changed role takes effect at once
  return s;
}

Status end_session(Catalog& catalog, std::string_view token) {
  WriteBatch batch;
  batch.raw_delete(db::kSessions, teamfmt::session_key(token));
  return catalog.write(batch);
}

Result<std::size_t> purge_expired_sessions(Catalog& catalog, std::int64_t now) {
  WriteBatch batch;
  {
    auto snap = catalog.snapshot();
    if (!snap.ok()) return snap.status();
    KHO_RETURN_IF_ERROR((*snap)->raw_scan(db::kSessions, std::string(1, teamfmt::kSession),
                                          [&](std::string_view k, std::string_view v) -> ScanStep {
                                            Session s;
                                            if (!teamfmt::decode(v, &s).ok() || now >= s.expires_at)
                                              batch.raw_delete(db::kSessions, std::string(k));
                                            return ScanStep::Continue();
                                          }));
  }
  const std::size_t n = batch.size();
  if (n > 0) KHO_RETURN_IF_ERROR(catalog.write(batch));
  return n;
}

}  // namespace kho
