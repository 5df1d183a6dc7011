// The timer events a campaign decision adds to its own, in the same append
// (timers.h says which). Private to the campaign decisions.
#pragma once

#include <optional>
#include <string_view>

#include "parcours/workflows/campaign.h"

namespace parcours::workflows {

// The deadline's timer of a campaign being opened: the TimerScheduled that
// follows its CampaignOpened (stream version 2, rules version 1).
DomainEvent scheduleDeadlineTimer(const CampaignDefinition& definition, std::string_view reason);

// An amendment moving the deadline moves the pending deadline timer (the
// TimerRescheduled after the RulesAmended); nothing when none is pending or
// the due instant stays.
std::optional<DomainEvent> moveDeadlineTimer(const CampaignState& before,
                                             const CampaignRules& amended, std::string_view reason);

// The phase leaving `submissions` by hand cancels the pending deadline timer.
std::optional<DomainEvent> cancelDeadlineTimer(const CampaignState& before, std::string_view reason);

}  // namespace parcours::workflows
