// Who calls the server: bearer tokens, the subject they stand for, and the
// roles that subject holds.
//
// The tokens file (JSON, docs/serve.md) keeps only SHA-256 hashes of the
// tokens: reading it gives nobody a usable token. A presented token is hashed
// and compared with every entry in constant time (CRYPTO_memcmp), so neither
// the comparison nor the lookup order says how close a guess was.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <mutex>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::adapters {

enum class Role : std::uint8_t {
  Administrator,  // everything
  Instructor,     // processes dossiers: eligibility, auditions, closing, award
  Juror,          // the campaigns they sit on: their own scores and votes
  Auditor,        // reads everything, writes nothing
  Integrator,     // reads and subscribes to the events, nothing else
  Applicant,      // submits; reads and withdraws only their own dossiers
};
inline constexpr int roleCount = 6;

std::string_view roleName(Role role);  // "administrator"...
std::optional<Role> parseRole(std::string_view name);

// An authenticated caller. The subject is what events record as the actor.
struct Principal {
  std::string subject;
  std::vector<Role> roles;
  bool has(Role role) const;
};

using TokenHash = std::array<unsigned char, 32>;  // SHA-256

TokenHash hashToken(std::string_view token);
std::string toHex(const TokenHash& hash);
// A new random token: 32 bytes from OpenSSL's CSPRNG, hex-encoded.
std::string generateToken();

class TokenRegistry {
 public:
  struct Entry {
    TokenHash hash{};
    Principal principal;
    // After this instant (microseconds since the epoch) the token is
    // refused; none: it never expires. The file's "expires", RFC 3339.
    std::optional<std::int64_t> expiresAtMicros;
  };

  // Reads a tokens file. InvalidInput (naming the entry) for malformed JSON,
  // a hash that is not 64 hex digits, an empty subject or an unknown role;
  // NotFound when the file cannot be read.
  static Result<TokenRegistry> load(const std::filesystem::path& path);
  static Result<TokenRegistry> parse(std::string_view json);

  // The principal a token stands for; nothing for an unknown token or one
  // expired at `nowMicros`.
  std::optional<Principal> authenticate(std::string_view token, std::int64_t nowMicros) const;

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// The tokens file as a running server uses it: read again when it changes
// (its modification time or size, looked at no more than once a second), so
// a token added, revoked or expired takes effect without a restart. A file
// that no longer parses keeps the last good registry (and says so in the
// log at each look). Used from the server's event loop; locked anyway.
class TokenFile {
 public:
  static Result<std::unique_ptr<TokenFile>> open(std::filesystem::path path);
  std::optional<Principal> authenticate(std::string_view token);

 private:
  TokenFile() = default;
  void reloadIfChanged();

  mutable std::mutex mutex_;
  std::filesystem::path path_;
  TokenRegistry registry_;
  std::filesystem::file_time_type modified_{};
  std::uintmax_t size_ = 0;
  std::chrono::steady_clock::time_point lookedAt_{};
  std::optional<Error> reloadError_;
};

// Adds a token for `subject` with `roles` to the file (creating it), written
// to a temporary file and renamed so a crash never leaves half a file.
// `expiresAtMicros`: when it stops working (none: never). Returns the new
// token: it is shown once and never stored.
Result<std::string> addToken(const std::filesystem::path& path, const std::string& subject,
                             const std::vector<Role>& roles,
                             std::optional<std::int64_t> expiresAtMicros = std::nullopt);

// Removes every token of `subject` from the file; returns how many.
// NotFound when the subject has none. A running server stops accepting
// them within a second (TokenFile).
Result<std::size_t> revokeTokens(const std::filesystem::path& path, const std::string& subject);

}  // namespace parcours::adapters
