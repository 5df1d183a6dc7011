// Who calls the server: bearer tokens, the subject they stand for, and the
// roles that subject holds.
//
// The tokens file (JSON, docs/serve.md) keeps only SHA-256 hashes of the
// tokens: reading it gives nobody a usable token. A presented token is hashed
// and compared with every entry in constant time (CRYPTO_memcmp), so neither
// the comparison nor the lookup order says how close a guess was.
#pragma once

#include <array>
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
  };

  // Reads a tokens file. InvalidInput (naming the entry) for malformed JSON,
  // a hash that is not 64 hex digits, an empty subject or an unknown role;
  // NotFound when the file cannot be read.
  static Result<TokenRegistry> load(const std::filesystem::path& path);
  static Result<TokenRegistry> parse(std::string_view json);

  // The principal a token stands for; nothing for an unknown token.
  std::optional<Principal> authenticate(std::string_view token) const;

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

// Adds a token for `subject` with `roles` to the file (creating it), written
// to a temporary file and renamed so a crash never leaves half a file.
// Returns the new token: it is shown once and never stored.
Result<std::string> addToken(const std::filesystem::path& path, const std::string& subject,
                             const std::vector<Role>& roles);

}  // namespace parcours::adapters
