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
      if (!application.documents.empty()) {
        return Error::invalidInput(
            "application.documents: documents are uploaded to the dossier's draft (POST "
            "/v1/dossiers/{id}/documents, docs/documents.md), not listed in a submission");
      }
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
    case W::SCHEDULE_AUDITION_IN: {
      const auto in_ = in.getScheduleAuditionIn();
      auto slot = workflows::parseInstant(toString(in_.getSlot()));
      if (!slot) return Error::invalidInput("slot: " + slot.error().message);
      return workflows::DossierCommand{
          cmd::ScheduleAudition{*slot, toString(in_.getRoundId()), toString(in_.getLink())}};
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
      return workflows::DossierCommand{
          cmd::CastVote{toString(in.getCastVote().getVoterId()), workflows::readChoice(choice),
                        toString(in.getCastVote().getProxyHolderId())}};
    }
    case W::CLOSE_VOTE:
      return workflows::DossierCommand{cmd::CloseVote{}};
    case W::CLOSE_VOTE_WITH: {
      const auto with = in.getCloseVoteWith();
      cmd::CloseVote close;
      for (auto p : with.getPresent()) close.present.push_back(toString(p));
      close.lotSeed = toString(with.getLotSeed());
      for (auto p : with.getProxies()) {
        close.proxies.emplace_back(toString(p.getGiverId()), toString(p.getHolderId()));
      }
      if (with.getAmountCents() < -1) {
        return Error::invalidInput("amountCents: must not be negative (-1: the proposal's)");
      }
      if (with.getAmountCents() >= 0) close.amountCents = with.getAmountCents();
      return workflows::DossierCommand{std::move(close)};
    }
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
      return workflows::CampaignCommand{cmd::DeclareConflict{
          toString(in.getDeclareConflict().getJurorId()),
          toString(in.getDeclareConflict().getDossierId()),
          in.getDeclareConflict().getDeclaredBy() == workflows::schema::ConflictSource::JUROR
              ? workflows::ConflictSource::Juror
              : workflows::ConflictSource::Administrator}};
    case W::CHANGE_PHASE:
      if (in.getChangePhase() > workflows::schema::Phase::CLOSED) {
        return Error::invalidInput("phase: unknown phase");
      }
      return workflows::CampaignCommand{
          cmd::ChangePhase{workflows::readPhase(in.getChangePhase())}};
    case W::SET_BUDGET:
      return workflows::CampaignCommand{cmd::SetBudgetEnvelope{in.getSetBudget()}};
    case W::RECORD_MILESTONE: {
      const auto m = in.getRecordMilestone();
      const std::string kind = toString(m.getKind());
      cmd::RecordMilestone milestone{cmd::Milestone::LaureatesPublished, toString(m.getRoundId()),
                                     toString(m.getWhere()), toString(m.getUrl())};
      if (kind == "broadcast") {
        milestone.milestone = cmd::Milestone::AuditionsBroadcast;
      } else if (kind == "ceremony") {
        milestone.milestone = cmd::Milestone::CeremonyHeld;
      } else if (kind != "publication") {
        return Error::invalidInput("kind: \"" + kind +
                                   "\" is not a milestone: broadcast, ceremony or publication");
      }
      return workflows::CampaignCommand{std::move(milestone)};
    }
  }
  return Error::invalidInput("command: unknown kind of campaign command");
}

std::string_view commandName(rpc::DossierCommand::Which which) {
  using W = rpc::DossierCommand;
  switch (which) {
    case W::SUBMIT:
      return "submit";
    case W::CONFIRM_ELIGIBILITY:
      return "eligible";
    case W::DECLARE_INELIGIBLE:
      return "ineligible";
    case W::NOT_SELECT:
      return "not-selected";
    case W::SCHEDULE_AUDITION:
    case W::SCHEDULE_AUDITION_IN:
      return "audition";
    case W::RECORD_AUDITION_HELD:
      return "audition-held";
    case W::RECORD_NO_SHOW:
      return "no-show";
    case W::RECORD_SCORE:
      return "score";
    case W::CLOSE_SCORING:
      return "close-scoring";
    case W::CAST_VOTE:
      return "vote";
    case W::CLOSE_VOTE:
    case W::CLOSE_VOTE_WITH:
      return "close-vote";
    case W::AWARD:
      return "award";
    case W::WITHDRAW:
      return "withdraw";
  }
  return "unknown";
}

