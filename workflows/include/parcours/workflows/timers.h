// The campaigns' and the dossiers' timers (docs/timers.md): what schedules
// them, what a person may do to one, and what firing one does.
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
//
// A dossier's timers: a submission under a statutory delay schedules the
// delay's timer (deem-decision) and its warning (warn-deemed-decision);
// a decision (a final state, or voted) cancels them. Moving or cancelling
// the delay's timer moves or cancels its pending warning with it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"

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
  std::string campaignId;  // a campaign's timer
  std::string dossierId;   // a dossier's timer
  TimerAction action = TimerAction::CloseSubmissions;
};
Result<TimerRef> parseTimerId(std::string_view timerId);

// When a statutory delay ends for a file complete at `completeMicros`: the
// first instant of the day after its last day, in the campaign's zone
// (the delay counted in civil dates: calendar.h), and when its warning is
// due (`warnDaysBefore` days before that instant, nullopt when none is
// declared or it would fall before the file was complete).
struct DeemedDates {
  std::int64_t decisionMicros = 0;
  std::optional<std::int64_t> warningMicros;
};
Result<DeemedDates> deemedDates(const StatutoryDelay& delay, bool alsaceMoselle,
                                std::string_view zone, std::int64_t completeMicros);

// The actor and command id a timer's firing is recorded under.
std::string timerActor(std::string_view timerId);

namespace timer_command {
// Fire a due timer. `nowMicros`: the decision's time (filled by the
// workflow service); before the due instant it is refused.
struct Fire {
  std::string timerId;
  std::int64_t nowMicros = 0;
  // The jurors' reminder's gathered input (unscoredByJuror below), filled
  // by the workflow service from the log, and by replay from its folds.
  std::map<std::string, std::uint32_t> unscoredByJuror = {};
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
// The same on a dossier's timer; `campaign` is the dossier's campaign. A
// firing of the delay's timer runs dossier_command::DeemDecision through
// the dossier machine, with the statutory delay of the rules the timer was
// scheduled under.
Result<std::vector<DomainEvent>> decideTimer(const std::string& dossierId,
                                             const DossierState& dossier,
                                             const CampaignState& campaign,
                                             const TimerCommand& command, std::string_view reason);

// Jurors' assigned, unscored dossiers in `campaign`: for each dossier of
// it being scored (eligible in a call without auditions, or auditioned),
// each of its scorers without a sheet, counted by juror.
std::map<std::string, std::uint32_t> unscoredByJuror(const CampaignState& campaign,
                                                     const std::vector<const DossierState*>& dossiers);

// The instants a timer may fall due: the calendar's civil years
// (calendar.h), so every due instant prints as a date people read.
Status checkDueInRange(std::int64_t dueMicros);

}  // namespace parcours::workflows
