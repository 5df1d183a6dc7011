// The aggregate contract and the command handler.
//
// An aggregate type A provides:
//   A::State    a value type, default-constructed for a new stream;
//   A::Command  a value type describing what the caller asks for;
//   static Status A::apply(State&, const store::RecordedEvent&)
//       folds one recorded event into the state (a pure function). An event
//       it does not understand is Corruption: the history and the code
//       disagree, which must never be silently ignored;
//   static Result<std::vector<store::NewEvent>> A::decide(
//       const State&, const Command&, const Decision&)
//       decides, purely from the state, the command and the decision's
//       recorded time and actor, which events the command yields, or refuses
//       it with a typed Error (RefusedByRule, InvalidInput...).
//
// CommandHandler runs: load the stream, fold, decide, append with the
// expected version; on a version conflict it reloads and decides again, a
// bounded number of times. A refused command writes nothing.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <vector>

#include "parcours/engine/clock.h"
#include "parcours/engine/command_runner.h"
#include "parcours/store/event_log.h"
#include "parcours/store/limits.h"
#include "parcours/store/result.h"

namespace parcours::engine {

template <typename A>
concept Aggregate = requires(typename A::State& state, const typename A::State& current,
                             const typename A::Command& command, const store::RecordedEvent& event,
                             const Decision& decision) {
  { A::apply(state, event) } -> std::same_as<Status>;
  { A::decide(current, command, decision) } -> std::same_as<Result<std::vector<store::NewEvent>>>;
};

// A stream folded into its aggregate's state.
template <Aggregate A>
struct Loaded {
  typename A::State state{};
  store::StreamVersion version = 0;
};

// Reads a whole stream and folds it. Errors: those of the log, and any the
// aggregate's apply returns.
template <Aggregate A>
Result<Loaded<A>> loadAggregate(const store::EventLog& log, const std::string& streamId) {
  Loaded<A> loaded;
  constexpr std::size_t chunk = 1000;
  while (true) {
    auto events = log.readStream(streamId, loaded.version + 1, store::Direction::Forward, chunk);
    if (!events) return std::move(events).takeError();
    for (const store::RecordedEvent& event : *events) {
      if (auto s = A::apply(loaded.state, event); !s) return s.error();
      loaded.version = event.streamVersion;
    }
    if (events->size() < chunk) return loaded;
  }
}

template <Aggregate A>
class CommandHandler {
 public:
  CommandHandler(store::EventLog& log, const Clock& clock,
                 std::chrono::milliseconds retryFor = commandRetryForMax)
      : log_(log), clock_(clock), retryFor_(retryFor) {}

  // Handles one command on one stream. Returns the append's result; when the
  // command id was already handled, the original result (deduplicated=true)
  // without deciding again. A decision with no event appends nothing and
  // returns an empty result.
  Result<store::AppendResult> handle(const std::string& streamId,
                                     const typename A::Command& command,
                                     const CommandMetadata& metadata) {
    return runCommand(
        log_, clock_, metadata,
        [&](const Decision& decision) -> Result<std::vector<store::StreamWrite>> {
          auto loaded = loadAggregate<A>(log_, streamId);
          if (!loaded) return std::move(loaded).takeError();
          auto events = A::decide(loaded->state, command, decision);
          if (!events) return std::move(events).takeError();
          std::vector<store::StreamWrite> writes;
          if (!events->empty()) {
            writes.push_back({streamId, store::ExpectedVersion::exactly(loaded->version),
                              std::move(events).value()});
          }
          return writes;
        },
        retryFor_);
  }

 private:
  store::EventLog& log_;
  const Clock& clock_;
  std::chrono::milliseconds retryFor_;
};

}  // namespace parcours::engine
