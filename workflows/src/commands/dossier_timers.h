// A dossier's timers (docs/timers.md): the statutory delay a submission
// starts, its warning, and their end when the dossier is decided. Private
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
// append): a submission under a statutory delay schedules its timer and
// warning; a decision (a final state, or voted) cancels the dossier's
// pending timers. A delay that cannot be computed leaves nothing scheduled
// (the rules' validation keeps every delay computable).
void addDossierTimerEvents(const std::string& dossierId, const DossierState& before,
                           const CampaignState& campaign, const DossierCommand& command,
                           const DecisionInput& input, DossierDecision& decision);

}  // namespace parcours::workflows
