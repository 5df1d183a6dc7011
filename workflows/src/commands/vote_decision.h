// The close of a dossier's vote, as the judging rules decide it: the facade
// the Boost.MSM machine (C++17) calls, so it never sees the C++20 tally
// (judging/deliberation.h). Private to parcours_workflows.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {

struct VoteDecision {
  std::uint32_t eligible = 0, yes = 0, no = 0, abstain = 0;
  std::uint32_t quorumNeeded = 0;
  bool quorumReached = false;
  bool tie = false;
  judging::TieBreak tieBreakUsed = judging::TieBreak::None;  // None: no tie or none declared
  std::string tieBreakDetail;
  bool carried = false;
  std::vector<std::string> present;  // as the command gave them, sorted
  std::uint32_t presentCount = 0;    // as the tally counted them (none given: those who voted)
  std::vector<std::string> recused;  // members of the voting body with an upheld conflict, sorted
  std::vector<std::pair<std::string, std::string>> proxies;  // (giver, holder), sorted
  std::uint32_t inOffice = 0;        // the law's quorum base
  bool quorumWaived = false;         // a meeting held again after one without quorum
  std::string explanation;           // one sentence with the numbers
  // Whether VoteClosed records the judging fields: only under judging rules,
  // so votes under rules written before them encode as they always did.
  bool extended = false;
};

// Counts the dossier's votes under the campaign's rules in force, at
// `nowMicros` (a meeting held again after one without quorum, from its
// reconvening date, needs none).
// InvalidInput for inconsistent input (a present member not eligible...);
// RefusedByRule for a lot seed that does not match the campaign's
// commitment, or a lot with no commitment.
Result<VoteDecision> decideVote(const CampaignState& campaign, const DossierState& dossier,
                                const dossier_command::CloseVote& command,
                                std::int64_t nowMicros);

}  // namespace parcours::workflows
