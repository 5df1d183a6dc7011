#include "views/event_summary.h"

#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows::views {
namespace {

std::string_view text(capnp::Text::Reader t) {
  return {t.cStr(), t.size()};
}

std::string_view choiceName(schema::VoteChoice choice) {
  switch (choice) {
    case schema::VoteChoice::YES:
      return "yes";
    case schema::VoteChoice::NO:
      return "no";
    case schema::VoteChoice::ABSTAIN:
      return "abstain";
  }
  return "unknown";
}

std::string_view phaseWords(schema::Phase phase) {
  switch (phase) {
    case schema::Phase::SUBMISSIONS:
      return "submissions";
    case schema::Phase::SUBMISSIONS_CLOSED:
      return "submissions closed";
    case schema::Phase::AUDITIONS:
      return "auditions";
    case schema::Phase::DELIBERATION:
      return "deliberation";
    case schema::Phase::CLOSED:
      return "closed";
  }
  return "unknown";
}

void appendList(std::string& out, capnp::List<capnp::Text>::Reader items) {
  bool first = true;
  for (auto item : items) {
    if (!first) out += ", ";
    out += text(item);
    first = false;
  }
}

std::string rulesSummary(std::string_view verb, std::uint32_t version,
                         schema::CampaignRules::Reader rules) {
  std::string out(verb);
  out += ": \"";
  out += text(rules.getName());
  out += "\" by ";
  out += text(rules.getOrganiser());
  out += ", rules version ";
  out += std::to_string(version);
  out += ", deadline ";
  out += text(rules.getDeadlineLocal());
  out += " (";
  out += text(rules.getTimeZone());
  out += ")";
  if (rules.getBudgetEnvelopeCents() > 0) {
    out += ", envelope ";
    out += formatEuros(rules.getBudgetEnvelopeCents());
  }
  if (rules.getLabelName().size() > 0) {
    out += ", label \"";
    out += text(rules.getLabelName());
    out += "\"";
  }
  return out;
}

// A timer's events read the same on a campaign's stream and a dossier's.
std::string timerScheduled(schema::TimerScheduled::Reader t) {
  const std::string id(text(t.getTimerId()));
  const std::string due = formatUtc(t.getDueMicros());
  switch (t.getAction()) {
    case schema::TimerAction::DEEM_DECISION:
      return "statutory delay: the decision is deemed taken on " + due +
             " unless it is taken before (timer " + id + ")";
    case schema::TimerAction::WARN_DEEMED_DECISION:
      return "warning before the deemed decision scheduled for " + due + " (timer " + id + ")";
    case schema::TimerAction::RECONVENE_VOTE:
      return "the meeting without quorum is held again, of right, on " + due + " (timer " + id +
             ")";
    case schema::TimerAction::REMIND_JURORS:
      return "the jurors with unscored dossiers are reminded on " + due + " (timer " + id + ")";
    case schema::TimerAction::REMIND_ADMINISTRATORS:
      return "service level: the administrators are reminded on " + due +
             " if the dossier still waits (timer " + id + ")";
    default:
      return "timer " + id + " scheduled, due " + due;
  }
}
std::string timerRescheduled(schema::TimerRescheduled::Reader t) {
  return "timer " + std::string(text(t.getTimerId())) + " moved from " + formatUtc(t.getPreviousDueMicros()) +
         " to " + formatUtc(t.getDueMicros());
}
std::string timerCancelled(schema::TimerCancelled::Reader t) {
  return "timer " + std::string(text(t.getTimerId())) + " cancelled (was due " + formatUtc(t.getDueMicros()) +
         ")";
}
std::string timerFired(schema::TimerFired::Reader t) {
  return "timer " + std::string(text(t.getTimerId())) + " fired (due " + formatUtc(t.getDueMicros()) +
         "): " + std::string(text(t.getOutcome()));
}

}  // namespace

