// The webhook deliverer's settings (`parcours serve --webhook-...`,
// docs/webhooks.md): how long an event is retried before it is parked in
// the dead-letter list, and the exponential backoff between attempts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "parcours/store/result.h"

namespace parcours::adapters {

struct WebhookSettings {
  // An event is retried for this long after its first attempt, then
  // dead-lettered.
  std::uint64_t retryForMillis = 24ull * 3600 * 1000;
  // The wait before the second attempt; it doubles after each failure up
  // to backoffMaxMillis, and each wait is drawn at random in [w/2, w].
  std::uint64_t backoffInitialMillis = 1000;
  std::uint64_t backoffMaxMillis = 5ull * 60 * 1000;
  // One attempt (connect, send, the receiver's answer) past this fails.
  std::uint64_t attemptTimeoutMillis = 10'000;
};

// "250ms", "30s", "5m", "24h", "2d" (a bare number is seconds) in
// milliseconds. InvalidInput naming `flag` for anything else.
Result<std::uint64_t> parseWebhookDuration(std::string_view flag, std::string_view text);

// "24h", "1500ms": a duration for people, as the flags take it.
std::string formatWebhookDuration(std::uint64_t millis);

}  // namespace parcours::adapters
