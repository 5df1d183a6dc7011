// A dossier's timers (docs/timers.md): the statutory delay a submission
// starts and its warning, the meeting held again after one without quorum,
// the service level's reminder, and their end when the dossier is decided. Private
// to the workflows; C++17 on purpose, as the Boost.MSM translation unit
// includes it (its facade adds these events to every decision).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/dossier_machine.h"
#include "parcours/workflows/timers.h"

namespace parcours::workflows {

// Adds to `decision` (a decision of the dossier machine, in the same
// append) the timer events it implies (docs/timers.md):
// - a decision (a final state, or voted) cancels every pending timer;
// - a submission under a statutory delay schedules its timer and warning
//   (a delay that cannot be computed leaves nothing scheduled; the rules'
//   validation keeps every delay computable);
// - a vote adjourned for lack of quorum schedules the meeting held again;
// - under a service level, a change of state (re)starts the reminder.
void addDossierTimerEvents(const std::string& dossierId, const DossierState& before,
                           const CampaignState& campaign, const DossierCommand& command,
                           const DecisionInput& input, DossierDecision& decision);

}  // namespace parcours::workflows