std::string summarize(schema::DossierEvent::Reader e) {
  using E = schema::DossierEvent;
  std::string out;
  switch (e.which()) {
    case E::DOSSIER_SUBMITTED: {
      auto a = e.getDossierSubmitted().getApplication();
      out = "submitted by ";
      out += text(a.getApplicantName());
      out += " (";
      out += text(a.getApplicantKind());
      out += "): \"";
      out += text(a.getTitle());
      out += "\"";
      if (a.getStrands().size() > 0) {
        out += a.getStrands().size() == 1 ? ", strand " : ", strands ";
        appendList(out, a.getStrands());
      }
      if (a.getRequestedCents() > 0) {
        out += ", asking ";
        out += formatEuros(a.getRequestedCents());
      }
      return out;
    }
    case E::ELIGIBILITY_CONFIRMED:
      return "declared eligible";
    case E::DOSSIER_DECLARED_INELIGIBLE:
      return "declared ineligible";
    case E::DOSSIER_NOT_SELECTED:
      return "not selected";
    case E::AUDITION_SCHEDULED:
      return "audition scheduled for " +
             formatInZone(e.getAuditionScheduled().getSlotMicros(), "UTC");
    case E::AUDITION_HELD:
      return "audition held";
    case E::AUDITION_MISSED:
      return "audition missed: the applicant did not show up";
    case E::SCORE_RECORDED: {
      auto s = e.getScoreRecorded();
      out = "scored by ";
      out += text(s.getJurorId());
      out += ":";
      bool first = true;
      for (auto score : s.getScores()) {
        out += first ? " " : ", ";
        out += text(score.getCriterionId());
        out += ' ';
        out += std::to_string(score.getValue());
        first = false;
      }
      return out;
    }
    case E::SCORING_CLOSED: {
      auto s = e.getScoringClosed();
      out = "scoring closed: mean ";
      out += formatMilli(s.getMeanMilli());
      out += " (threshold ";
      out += formatMilli(s.getThresholdMilli());
      out += ") over ";
      out += std::to_string(s.getJurorsCounted());
      out += s.getJurorsCounted() == 1 ? " juror" : " jurors";
      out += s.getPassed() ? ": passed" : ": below threshold";
      if (s.getCriteria().size() > 0) {
        out += " (";
        bool first = true;
        for (auto c : s.getCriteria()) {
          if (!first) out += ", ";
          out += text(c.getCriterionId());
          out += ' ';
          out += formatMilli(c.getMeanMilli());
          first = false;
        }
        out += ")";
      }
      return out;
    }
    case E::VOTE_CAST:
      out = "vote cast by ";
      out += text(e.getVoteCast().getVoterId());
      out += ": ";
      out += choiceName(e.getVoteCast().getChoice());
      return out;
    case E::VOTE_CLOSED: {
      auto v = e.getVoteClosed();
      return "vote closed: " + std::to_string(v.getYes()) + " yes, " + std::to_string(v.getNo()) +
             " no, " + std::to_string(v.getAbstain()) + " abstain of " +
             std::to_string(v.getEligibleVoters()) +
             (v.getEligibleVoters() == 1 ? " voter: " : " voters: ") +
             (v.getCarried() ? "carried" : "rejected");
    }
    case E::LABEL_AWARDED:
      out = "label awarded: \"";
      out += text(e.getLabelAwarded().getLabelName());
      out += "\"";
      return out;
    case E::FUNDING_GRANTED:
      return "funding granted: " + formatEuros(e.getFundingGranted().getAmountCents());
    case E::DOSSIER_WITHDRAWN:
      return "withdrawn by the applicant";
    case E::VOTE_ADJOURNED: {
      auto v = e.getVoteAdjourned();
      return "vote adjourned without quorum: " + std::to_string(v.getPresent().size()) +
             " present of the " + std::to_string(v.getQuorumNeeded()) +
             " needed; held again of right from " +
             formatInZone(v.getReconveneFromMicros(), "UTC");
    }
    case E::DOSSIER_ERASED:
      out = "personal data erased: ";
      out += text(e.getReason());
      return out;
    case E::DOSSIER_TIMER_SCHEDULED:
      return timerScheduled(e.getDossierTimerScheduled());
    case E::DOSSIER_TIMER_RESCHEDULED:
      return timerRescheduled(e.getDossierTimerRescheduled());
    case E::DOSSIER_TIMER_CANCELLED:
      return timerCancelled(e.getDossierTimerCancelled());
    case E::DOSSIER_TIMER_FIRED:
      return timerFired(e.getDossierTimerFired());
    case E::DECISION_DEEMED: {
      auto d = e.getDecisionDeemed();
      out = d.getOutcome() == schema::DeemedOutcome::ACCEPTED ? "decision deemed: accepted"
                                                               : "decision deemed: refused";
      out += ", no decision within ";
      out += text(d.getDelay());
      out += " of the complete file (";
      out += formatUtc(d.getCompleteMicros());
      out += "); legal basis: ";
      out += text(d.getLegalBasis());
      return out;
    }
  }
  return "unknown dossier event";
}

namespace {
std::string str(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }
}  // namespace

