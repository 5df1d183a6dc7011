// What the judging commands need from the dossiers' streams, gathered by
// the workflow service before the decision (the campaign stream knows the
// dossiers only by id): the draw's dossiers and their strands, the round's
// score sheets, a dossier's spread, the selection's candidates.
// Private to parcours_workflows.
#pragma once

#include <functional>

#include "parcours/store/event_log.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {

// A dossier's state as of the decision: folded from the log by the
// workflow service, taken from the replay's folds by the audit. Status
// Absent for a dossier that does not exist.
using DossierLookup = std::function<Result<DossierState>(const std::string& dossierId)>;

// The last score sheet of each of the dossier's scorers (drawn jurors, or
// every juror; none recused): what the round normalises and the spread and
// the leaderboard are computed on.
std::vector<campaign_command::CloseRound::Sheet> scoreSheets(const DossierState& dossier,
                                                             const CampaignState& campaign);

// Every dossier ever submitted to the campaign, by id: a scan of the whole
// log for its submissions (the campaign's stream names no dossier until
// the draw). Run once per campaign, by a reveal given no dossier list.
Result<std::vector<std::string>> submittedDossiers(const store::EventLog& log,
                                                   const std::string& campaignId);

// `command` with its gathered fields filled; commands that gather nothing
// come back unchanged. NotFound for a dossier that does not exist or is in
// another campaign; RefusedByRule for one that cannot be drawn (a final
// state).
Result<CampaignCommand> gatherJudgingInputs(const DossierLookup& dossiers,
                                            const CampaignState& state,
                                            const CampaignCommand& command);

}  // namespace parcours::workflows
