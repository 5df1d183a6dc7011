#include "webhook_signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace parcours::adapters::webhooks {

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool pad = c == '=' && i >= text.size() - 2 && (i == text.size() - 1 || text.back() == '=');
    if (!alnum && c != '+' && c != '/' && !pad) return std::nullopt;
  }
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: drop them.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.back() == '=') --size;
  if (text[text.size() - 2] == '=') --size;
  out.resize(size);
  if (base64Encode(out) != text) return std::nullopt;  // non-canonical trailing bits
  return out;
}

std::string generateSecret() {
  std::string key(secretKeyBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) !=
      1) {
    throw std::runtime_error("OpenSSL's random generator failed");
  }
  return std::string(secretPrefix) + base64Encode(key);
}

Result<std::string> secretKey(std::string_view secret) {
  if (secret.substr(0, secretPrefix.size()) != secretPrefix) {
    return Error::invalidInput(
        "secret: must start with \"whsec_\" followed by base64 (leave it out to get a "
        "generated one)");
  }
  auto key = base64Decode(secret.substr(secretPrefix.size()));
  if (!key) return Error::invalidInput("secret: the part after \"whsec_\" is not padded base64");
  if (key->size() < secretKeyBytesMin || key->size() > secretKeyBytesMax) {
    return Error::invalidInput("secret: the key must be " + std::to_string(secretKeyBytesMin) +
                               " to " + std::to_string(secretKeyBytesMax) + " bytes, not " +
                               std::to_string(key->size()));
  }
  return std::move(key).value();
}

std::string sign(std::string_view key, std::string_view id, std::string_view timestamp,
                 std::string_view body) {
  std::string message;
  message.reserve(id.size() + timestamp.size() + body.size() + 2);
  message.append(id).append(".").append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int macSize = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &macSize);
  return "v1," + base64Encode(std::string_view(reinterpret_cast<const char*>(mac), macSize));
}

}  // namespace parcours::adapters::webhooks
