#include "parcours/store/hash_chain.h"

#include <capnp/message.h>
#include <openssl/evp.h>

#include "envelope_body.h"

namespace parcours::store::chain {
namespace {

// Canonical form of the envelope body, hashed after `prevHash`.
std::string hashBody(std::string_view prevHash, schema::Envelope::Reader body) {
  kj::Array<capnp::word> canonical = capnp::canonicalize(body);
  kj::ArrayPtr<const char> bytes = canonical.asChars();
  return sha256({prevHash, std::string_view(bytes.begin(), bytes.size())});
}

}  // namespace

const std::string& genesisHash() {
  static const std::string zeros(hashBytes, '\0');
  return zeros;
}

std::string sha256(std::initializer_list<std::string_view> parts) {
  // EVP_Digest over a context kept per thread: creating one per call costs
  // more than hashing a small envelope.
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context context;
  // Fetched once: OpenSSL 3 looks the algorithm up on every implicit use,
  // which costs more than hashing an envelope.
  static EVP_MD* const sha256Algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestInit_ex(context.ctx, sha256Algorithm, nullptr);
  for (std::string_view part : parts) EVP_DigestUpdate(context.ctx, part.data(), part.size());
  EVP_DigestFinal_ex(context.ctx, out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::string eventHash(const EventView& event) {
  capnp::MallocMessageBuilder message(codec::envelopeSegmentWords(event));
  auto envelope = message.initRoot<schema::Envelope>();
  codec::fillEnvelopeBody(envelope, event);
  return hashBody(event.prevHash, envelope.asReader());
}

std::string toHex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

Result<std::string> fromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) {
    return Error::invalidInput("\"" + std::string(hex.substr(0, 80)) +
                               "\" is not hexadecimal (odd number of digits)");
  }
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return Error::invalidInput("\"" + std::string(hex.substr(0, 80)) +
                                 "\" is not hexadecimal (digit " + std::to_string(i + 1) + ")");
    }
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

}  // namespace parcours::store::chain
