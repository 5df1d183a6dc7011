// The close of a dossier's vote (see vote_decision.h): the campaign's
// deliberation rules applied by judging::tally to the recorded votes.
#include "commands/vote_decision.h"

#include <algorithm>

#include "parcours/workflows/campaign_lifecycle.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging/deliberation.h"

namespace parcours::workflows {

Result<VoteDecision> decideVote(const CampaignState& campaign, const DossierState& dossier,
                                const dossier_command::CloseVote& command,
                                std::int64_t nowMicros) {
  const CampaignRules& rules = campaign.rules();
  const judging::DeliberationRules deliberation = judging::deliberationRulesFor(rules);
  judging::DeliberationInput input;
  input.dossierId = dossier.dossierId;
  const JuryRole voting =
      rules.votingBody == VotingBody::Jury ? JuryRole::Juror : JuryRole::ElectedOfficial;
  for (const JuryMember& m : campaign.jury) {
    if (m.role != voting) continue;
    (campaign.recused(m.id, dossier.dossierId) ? input.recused : input.eligible).push_back(m.id);
  }
  input.present = command.present;
  std::sort(input.present.begin(), input.present.end());
  for (const auto& [giver, holder] : command.proxies) input.proxies.push_back({giver, holder});
  // A vote cast by proxy says who held it: the close need not repeat it,
  // and may not contradict it.
  for (const auto& recorded : dossier.proxyVotes) {
    const std::string& giver = recorded.first;
    const std::string& holder = recorded.second;
    const auto declared = std::find_if(input.proxies.begin(), input.proxies.end(),
                                       [&](const auto& p) { return p.giverId == giver; });
    if (declared == input.proxies.end()) {
      input.proxies.push_back({giver, holder});
    } else if (declared->holderId != holder) {
      return Error::invalidInput("proxies: \"" + giver + "\" gave a proxy to \"" +
                                 declared->holderId + "\", but \"" + holder +
                                 "\" cast the vote by proxy");
    }
  }
  std::sort(input.proxies.begin(), input.proxies.end(),
            [](const auto& a, const auto& b) { return a.giverId < b.giverId; });
  input.inOffice = static_cast<std::uint32_t>(input.eligible.size() + input.recused.size());
  input.quorumWaived = dossier.adjournedAtMicros && nowMicros >= dossier.reconveneFromMicros;
  for (const auto& [voter, choice] : dossier.votes) {
    // A vote of a member recused since it was cast no longer counts.
    if (std::find(input.eligible.begin(), input.eligible.end(), voter) != input.eligible.end()) {
      input.votes.push_back({voter, choice});
    }
  }
  // The rules say whether a lot may decide; the lifecycle, whether its
  // seed was committed in time.
  if (deliberation.tieBreak == judging::TieBreak::Lot) {
    if (auto s = lifecycle::mayRun(campaign, lifecycle::CommandKind::CloseVoteByLot); !s) {
      return s.error();
    }
    if (judging::seedCommitment(command.lotSeed) != campaign.lotSeedCommitment) {
      return Error::refused("the lot seed does not match the commitment " +
                            campaign.lotSeedCommitment + " of campaign \"" +
                            campaign.campaignId + "\" (give the committed seed's file with --lot-seed-file)");
    }
    input.lotSeed = command.lotSeed;
  }
  auto outcome = judging::tally(deliberation, input);
  if (!outcome) return outcome.error();
  VoteDecision d;
  d.eligible = outcome->eligible;
  d.yes = outcome->yes;
  d.no = outcome->no;
  d.abstain = outcome->abstain;
  d.quorumNeeded = outcome->quorumNeeded;
  d.quorumReached = outcome->quorumReached;
  d.tie = outcome->tie;
  d.tieBreakUsed = outcome->tieBreakUsed.value_or(judging::TieBreak::None);
  d.tieBreakDetail = outcome->tieBreakDetail;
  d.carried = outcome->carried;
  d.present = input.present;
  d.presentCount = outcome->present;
  d.recused = input.recused;
  for (const auto& p : input.proxies) d.proxies.emplace_back(p.giverId, p.holderId);
  d.inOffice = outcome->inOffice;
  d.quorumWaived = outcome->quorumWaived;
  std::sort(d.recused.begin(), d.recused.end());
  d.explanation = outcome->explanation;
  d.extended = !(rules.judging == judging::JudgingRules{});
  return d;
}

}  // namespace parcours::workflows
