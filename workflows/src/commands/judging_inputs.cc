// Gathering the judging commands' inputs from the dossiers' streams (see
// judging_inputs.h).
#include "commands/judging_inputs.h"

#include <set>

#include "commands/judging_decisions.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {
namespace {

Result<DossierState> dossierOf(const DossierLookup& log, const CampaignState& state,
                               const std::string& dossierId) {
  auto dossier = log(dossierId);
  if (!dossier) return dossier;
  if (dossier->status == DossierStatus::Absent || dossier->campaignId != state.campaignId) {
    return Error::notFound("no dossier \"" + dossierId + "\" in campaign \"" + state.campaignId +
                           "\"");
  }
  return dossier;
}

// A dossier still being judged: submitted, eligible or auditioned. The draw
// and the round skip the others (withdrawn, refused...).
bool beingJudged(DossierStatus status) {
  return status == DossierStatus::Submitted || status == DossierStatus::Eligible ||
         status == DossierStatus::Auditioned;
}

Status gather(const DossierLookup& log, const CampaignState& state,
              campaign_command::RevealAssignment& c) {
  c.dossierTags.clear();
  if (c.everySubmitted) {
    // The whole campaign: the dossiers no longer being judged are left out.
    std::vector<std::string> judged;
    for (const std::string& id : c.dossierIds) {
      auto dossier = dossierOf(log, state, id);
      if (!dossier) return dossier.error();
      if (beingJudged(dossier->status)) judged.push_back(id);
    }
    c.dossierIds = std::move(judged);
    c.everySubmitted = false;
  }
  for (const std::string& id : c.dossierIds) {
    auto dossier = dossierOf(log, state, id);
    if (!dossier) return dossier.error();
    if (!beingJudged(dossier->status)) {
      return Error::refused("dossier \"" + id + "\" is " +
                            std::string(statusName(dossier->status)) +
                            ": only dossiers still being judged are drawn");
    }
    c.dossierTags.push_back(dossier->application.strands);
  }
  return okStatus();
}

Status gather(const DossierLookup& log, const CampaignState& state,
              campaign_command::RuleConflict& c) {
  auto dossier = dossierOf(log, state, c.dossierId);
  if (!dossier) return dossier.error();
  c.dossierTags = dossier->application.strands;
  return okStatus();
}

Status gather(const DossierLookup& log, const CampaignState& state,
              campaign_command::CloseRound& c) {
  c.sheets.clear();
  c.dossierIds.clear();
  for (const auto& [dossierId, jurors] : state.assignments) {
    auto dossier = dossierOf(log, state, dossierId);
    if (!dossier) return dossier.error();
    if (!beingJudged(dossier->status)) continue;
    c.dossierIds.push_back(dossierId);
    for (auto& sheet : scoreSheets(*dossier, state)) c.sheets.push_back(std::move(sheet));
  }
  return okStatus();
}

Status gather(const DossierLookup& log, const CampaignState& state,
              campaign_command::RecordConsensus& c) {
  auto dossier = dossierOf(log, state, c.dossierId);
  if (!dossier) return dossier.error();
  c.spreadMilli = scoreSpreadMilli(state.rules(), scoreSheets(*dossier, state));
  return okStatus();
}

Status gather(const DossierLookup& log, const CampaignState& state,
              campaign_command::RecordSelection& c) {
  c.candidates.clear();
  std::vector<std::string> considered = c.dossierIds;
  if (!state.assignments.empty()) {
    considered.clear();
    for (const auto& [dossierId, jurors] : state.assignments) considered.push_back(dossierId);
  }
  for (const std::string& dossierId : considered) {
    auto dossier = dossierOf(log, state, dossierId);
    if (!dossier) return dossier.error();
    // Carried by the vote; for a dry run before the vote, also those that
    // passed the threshold and await it. Where the vote decides the money,
    // the selection is the committee's proposal, made before the vote: the
    // dossiers scored past the threshold. A dossier asking for nothing has
    // nothing to select.
    const bool proposal = state.rules().grantedByDeliberation;
    const bool candidate =
        proposal ? dossier->status == DossierStatus::Scored
                 : dossier->status == DossierStatus::Voted ||
                       (c.beforeTheVote && dossier->status == DossierStatus::Scored);
    if (!candidate || dossier->application.requestedCents <= 0) continue;
    c.candidates.push_back({dossierId, dossier->meanMilli, dossier->application.requestedCents,
                            dossier->submittedAtMicros});
  }
  return okStatus();
}

}  // namespace

std::vector<campaign_command::CloseRound::Sheet> scoreSheets(const DossierState& dossier,
                                                             const CampaignState& campaign) {
  std::vector<campaign_command::CloseRound::Sheet> out;
  for (const JuryMember* juror : campaign.scorers(dossier.dossierId)) {
    const auto it = dossier.scores.find(juror->id);
    if (it == dossier.scores.end()) continue;
    campaign_command::CloseRound::Sheet sheet{dossier.dossierId, juror->id, {}};
    for (const CriterionScore& s : it->second) sheet.scores.emplace_back(s.criterionId, s.value);
    out.push_back(std::move(sheet));
  }
  return out;
}

Result<std::vector<std::string>> submittedDossiers(const store::EventLog& log,
                                                   const std::string& campaignId) {
  std::set<std::string> ids;
  constexpr std::size_t page = 10'000;
  store::Position from = 1;
  while (from <= log.head()) {
    auto last = log.scanAll(from, page, [&](const store::EventView& e) -> Status {
      if (e.eventType != "DossierSubmitted") return okStatus();
      using E = schema::DossierEvent;
      return readPayload<E>(e.payload, e.eventType, [&](E::Reader d) -> Status {
        if (toString(d.getCampaignId()) == campaignId) ids.insert(toString(d.getDossierId()));
        return okStatus();
      });
    });
    if (!last) return last.error();
    if (*last < from) break;
    from = *last + 1;
  }
  return std::vector<std::string>(ids.begin(), ids.end());
}

Result<CampaignCommand> gatherJudgingInputs(const DossierLookup& log, const CampaignState& state,
                                            const CampaignCommand& command) {
  CampaignCommand filled = command;
  const Status gathered = std::visit(
      [&](auto& c) -> Status {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, campaign_command::RevealAssignment> ||
                      std::is_same_v<C, campaign_command::RuleConflict> ||
                      std::is_same_v<C, campaign_command::CloseRound> ||
                      std::is_same_v<C, campaign_command::RecordConsensus> ||
                      std::is_same_v<C, campaign_command::RecordSelection>) {
          return gather(log, state, c);
        } else {
          return okStatus();
        }
      },
      filled);
  if (!gathered) return gathered.error();
  return filled;
}

}  // namespace parcours::workflows
