// The call the command and rebuild workloads run: no auditions, two jurors,
// one criterion; each dossier goes submit, eligible, two scores, scoring
// closed — five commands, five events.
#pragma once

#include <string>
#include <vector>

#include "parcours/engine/clock.h"
#include "parcours/workflows/workflow.h"

namespace parcours::bench {

// 2020-06-01T00:00:00Z: inside the bench call's submission window.
inline constexpr std::int64_t benchNowMicros = 1590969600000000;

// The call's rules (deadline 2020-06-30T23:59:59 UTC, communes only) and a
// complete application to it.
workflows::CampaignRules benchRules();
workflows::Application benchApplication();

// Opens `campaignId` under `rules` and appoints its two jurors.
Status openBenchCampaign(workflows::Workflow& workflow, const std::string& campaignId,
                         const workflows::CampaignRules& rules = benchRules());

// The five commands that take one dossier of `campaignId` to scoring closed.
std::vector<workflows::DossierCommand> benchDossierScript(const std::string& campaignId);

}  // namespace parcours::bench
