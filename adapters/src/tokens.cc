// Tokens file format (docs/serve.md):
//   {"tokens": [{"sha256": "<64 hex digits>", "subject": "alice",
//                "roles": ["administrator"]}]}
#include "parcours/adapters/tokens.h"

#include "parcours/workflows/zoned_time.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace parcours::adapters {
namespace {

constexpr std::array<std::string_view, roleCount> roleNames = {
    "administrator", "instructor", "juror", "auditor", "integrator", "applicant"};

std::optional<TokenHash> parseHex(std::string_view hex) {
  TokenHash out{};
  if (hex.size() != out.size() * 2) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

Result<std::string> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::notFound("tokens file " + path.string() + " cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string_view roleName(Role role) {
  return roleNames[static_cast<std::size_t>(role)];
}

std::optional<Role> parseRole(std::string_view name) {
  for (std::size_t i = 0; i < roleNames.size(); ++i) {
    if (roleNames[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

bool Principal::has(Role role) const {
  for (Role r : roles) {
    if (r == role) return true;
  }
  return false;
}

TokenHash hashToken(std::string_view token) {
  TokenHash out{};
  unsigned int length = 0;
  EVP_Digest(token.data(), token.size(), out.data(), &length, EVP_sha256(), nullptr);
  return out;
}

std::string toHex(const TokenHash& hash) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : hash) {
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

std::string generateToken() {
  TokenHash bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL's random generator failed");
  }
  return toHex(bytes);
}

Result<TokenRegistry> TokenRegistry::parse(std::string_view text) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Error::invalidInput(std::string("tokens file: not JSON: ") + e.what());
  }
  if (!document.is_object() || !document.contains("tokens") || !document["tokens"].is_array()) {
    return Error::invalidInput("tokens file: expected {\"tokens\": [...]}");
  }
  TokenRegistry registry;
  std::size_t index = 0;
  for (const auto& item : document["tokens"]) {
    const std::string where = "tokens file: tokens[" + std::to_string(index++) + "]";
    if (!item.is_object()) return Error::invalidInput(where + ": expected an object");
    Entry entry;
    const auto hash = item.value("sha256", nlohmann::json());
    auto parsed = hash.is_string() ? parseHex(hash.get<std::string>()) : std::nullopt;
    if (!parsed) return Error::invalidInput(where + ".sha256: expected 64 hex digits");
    entry.hash = *parsed;
    const auto subject = item.value("subject", nlohmann::json());
    if (!subject.is_string() || subject.get<std::string>().empty()) {
      return Error::invalidInput(where + ".subject: expected a non-empty string");
    }
    entry.principal.subject = subject.get<std::string>();
    const auto roles = item.value("roles", nlohmann::json());
    if (!roles.is_array() || roles.empty()) {
      return Error::invalidInput(where + ".roles: expected a non-empty list of roles");
    }
    for (const auto& role : roles) {
      auto parsedRole = role.is_string() ? parseRole(role.get<std::string>()) : std::nullopt;
      if (!parsedRole) {
        return Error::invalidInput(where + ".roles: " + role.dump() +
                                   " is not a role (administrator, instructor, juror, auditor, "
                                   "integrator, applicant)");
      }
      entry.principal.roles.push_back(*parsedRole);
    }
    if (item.contains("expires")) {
      const auto& expires = item["expires"];
      auto at = expires.is_string() ? workflows::parseInstant(expires.get<std::string>())
                                    : Result<std::int64_t>(Error::invalidInput("not a string"));
      if (!at) {
        return Error::invalidInput(where + ".expires: expected an RFC 3339 instant (" +
                                   at.error().message + ")");
      }
      entry.expiresAtMicros = *at;
    }
    registry.entries_.push_back(std::move(entry));
  }
  return registry;
}

Result<TokenRegistry> TokenRegistry::load(const std::filesystem::path& path) {
  auto text = readFile(path);
  if (!text) return text.error();
  return parse(*text);
}

std::optional<Principal> TokenRegistry::authenticate(std::string_view token,
                                                    std::int64_t nowMicros) const {
  if (token.empty()) return std::nullopt;
  const TokenHash presented = hashToken(token);
  // Every entry is compared, whatever matched, so the time taken does not
  // depend on which entry (if any) holds the token.
  const Entry* found = nullptr;
  for (const Entry& entry : entries_) {
    if (CRYPTO_memcmp(entry.hash.data(), presented.data(), presented.size()) == 0) found = &entry;
  }
  if (found == nullptr) return std::nullopt;
  if (found->expiresAtMicros && nowMicros >= *found->expiresAtMicros) return std::nullopt;
  return found->principal;
}

namespace {

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Written aside then renamed: a crash never leaves half a file. The
// process's umask (077, tools/parcours/main.cc) makes it 0600.
Status writeTokensFile(const std::filesystem::path& path, const nlohmann::json& document) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << document.dump(2) << "\n";
    out.flush();
    if (!out) return Error::ioError("cannot write " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::permissions(temporary, std::filesystem::perms::owner_read |
                                              std::filesystem::perms::owner_write, ec);
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Error::ioError("cannot rename " + temporary.string() + ": " + ec.message());
  return okStatus();
}

// The file's document, checked; an empty list when there is no file.
Result<nlohmann::json> readTokensDocument(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return nlohmann::json{{"tokens", nlohmann::json::array()}};
  auto text = readFile(path);
  if (!text) return text.error();
  if (auto existing = TokenRegistry::parse(*text); !existing) return existing.error();
  return nlohmann::json::parse(*text);
}

}  // namespace

Result<std::unique_ptr<TokenFile>> TokenFile::open(std::filesystem::path path) {
  auto registry = TokenRegistry::load(path);
  if (!registry) return registry.error();
  std::unique_ptr<TokenFile> file(new TokenFile());
  file->path_ = std::move(path);
  file->registry_ = std::move(registry).value();
  std::error_code ec;
  file->modified_ = std::filesystem::last_write_time(file->path_, ec);
  file->size_ = std::filesystem::file_size(file->path_, ec);
  file->lookedAt_ = std::chrono::steady_clock::now();
  return file;
}

void TokenFile::reloadIfChanged() {
  const auto now = std::chrono::steady_clock::now();
  if (now - lookedAt_ < std::chrono::seconds(1)) return;
  lookedAt_ = now;
  std::error_code ec;
  const auto modified = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  if (ec) {
    reloadError_ = Error::notFound("the tokens file " + path_.string() + ": " + ec.message());
    return;
  }
  if (modified == modified_ && size == size_ && !reloadError_) return;
  auto registry = TokenRegistry::load(path_);
  if (!registry) {
    reloadError_ = registry.error();
    return;
  }
  registry_ = std::move(registry).value();
  modified_ = modified;
  size_ = size;
  reloadError_.reset();
}

std::optional<Principal> TokenFile::authenticate(std::string_view token) {
  std::lock_guard lock(mutex_);
  reloadIfChanged();
  return registry_.authenticate(token, nowMicros());
}


Result<std::size_t> revokeTokens(const std::filesystem::path& path, const std::string& subject) {
  auto document = readTokensDocument(path);
  if (!document) return document.error();
  auto& list = (*document)["tokens"];
  const std::size_t before = list.size();
  nlohmann::json kept = nlohmann::json::array();
  for (auto& item : list) {
    if (item.value("subject", "") != subject) kept.push_back(std::move(item));
  }
  const std::size_t revoked = before - kept.size();
  if (revoked == 0) {
    return Error::notFound("no token of subject \"" + subject + "\" in " + path.string());
  }
  (*document)["tokens"] = std::move(kept);
  if (auto s = writeTokensFile(path, *document); !s) return s.error();
  return revoked;
}

Result<std::string> addToken(const std::filesystem::path& path, const std::string& subject,
                             const std::vector<Role>& roles,
                             std::optional<std::int64_t> expiresAtMicros) {
  if (subject.empty()) return Error::invalidInput("--subject: must not be empty");
  if (roles.empty()) return Error::invalidInput("--role: give at least one role");
  auto document = readTokensDocument(path);
  if (!document) return document.error();
  const std::string token = generateToken();
  nlohmann::json names = nlohmann::json::array();
  for (Role role : roles) names.push_back(roleName(role));
  nlohmann::json entry = {{"sha256", toHex(hashToken(token))}, {"subject", subject}, {"roles", names}};
  if (expiresAtMicros) entry["expires"] = workflows::formatUtc(*expiresAtMicros);
  (*document)["tokens"].push_back(std::move(entry));
  if (auto s = writeTokensFile(path, *document); !s) return s.error();
  return token;
}

}  // namespace parcours::adapters
