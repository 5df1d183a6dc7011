// Decisions on a campaign's own stream: opening it, amending its rules,
// appointing its jury, declaring conflicts of interest, moving it through
// its phases and setting its budget envelope (the judging decisions are in
// judging_decisions.cc). Each refusal names the rule
// and the values, and yields no event. When each may run is the lifecycle
// table's to say (campaign_lifecycle.h): each decision asks it first.
#include <algorithm>
#include <set>
#include <string>

#include "commands/campaign_event_builder.h"
#include "commands/judging_decisions.h"
#include "commands/timer_events.h"
#include "parcours/workflows/campaign.h"
#include "parcours/workflows/campaign_lifecycle.h"
#include "parcours/workflows/zoned_time.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {
namespace {

using EventBuilder = CampaignEventBuilder;
using lifecycle::CommandKind;

Result<std::vector<DomainEvent>> open(const CampaignState& state,
                                      const campaign_command::Open& command,
                                      std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::Open); !s) return s.error();
  const CampaignDefinition& d = command.definition;
  if (auto s = validateId("campaign id", d.campaignId); !s) return s.error();
  if (auto s = validateRules(d.rules); !s) return s.error();
  EventBuilder b(d.campaignId, 1, reason);
  writeRules(d.rules, b.event.initCampaignOpened().initRules());
  std::vector<DomainEvent> events{b.done(), scheduleDeadlineTimer(d, reason)};
  if (auto reminder = scheduleJurorReminder(d, reason)) events.push_back(std::move(*reminder));
  return events;
}

Result<std::vector<DomainEvent>> amend(const CampaignState& state,
                                       const campaign_command::AmendRules& command,
                                       std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::AmendRules); !s) return s.error();
  if (auto s = validateRules(command.rules); !s) return s.error();
  if (command.rules == state.rules()) {
    return Error::refused("the amendment changes nothing: rules version " +
                          std::to_string(state.rulesVersion()) + " already says the same");
  }
  CampaignRules rules = command.rules;
  // An amendment that leaves the file's envelope as it was keeps the
  // envelope in force, which `campaign budget` may have changed since: the
  // new rules version records that one, so amending a deadline never takes
  // back a second tranche.
  if (rules.budgetEnvelopeCents == state.rules().budgetEnvelopeCents) {
    rules.budgetEnvelopeCents = state.envelopeCents;
  }
  if (rules.budgetEnvelopeCents < state.grantedCents) {
    return Error::refused("the amended envelope " + formatEuros(rules.budgetEnvelopeCents) +
                          " is below the " + formatEuros(state.grantedCents) + " already granted");
  }
  EventBuilder b(state.campaignId, state.rulesVersion() + 1, reason);
  writeRules(rules, b.event.initRulesAmended().initRules());
  std::vector<DomainEvent> events{b.done()};
  if (auto moved = moveDeadlineTimer(state, rules, reason)) events.push_back(std::move(*moved));
  if (auto reminder = followJurorReminder(state, rules, state.version + events.size() + 1, reason)) {
    events.push_back(std::move(*reminder));
  }
  return events;
}

Result<std::vector<DomainEvent>> appoint(const CampaignState& state,
                                         const campaign_command::AppointJury& command,
                                         std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::AppointJury); !s) return s.error();
  if (command.members.empty()) return Error::invalidInput("a jury needs at least one member");
  std::set<std::string> ids;
  bool anyJuror = false;
  for (std::size_t i = 0; i < command.members.size(); ++i) {
    const JuryMember& m = command.members[i];
    const std::string where = "members[" + std::to_string(i) + "]";
    if (auto s = validateId(where + ".id", m.id); !s) return s.error();
    if (m.name.empty()) return Error::invalidInput(where + ".name: must not be empty");
    for (std::size_t t = 0; t < m.expertise.size(); ++t) {
      if (auto s = validateId(where + ".expertise[" + std::to_string(t) + "]", m.expertise[t]); !s) {
        return s.error();
      }
    }
    if (!ids.insert(m.id).second) {
      return Error::invalidInput(where + ".id: \"" + m.id + "\" appears twice");
    }
    anyJuror = anyJuror || m.role == JuryRole::Juror;
  }
  if (!anyJuror) return Error::invalidInput("a jury needs at least one juror (role \"juror\")");
  // Drawn jurors stay jurors: dropping one would silently leave dossiers
  // short of a scorer. Change the draw first (campaign reassign).
  for (const auto& [dossier, jurors] : state.assignments) {
    for (const std::string& drawn : jurors) {
      const bool kept = std::any_of(command.members.begin(), command.members.end(),
                                    [&](const JuryMember& m) {
                                      return m.id == drawn && m.role == JuryRole::Juror;
                                    });
      if (!kept) {
        return Error::refused("juror \"" + drawn + "\" was drawn for dossier \"" + dossier +
                              "\" and is not a juror of the new jury: reassign the dossier first");
      }
    }
  }
  EventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto members =
      b.event.initJuryAppointed().initMembers(static_cast<unsigned>(command.members.size()));
  for (unsigned i = 0; i < members.size(); ++i) {
    members[i].setId(command.members[i].id);
    members[i].setName(command.members[i].name);
    members[i].setRole(writeJuryRole(command.members[i].role));
    const auto& tags = command.members[i].expertise;
    if (!tags.empty()) {
      auto expertise = members[i].initExpertise(static_cast<unsigned>(tags.size()));
      for (unsigned t = 0; t < expertise.size(); ++t) expertise.set(t, tags[t]);
    }
  }
  return std::vector<DomainEvent>{b.done()};
}

