// The judging views (see judging_views.h): folds of the campaign's stream
// and of its drawn dossiers' streams, read on demand.
#include "parcours/workflows/judging_views.h"

#include <algorithm>

#include "commands/dossier_fold.h"
#include "commands/judging_decisions.h"
#include "commands/judging_inputs.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

constexpr std::size_t viewReadChunk = 1000;

// Every event of `streamId` before `beforePosition` (0: all), in order.
Status visitStream(const store::EventLog& log, const std::string& streamId,
                   store::Position beforePosition,
                   const std::function<Status(const store::RecordedEvent&)>& visit) {
  store::StreamVersion from = 1;
  while (true) {
    auto events = log.readStream(streamId, from, store::Direction::Forward, viewReadChunk);
    if (!events) return events.error();
    for (const store::RecordedEvent& e : *events) {
      if (beforePosition != 0 && e.position >= beforePosition) return okStatus();
      if (auto s = visit(e); !s) return s;
    }
    if (events->size() < viewReadChunk) return okStatus();
    from = events->back().streamVersion + 1;
  }
}

// The campaign folded, and what its judging events recorded beyond the
// fold: the round's statistics and the selection's lines.
struct CampaignRecord {
  CampaignState state;
  std::vector<judging::JurorStatistics> statistics;
  std::optional<judging::SelectionResult> selection;
};

Result<CampaignRecord> readCampaign(const store::EventLog& log, const std::string& campaignId,
                                    store::Position beforePosition = 0) {
  CampaignRecord record;
  record.state.campaignId = campaignId;
  using E = schema::CampaignEvent;
  auto s = visitStream(log, campaignStream(campaignId), beforePosition,
                       [&](const store::RecordedEvent& e) -> Status {
    if (auto s = applyCampaignEvent(record.state, e.eventType, e.payload, e.recordedAtMicros); !s) return s;
    return readPayload<E>(e.payload, e.eventType, [&](E::Reader c) -> Status {
      if (c.isScoringRoundClosed()) {
        for (auto x : c.getScoringRoundClosed().getStatistics()) {
          record.statistics.push_back({toString(x.getJurorId()), toString(x.getCriterionId()),
                                       x.getCount(), x.getMeanMilli(), x.getDeviationMilli(),
                                       x.getNormalised(), toString(x.getFallback())});
        }
      } else if (c.isSelectionRecorded()) {
        auto r = c.getSelectionRecorded();
        if (!record.selection) {
          record.selection = judging::SelectionResult{
              static_cast<judging::SelectionRule>(r.getRule()), r.getEnvelopeCents(),
              r.getSelectedCents(), r.getSelectedScoreMilli(), {}};
        }
        for (auto line : r.getLines()) {
          record.selection->lines.push_back(
              {line.getRank(), toString(line.getDossierId()), line.getScoreMilli(),
               line.getRequestedCents(), line.getSelected(), line.getLeftBeforeCents(),
               toString(line.getExplanation())});
        }
      }
      return okStatus();
    });
  });
  if (!s) return s.error();
  if (!record.state.exists) return Error::notFound("no campaign \"" + campaignId + "\"");
  return record;
}

// The raw weighted mean of the sheets, by normalisation's own arithmetic
// (rule none), so the leaderboard and the round agree to the thousandth.
std::int64_t rawMean(const CampaignRules& rules,
                     const std::vector<campaign_command::CloseRound::Sheet>& sheets) {
  std::vector<judging::RawScore> scores;
  for (const auto& sheet : sheets) {
    for (const auto& [criterion, value] : sheet.scores) {
      scores.push_back({sheet.dossierId, sheet.jurorId, criterion, value});
    }
  }
  auto n = judging::normaliseScores(judging::NormalisationRule::None, 0, rules.criteria, scores);
  return n && !n->dossiers.empty() ? n->dossiers.front().rawMeanMilli : 0;
}

