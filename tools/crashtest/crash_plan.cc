#include "crash_plan.h"

#include <charconv>

#include "bench_campaign.h"

namespace parcours::crashtest {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return n;
}

// Splits on single spaces.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  while (!line.empty()) {
    const auto space = line.find(' ');
    out.push_back(line.substr(0, space));
    if (space == std::string_view::npos) break;
    line.remove_prefix(space + 1);
  }
  return out;
}

}  // namespace

workflows::CampaignRules crashRules() {
  workflows::CampaignRules rules = bench::benchRules();
  rules.name = "Crash test call";
  rules.deadlineLocal = "2099-12-31T23:59:59";
  rules.deadlineMicros = 4102444799000000;  // that instant in UTC, the rules' zone
  return rules;
}

std::string rawPayload(std::string_view commandId, std::size_t index, std::size_t count) {
  // "<command>#<i>/<n>" and some filler whose length depends on both, so
  // the events are not all the same size.
  std::string payload =
      std::string(commandId) + "#" + std::to_string(index) + "/" + std::to_string(count) + "|";
  payload.append(16 + (commandId.size() * 7 + index * 13) % 200, 'x');
  return payload;
}

std::optional<RawPart> parseRawPayload(std::string_view payload) {
  const auto hash = payload.rfind('#');
  const auto bar = payload.find('|', hash == std::string_view::npos ? 0 : hash);
  if (hash == std::string_view::npos || bar == std::string_view::npos) return std::nullopt;
  const std::string_view numbers = payload.substr(hash + 1, bar - hash - 1);
  const auto slash = numbers.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto index = number(numbers.substr(0, slash));
  const auto count = number(numbers.substr(slash + 1));
  if (!index || !count) return std::nullopt;
  return RawPart{std::string(payload.substr(0, hash)), *index, *count};
}

std::string ackLine(const Ack& ack) {
  std::string line = "ack ";
  line += ack.kind;
  line += " " + ack.commandId + " " + std::to_string(ack.first) + " " + std::to_string(ack.last);
  for (const StreamAck& s : ack.streams) {
    line += " " + s.streamId + ":" + std::to_string(s.lastVersion);
  }
  line += "\n";
  return line;
}

std::optional<Ack> parseAckLine(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  const auto parts = words(line);
  if (parts.size() < 5 || parts[0] != "ack" || parts[1].size() != 1) return std::nullopt;
  Ack ack;
  ack.kind = parts[1][0];
  ack.commandId = std::string(parts[2]);
  const auto first = number(parts[3]);
  const auto last = number(parts[4]);
  if (!first || !last) return std::nullopt;
  ack.first = *first;
  ack.last = *last;
  for (std::size_t i = 5; i < parts.size(); ++i) {
    const auto colon = parts[i].rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto version = number(parts[i].substr(colon + 1));
    if (!version) return std::nullopt;
    ack.streams.push_back({std::string(parts[i].substr(0, colon)), *version});
  }
  return ack;
}

Ack ackOf(char kind, const std::string& commandId, const store::AppendResult& result) {
  Ack ack{kind, commandId, result.firstPosition, result.lastPosition, {}};
  for (const auto& s : result.streams) ack.streams.push_back({s.streamId, s.lastVersion});
  return ack;
}

}  // namespace parcours::crashtest
