// The fold of a campaign's stream, and what the dossier machine asks of it.
#include <algorithm>
#include <string>

#include "parcours/workflows/campaign.h"
#include "domain/timer_fold.h"
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

std::string_view conflictStatusName(ConflictStatus status) {
  switch (status) {
    case ConflictStatus::Pending:
      return "pending";
    case ConflictStatus::Upheld:
      return "upheld";
    case ConflictStatus::Dismissed:
      return "dismissed";
  }
  return {};
}

const ConflictRecord* CampaignState::conflict(std::string_view jurorId,
                                              std::string_view dossierId) const {
  const auto it = conflicts.find({std::string(jurorId), std::string(dossierId)});
  return it == conflicts.end() ? nullptr : &it->second;
}

bool CampaignState::recused(std::string_view jurorId, std::string_view dossierId) const {
  const ConflictRecord* c = conflict(jurorId, dossierId);
  return c != nullptr && c->status == ConflictStatus::Upheld;
}

bool CampaignState::conflictPending(std::string_view jurorId, std::string_view dossierId) const {
  const ConflictRecord* c = conflict(jurorId, dossierId);
  return c != nullptr && c->status == ConflictStatus::Pending;
}

std::vector<std::string> CampaignState::pendingConflictsOn(std::string_view dossierId) const {
  std::vector<std::string> jurors;
  for (const auto& [pair, record] : conflicts) {
    if (pair.second == dossierId && record.status == ConflictStatus::Pending) {
      jurors.push_back(pair.first);
    }
  }
  return jurors;
}

bool CampaignState::drawn(std::string_view dossierId) const {
  return assignments.count(std::string(dossierId)) > 0;
}

