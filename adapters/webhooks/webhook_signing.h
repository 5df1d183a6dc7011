// Standard Webhooks signatures (https://www.standardwebhooks.com/): the
// receiver checks `webhook-signature: v1,<base64 HMAC-SHA256>` computed over
// "<webhook-id>.<webhook-timestamp>.<body>" with the subscription's secret,
// `whsec_<base64 key>`, whose HMAC key is the base64-decoded part.
// OpenSSL does the HMAC, the base64 and the random secrets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "parcours/store/result.h"

namespace parcours::adapters::webhooks {

inline constexpr std::string_view secretPrefix = "whsec_";
inline constexpr std::size_t secretKeyBytes = 32;     // generated keys
inline constexpr std::size_t secretKeyBytesMin = 24;  // accepted keys: 192 bits at least
inline constexpr std::size_t secretKeyBytesMax = 64;

// Standard base64 with padding (RFC 4648 §4).
std::string base64Encode(std::string_view bytes);
// Nothing for text that is not canonical padded base64.
std::optional<std::string> base64Decode(std::string_view text);

// A new secret: "whsec_" + base64 of 32 bytes from OpenSSL's CSPRNG.
std::string generateSecret();
// The HMAC key of a secret; InvalidInput (saying what is wrong, never the
// secret) when it is not "whsec_" + base64 of 24 to 64 bytes.
Result<std::string> secretKey(std::string_view secret);

// "v1," + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)).
std::string sign(std::string_view key, std::string_view id, std::string_view timestamp,
                 std::string_view body);

}  // namespace parcours::adapters::webhooks
