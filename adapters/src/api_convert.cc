#include "api_convert.h"

#include <capnp/serialize.h>

#include <string>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::adapters {
namespace {

using workflows::formatUtc;
using workflows::toString;

std::string timeOrEmpty(std::int64_t micros) {
  return micros == 0 ? std::string() : formatUtc(micros);
}

void writeCounts(const std::map<std::string, std::uint64_t>& in,
                 capnp::List<rpc::Count>::Builder out) {
  unsigned i = 0;
  for (const auto& [key, count] : in) {
    out[i].setKey(key);
    out[i].setCount(count);
    ++i;
  }
}

template <typename Reader>
Status copyPayload(std::string_view bytes, std::string_view what, rpc::Event::Builder out) {
  return workflows::readPayload<Reader>(bytes, what, [&](typename Reader::Reader payload) {
    if constexpr (std::is_same_v<Reader, workflows::schema::DossierEvent>) {
      out.getBody().setDossier(payload);
      out.setCampaignId(payload.getCampaignId());
    } else {
      out.getBody().setCampaign(payload);
      out.setCampaignId(payload.getCampaignId());
    }
    return okStatus();
  });
}

}  // namespace

void writeCampaign(const workflows::CampaignSummary& in, rpc::Campaign::Builder out) {
  out.setCampaignId(in.campaignId);
  out.setName(in.name);
  out.setOrganiser(in.organiser);
  out.setRulesVersion(in.rulesVersion);
  out.setPhase(std::string(workflows::phaseName(in.phase)));
  out.setTimeZone(in.timeZone);
  out.setDeadline(workflows::formatInZone(in.deadlineMicros, in.timeZone));
  out.setLabelName(in.labelName);
  out.setEnvelopeCents(in.envelopeCents);
  out.setGrantedCents(in.grantedCents);
  out.setDossiers(in.dossiers);
  out.setOpenedAt(timeOrEmpty(in.openedAtMicros));
  out.setUpdatedAt(timeOrEmpty(in.updatedAtMicros));
}

void writeDossier(const workflows::DossierRow& in, rpc::Dossier::Builder out) {
  out.setDossierId(in.dossierId);
  out.setCampaignId(in.campaignId);
  out.setStatus(std::string(workflows::statusName(in.status)));
  out.setApplicantName(in.applicantName);
  out.setApplicantKind(in.applicantKind);
  out.setTitle(in.title);
  out.setSummary(in.summary);
  auto strands = out.initStrands(static_cast<unsigned>(in.strands.size()));
  for (unsigned i = 0; i < in.strands.size(); ++i) strands.set(i, in.strands[i]);
  out.setRequestedCents(in.requestedCents);
  out.setGrantedCents(in.grantedCents);
  if (in.auditionSlotMicros) out.setAuditionSlot(formatUtc(*in.auditionSlotMicros));
  out.setScored(in.meanMilli.has_value());
  out.setMeanMilli(in.meanMilli.value_or(0));
  out.setLabelName(in.labelName);
  out.setSubmittedAt(timeOrEmpty(in.submittedAtMicros));
  out.setUpdatedAt(timeOrEmpty(in.updatedAtMicros));
  out.setLastPosition(in.lastPosition);
  out.setVersion(in.version);
}

void writeTimelineEntry(const workflows::TimelineEntry& in, rpc::TimelineEntry::Builder out) {
  out.setPosition(in.position);
  out.setStreamVersion(in.streamVersion);
  out.setRecordedAt(formatUtc(in.recordedAtMicros));
  out.setEventType(in.eventType);
  out.setActor(in.actor);
  out.setReason(in.reason);
  out.setRulesVersion(in.rulesVersion);
  out.setSummary(in.summary);
}

void writeAuditEntry(const workflows::AuditEntry& in, rpc::AuditEntry::Builder out) {
  out.setPosition(in.position);
  out.setRecordedAt(formatUtc(in.recordedAtMicros));
  out.setStreamId(in.streamId);
  out.setStreamVersion(in.streamVersion);
  out.setCampaignId(in.campaignId);
  out.setDossierId(in.dossierId);
  out.setEventType(in.eventType);
  out.setActor(in.actor);
  out.setCommandId(in.commandId);
  out.setReason(in.reason);
  out.setRulesVersion(in.rulesVersion);
  out.setSummary(in.summary);
}

void writeStats(const workflows::CampaignStats& in, rpc::CampaignStats::Builder out) {
  out.setCampaignId(in.campaignId);
  out.setName(in.name);
  out.setTotal(in.total);
  writeCounts(in.byStatus, out.initByStatus(static_cast<unsigned>(in.byStatus.size())));
  writeCounts(in.byStrand, out.initByStrand(static_cast<unsigned>(in.byStrand.size())));
  writeCounts(in.byApplicantKind,
              out.initByApplicantKind(static_cast<unsigned>(in.byApplicantKind.size())));
}