Result<std::vector<DomainEvent>> declareConflict(const CampaignState& state,
                                                 const campaign_command::DeclareConflict& command,
                                                 std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::DeclareConflict); !s) return s.error();
  if (auto s = validateId("dossier id", command.dossierId); !s) return s.error();
  if (state.member(command.jurorId) == nullptr) {
    return Error::notFound("\"" + command.jurorId +
                           "\" is not a member of the jury of campaign \"" + state.campaignId +
                           "\"");
  }
  // A dismissed conflict may be declared again: new facts, a new ruling.
  if (const ConflictRecord* known = state.conflict(command.jurorId, command.dossierId);
      known != nullptr && known->status != ConflictStatus::Dismissed) {
    return Error::conflict("a conflict of interest of \"" + command.jurorId + "\" with dossier \"" +
                           command.dossierId + "\" is already declared (" +
                           std::string(conflictStatusName(known->status)) + ")");
  }
  if (reason.empty()) {
    return Error::invalidInput(
        "a conflict of interest needs a reason (--reason): the link declared");
  }
  EventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto declared = b.event.initConflictDeclared();
  declared.setJurorId(command.jurorId);
  declared.setDossierId(command.dossierId);
  declared.setDeclaredBy(command.declaredBy == ConflictSource::Juror
                             ? schema::ConflictSource::JUROR
                             : schema::ConflictSource::ADMINISTRATOR);
  return std::vector<DomainEvent>{b.done()};
}

Result<std::vector<DomainEvent>> changePhase(const CampaignState& state,
                                             const campaign_command::ChangePhase& command,
                                             std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::ChangePhase); !s) return s.error();
  // Which phase comes next is the command's to say, forward only.
  if (command.phase <= state.phase) {
    return Error::refused(
        "campaign \"" + state.campaignId + "\" is in phase " + std::string(phaseName(state.phase)) +
        "; phases only move forward, not to " + std::string(phaseName(command.phase)));
  }
  if (command.phase == Phase::Auditions && !state.rules().auditionsHeld) {
    return Error::refused("campaign \"" + state.campaignId +
                          "\" holds no auditions (rules version " +
                          std::to_string(state.rulesVersion()) + ")");
  }
  EventBuilder b(state.campaignId, state.rulesVersion(), reason);
  b.event.initPhaseChanged().setPhase(writePhase(command.phase));
  std::vector<DomainEvent> events{b.done()};
  // By hand out of submissions: the deadline's timer has nothing left to do.
  if (auto cancel = cancelDeadlineTimer(state, reason)) events.push_back(std::move(*cancel));
  return events;
}

Result<std::vector<DomainEvent>> setBudget(const CampaignState& state,
                                           const campaign_command::SetBudgetEnvelope& command,
                                           std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::SetBudgetEnvelope); !s) return s.error();
  if (command.envelopeCents < 0 || command.envelopeCents > centsMax) {
    return Error::invalidInput("envelope: must be 0 to " + std::to_string(centsMax) +
                               " cents, got " + std::to_string(command.envelopeCents));
  }
  if (command.envelopeCents < state.grantedCents) {
    return Error::refused("the envelope " + formatEuros(command.envelopeCents) +
                          " would be below the " + formatEuros(state.grantedCents) +
                          " already granted in campaign \"" + state.campaignId + "\"");
  }
  EventBuilder b(state.campaignId, state.rulesVersion(), reason);
  b.event.initBudgetEnvelopeSet().setEnvelopeCents(command.envelopeCents);
  return std::vector<DomainEvent>{b.done()};
}

