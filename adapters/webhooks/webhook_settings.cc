#include "parcours/adapters/webhook_settings.h"

#include <charconv>

namespace parcours::adapters {

Result<std::uint64_t> parseWebhookDuration(std::string_view flag, std::string_view text) {
  std::uint64_t number = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  std::uint64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1000;
  if (unit == "ms") scale = 1;
  if (unit == "m") scale = 60'000;
  if (unit == "h") scale = 3'600'000;
  if (unit == "d") scale = 86'400'000;
  constexpr std::uint64_t limitMillis = 365ull * 86'400'000;
  if (ptr == text.data() || ec != std::errc() || scale == 0 || number > limitMillis / scale) {
    return Error::invalidInput(std::string(flag) + ": \"" + std::string(text) +
                               "\" is not a duration up to 365d (250ms, 30s, 5m, 24h, 2d)");
  }
  return number * scale;
}

std::string formatWebhookDuration(std::uint64_t millis) {
  if (millis != 0 && millis % 86'400'000 == 0) return std::to_string(millis / 86'400'000) + "d";
  if (millis != 0 && millis % 3'600'000 == 0) return std::to_string(millis / 3'600'000) + "h";
  if (millis != 0 && millis % 60'000 == 0) return std::to_string(millis / 60'000) + "m";
  if (millis != 0 && millis % 1000 == 0) return std::to_string(millis / 1000) + "s";
  return std::to_string(millis) + "ms";
}

}  // namespace parcours::adapters