std::string summarize(schema::CampaignEvent::Reader e) {
  using E = schema::CampaignEvent;
  std::string out;
  switch (e.which()) {
    case E::CAMPAIGN_OPENED:
      return rulesSummary("campaign opened", e.getRulesVersion(), e.getCampaignOpened().getRules());
    case E::RULES_AMENDED:
      return rulesSummary("rules amended", e.getRulesVersion(), e.getRulesAmended().getRules());
    case E::JURY_APPOINTED: {
      // Member ids only: names are personal data and stay in the log.
      std::string jurors;
      std::string officials;
      for (auto m : e.getJuryAppointed().getMembers()) {
        std::string& list = m.getRole() == schema::JuryRole::JUROR ? jurors : officials;
        if (!list.empty()) list += ", ";
        list += text(m.getId());
      }
      out = "jury appointed:";
      if (!jurors.empty()) out += " jurors " + jurors;
      if (!jurors.empty() && !officials.empty()) out += ";";
      if (!officials.empty()) out += " elected officials " + officials;
      return out;
    }
    case E::CONFLICT_OF_INTEREST_DECLARED:
      out = "conflict of interest: ";
      out += text(e.getConflictOfInterestDeclared().getJurorId());
      out += " recused from dossier ";
      out += text(e.getConflictOfInterestDeclared().getDossierId());
      return out;
    case E::PHASE_CHANGED:
      out = "phase changed to ";
      out += phaseWords(e.getPhaseChanged().getPhase());
      return out;
    case E::BUDGET_ENVELOPE_SET:
      return "budget envelope set to " + formatEuros(e.getBudgetEnvelopeSet().getEnvelopeCents());
    case E::FUNDING_COMMITTED: {
      auto f = e.getFundingCommitted();
      out = formatEuros(f.getAmountCents());
      out += " committed to dossier ";
      out += text(f.getDossierId());
      out += "; ";
      out += formatEuros(f.getGrantedTotalCents());
      out += " granted in total";
      return out;
    }
    case E::ASSIGNMENT_COMMITTED: {
      auto c = e.getAssignmentCommitted();
      return "juror draw committed: algorithm version " + std::to_string(c.getAlgorithmVersion()) +
             ", " + std::to_string(c.getJurorsPerDossier()) + " jurors per dossier" +
             (c.getExpertiseRequired() ? ", expertise required" : "") + ", seed SHA-256 " +
             str(c.getSeedCommitment());
    }
    case E::ASSIGNMENT_DRAWN: {
      auto d = e.getAssignmentDrawn();
      out = "jurors drawn (part " + std::to_string(d.getPart()) + " of " +
            std::to_string(d.getParts()) + ", " + std::to_string(d.getDossierCount()) +
            " dossiers) with seed " + str(d.getSeed()) + ", inputs " + str(d.getInputsHash());
      for (auto dossier : d.getDossiers()) {
        out += "; " + str(dossier.getDossierId()) + ":";
        for (auto j : dossier.getJurorIds()) out += " " + str(j);
      }
      return out;
    }
    case E::ASSIGNMENT_CHANGED: {
      auto c = e.getAssignmentChanged();
      out = "assignment of dossier " + str(c.getDossierId()) + " changed";
      out += c.getCause() == schema::AssignmentChangeCause::CONFLICT_UPHELD
                 ? " after an upheld conflict:"
                 : " by hand:";
      if (c.getRemovedJurorId().size() > 0) out += " " + str(c.getRemovedJurorId()) + " removed";
      if (c.getAddedJurorId().size() > 0) out += " " + str(c.getAddedJurorId()) + " added";
      return out;
    }
    case E::CONFLICT_DECLARED: {
      auto d = e.getConflictDeclared();
      return "conflict of interest declared by the " +
             std::string(d.getDeclaredBy() == schema::ConflictSource::JUROR ? "juror"
                                                                             : "administrator") +
             ": " + str(d.getJurorId()) + " with dossier " + str(d.getDossierId()) +
             " (awaits a ruling)";
    }
    case E::CONFLICT_RULED: {
      auto r = e.getConflictRuled();
      return "conflict of interest of " + str(r.getJurorId()) + " with dossier " +
             str(r.getDossierId()) + (r.getUpheld() ? " upheld: recused" : " dismissed");
    }
    case E::SCORING_ROUND_FROZEN:
      return "scoring round closing: scores frozen";
    case E::SCORING_ROUND_CLOSED: {
      auto r = e.getScoringRoundClosed();
      out = "scoring round closed (part " + std::to_string(r.getPart()) + " of " +
            std::to_string(r.getParts()) + "), normalisation " +
            (r.getRule() == schema::NormalisationRule::Z_SCORE ? "z_score" : "none");
      for (auto d : r.getDossiers()) {
        out += "; " + str(d.getDossierId()) + " raw " + formatMilli(d.getRawMeanMilli()) +
               " normalised " + formatMilli(d.getNormalisedMeanMilli());
      }
      return out;
    }
    case E::CONSENSUS_RECORDED: {
      auto c = e.getConsensusRecorded();
      return "consensus recorded on dossier " + str(c.getDossierId()) + " (spread " +
             formatMilli(c.getSpreadMilli()) + "): " + str(e.getReason());
    }
    case E::SELECTION_RECORDED: {
      auto r = e.getSelectionRecorded();
      out = "selection recorded (part " + std::to_string(r.getPart()) + " of " +
            std::to_string(r.getParts()) + "): " + formatEuros(r.getSelectedCents()) + " of " +
            formatEuros(r.getEnvelopeCents());
      for (auto line : r.getLines()) out += "; " + str(line.getExplanation());
      return out;
    }
    case E::LOT_SEED_COMMITTED:
      return "lot seed committed: SHA-256 " + str(e.getLotSeedCommitted().getSeedCommitment());
    case E::AUDITIONS_BROADCAST: {
      const auto b = e.getAuditionsBroadcast();
      return "auditions" + (b.getRoundId().size() > 0 ? " of round " + str(b.getRoundId()) : "") +
             " broadcast: " + str(b.getWhere()) +
             (b.getUrl().size() > 0 ? " (" + str(b.getUrl()) + ")" : "");
    }
    case E::CEREMONY_HELD:
      return "ceremony held: " + str(e.getCeremonyHeld().getWhere());
    case E::LAUREATES_PUBLISHED:
      return "laureates published" + (e.getLaureatesPublished().getUrl().size() > 0
                                           ? ": " + str(e.getLaureatesPublished().getUrl())
                                           : std::string());
    case E::TIMER_SCHEDULED:
      return timerScheduled(e.getTimerScheduled());
    case E::TIMER_RESCHEDULED:
      return timerRescheduled(e.getTimerRescheduled());
    case E::TIMER_CANCELLED:
      return timerCancelled(e.getTimerCancelled());
    case E::TIMER_FIRED:
      return timerFired(e.getTimerFired());
  }
  return "unknown campaign event";
}