// The call's milestones (campaign.h, RecordMilestone): each once, each
// where it belongs in the call's course.
Result<std::vector<DomainEvent>> recordMilestone(const CampaignState& state,
                                                 const campaign_command::RecordMilestone& command,
                                                 std::string_view reason) {
  using campaign_command::Milestone;
  const CommandKind kind = command.milestone == Milestone::AuditionsBroadcast
                               ? CommandKind::BroadcastAuditions
                           : command.milestone == Milestone::CeremonyHeld ? CommandKind::HoldCeremony
                                                                          : CommandKind::PublishLaureates;
  if (auto s = lifecycle::mayRun(state, kind); !s) return s.error();
  const CampaignRules& rules = state.rules();
  const std::string ref = "campaign \"" + state.campaignId + "\"";
  EventBuilder b(state.campaignId, state.rulesVersion(), reason);
  switch (command.milestone) {
    case Milestone::AuditionsBroadcast: {
      if (!rules.auditionsHeld) return Error::refused(ref + " holds no auditions to broadcast");
      if (command.where.empty()) {
        return Error::invalidInput("a broadcast says where it was shown (--where)");
      }
      std::string roundId = command.roundId;
      if (rules.auditions.rounds.empty() && !roundId.empty()) {
        return Error::invalidInput(ref + " declares no rounds of auditions: give no round");
      }
      if (!rules.auditions.rounds.empty()) {
        const AuditionRound* round = rules.auditions.round(roundId);
        if (round == nullptr) {
          std::string ids;
          for (const AuditionRound& r : rules.auditions.rounds) ids += (ids.empty() ? "" : ", ") + r.id;
          return Error::invalidInput(
              (roundId.empty() ? std::string("name the round (--round)")
                               : "\"" + roundId + "\" is not a round") +
              ": " + ref + " holds " + ids);
        }
        roundId = round->id;
        if (command.atMicros < round->toMicros) {
          return Error::refused("the auditions of round \"" + round->id + "\" last until " +
                                formatInZone(round->toMicros, rules.timeZone) +
                                ": they are broadcast once held");
        }
      }
      // Once per round: the round is the command's, so this is no stage.
      if (state.broadcasts.count(roundId) != 0) {
        return Error::conflict("the auditions" +
                               (roundId.empty() ? std::string() : " of round \"" + roundId + "\"") +
                               " of " + ref + " were already broadcast");
      }
      auto broadcast = b.event.initAuditionsBroadcast();
      broadcast.setRoundId(roundId);
      broadcast.setWhere(command.where);
      broadcast.setUrl(command.url);
      break;
    }
    case Milestone::CeremonyHeld:
      if (rules.ceremonyName.empty()) {
        return Error::refused(ref + " declares no ceremony (ceremony.name)");
      }
      b.event.initCeremonyHeld().setWhere(command.where.empty() ? rules.ceremonyName
                                                                : command.where);
      break;
    case Milestone::LaureatesPublished:
      b.event.initLaureatesPublished().setUrl(command.url);
      break;
  }
  return std::vector<DomainEvent>{b.done()};
}

}  // namespace

Result<std::vector<DomainEvent>> decideCampaign(const CampaignState& state,
                                                const CampaignCommand& command,
                                                std::string_view reason) {
  // Each decision asks the lifecycle table first, which refuses every
  // command but Open on a campaign not opened.
  return std::visit(
      [&](const auto& c) -> Result<std::vector<DomainEvent>> {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, campaign_command::Open>) {
          return open(state, c, reason);
        } else if constexpr (std::is_same_v<C, campaign_command::AmendRules>) {
          return amend(state, c, reason);
        } else if constexpr (std::is_same_v<C, campaign_command::AppointJury>) {
          return appoint(state, c, reason);
        } else if constexpr (std::is_same_v<C, campaign_command::DeclareConflict>) {
          return declareConflict(state, c, reason);
        } else if constexpr (std::is_same_v<C, campaign_command::ChangePhase>) {
          return changePhase(state, c, reason);
        } else if constexpr (std::is_same_v<C, campaign_command::SetBudgetEnvelope>) {
          return setBudget(state, c, reason);
        } else if constexpr (std::is_same_v<C, campaign_command::RecordMilestone>) {
          return recordMilestone(state, c, reason);
        } else {
          return decideJudging(state, c, reason);
        }
      },
      command);
}

}  // namespace parcours::workflows