std::string_view commandName(rpc::CampaignCommand::Which which) {
  using W = rpc::CampaignCommand;
  switch (which) {
    case W::OPEN:
      return "open";
    case W::AMEND_RULES:
      return "rules";
    case W::APPOINT_JURY:
      return "jury";
    case W::DECLARE_CONFLICT:
      return "conflicts";
    case W::CHANGE_PHASE:
      return "phase";
    case W::SET_BUDGET:
      return "budget";
    case W::RECORD_MILESTONE:
      return "milestones";
  }
  return "unknown";
}

}  // namespace parcours::adapters

// ------------------------------------------------------------------ clients

namespace parcours::adapters {
namespace {

Result<std::int64_t> instantOrZero(capnp::Text::Reader text, std::string_view what) {
  if (text.size() == 0) return std::int64_t{0};
  auto micros = workflows::parseInstant(toString(text));
  if (!micros) return Error::invalidInput(std::string(what) + ": " + micros.error().message);
  return *micros;
}

workflows::DossierStatus statusOrAbsent(capnp::Text::Reader text) {
  return workflows::parseStatus(toString(text)).value_or(workflows::DossierStatus::Absent);
}

std::map<std::string, std::uint64_t> readCounts(capnp::List<rpc::Count>::Reader in) {
  std::map<std::string, std::uint64_t> out;
  for (auto c : in) out[toString(c.getKey())] = c.getCount();
  return out;
}

}  // namespace

Result<workflows::CampaignSummary> readCampaign(rpc::Campaign::Reader in) {
  workflows::CampaignSummary out;
  out.campaignId = toString(in.getCampaignId());
  out.name = toString(in.getName());
  out.organiser = toString(in.getOrganiser());
  out.rulesVersion = in.getRulesVersion();
  out.phase =
      workflows::parsePhase(toString(in.getPhase())).value_or(workflows::Phase::Submissions);
  out.timeZone = toString(in.getTimeZone());
  auto deadline = instantOrZero(in.getDeadline(), "deadline");
  auto opened = instantOrZero(in.getOpenedAt(), "openedAt");
  auto updated = instantOrZero(in.getUpdatedAt(), "updatedAt");
  if (!deadline) return deadline.error();
  if (!opened) return opened.error();
  if (!updated) return updated.error();
  out.deadlineMicros = *deadline;
  out.openedAtMicros = *opened;
  out.updatedAtMicros = *updated;
  out.labelName = toString(in.getLabelName());
  out.envelopeCents = in.getEnvelopeCents();
  out.grantedCents = in.getGrantedCents();
  out.dossiers = in.getDossiers();
  return out;
}

Result<workflows::DossierRow> readDossier(rpc::Dossier::Reader in) {
  workflows::DossierRow out;
  out.dossierId = toString(in.getDossierId());
  out.campaignId = toString(in.getCampaignId());
  out.status = statusOrAbsent(in.getStatus());
  out.applicantName = toString(in.getApplicantName());
  out.applicantKind = toString(in.getApplicantKind());
  out.title = toString(in.getTitle());
  out.summary = toString(in.getSummary());
  for (auto s : in.getStrands()) out.strands.push_back(toString(s));
  out.requestedCents = in.getRequestedCents();
  out.grantedCents = in.getGrantedCents();
  if (in.getAuditionSlot().size() > 0) {
    auto slot = instantOrZero(in.getAuditionSlot(), "auditionSlot");
    if (!slot) return slot.error();
    out.auditionSlotMicros = *slot;
  }
  if (in.getScored()) out.meanMilli = in.getMeanMilli();
  out.labelName = toString(in.getLabelName());
  auto submitted = instantOrZero(in.getSubmittedAt(), "submittedAt");
  auto updated = instantOrZero(in.getUpdatedAt(), "updatedAt");
  if (!submitted) return submitted.error();
  if (!updated) return updated.error();
  out.submittedAtMicros = *submitted;
  out.updatedAtMicros = *updated;
  out.lastPosition = in.getLastPosition();
  out.version = in.getVersion();
  return out;
}

Result<workflows::TimelineEntry> readTimelineEntry(rpc::TimelineEntry::Reader in) {
  workflows::TimelineEntry out;
  out.position = in.getPosition();
  out.streamVersion = in.getStreamVersion();
  auto at = instantOrZero(in.getRecordedAt(), "recordedAt");
  if (!at) return at.error();
  out.recordedAtMicros = *at;
  out.eventType = toString(in.getEventType());
  out.actor = toString(in.getActor());
  out.reason = toString(in.getReason());
  out.rulesVersion = in.getRulesVersion();
  out.summary = toString(in.getSummary());
  return out;
}

Result<workflows::AuditEntry> readAuditEntry(rpc::AuditEntry::Reader in) {
  workflows::AuditEntry out;
  out.position = in.getPosition();
  auto at = instantOrZero(in.getRecordedAt(), "recordedAt");
  if (!at) return at.error();
  out.recordedAtMicros = *at;
  out.streamId = toString(in.getStreamId());
  out.streamVersion = in.getStreamVersion();
  out.campaignId = toString(in.getCampaignId());
  out.dossierId = toString(in.getDossierId());
  out.eventType = toString(in.getEventType());
  out.actor = toString(in.getActor());
  out.commandId = toString(in.getCommandId());
  out.reason = toString(in.getReason());
  out.rulesVersion = in.getRulesVersion();
  out.summary = toString(in.getSummary());
  return out;
}

workflows::CampaignStats readStats(rpc::CampaignStats::Reader in) {
  workflows::CampaignStats out;
  out.campaignId = toString(in.getCampaignId());
  out.name = toString(in.getName());
  out.total = in.getTotal();
  out.byStatus = readCounts(in.getByStatus());
  out.byStrand = readCounts(in.getByStrand());
  out.byApplicantKind = readCounts(in.getByApplicantKind());
  return out;
}

Result<workflows::LeaderboardEntry> readLeaderboardEntry(rpc::LeaderboardEntry::Reader in) {
  workflows::LeaderboardEntry out;
  out.rank = in.getRank();
  out.dossierId = toString(in.getDossierId());
  out.title = toString(in.getTitle());
  out.applicantName = toString(in.getApplicantName());
  out.meanMilli = in.getMeanMilli();
  out.thresholdMilli = in.getThresholdMilli();
  out.passed = in.getPassed();
  out.jurorsCounted = in.getJurorsCounted();
  for (auto c : in.getCriteria())
    out.criterionMeansMilli[toString(c.getCriterionId())] = c.getMeanMilli();
  out.status = statusOrAbsent(in.getStatus());
  return out;
}

Result<workflows::Budget> readBudget(rpc::Budget::Reader in) {
  workflows::Budget out;
  out.campaignId = toString(in.getCampaignId());
  out.envelopeCents = in.getEnvelopeCents();
  out.grantedCents = in.getGrantedCents();
  out.remainingCents = in.getRemainingCents();
  for (auto g : in.getGrants()) {
    auto at = instantOrZero(g.getRecordedAt(), "recordedAt");
    if (!at) return at.error();
    out.grants.push_back({toString(g.getDossierId()), g.getAmountCents(), g.getPosition(), *at});
  }
  return out;
}

store::AppendResult readAppend(rpc::CommandResult::Reader in) {
  store::AppendResult out;
  out.firstPosition = in.getFirstPosition();
  out.lastPosition = in.getLastPosition();
  out.deduplicated = in.getDeduplicated();
  for (auto s : in.getStreams()) {
    store::StreamAppendResult stream;
    stream.streamId = toString(s.getStreamId());
    stream.firstVersion = s.getFirstVersion();
    stream.lastVersion = s.getLastVersion();
    for (auto p : s.getPositions()) stream.positions.push_back(p);
    out.streams.push_back(std::move(stream));
  }
  return out;
}

void writeDossierCommand(const workflows::DossierCommand& in, rpc::DossierCommand::Builder out) {
  namespace cmd = workflows::dossier_command;
  std::visit(
      [&](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, cmd::Submit>) {
          auto s = out.initSubmit();
          s.setCampaignId(c.campaignId);
          workflows::writeApplication(c.application, s.initApplication());
        } else if constexpr (std::is_same_v<C, cmd::ConfirmEligibility>) {
          out.setConfirmEligibility();
        } else if constexpr (std::is_same_v<C, cmd::DeclareIneligible>) {
          out.setDeclareIneligible();
        } else if constexpr (std::is_same_v<C, cmd::NotSelect>) {
          out.setNotSelect();
        } else if constexpr (std::is_same_v<C, cmd::ScheduleAudition>) {
          if (c.roundId.empty() && c.link.empty()) {
            out.setScheduleAudition(formatUtc(c.slotMicros));
          } else {
            auto in = out.initScheduleAuditionIn();
            in.setSlot(formatUtc(c.slotMicros));
            in.setRoundId(c.roundId);
            in.setLink(c.link);
          }
        } else if constexpr (std::is_same_v<C, cmd::RecordAuditionHeld>) {
          out.setRecordAuditionHeld();
        } else if constexpr (std::is_same_v<C, cmd::RecordNoShow>) {
          out.setRecordNoShow();
        } else if constexpr (std::is_same_v<C, cmd::RecordScore>) {
          auto s = out.initRecordScore();
          s.setJurorId(c.jurorId);
          auto scores = s.initScores(static_cast<unsigned>(c.scores.size()));
          for (unsigned i = 0; i < scores.size(); ++i) {
            scores[i].setCriterionId(c.scores[i].criterionId);
            scores[i].setValue(c.scores[i].value);
          }
        } else if constexpr (std::is_same_v<C, cmd::CloseScoring>) {
          out.setCloseScoring();
        } else if constexpr (std::is_same_v<C, cmd::CastVote>) {
          auto v = out.initCastVote();
          v.setVoterId(c.voterId);
          v.setProxyHolderId(c.proxyHolderId);
          v.setChoice(workflows::writeChoice(c.choice));
        } else if constexpr (std::is_same_v<C, cmd::CloseVote>) {
          if (c.present.empty() && c.lotSeed.empty() && c.proxies.empty() && !c.amountCents) {
            out.setCloseVote();
          } else {
            auto with = out.initCloseVoteWith();
            auto present = with.initPresent(static_cast<unsigned>(c.present.size()));
            for (unsigned i = 0; i < present.size(); ++i) present.set(i, c.present[i]);
            with.setLotSeed(c.lotSeed);
            auto proxies = with.initProxies(static_cast<unsigned>(c.proxies.size()));
            for (unsigned i = 0; i < proxies.size(); ++i) {
              proxies[i].setGiverId(c.proxies[i].first);
              proxies[i].setHolderId(c.proxies[i].second);
            }
            with.setAmountCents(c.amountCents.value_or(-1));
          }
        } else if constexpr (std::is_same_v<C, cmd::Award>) {
          out.setAward(c.amountCents);
        } else if constexpr (std::is_same_v<C, cmd::Withdraw>) {
          out.setWithdraw();
        }
      },
      in);
}

