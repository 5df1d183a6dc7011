// The fold of a dossier's stream. It trusts the log for legality (the
// machine checked every transition before the event was written; replay
// re-checks them), but never for shape: a payload that does not decode, or
// whose union member is not the envelope's type, is Corruption.
#include <string>

#include "domain/timer_fold.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/dossier.h"

namespace parcours::workflows {

Application readApplication(schema::Application::Reader in) {
  Application a;
  a.applicantName = toString(in.getApplicantName());
  a.applicantKind = toString(in.getApplicantKind());
  a.siren = toString(in.getSiren());
  a.departement = toString(in.getDepartement());
  a.title = toString(in.getTitle());
  a.summary = toString(in.getSummary());
  for (auto strand : in.getStrands()) a.strands.push_back(toString(strand));
  a.requestedCents = in.getRequestedCents();
  a.contact.name = toString(in.getContact().getName());
  a.contact.email = toString(in.getContact().getEmail());
  a.contact.phone = toString(in.getContact().getPhone());
  a.answers = toString(in.getAnswers());
  for (auto d : in.getDocuments()) {
    a.documents.push_back({toString(d.getField()), toString(d.getName()), d.getSize(),
                           toString(d.getContentType()), toString(d.getSha256())});
  }
  return a;
}

VoteChoice readChoice(schema::VoteChoice choice) {
  switch (choice) {
    case schema::VoteChoice::YES:
      return VoteChoice::Yes;
    case schema::VoteChoice::NO:
      return VoteChoice::No;
    default:
      return VoteChoice::Abstain;
  }
}

void writeApplication(const Application& a, schema::Application::Builder out) {
  out.setApplicantName(a.applicantName);
  out.setApplicantKind(a.applicantKind);
  // Unset when not given, so applications without them encode as before.
  if (!a.siren.empty()) out.setSiren(a.siren);
  if (!a.departement.empty()) out.setDepartement(a.departement);
  out.setTitle(a.title);
  out.setSummary(a.summary);
  auto strands = out.initStrands(static_cast<unsigned>(a.strands.size()));
  for (unsigned i = 0; i < strands.size(); ++i) strands.set(i, a.strands[i]);
  out.setRequestedCents(a.requestedCents);
  if (!a.answers.empty()) out.setAnswers(a.answers);  // unset without a form, as before
  if (!a.documents.empty()) {
    auto documents = out.initDocuments(static_cast<unsigned>(a.documents.size()));
    for (unsigned i = 0; i < documents.size(); ++i) {
      const DocumentRef& d = a.documents[i];
      documents[i].setField(d.field);
      documents[i].setName(d.name);
      documents[i].setSize(d.size);
      documents[i].setContentType(d.contentType);
      documents[i].setSha256(d.sha256);
    }
  }
  // An empty contact stays unset: a DossierSubmitted's always is (sealed).
  if (a.contact.name.empty() && a.contact.email.empty() && a.contact.phone.empty()) return;
  auto contact = out.initContact();
  contact.setName(a.contact.name);
  contact.setEmail(a.contact.email);
  contact.setPhone(a.contact.phone);
}

std::string encodeContact(const Contact& contact) {
  capnp::MallocMessageBuilder message;
  auto out = message.initRoot<schema::Contact>();
  out.setName(contact.name);
  out.setEmail(contact.email);
  out.setPhone(contact.phone);
  return flattenMessage(message);
}

Result<Contact> decodeContact(std::string_view bytes) {
  // The message names no field's content: it is personal data.
  return readPayload<schema::Contact>(
      bytes, "sealed contact", [](schema::Contact::Reader in) -> Result<Contact> {
        return Contact{toString(in.getName()), toString(in.getEmail()), toString(in.getPhone())};
      });
}

std::string contactSealContext(std::string_view dossierId) {
  return std::string(dossierId) + "/contact";
}

schema::VoteChoice writeChoice(VoteChoice choice) {
  switch (choice) {
    case VoteChoice::Yes:
      return schema::VoteChoice::YES;
    case VoteChoice::No:
      return schema::VoteChoice::NO;
    default:
      return schema::VoteChoice::ABSTAIN;
  }
}

std::optional<DossierStatus> statusAfter(schema::DossierEvent::Reader event) {
  using E = schema::DossierEvent;
  switch (event.which()) {
    case E::DOSSIER_SUBMITTED:
      return DossierStatus::Submitted;
    case E::ELIGIBILITY_CONFIRMED:
      return DossierStatus::Eligible;
    case E::DOSSIER_DECLARED_INELIGIBLE:
      return DossierStatus::Ineligible;
    case E::DOSSIER_NOT_SELECTED:
      return DossierStatus::NotSelected;
    case E::AUDITION_HELD:
      return DossierStatus::Auditioned;
    case E::AUDITION_MISSED:
      return DossierStatus::NoShow;
    case E::SCORING_CLOSED:
      return event.getScoringClosed().getPassed() ? DossierStatus::Scored
                                                  : DossierStatus::BelowThreshold;
    case E::VOTE_CLOSED:
      return event.getVoteClosed().getCarried() ? DossierStatus::Voted : DossierStatus::Rejected;
    case E::LABEL_AWARDED:
    case E::FUNDING_GRANTED:
      return DossierStatus::Labelled;
    case E::DOSSIER_WITHDRAWN:
      return DossierStatus::Withdrawn;
    case E::DECISION_DEEMED:
      return event.getDecisionDeemed().getOutcome() == schema::DeemedOutcome::ACCEPTED
                 ? DossierStatus::Voted
                 : DossierStatus::Rejected;
    case E::DOSSIER_TIMER_SCHEDULED:
    case E::DOSSIER_TIMER_RESCHEDULED:
    case E::DOSSIER_TIMER_CANCELLED:
    case E::DOSSIER_TIMER_FIRED:
    case E::AUDITION_SCHEDULED:
    case E::SCORE_RECORDED:
    case E::VOTE_CAST:
    case E::VOTE_ADJOURNED:  // the vote stays open, for the meeting held again
    case E::DOSSIER_ERASED:  // in any state, which it keeps
      return std::nullopt;
  }
  return std::nullopt;
}

const TimerRecord* DossierState::timer(std::string_view timerId) const {
  return findTimer(timers, timerId);
}

const TimerRecord* DossierState::pendingTimer(TimerAction action) const {
  return findPendingTimer(timers, action);
}

Status applyDossierEvent(DossierState& state, std::string_view eventType, std::string_view payload,
                         std::int64_t recordedAtMicros) {
  using E = schema::DossierEvent;
  return readPayload<E>(payload, eventType, [&](E::Reader e) -> Status {
    const E::Which which = e.which();
    if (eventTypeName(which) != eventType) {
      return Error::corruption("event of type " + std::string(eventType) + " carries a " +
                               std::string(eventTypeName(which)) + " payload");
    }
    if (state.status == DossierStatus::Absent && which != E::DOSSIER_SUBMITTED) {
      return Error::corruption("dossier stream starts with " + std::string(eventType) +
                               ", not DossierSubmitted");
    }
    if (auto after = statusAfter(e)) state.status = *after;
    switch (which) {
      case E::DOSSIER_SUBMITTED: {
        auto submitted = e.getDossierSubmitted();
        state.dossierId = toString(e.getDossierId());
        state.campaignId = toString(e.getCampaignId());
        state.application = readApplication(submitted.getApplication());
        if (auto s = checkRecordedCents("DossierSubmitted's requestedCents",
                                        state.application.requestedCents);
            !s) {
          return s;
        }
        auto sealed = submitted.getSealedContact();
        state.contact.sealed.assign(reinterpret_cast<const char*>(sealed.begin()), sealed.size());
        state.contact.fields.clear();
        for (auto field : submitted.getContactFields()) {
          state.contact.fields.push_back(toString(field));
        }
        auto sealedAnswers = submitted.getSealedAnswers();
        state.answers.sealed.assign(reinterpret_cast<const char*>(sealedAnswers.begin()),
                                    sealedAnswers.size());
        state.answers.pointers.clear();
        for (auto p : submitted.getAnswerFields()) state.answers.pointers.push_back(toString(p));
        // Written before sealing: the plaintext says which fields it fills.
        if (state.contact.fields.empty()) {
          state.contact.fields = filledContactFields(state.application.contact);
        }
        state.submittedAtMicros = recordedAtMicros;
        break;
      }
      case E::DOSSIER_ERASED:
        state.contactErased = true;
        break;
      case E::ELIGIBILITY_CONFIRMED:
      case E::DOSSIER_DECLARED_INELIGIBLE:
      case E::DOSSIER_NOT_SELECTED:
      case E::AUDITION_HELD:
      case E::AUDITION_MISSED:
      case E::VOTE_CLOSED:
      case E::DOSSIER_WITHDRAWN:
        break;  // the state alone changes
      case E::AUDITION_SCHEDULED:
        state.auditionSlotMicros = e.getAuditionScheduled().getSlotMicros();
        state.auditionRoundId = toString(e.getAuditionScheduled().getRoundId());
        state.auditionLink = toString(e.getAuditionScheduled().getLink());
        break;
      case E::SCORE_RECORDED: {
        auto recorded = e.getScoreRecorded();
        std::vector<CriterionScore> scores;
        for (auto s : recorded.getScores()) {
          scores.push_back({toString(s.getCriterionId()), s.getValue()});
        }
        state.scores[toString(recorded.getJurorId())] = std::move(scores);
        break;
      }
      case E::SCORING_CLOSED:
        state.meanMilli = e.getScoringClosed().getMeanMilli();
        break;
      case E::VOTE_CAST:
        state.votes[toString(e.getVoteCast().getVoterId())] =
            readChoice(e.getVoteCast().getChoice());
        if (e.getVoteCast().getProxyHolderId().size() > 0) {
          state.proxyVotes[toString(e.getVoteCast().getVoterId())] =
              toString(e.getVoteCast().getProxyHolderId());
        }
        break;
      case E::VOTE_ADJOURNED:
        // Nothing is decided at a meeting without quorum: its votes are void.
        state.votes.clear();
        state.proxyVotes.clear();
        state.adjournedAtMicros = recordedAtMicros;
        state.reconveneFromMicros = e.getVoteAdjourned().getReconveneFromMicros();
        break;
      case E::LABEL_AWARDED:
        state.labelName = toString(e.getLabelAwarded().getLabelName());
        break;
      case E::FUNDING_GRANTED: {
        const std::int64_t amount = e.getFundingGranted().getAmountCents();
        if (auto s = checkRecordedCents("FundingGranted's amountCents", amount); !s) return s;
        // Both within [0, centsMax]: their sum cannot overflow.
        if (auto s = checkRecordedCents("the total granted", state.grantedCents + amount); !s) {
          return s;
        }
        state.grantedCents += amount;
        break;
      }
      case E::DOSSIER_TIMER_SCHEDULED:
        if (auto s = foldTimerScheduled(state.timers, e.getDossierTimerScheduled(),
                                        recordedAtMicros);
            !s) {
          return s;
        }
        state.timers[toString(e.getDossierTimerScheduled().getTimerId())].rulesVersion =
            e.getRulesVersion();
        break;
      case E::DOSSIER_TIMER_RESCHEDULED: {
        auto timer = foldTimerRescheduled(state.timers, eventType, e.getDossierTimerRescheduled());
        if (!timer) return timer.error();
        break;
      }
      case E::DOSSIER_TIMER_CANCELLED:
        if (auto s = foldTimerEnded(state.timers, eventType,
                                    e.getDossierTimerCancelled().getTimerId(),
                                    TimerStatus::Cancelled, recordedAtMicros);
            !s) {
          return s;
        }
        break;
      case E::DOSSIER_TIMER_FIRED:
        if (auto s = foldTimerEnded(state.timers, eventType, e.getDossierTimerFired().getTimerId(),
                                    TimerStatus::Fired, recordedAtMicros);
            !s) {
          return s;
        }
        break;
      case E::DECISION_DEEMED:
        state.deemedAtMicros = recordedAtMicros;
        break;
      default:
        return Error::corruption("unknown dossier event member " +
                                 std::to_string(static_cast<int>(which)) +
                                 " (written by a newer parcours?)");
    }
    ++state.version;
    return okStatus();
  });
}

}  // namespace parcours::workflows
