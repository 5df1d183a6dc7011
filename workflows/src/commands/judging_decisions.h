// The fair-judging decisions on a campaign's stream (docs/judging.md):
// conflict rulings, the committed and revealed juror draw, manual changes
// to it, the scoring round's close with its normalisation, consensus on
// disagreements, the selection under the envelope and the lot's seed.
// Private to parcours_workflows; campaign_decisions.cc dispatches here.
#pragma once

#include <string_view>
#include <vector>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging/selection.h"

namespace parcours::workflows {

Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::RuleConflict& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::CommitAssignment& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::RevealAssignment& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::ChangeAssignment& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::CloseRound& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::RecordConsensus& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::RecordSelection& command,
                                               std::string_view reason);
Result<std::vector<DomainEvent>> decideJudging(const CampaignState& state,
                                               const campaign_command::CommitLotSeed& command,
                                               std::string_view reason);

// The selection the rule in force gives over the candidates, without
// recording it: the dry run, and the run's own computation.
Result<judging::SelectionResult> computeSelection(
    const CampaignState& state, const campaign_command::RecordSelection& command);

// The draw's inputs as the campaign holds them: the appointed jurors with
// their expertise, the given dossiers with their tags, and every conflict
// declared and not dismissed (exclusions).
judging::AssignmentInputs drawInputs(const CampaignState& state,
                                     const std::vector<std::string>& dossierIds,
                                     const std::vector<std::vector<std::string>>& dossierTags);

// The spread of a dossier's jurors' weighted means (x1000): the largest
// minus the smallest; 0 with fewer than two jurors.
std::uint32_t scoreSpreadMilli(const CampaignRules& rules,
                               const std::vector<campaign_command::CloseRound::Sheet>& sheets);

}  // namespace parcours::workflows
