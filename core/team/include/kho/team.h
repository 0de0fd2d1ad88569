// A newsroom team on one archive (issue 16): accounts with roles, login sessions, and the journal of
// corrections people make to what the machine decided.
//
// Everything lives in the archive, in three databases of its own (core/FORMAT.md, "Team"): `users`,
// `sessions` and `corrections`. Corrections are a journal, never an edit of the machine's records: ingest,
// the linker, tracing and the duplicate update rewrite their own records freely, and a person's decision
// stays in force because readers lay the journal over those records (correction_in_force). Reverting a
// correction is itself a correction.
//
// Passwords are hashed with libsodium's argon2id (crypto_pwhash_str): the stored string carries the
// algorithm, version, memory, time and parallelism ("$argon2id$v=19$m=65536,t=2,p=1$…"), so the parameters
// can be raised later without breaking old hashes. Session tokens are 32 random bytes; the archive keeps
// only their BLAKE2b hash, so a copy of the archive opens no session.
//
// Thread safety: every call is safe from several threads (they take their own snapshot or write through
// Catalog::write, which serialises writers); the Catalog must outlive the call.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kho/catalog.h"
#include "kho/status.h"

namespace kho {

// ---- accounts -----------------------------------------------------------------------------------------

enum class Role : std::uint8_t {
  kViewer = 0,  // reads everything the gallery shows
  kEditor = 1,  // also makes corrections (captions, links, duplicate decisions, events)
  kAdmin = 2,   // also manages accounts
};
std::string_view role_name(Role role);                      // "viewer" | "editor" | "admin"
std::optional<Role> role_from_name(std::string_view name);  // nullopt for anything else
// True when `role` may do what `needed` may (admin ⊃ editor ⊃ viewer).
inline bool role_allows(Role role, Role needed) { return role >= needed; }

struct User {
  std::string name;
  Role role = Role::kViewer;
  std::string password_hash;    // the argon2id string, parameters included
  std::int64_t created_at = 0;  // Unix seconds
  std::int64_t updated_at = 0;
};

// A user name is 1–64 bytes of ASCII letters, digits, '.', '_' and '-', starting with a letter or digit (it
// appears in URLs, the journal and log lines). A password is 8–1024 bytes.
bool is_valid_user_name(std::string_view name);
inline constexpr std::size_t kMinPasswordBytes = 8;
inline constexpr std::size_t kMaxPasswordBytes = 1024;

// argon2id with libsodium's "interactive" limits (2 passes over 64 MiB): ~0.1 s on this machine, meant
// for a login form. Errors: InvalidArgument for a password outside the length limits; IOError when
// libsodium cannot allocate the memory.
Result<std::string> hash_password(std::string_view password);
// Constant-time check of `password` against a stored hash string.
bool password_matches(std::string_view stored_hash, std::string_view password);

// Errors: InvalidArgument (bad name or password, or the user exists: the message says which), and those of
// Catalog::write.
Status add_user(Catalog& catalog, std::string_view name, Role role, std::string_view password);
// Sets a new password and ends every session of the user. NotFound when there is no such user.
Status set_password(Catalog& catalog, std::string_view name, std::string_view password);
// Removes the user and ends their sessions; their corrections stay in the journal under their name.
// NotFound when there is no such user.
Status remove_user(Catalog& catalog, std::string_view name);
// Every user, by name. Errors: Corruption when a stored user cannot be decoded.
Result<std::vector<User>> list_users(const Snapshot& snap);
// NotFound when there is no such user.
Result<User> find_user(const Snapshot& snap, std::string_view name);
// True once any user exists (then `kho serve` asks for a login, unless --public).
Result<bool> has_users(const Snapshot& snap);
// The user, when the name exists and the password matches; NotFound otherwise, without saying which of the
// two failed (a caller must not tell an attacker which names exist). Runs argon2id even for an unknown
// name, so the answer takes the same time either way.
Result<User> check_password(const Snapshot& snap, std::string_view name, std::string_view password);

// ---- sessions -----------------------------------------------------------------------------------------

struct Session {
  std::string user;
  Role role = Role::kViewer;    // the user's role now (find_session reads it from the user)
  std::int64_t created_at = 0;  // Unix seconds
  std::int64_t expires_at = 0;
  std::string csrf_token;  // 64 hex digits; every write through the gallery must carry it
};
struct NewSession {
  std::string token;  // 64 hex digits: the cookie's value; the archive keeps only its hash
  Session session;
};
inline constexpr std::chrono::seconds kDefaultSessionLifetime = std::chrono::hours(12);

// Starts a session for `user`, valid for `lifetime` from `now` (Unix seconds).
Result<NewSession> create_session(Catalog& catalog, const User& user, std::int64_t now,
                                  std::chrono::seconds lifetime = kDefaultSessionLifetime);
// The session of `token` at `now`. NotFound when the token is unknown, ended or expired, or when its user has
// been removed since.
Result<Session> find_session(const Snapshot& snap, std::string_view token, std::int64_t now);
// Ends the session (logout). Ending an unknown session is not an error.
Status end_session(Catalog& catalog, std::string_view token);
// Removes expired sessions; returns how many.
Result<std::size_t> purge_expired_sessions(Catalog& catalog, std::int64_t now);

// ---- corrections --------------------------------------------------------------------------------------

enum class TargetKind : std::uint8_t {
  kPhoto = 0,    // id: the digest's 64 hex digits; fields "caption", "credit", "headline"
  kArticle = 1,  // id: article id; field "link:<position>" (value: a digest's hex, or "" for no photo)
  kEvent = 2,    // id: event id; fields "title", "date"
  kPair = 3,     // id: "<hexA>:<hexB>" with hexA < hexB; field "duplicate" (value "no")
  kCluster = 4,  // id: a photo's hex; field "best" (value "yes")
};
std::string_view target_kind_name(TargetKind kind);  // "photo" | "article" | "event" | "pair" | "cluster"

struct Correction {
  std::uint64_t seq = 0;  // unique, increasing with time (assigned by record_correction)
  std::int64_t time = 0;  // Unix seconds (assigned by record_correction)
  std::string user;       // who made it
  TargetKind kind = TargetKind::kPhoto;
  std::string target;  // the id, as TargetKind says
  std::string field;
  std::optional<std::string> old_value;  // what the reader showed before (nullopt: nothing)
  std::optional<std::string> new_value;  // nullopt: back to what the machine says
  std::uint64_t reverts = 0;             // the seq this one reverts, or 0
};

// A journal entry as JSON, the form it is stored in (without the checksum): {"seq", "time", "user", "kind",
// "target", "field", "old", "new", "reverts"}; "old"/"new" null mean the machine's value.
std::string correction_record_json(const Correction& c);

// Stores `c` (seq and time are assigned) and returns its seq. Errors: InvalidArgument for an empty user,
// target or field; those of Catalog::write.
Result<std::uint64_t> record_correction(Catalog& catalog, Correction c);
// Stores several corrections in ONE write transaction (one commit, one fsync: a form that changes caption,
// credit and headline waits for the write lock once) and returns their seqs in order. All or none.
Result<std::vector<std::uint64_t>> record_corrections(Catalog& catalog, std::vector<Correction> cs);
// Every correction of one target, oldest first.
Result<std::vector<Correction>> corrections_of(const Snapshot& snap, TargetKind kind, std::string_view target);
// The newest `limit` corrections across the archive, newest first.
Result<std::vector<Correction>> latest_corrections(const Snapshot& snap, std::size_t limit);
// One correction by seq. NotFound when there is none.
Result<Correction> find_correction(const Snapshot& snap, std::uint64_t seq);
// The correction in force for (target, field): the newest one. nullopt when there is none.
Result<std::optional<Correction>> correction_in_force(const Snapshot& snap, TargetKind kind, std::string_view target,
                                                      std::string_view field);
// Records a correction, by `user`, that puts back what was in force before correction `seq`: the value of
// the field's previous correction, or the machine's value (new_value nullopt) when `seq` was the first.
// NotFound when there is no such correction.
Result<std::uint64_t> revert_correction(Catalog& catalog, std::uint64_t seq, std::string_view user);

// ---- reading through the journal ---------------------------------------------------------------------

// What readers show for (target, field): the value of the correction in force, or `machine` when there is
// none or the newest one went back to the machine's value.
Result<std::optional<std::string>> value_in_force(const Snapshot& snap, TargetKind kind, std::string_view target,
                                                  std::string_view field, std::optional<std::string> machine);
// An event as people corrected it (title, date).
Status apply_corrections(const Snapshot& snap, Event& event);
// A link as people corrected it: the article's relink of its position (a photo chosen by hand, or none), then
// the caption of the photo it now shows. Sets *relinked when a person chose the photo (then method and
// confidence no longer describe how it was found). NotFound never: a relink to a photo that left the archive
// leaves the link unresolved.
Status apply_corrections(const Snapshot& snap, Link& link, bool* relinked = nullptr);
// The person-made duplicate decisions: pairs marked "not duplicates" and photos chosen as their cluster's best
// copy (the newest decision for each, reverted ones left out).
struct DuplicateDecisions {
  std::vector<std::pair<Digest, Digest>> not_duplicates;
  std::vector<Digest> chosen_best;
};
Result<DuplicateDecisions> duplicate_decisions(const Snapshot& snap);

// `kho verify` for the team databases: decodes every user, session and correction, and checks that the
// journal's by-target index and its entries agree both ways. Adds what it finds to `report` (problems named
// by database and key; records_checked counts each value decoded). Errors: those of the scans only.
Status verify_team(const Snapshot& snap, VerifyReport& report);

// The id of the pair (a, b) for TargetKind::kPair, whatever the order.
std::string pair_target(const Digest& a, const Digest& b);

}  // namespace kho
