// Running one command: the one loop every command handler goes through.
//
// A command id makes the command idempotent: when the log already holds an
// append with that id, its original result comes back (deduplicated=true)
// and nothing is decided again. Otherwise the command is stamped with the
// clock once per attempt, `decide` reads what it needs and returns the
// stream writes with the expected version of every stream it read; the
// append is atomic across them. On a version conflict the command is
// decided again from fresh reads, for as long as commandRetryForMax: each
// lost race means another command won it, so contention on one stream (eight
// grants on one campaign) ends in a decision for every racer, a grant or a
// refusal, however many race (issue 17, defect 11). A refused decision
// writes nothing.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "parcours/engine/clock.h"
#include "parcours/store/event_log.h"
#include "parcours/store/result.h"

namespace parcours::engine {

// What a decision may know besides the streams it reads: when and by whom.
struct Decision {
  Timestamp now;
  std::string actor;
};

// Who asks, and the ids that make the command idempotent and traceable.
struct CommandMetadata {
  std::string commandId;  // idempotency key; empty = no deduplication
  std::string actor;
  std::string correlationId;
  std::string causationId;
};

// How long a command is decided again after losing version races. A time,
// not a number of attempts: with N writers on one stream, the last needs N
// attempts. Measured on a steady clock (the retry policy is not a decision).
inline constexpr std::chrono::seconds commandRetryForMax{10};

// `decide(const Decision&)` returns Result<std::vector<store::StreamWrite>>;
// no write at all means the command changes nothing (an empty result).
// `retryFor`: how long lost races are decided again (tests shorten it).
template <typename Decide>
Result<store::AppendResult> runCommand(store::EventLog& log, const Clock& clock,
                                       const CommandMetadata& metadata, Decide&& decide,
                                       std::chrono::milliseconds retryFor = commandRetryForMax) {
  if (!metadata.commandId.empty()) {
    auto earlier = log.findCommand(metadata.commandId);
    if (!earlier) return std::move(earlier).takeError();
    if (earlier->has_value()) return std::move(**earlier);
  }
  const auto giveUpAt = std::chrono::steady_clock::now() + retryFor;
  for (int attempt = 1;; ++attempt) {
    const Decision decision{clock.now(), metadata.actor};
    Result<std::vector<store::StreamWrite>> writes = decide(decision);
    if (!writes) return std::move(writes).takeError();
    if (writes->empty()) return store::AppendResult{};
    store::AppendRequest request{std::move(writes).value(),
                                 {metadata.commandId, metadata.actor, metadata.correlationId,
                                  metadata.causationId, toMicros(decision.now)}};
    auto appended = log.append(std::move(request));
    if (appended || appended.error().code != ErrorCode::Conflict) return appended;
    if (std::chrono::steady_clock::now() >= giveUpAt) {
      return Error::conflict("the streams kept changing: " + std::to_string(attempt) +
                             " attempts over " + std::to_string(retryFor.count()) +
                             " ms lost the race (" + appended.error().message +
                             "); try the command again");
    }
  }
}

}  // namespace parcours::engine