void writeLeaderboardEntry(const workflows::LeaderboardEntry& in,
                           rpc::LeaderboardEntry::Builder out) {
  out.setRank(in.rank);
  out.setDossierId(in.dossierId);
  out.setTitle(in.title);
  out.setApplicantName(in.applicantName);
  out.setMeanMilli(in.meanMilli);
  out.setThresholdMilli(in.thresholdMilli);
  out.setPassed(in.passed);
  out.setJurorsCounted(in.jurorsCounted);
  auto criteria = out.initCriteria(static_cast<unsigned>(in.criterionMeansMilli.size()));
  unsigned i = 0;
  for (const auto& [id, mean] : in.criterionMeansMilli) {
    criteria[i].setCriterionId(id);
    criteria[i].setMeanMilli(mean);
    ++i;
  }
  out.setStatus(std::string(workflows::statusName(in.status)));
}

void writeBudget(const workflows::Budget& in, rpc::Budget::Builder out) {
  out.setCampaignId(in.campaignId);
  out.setEnvelopeCents(in.envelopeCents);
  out.setGrantedCents(in.grantedCents);
  out.setRemainingCents(in.remainingCents);
  auto grants = out.initGrants(static_cast<unsigned>(in.grants.size()));
  for (unsigned i = 0; i < in.grants.size(); ++i) {
    grants[i].setDossierId(in.grants[i].dossierId);
    grants[i].setAmountCents(in.grants[i].amountCents);
    grants[i].setPosition(in.grants[i].position);
    grants[i].setRecordedAt(formatUtc(in.grants[i].recordedAtMicros));
  }
}

Status writeEvent(const store::EventView& in, rpc::Event::Builder out) {
  out.setPosition(in.position);
  out.setStreamId(capnp::Text::Reader(in.streamId.data(), in.streamId.size()));
  out.setStreamVersion(in.streamVersion);
  out.setType(capnp::Text::Reader(in.eventType.data(), in.eventType.size()));
  out.setRecordedAt(formatUtc(in.recordedAtMicros));
  out.setActor(capnp::Text::Reader(in.actor.data(), in.actor.size()));
  out.setCommandId(capnp::Text::Reader(in.commandId.data(), in.commandId.size()));
  out.setCorrelationId(capnp::Text::Reader(in.correlationId.data(), in.correlationId.size()));
  out.setCausationId(capnp::Text::Reader(in.causationId.data(), in.causationId.size()));
  const std::string what = "event " + std::to_string(in.position);
  if (workflows::isDossierEventType(in.eventType)) {
    return copyPayload<workflows::schema::DossierEvent>(in.payload, what, out);
  }
  if (workflows::isCampaignEventType(in.eventType)) {
    return copyPayload<workflows::schema::CampaignEvent>(in.payload, what, out);
  }
  out.getBody().setOther(kj::ArrayPtr<const kj::byte>(
      reinterpret_cast<const kj::byte*>(in.payload.data()), in.payload.size()));
  return okStatus();
}

Result<workflows::DossierCommand> readDossierCommand(rpc::DossierCommand::Reader in) {
  namespace cmd = workflows::dossier_command;
  using W = rpc::DossierCommand;
  switch (in.which()) {
    case W::SUBMIT: {
      auto submission = in.getSubmit();
      if (!submission.hasApplication()) {
        return Error::invalidInput("application: missing (the applicant, title, amount...)");
      }
      workflows::Application application = workflows::readApplication(submission.getApplication());
      if (auto s = workflows::validateApplication(application); !s) {
        return Error::invalidInput("application." + s.error().message);
      }
      return workflows::DossierCommand{
          cmd::Submit{toString(submission.getCampaignId()), std::move(application)}};
    }
    case W::CONFIRM_ELIGIBILITY:
      return workflows::DossierCommand{cmd::ConfirmEligibility{}};
    case W::DECLARE_INELIGIBLE:
      return workflows::DossierCommand{cmd::DeclareIneligible{}};
    case W::NOT_SELECT:
      return workflows::DossierCommand{cmd::NotSelect{}};
    case W::SCHEDULE_AUDITION: {
      auto slot = workflows::parseInstant(toString(in.getScheduleAudition()));
      if (!slot) return Error::invalidInput("slot: " + slot.error().message);
      return workflows::DossierCommand{cmd::ScheduleAudition{*slot}};
    }
    case W::RECORD_AUDITION_HELD:
      return workflows::DossierCommand{cmd::RecordAuditionHeld{}};
    case W::RECORD_NO_SHOW:
      return workflows::DossierCommand{cmd::RecordNoShow{}};
    case W::RECORD_SCORE: {
      cmd::RecordScore score;
      score.jurorId = toString(in.getRecordScore().getJurorId());
      for (auto s : in.getRecordScore().getScores()) {
        score.scores.push_back({toString(s.getCriterionId()), s.getValue()});
      }
      if (score.scores.empty()) return Error::invalidInput("scores: give one per criterion");
      return workflows::DossierCommand{std::move(score)};
    }
    case W::CLOSE_SCORING:
      return workflows::DossierCommand{cmd::CloseScoring{}};
    case W::CAST_VOTE: {
      const auto choice = in.getCastVote().getChoice();
      if (choice > workflows::schema::VoteChoice::ABSTAIN) {
        return Error::invalidInput("choice: vote yes, no or abstain");
      }
      return workflows::DossierCommand{cmd::CastVote{toString(in.getCastVote().getVoterId()),
                                                     workflows::readChoice(choice)}};
    }
    case W::CLOSE_VOTE:
      return workflows::DossierCommand{cmd::CloseVote{}};
    case W::AWARD:
      if (in.getAward() < 0) return Error::invalidInput("amountCents: must not be negative");
      return workflows::DossierCommand{cmd::Award{in.getAward()}};
    case W::WITHDRAW:
      return workflows::DossierCommand{cmd::Withdraw{}};
  }
  return Error::invalidInput("command: unknown kind of dossier command");
}