std::vector<const JuryMember*> CampaignState::scorers(std::string_view dossierId) const {
  std::vector<const JuryMember*> out;
  const auto assigned = assignments.find(std::string(dossierId));
  for (const JuryMember& m : jury) {
    if (m.role != JuryRole::Juror || recused(m.id, dossierId)) continue;
    if (assigned != assignments.end() &&
        std::find(assigned->second.begin(), assigned->second.end(), m.id) ==
            assigned->second.end()) {
      continue;
    }
    out.push_back(&m);
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

const TimerRecord* CampaignState::timer(std::string_view timerId) const {
  return findTimer(timers, timerId);
}

const TimerRecord* CampaignState::pendingTimer(TimerAction action) const {
  return findPendingTimer(timers, action);
}

bool CampaignState::submissionInTime(std::int64_t nowMicros) const {
  constexpr std::int64_t microsPerSecond = 1'000'000;
  const std::int64_t nowSecond =
      (nowMicros >= 0 ? nowMicros : nowMicros - (microsPerSecond - 1)) / microsPerSecond *
      microsPerSecond;
  return nowSecond <= submissionDeadlineMicros();
}


Status applyCampaignEvent(CampaignState& state, std::string_view eventType,
                          std::string_view payload, std::int64_t recordedAtMicros) {
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
        state.deadlineMicros = state.rules().deadlineMicros;
        break;
      case E::RULES_AMENDED:
        state.rulesVersions.push_back(readRules(e.getRulesAmended().getRules()));
        if (auto s = checkMoney(state.rules()); !s) return s;
        state.envelopeCents = state.rules().budgetEnvelopeCents;
        state.deadlineMicros = state.rules().deadlineMicros;
        break;
      case E::JURY_APPOINTED:
        state.jury.clear();
        for (auto m : e.getJuryAppointed().getMembers()) {
          JuryMember member{toString(m.getId()), toString(m.getName()), readJuryRole(m.getRole()),
                            {}};
          for (auto tag : m.getExpertise()) member.expertise.push_back(toString(tag));
          state.jury.push_back(std::move(member));
        }
        break;
      case E::CONFLICT_OF_INTEREST_DECLARED:
        // Written before rulings existed: it took effect at once.
        state.conflicts[{toString(e.getConflictOfInterestDeclared().getJurorId()),
                         toString(e.getConflictOfInterestDeclared().getDossierId())}] = {
            ConflictStatus::Upheld, ConflictSource::Administrator};
        break;
      case E::CONFLICT_DECLARED: {
        const auto d = e.getConflictDeclared();
        state.conflicts[{toString(d.getJurorId()), toString(d.getDossierId())}] = {
            ConflictStatus::Pending, d.getDeclaredBy() == schema::ConflictSource::JUROR
                                         ? ConflictSource::Juror
                                         : ConflictSource::Administrator};
        break;
      }
      case E::CONFLICT_RULED: {
        const auto r = e.getConflictRuled();
        auto it = state.conflicts.find({toString(r.getJurorId()), toString(r.getDossierId())});
        if (it == state.conflicts.end()) {
          return Error::corruption("ConflictRuled on a conflict never declared");
        }
        it->second.status = r.getUpheld() ? ConflictStatus::Upheld : ConflictStatus::Dismissed;
        break;
      }
      case E::ASSIGNMENT_COMMITTED: {
        const auto c = e.getAssignmentCommitted();
        state.assignmentCommitment = AssignmentCommitment{
            c.getAlgorithmVersion(), c.getJurorsPerDossier(), c.getExpertiseRequired(),
            toString(c.getSeedCommitment())};
        break;
      }
      case E::ASSIGNMENT_DRAWN: {
        const auto d = e.getAssignmentDrawn();
        if (!state.draw) {
          state.draw = DrawRecord{toString(d.getSeed()), toString(d.getInputsHash()),
                                  d.getDossierCount(), 0, d.getParts()};
        }
        ++state.draw->partsFolded;
        for (auto dossier : d.getDossiers()) {
          std::vector<std::string> jurors;
          for (auto j : dossier.getJurorIds()) jurors.push_back(toString(j));
          state.assignments[toString(dossier.getDossierId())] = std::move(jurors);
        }
        break;
      }
      case E::ASSIGNMENT_CHANGED: {
        const auto c = e.getAssignmentChanged();
        auto& jurors = state.assignments[toString(c.getDossierId())];
        const std::string removed = toString(c.getRemovedJurorId());
        jurors.erase(std::remove(jurors.begin(), jurors.end(), removed), jurors.end());
        if (c.hasAddedJurorId() && c.getAddedJurorId().size() > 0) {
          jurors.push_back(toString(c.getAddedJurorId()));
          std::sort(jurors.begin(), jurors.end());
        }
        break;
      }
      case E::SCORING_ROUND_FROZEN:
        state.roundFrozen = true;
        break;
      case E::SCORING_ROUND_CLOSED:
        state.roundFrozen = true;
        state.roundClosed = true;
        for (auto d : e.getScoringRoundClosed().getDossiers()) {
          state.roundMeans[toString(d.getDossierId())] = {d.getJurors(), d.getRawMeanMilli(),
                                                          d.getNormalisedMeanMilli()};
        }
        break;
      case E::CONSENSUS_RECORDED:
        state.consensus[toString(e.getConsensusRecorded().getDossierId())] =
            e.getConsensusRecorded().getSpreadMilli();
        break;
      case E::SELECTION_RECORDED:
        if (!state.selection) state.selection.emplace();
        for (auto line : e.getSelectionRecorded().getLines()) {
          (*state.selection)[toString(line.getDossierId())] = line.getSelected();
        }
        break;
      case E::LOT_SEED_COMMITTED:
        state.lotSeedCommitment = toString(e.getLotSeedCommitted().getSeedCommitment());
        break;
      case E::PHASE_CHANGED:
        state.phase = readPhase(e.getPhaseChanged().getPhase());
        break;
      case E::AUDITIONS_BROADCAST:
        state.broadcasts[toString(e.getAuditionsBroadcast().getRoundId())] = recordedAtMicros;
        break;
      case E::CEREMONY_HELD:
        state.ceremonyAtMicros = recordedAtMicros;
        break;
      case E::LAUREATES_PUBLISHED:
        state.publishedAtMicros = recordedAtMicros;
        break;
      case E::BUDGET_ENVELOPE_SET:
        state.envelopeCents = e.getBudgetEnvelopeSet().getEnvelopeCents();
        if (auto s = checkRecordedCents("envelopeCents", state.envelopeCents); !s) return s;
        break;
      case E::FUNDING_COMMITTED:
        state.grantedCents = e.getFundingCommitted().getGrantedTotalCents();
        if (auto s = checkRecordedCents("grantedTotalCents", state.grantedCents); !s) return s;
        break;
      case E::TIMER_SCHEDULED:
        if (auto s = foldTimerScheduled(state.timers, e.getTimerScheduled(), recordedAtMicros);
            !s) {
          return s;
        }
        break;
      case E::TIMER_RESCHEDULED: {
        auto timer = foldTimerRescheduled(state.timers, eventType, e.getTimerRescheduled());
        if (!timer) return timer.error();
        // The deadline's timer falls due one second after the last accepted
        // second (deadlines are written to the second): moving it moves the
        // deadline.
        if ((*timer)->action == TimerAction::CloseSubmissions) {
          state.deadlineMicros = (*timer)->dueMicros - closeSubmissionsDelayMicros;
        }
        break;
      }
      case E::TIMER_CANCELLED:
        if (auto s = foldTimerEnded(state.timers, eventType, e.getTimerCancelled().getTimerId(),
                                    TimerStatus::Cancelled, recordedAtMicros);
            !s) {
          return s;
        }
        break;
      case E::TIMER_FIRED:
        if (auto s = foldTimerEnded(state.timers, eventType, e.getTimerFired().getTimerId(),
                                    TimerStatus::Fired, recordedAtMicros);
            !s) {
          return s;
        }
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
