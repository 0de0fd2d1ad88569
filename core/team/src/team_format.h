// Private to kho::team: key layouts and value codecs of the `users`, `sessions` and `corrections`
// databases (core/FORMAT.md, "Team"). Values are compact JSON objects sealed with the catalog's CRC-32C
// trailer (seal_value): small, few, read one at a time, and readable with `mdb_dump` when a person must look.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kho/team.h"

namespace kho::teamfmt {

// users:       'u' name                       → User
// sessions:    's' BLAKE2b-256(token) (32 B)   → Session
// corrections: 'c' seq (be64)                  → Correction
//              't' kind (1 B) target \0 seq    → ""   (a target's corrections in order)
inline constexpr char kUser = 'u';
inline constexpr char kSession = 's';
inline constexpr char kEntry = 'c';
inline constexpr char kByTarget = 't';

std::string user_key(std::string_view name);
std::string session_key(std::string_view token);
std::string entry_key(std::uint64_t seq);
std::string target_prefix(TargetKind kind, std::string_view target);
std::string target_key(TargetKind kind, std::string_view target, std::uint64_t seq);
std::uint64_t seq_at(std::string_view key_tail);  // the be64 at the start of key_tail (8 bytes)

std::string encode(const User& u);
std::string encode(const Session& s);
std::string encode(const Correction& c);
Status decode(std::string_view sealed, User* out);
Status decode(std::string_view sealed, Session* out);
Status decode(std::string_view sealed, Correction* out);

// Unix seconds now.
std::int64_t now_seconds();
// Lower-case hex of `bytes`.
std::string hex(std::string_view bytes);

}  // namespace kho::teamfmt
