// What the crash test's child does, and how it reports it: the names of its
// streams and commands, the bytes of its raw events (derived from the
// command id, so the checker knows what every acknowledged event must
// hold), and the acknowledgement lines the child writes to its parent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parcours/store/types.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"

namespace parcours::crashtest {

// The campaign every round's dossiers belong to: the bench call's rules,
// with a deadline far enough away that the system clock is always inside
// the submission window (the server decides with the system clock).
inline constexpr std::string_view campaignId = "crash-call";
workflows::CampaignRules crashRules();

// The raw events of an append: payload i of n of command `commandId`.
std::string rawPayload(std::string_view commandId, std::size_t index, std::size_t count);
// Reads back (index, count) from a raw payload; nullopt when it is not one.
struct RawPart {
  std::string commandId;
  std::size_t index = 0;
  std::size_t count = 0;
};
std::optional<RawPart> parseRawPayload(std::string_view payload);
inline constexpr std::string_view rawEventType = "CrashThing";

// One acknowledgement: a command the child (or the server) answered as
// durable. Kinds: 'a' raw append to one stream, 'p' raw atomic append to a
// pair of streams, 'w' workflow command in process, 'h' workflow command
// answered over HTTP, 't' a campaign opened in process whose deadline had
// passed (its deadline timer is due at once: the child's scheduler fires
// such timers while it is killed).
struct StreamAck {
  std::string streamId;
  store::StreamVersion lastVersion = 0;
};
struct Ack {
  char kind = 'a';
  std::string commandId;
  store::Position first = 0;
  store::Position last = 0;
  std::vector<StreamAck> streams;
};

// "ack <kind> <commandId> <first> <last> <stream>:<version>...\n": one
// line, written with a single write() so threads never interleave.
std::string ackLine(const Ack& ack);
std::optional<Ack> parseAckLine(std::string_view line);
Ack ackOf(char kind, const std::string& commandId, const store::AppendResult& result);

}  // namespace parcours::crashtest