Result<workflows::CampaignCommand> readCampaignCommand(std::string_view campaignId,
                                                       rpc::CampaignCommand::Reader in) {
  namespace cmd = workflows::campaign_command;
  using W = rpc::CampaignCommand;
  auto definition = [&](rpc::Definition::Reader d) -> Result<workflows::CampaignDefinition> {
    auto parsed = workflows::parseCampaignDefinition(toString(d.getJson()));
    if (!parsed) return Error::invalidInput("definition: " + parsed.error().message);
    if (parsed->campaignId != campaignId) {
      return Error::invalidInput("definition: its campaign_id \"" + parsed->campaignId +
                                 "\" is not the campaign in the request, \"" +
                                 std::string(campaignId) + "\"");
    }
    return parsed;
  };
  switch (in.which()) {
    case W::OPEN: {
      auto d = definition(in.getOpen());
      if (!d) return d.error();
      return workflows::CampaignCommand{cmd::Open{std::move(d).value()}};
    }
    case W::AMEND_RULES: {
      auto d = definition(in.getAmendRules());
      if (!d) return d.error();
      return workflows::CampaignCommand{cmd::AmendRules{std::move(d->rules)}};
    }
    case W::APPOINT_JURY: {
      cmd::AppointJury jury;
      for (auto m : in.getAppointJury()) {
        if (m.getRole() > workflows::schema::JuryRole::ELECTED_OFFICIAL) {
          return Error::invalidInput("members: role must be juror or electedOfficial");
        }
        jury.members.push_back(
            {toString(m.getId()), toString(m.getName()), workflows::readJuryRole(m.getRole())});
      }
      return workflows::CampaignCommand{std::move(jury)};
    }
    case W::DECLARE_CONFLICT:
      return workflows::CampaignCommand{
          cmd::DeclareConflict{toString(in.getDeclareConflict().getJurorId()),
                               toString(in.getDeclareConflict().getDossierId())}};
    case W::CHANGE_PHASE:
      if (in.getChangePhase() > workflows::schema::Phase::CLOSED) {
        return Error::invalidInput("phase: unknown phase");
      }
      return workflows::CampaignCommand{cmd::ChangePhase{workflows::readPhase(in.getChangePhase())}};
    case W::SET_BUDGET:
      return workflows::CampaignCommand{cmd::SetBudgetEnvelope{in.getSetBudget()}};
  }
  return Error::invalidInput("command: unknown kind of campaign command");
}

std::string_view commandName(rpc::DossierCommand::Which which) {
  using W = rpc::DossierCommand;
  switch (which) {
    case W::SUBMIT: return "submit";
    case W::CONFIRM_ELIGIBILITY: return "eligible";
    case W::DECLARE_INELIGIBLE: return "ineligible";
    case W::NOT_SELECT: return "not-selected";
    case W::SCHEDULE_AUDITION: return "audition";
    case W::RECORD_AUDITION_HELD: return "audition-held";
    case W::RECORD_NO_SHOW: return "no-show";
    case W::RECORD_SCORE: return "score";
    case W::CLOSE_SCORING: return "close-scoring";
    case W::CAST_VOTE: return "vote";
    case W::CLOSE_VOTE: return "close-vote";
    case W::AWARD: return "award";
    case W::WITHDRAW: return "withdraw";
  }
  return "unknown";
}

std::string_view commandName(rpc::CampaignCommand::Which which) {
  using W = rpc::CampaignCommand;
  switch (which) {
    case W::OPEN: return "open";
    case W::AMEND_RULES: return "rules";
    case W::APPOINT_JURY: return "jury";
    case W::DECLARE_CONFLICT: return "conflicts";
    case W::CHANGE_PHASE: return "phase";
    case W::SET_BUDGET: return "budget";
  }
  return "unknown";
}

}  // namespace parcours::adapters