// The draw as recorded (every AssignmentDrawn part, before any change) and
// re-run: the campaign as it stood just before the draw gives the jurors and
// exclusions, the dossiers' submissions their strands.
Result<DrawCheck> checkDraw(const store::EventLog& log, const CampaignState& campaign) {
  DrawCheck check;
  store::Position drawnAt = 0;
  using E = schema::CampaignEvent;
  auto s = visitStream(log, campaignStream(campaign.campaignId), 0,
                       [&](const store::RecordedEvent& e) -> Status {
    if (e.eventType != "AssignmentDrawn") return okStatus();
    if (drawnAt == 0) drawnAt = e.position;
    return readPayload<E>(e.payload, e.eventType, [&](E::Reader c) -> Status {
      for (auto d : c.getAssignmentDrawn().getDossiers()) {
        judging::DossierAssignment a{toString(d.getDossierId()), {}};
        for (auto j : d.getJurorIds()) a.jurorIds.push_back(toString(j));
        check.recorded.push_back(std::move(a));
      }
      return okStatus();
    });
  });
  if (!s) return s.error();
  auto before = readCampaign(log, campaign.campaignId, drawnAt);
  if (!before) return before.error();
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> tags;
  for (const auto& a : check.recorded) {
    auto dossier = foldDossier(log, a.dossierId);
    if (!dossier) return dossier.error();
    ids.push_back(a.dossierId);
    tags.push_back(dossier->application.strands);
  }
  const AssignmentCommitment& committed = *campaign.assignmentCommitment;
  const judging::AssignmentConstraints constraints{committed.jurorsPerDossier,
                                                   committed.expertiseRequired};
  const judging::AssignmentInputs inputs = drawInputs(before->state, ids, tags);
  check.canonicalInputs =
      judging::canonicalAssignmentInputs(committed.algorithmVersion, constraints, inputs);
  check.inputsHashMatches =
      judging::assignmentInputsHash(committed.algorithmVersion, constraints, inputs) ==
      campaign.draw->inputsHash;
  auto rerun = judging::drawAssignment(committed.algorithmVersion, constraints, inputs,
                                       campaign.draw->seed);
  check.rerunMatches = rerun && rerun->dossiers == check.recorded;
  return check;
}

}  // namespace

Result<JudgingOverview> judgingOverview(const store::EventLog& log, const std::string& campaignId) {
  if (auto s = validateId("campaign id", campaignId); !s) return s.error();
  auto record = readCampaign(log, campaignId);
  if (!record) return record.error();
  const CampaignState& campaign = record->state;
  JudgingOverview out;
  out.campaignId = campaignId;
  out.campaignName = campaign.rules().name;
  out.rules = campaign.rules().judging;
  out.commitment = campaign.assignmentCommitment;
  out.draw = campaign.draw;
  if (campaign.draw && campaign.assignmentCommitment) {
    auto check = checkDraw(log, campaign);
    if (!check) return check.error();
    out.drawCheck = std::move(check).value();
  }
  out.roundClosed = campaign.roundClosed;
  out.statistics = std::move(record->statistics);
  out.selection = std::move(record->selection);
  for (const auto& [pair, conflict] : campaign.conflicts) {
    out.conflicts.push_back({pair.first, pair.second, conflict.status, conflict.declaredBy});
  }
  std::map<std::string, JurorProgress> progress;
  for (const JuryMember& m : campaign.jury) {
    if (m.role == JuryRole::Juror) progress[m.id] = {m.id, m.name, {}, 0};
  }
  std::vector<std::pair<std::int64_t, LeaderboardLine>> ranked;  // (submitted at, line)
  for (const auto& [dossierId, jurors] : campaign.assignments) {
    auto dossier = foldDossier(log, dossierId);
    if (!dossier) return dossier.error();
    for (const std::string& juror : jurors) {
      auto it = progress.find(juror);
      if (it == progress.end()) continue;
      it->second.dossiers.push_back(dossierId);
      if (dossier->scores.count(juror) > 0) ++it->second.scored;
    }
    const auto dossierSheets = scoreSheets(*dossier, campaign);
    LeaderboardLine line;
    line.dossierId = dossierId;
    line.title = dossier->application.title;
    line.status = dossier->status;
    line.jurors = static_cast<std::uint32_t>(dossierSheets.size());
    line.rawMeanMilli = rawMean(campaign.rules(), dossierSheets);
    if (auto round = campaign.roundMeans.find(dossierId); round != campaign.roundMeans.end()) {
      line.rawMeanMilli = round->second.rawMeanMilli;
      line.normalisedMeanMilli = round->second.normalisedMeanMilli;
    }
    line.spreadMilli = scoreSpreadMilli(campaign.rules(), dossierSheets);
    line.disagreement = out.rules.maxSpreadMilli > 0 && line.spreadMilli > out.rules.maxSpreadMilli;
    line.consensus = campaign.consensus.count(dossierId) > 0;
    ranked.emplace_back(dossier->submittedAtMicros, std::move(line));
  }
  // The rank order of selection: score, then earlier submission, then id.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    const auto score = [](const LeaderboardLine& l) {
      return l.normalisedMeanMilli.value_or(l.rawMeanMilli);
    };
    if (score(a.second) != score(b.second)) return score(a.second) > score(b.second);
    if (a.first != b.first) return a.first < b.first;
    return a.second.dossierId < b.second.dossierId;
  });
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    ranked[i].second.rank = static_cast<std::uint32_t>(i + 1);
    out.leaderboard.push_back(std::move(ranked[i].second));
  }
  for (auto& [id, juror] : progress) out.jurors.push_back(std::move(juror));
  return out;
}

