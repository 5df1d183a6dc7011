// Tokens file format (docs/serve.md):
//   {"tokens": [{"sha256": "<64 hex digits>", "subject": "alice",
//                "roles": ["administrator"]}]}
#include "parcours/adapters/tokens.h"

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
    registry.entries_.push_back(std::move(entry));
  }
  return registry;
}

Result<TokenRegistry> TokenRegistry::load(const std::filesystem::path& path) {
  auto text = readFile(path);
  if (!text) return text.error();
  return parse(*text);
}

std::optional<Principal> TokenRegistry::authenticate(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  const TokenHash presented = hashToken(token);
  // Every entry is compared, whatever matched, so the time taken does not
  // depend on which entry (if any) holds the token.
  const Entry* found = nullptr;
  for (const Entry& entry : entries_) {
    if (CRYPTO_memcmp(entry.hash.data(), presented.data(), presented.size()) == 0) found = &entry;
  }
  if (found == nullptr) return std::nullopt;
  return found->principal;
}

Result<std::string> addToken(const std::filesystem::path& path, const std::string& subject,
                             const std::vector<Role>& roles) {
  if (subject.empty()) return Error::invalidInput("--subject: must not be empty");
  if (roles.empty()) return Error::invalidInput("--role: give at least one role");
  nlohmann::json document = {{"tokens", nlohmann::json::array()}};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto text = readFile(path);
    if (!text) return text.error();
    if (auto existing = TokenRegistry::parse(*text); !existing) return existing.error();
    document = nlohmann::json::parse(*text);
  }
  const std::string token = generateToken();
  nlohmann::json names = nlohmann::json::array();
  for (Role role : roles) names.push_back(roleName(role));
  document["tokens"].push_back(
      {{"sha256", toHex(hashToken(token))}, {"subject", subject}, {"roles", names}});
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << document.dump(2) << "\n";
    out.flush();
    if (!out) return Error::ioError("cannot write " + temporary.string());
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Error::ioError("cannot rename " + temporary.string() + ": " + ec.message());
  return token;
}

}  // namespace parcours::adapters
