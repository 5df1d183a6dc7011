// The campaign's timers (docs/timers.md): what schedules them, what a
// person may do to one, and what firing one does.
//
// A timer's id is "<owner stream>:<action>:<version>", the version being
// its TimerScheduled's in that stream: unique in the log, readable by
// people, and a valid command id ("timer:<id>" records its firing once).
//
// Who schedules: the campaign's own decisions. Opening a campaign schedules
// the deadline's timer (close-submissions) one second after the deadline;
// an amendment states the deadline anew and the pending timer follows it
// (back from a person's earlier move, if the amendment says so); a
// phase changed by hand out of `submissions` cancels it. A person may move
// a pending timer (reschedule, to an instant after now, with a reason) or
// cancel it (with a reason); moving the deadline's timer moves the deadline
// for everyone. Firing runs the timer's action through the same decision
// and guards as a person's command, actor "timer:<id>".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parcours/workflows/campaign.h"

namespace parcours::workflows {

// "close-submissions": how ids, the CLI and the index name an action.
std::string_view timerActionName(TimerAction action);
std::optional<TimerAction> parseTimerActionName(std::string_view name);
std::string_view timerStatusName(TimerStatus status);

std::string timerId(std::string_view ownerStream, TimerAction action, std::uint64_t version);
// The owner stream and the campaign of a timer id; InvalidInput when the id
// is not one parcours makes (a specific message).
struct TimerRef {
  std::string ownerStream;
  std::string campaignId;
  TimerAction action = TimerAction::CloseSubmissions;
};
Result<TimerRef> parseTimerId(std::string_view timerId);

// The actor and command id a timer's firing is recorded under.
std::string timerActor(std::string_view timerId);

namespace timer_command {
// Fire a due timer. `nowMicros`: the decision's time (filled by the
// workflow service); before the due instant it is refused.
struct Fire {
  std::string timerId;
  std::int64_t nowMicros = 0;
};
// Move a pending timer to `dueMicros`, after `nowMicros` (the decision's
// time, filled by the workflow service).
struct Reschedule {
  std::string timerId;
  std::int64_t dueMicros = 0;
  std::int64_t nowMicros = 0;
};
struct Cancel {
  std::string timerId;
};
}  // namespace timer_command
using TimerCommand = std::variant<timer_command::Fire, timer_command::Reschedule,
                                  timer_command::Cancel>;

// Decides a timer command on the campaign that owns the timer. A refusal
// names the timer and why (unknown: NotFound; ended, not due: Refused; a
// due instant in the past or out of range: InvalidInput). The reason is
// recorded in the events (required for a person's reschedule and cancel).
Result<std::vector<DomainEvent>> decideTimer(const CampaignState& state,
                                             const TimerCommand& command, std::string_view reason);

}  // namespace parcours::workflows
