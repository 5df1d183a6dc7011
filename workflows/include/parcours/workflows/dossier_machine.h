// The dossier state machine's facade. The machine itself is Boost.MSM
// (dossier_machine.cc, the only translation unit that sees MSM types,
// compiled as C++17 because Debian's Boost 1.74 MSM does not compile as
// C++20 under g++ 12).
//
// decideDossier restores a machine to the dossier's current state, feeds it
// the command as an MSM event, and returns what the transition's actions
// emitted. A guard that says no, a command with no transition from the
// current state, and an exception in a guard or action all come back as a
// typed refusal (RefusedByRule, or InvalidInput for malformed commands) whose
// message names the rule and the values; nothing is emitted then.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parcours/store/result.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {

// Who decides, when, and why: recorded in the events.
struct DecisionInput {
  std::int64_t nowMicros = 0;  // the command's recorded time
  std::string actor;
  std::string reason;
};

struct DossierDecision {
  std::vector<DomainEvent> dossierEvents;   // for "dossier-<id>"
  std::vector<DomainEvent> campaignEvents;  // for "campaign-<id>" (a grant's commitment)
  DossierStatus next = DossierStatus::Absent;
};

// `dossier` is the dossier's folded state (status Absent for a new id);
// `campaign` is its campaign's folded state, which must exist.
Result<DossierDecision> decideDossier(const std::string& dossierId, const DossierState& dossier,
                                      const CampaignState& campaign, const DossierCommand& command,
                                      const DecisionInput& input);

}  // namespace parcours::workflows