void writeCampaignCommand(const workflows::CampaignCommand& in, const std::string& definitionJson,
                          rpc::CampaignCommand::Builder out) {
  namespace cmd = workflows::campaign_command;
  std::visit(
      [&](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, cmd::Open>) {
          out.initOpen().setJson(definitionJson);
        } else if constexpr (std::is_same_v<C, cmd::AmendRules>) {
          out.initAmendRules().setJson(definitionJson);
        } else if constexpr (std::is_same_v<C, cmd::AppointJury>) {
          auto members = out.initAppointJury(static_cast<unsigned>(c.members.size()));
          for (unsigned i = 0; i < members.size(); ++i) {
            members[i].setId(c.members[i].id);
            members[i].setName(c.members[i].name);
            members[i].setRole(workflows::writeJuryRole(c.members[i].role));
          }
        } else if constexpr (std::is_same_v<C, cmd::DeclareConflict>) {
          auto conflict = out.initDeclareConflict();
          conflict.setJurorId(c.jurorId);
          conflict.setDossierId(c.dossierId);
          conflict.setDeclaredBy(c.declaredBy == workflows::ConflictSource::Juror
                                     ? workflows::schema::ConflictSource::JUROR
                                     : workflows::schema::ConflictSource::ADMINISTRATOR);
        } else if constexpr (std::is_same_v<C, cmd::ChangePhase>) {
          out.setChangePhase(workflows::writePhase(c.phase));
        } else if constexpr (std::is_same_v<C, cmd::SetBudgetEnvelope>) {
          out.setSetBudget(c.envelopeCents);
        } else if constexpr (std::is_same_v<C, cmd::RecordMilestone>) {
          static constexpr const char* kinds[] = {"broadcast", "ceremony", "publication"};
          auto m = out.initRecordMilestone();
          m.setKind(kinds[static_cast<int>(c.milestone)]);
          m.setRoundId(c.roundId);
          m.setWhere(c.where);
          m.setUrl(c.url);
        }
      },
      in);
}

}  // namespace parcours::adapters