Result<std::string> voteMinutes(const store::EventLog& log, const std::string& dossierId,
                                judging::Language language) {
  if (auto s = validateId("dossier id", dossierId); !s) return s.error();
  // The dossier as of its vote's close, and that event.
  DossierState dossier;
  dossier.dossierId = dossierId;
  std::optional<store::RecordedEvent> closed;
  auto s = visitStream(log, dossierStream(dossierId), 0, [&](const store::RecordedEvent& e) {
    if (closed) return okStatus();
    if (e.eventType == "VoteClosed") {
      closed = e;
      return okStatus();
    }
    return applyDossierEvent(dossier, e.eventType, e.payload, e.recordedAtMicros);
  });
  if (!s) return s.error();
  if (dossier.status == DossierStatus::Absent) return Error::notFound("no dossier \"" + dossierId + "\"");
  if (!closed) {
    return Error::refused("the vote on dossier \"" + dossierId +
                          "\" has not closed: there are no minutes yet");
  }
  // The campaign as it stood when the vote closed: its rules and jury then.
  auto record = readCampaign(log, dossier.campaignId, closed->position);
  if (!record) return record.error();
  const CampaignState& campaign = record->state;

  using E = schema::DossierEvent;
  return readPayload<E>(closed->payload, closed->eventType, [&](E::Reader e) -> Result<std::string> {
    const auto vote = e.getVoteClosed();
    const std::uint32_t version = e.getRulesVersion();
    if (version == 0 || version > campaign.rulesVersions.size()) {
      return Error::corruption("VoteClosed of dossier \"" + dossierId + "\" names rules version " +
                               std::to_string(version) + ", which the campaign never had");
    }
    const CampaignRules& rules = campaign.rulesVersions[version - 1];
    judging::MinutesInput minutes;
    minutes.campaignName = rules.name;
    minutes.campaignId = dossier.campaignId;
    minutes.dossierId = dossierId;
    minutes.dossierTitle = dossier.application.title;
    minutes.heldAtLocal = formatInZone(closed->recordedAtMicros, rules.timeZone);
    minutes.rulesVersion = version;
    minutes.rules = judging::deliberationRulesFor(rules);
    const JuryRole voting =
        rules.votingBody == VotingBody::Jury ? JuryRole::Juror : JuryRole::ElectedOfficial;
    for (const JuryMember& m : campaign.jury) {
      minutes.memberNames[m.id] = m.name;
      if (m.role != voting) continue;
      (campaign.recused(m.id, dossierId) ? minutes.input.recused : minutes.input.eligible)
          .push_back(m.id);
    }
    for (auto p : vote.getPresent()) minutes.input.present.push_back(toString(p));
    for (auto p : vote.getProxies()) {
      minutes.input.proxies.push_back({toString(p.getGiverId()), toString(p.getHolderId())});
    }
    minutes.input.inOffice = vote.getInOffice();
    minutes.input.quorumWaived = vote.getQuorumWaived();
    for (const auto& [voter, choice] : dossier.votes) {
      if (std::find(minutes.input.eligible.begin(), minutes.input.eligible.end(), voter) !=
          minutes.input.eligible.end()) {
        minutes.input.votes.push_back({voter, choice});
      }
    }
    minutes.input.dossierId = dossierId;
    minutes.input.lotSeed = toString(vote.getLotSeed());
    auto outcome = judging::tally(minutes.rules, minutes.input);
    if (!outcome) return outcome.error();
    if (outcome->carried != vote.getCarried() || outcome->yes != vote.getYes() ||
        outcome->no != vote.getNo() || outcome->abstain != vote.getAbstain()) {
      return Error::corruption("the recorded VoteClosed of dossier \"" + dossierId + "\" (" +
                               std::to_string(vote.getYes()) + " yes, " +
                               std::to_string(vote.getNo()) + " no, " +
                               (vote.getCarried() ? "carried" : "rejected") +
                               ") disagrees with a recount of its votes (" + outcome->explanation +
                               "): run `parcours replay`");
    }
    minutes.outcome = std::move(outcome).value();
    return judging::renderMinutes(minutes, language);
  });
}

}  // namespace parcours::workflows
