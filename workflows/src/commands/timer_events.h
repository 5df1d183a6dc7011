// The timer events a campaign decision adds to its own, in the same append
// (timers.h says which), and the checks every owner's timer decisions
// share. Private to the timer decisions.
#pragma once

#include <optional>
#include <string_view>

#include "domain/timer_fold.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/timers.h"

namespace parcours::workflows {

// The deadline's timer of a campaign being opened: the TimerScheduled that
// follows its CampaignOpened (stream version 2, rules version 1).
DomainEvent scheduleDeadlineTimer(const CampaignDefinition& definition, std::string_view reason);

// An amendment moving the deadline moves the pending deadline timer (the
// TimerRescheduled after the RulesAmended); nothing when none is pending or
// the due instant stays.
std::optional<DomainEvent> moveDeadlineTimer(const CampaignState& before,
                                             const CampaignRules& amended, std::string_view reason);

// The jurors' reminder of a campaign being opened, when its rules declare
// one (the TimerScheduled after the deadline's, stream version 3).
std::optional<DomainEvent> scheduleJurorReminder(const CampaignDefinition& definition,
                                                 std::string_view reason);

// An amendment's effect on the jurors' reminder: a pending one moves to the
// amended date or is cancelled when the amendment drops it; one newly
// declared is scheduled (its TimerScheduled at stream version `version`).
std::optional<DomainEvent> followJurorReminder(const CampaignState& before,
                                               const CampaignRules& amended,
                                               std::uint64_t version, std::string_view reason);

// The phase leaving `submissions` by hand cancels the pending deadline timer.
std::optional<DomainEvent> cancelDeadlineTimer(const CampaignState& before, std::string_view reason);

// A firing's record: the timer, its due instant and action, what it did.
void writeTimerFired(schema::TimerFired::Builder fired, const TimerRecord& t,
                     const std::string& outcome);

// "timer <id> (<action>, due <instant in zone>)", for messages.
std::string describeTimer(const TimerRecord& t, std::string_view zone);

// The timer a person or the scheduler names: NotFound when `owner` ("campaign
// \"c\"") has none by that id, Refused when it already ended.
Result<const TimerRecord*> pendingTimerIn(const TimerMap& timers, const std::string& timerId,
                                          const std::string& owner, std::string_view zone);

// A person's move: a reason, a due instant in the calendar's years, after
// now and not the one it has; the deadline's timer to a whole second.
Status checkReschedule(const TimerRecord& t, const timer_command::Reschedule& command,
                       std::string_view reason, std::string_view zone);

}  // namespace parcours::workflows
