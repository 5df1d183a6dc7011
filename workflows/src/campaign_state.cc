// The fold of a campaign's stream, and what the dossier machine asks of it.
#include <algorithm>
#include <string>

#include "parcours/workflows/campaign.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {
schema::JuryRole writeJuryRole(JuryRole role) {
  return role == JuryRole::ElectedOfficial ? schema::JuryRole::ELECTED_OFFICIAL
                                           : schema::JuryRole::JUROR;
}

schema::Phase writePhase(Phase phase) {
  switch (phase) {
    case Phase::SubmissionsClosed:
      return schema::Phase::SUBMISSIONS_CLOSED;
    case Phase::Auditions:
      return schema::Phase::AUDITIONS;
    case Phase::Deliberation:
      return schema::Phase::DELIBERATION;
    case Phase::Closed:
      return schema::Phase::CLOSED;
    default:
      return schema::Phase::SUBMISSIONS;
  }
}

JuryRole readJuryRole(schema::JuryRole role) {
  return role == schema::JuryRole::ELECTED_OFFICIAL ? JuryRole::ElectedOfficial : JuryRole::Juror;
}

Phase readPhase(schema::Phase phase) {
  switch (phase) {
    case schema::Phase::SUBMISSIONS_CLOSED:
      return Phase::SubmissionsClosed;
    case schema::Phase::AUDITIONS:
      return Phase::Auditions;
    case schema::Phase::DELIBERATION:
      return Phase::Deliberation;
    case schema::Phase::CLOSED:
      return Phase::Closed;
    default:
      return Phase::Submissions;
  }
}

const JuryMember* CampaignState::member(std::string_view id) const {
  for (const JuryMember& m : jury) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

bool CampaignState::recused(std::string_view jurorId, std::string_view dossierId) const {
  return conflicts.count({std::string(jurorId), std::string(dossierId)}) > 0;
}

std::vector<const JuryMember*> CampaignState::scorers(std::string_view dossierId) const {
  std::vector<const JuryMember*> out;
  for (const JuryMember& m : jury) {
    if (m.role == JuryRole::Juror && !recused(m.id, dossierId)) out.push_back(&m);
  }
  return out;
}

std::vector<const JuryMember*> CampaignState::voters(std::string_view dossierId) const {
  const JuryRole voting =
      rules().votingBody == VotingBody::Jury ? JuryRole::Juror : JuryRole::ElectedOfficial;
  std::vector<const JuryMember*> out;
  for (const JuryMember& m : jury) {
    if (m.role == voting && !recused(m.id, dossierId)) out.push_back(&m);
  }
  return out;
}

Status applyCampaignEvent(CampaignState& state, std::string_view eventType,
                          std::string_view payload) {
  using E = schema::CampaignEvent;
  // The rules' money, checked before the machine adds to it.
  const auto checkMoney = [](const CampaignRules& rules) -> Status {
    if (auto s = checkRecordedCents("budgetEnvelopeCents", rules.budgetEnvelopeCents); !s) return s;
    return checkRecordedCents("perDossierCapCents", rules.perDossierCapCents);
  };
  return readPayload<E>(payload, eventType, [&](E::Reader e) -> Status {
    const E::Which which = e.which();
    if (eventTypeName(which) != eventType) {
      return Error::corruption("event of type " + std::string(eventType) + " carries a " +
                               std::string(eventTypeName(which)) + " payload");
    }
    if (!state.exists && which != E::CAMPAIGN_OPENED) {
      return Error::corruption("campaign stream starts with " + std::string(eventType) +
                               ", not CampaignOpened");
    }
    switch (which) {
      case E::CAMPAIGN_OPENED:
        state.exists = true;
        state.campaignId = toString(e.getCampaignId());
        state.rulesVersions.push_back(readRules(e.getCampaignOpened().getRules()));
        if (auto s = checkMoney(state.rules()); !s) return s;
        state.envelopeCents = state.rules().budgetEnvelopeCents;
        break;
      case E::RULES_AMENDED:
        state.rulesVersions.push_back(readRules(e.getRulesAmended().getRules()));
        if (auto s = checkMoney(state.rules()); !s) return s;
        state.envelopeCents = state.rules().budgetEnvelopeCents;
        break;
      case E::JURY_APPOINTED:
        state.jury.clear();
        for (auto m : e.getJuryAppointed().getMembers()) {
          state.jury.push_back(
              {toString(m.getId()), toString(m.getName()), readJuryRole(m.getRole())});
        }
        break;
      case E::CONFLICT_OF_INTEREST_DECLARED:
        state.conflicts.insert({toString(e.getConflictOfInterestDeclared().getJurorId()),
                                toString(e.getConflictOfInterestDeclared().getDossierId())});
        break;
      case E::PHASE_CHANGED:
        state.phase = readPhase(e.getPhaseChanged().getPhase());
        break;
      case E::BUDGET_ENVELOPE_SET:
        state.envelopeCents = e.getBudgetEnvelopeSet().getEnvelopeCents();
        if (auto s = checkRecordedCents("envelopeCents", state.envelopeCents); !s) return s;
        break;
      case E::FUNDING_COMMITTED:
        state.grantedCents = e.getFundingCommitted().getGrantedTotalCents();
        if (auto s = checkRecordedCents("grantedTotalCents", state.grantedCents); !s) return s;
        break;
      default:
        return Error::corruption("unknown campaign event member " +
                                 std::to_string(static_cast<int>(which)) +
                                 " (written by a newer parcours?)");
    }
    if (state.rulesVersion() != e.getRulesVersion()) {
      return Error::corruption(std::string(eventType) + " says rules version " +
                               std::to_string(e.getRulesVersion()) + " but the stream has " +
                               std::to_string(state.rulesVersion()));
    }
    ++state.version;
    return okStatus();
  });
}

}  // namespace parcours::workflows