namespace {

AuditEntry envelopeFacts(const store::EventView& event) {
  AuditEntry entry;
  entry.position = event.position;
  entry.recordedAtMicros = event.recordedAtMicros;
  entry.streamId = event.streamId;
  entry.streamVersion = event.streamVersion;
  entry.eventType = event.eventType;
  entry.actor = event.actor;
  entry.commandId = event.commandId;
  return entry;
}

}  // namespace

AuditEntry auditEntry(const store::EventView& event, schema::DossierEvent::Reader e) {
  AuditEntry entry = envelopeFacts(event);
  entry.campaignId = text(e.getCampaignId());
  entry.dossierId = text(e.getDossierId());
  entry.reason = text(e.getReason());
  entry.rulesVersion = e.getRulesVersion();
  entry.summary = summarize(e);
  return entry;
}

AuditEntry auditEntry(const store::EventView& event, schema::CampaignEvent::Reader e) {
  AuditEntry entry = envelopeFacts(event);
  entry.campaignId = text(e.getCampaignId());
  entry.dossierId = concernedDossier(e);
  entry.reason = text(e.getReason());
  entry.rulesVersion = e.getRulesVersion();
  entry.summary = summarize(e);
  return entry;
}

std::string concernedDossier(schema::CampaignEvent::Reader e) {
  using E = schema::CampaignEvent;
  switch (e.which()) {
    case E::CONFLICT_OF_INTEREST_DECLARED:
      return std::string(text(e.getConflictOfInterestDeclared().getDossierId()));
    case E::FUNDING_COMMITTED:
      return std::string(text(e.getFundingCommitted().getDossierId()));
    case E::CONFLICT_DECLARED:
      return std::string(text(e.getConflictDeclared().getDossierId()));
    case E::CONFLICT_RULED:
      return std::string(text(e.getConflictRuled().getDossierId()));
    case E::ASSIGNMENT_CHANGED:
      return std::string(text(e.getAssignmentChanged().getDossierId()));
    case E::CONSENSUS_RECORDED:
      return std::string(text(e.getConsensusRecorded().getDossierId()));
    default:
      return {};
  }
}

bool concernsOneDossier(std::string_view eventType) {
  return eventType == "ConflictOfInterestDeclared" || eventType == "FundingCommitted" ||
         eventType == "ConflictDeclared" || eventType == "ConflictRuled" ||
         eventType == "AssignmentChanged" || eventType == "ConsensusRecorded";
}

}  // namespace parcours::workflows::views
