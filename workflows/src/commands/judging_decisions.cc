// The fair-judging decisions (see judging_decisions.h). The computations
// are the pure functions of parcours_judging; when they may run is the
// lifecycle table's to say (campaign_lifecycle.h), asked first by each
// decision; this file checks the rules and the inputs, and records
// everything they computed, cut into parts that fit a payload.
#include "commands/judging_decisions.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "commands/campaign_event_builder.h"
#include "parcours/store/limits.h"
#include "parcours/workflows/campaign_lifecycle.h"
#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging/normalisation.h"

namespace parcours::workflows {
namespace {

using Events = Result<std::vector<DomainEvent>>;
using lifecycle::CommandKind;
using lifecycle::Stage;

// Multi-part events: a list too long for one payload is cut into parts of
// at most partBytes each (estimated as Cap'n Proto lays them out: each text
// rounded up to whole words plus its pointer, each item's own words), so a
// part holding one slice of up to three lists stays under
// limits::payloadBytesMax whatever the ids' lengths.
constexpr std::size_t partBytes = limits::payloadBytesMax / 4;

std::size_t textBytes(std::string_view text) { return (text.size() + 1 + 7) / 8 * 8 + 8; }

// [begin, end) of each part of `items`, cut by `bytesOf(item)`.
template <typename T, typename Bytes>
std::vector<std::pair<std::size_t, std::size_t>> cut(const std::vector<T>& items, Bytes bytesOf) {
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  std::size_t begin = 0, bytes = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::size_t item = bytesOf(items[i]);
    if (i > begin && bytes + item > partBytes) {
      parts.emplace_back(begin, i);
      begin = i;
      bytes = 0;
    }
    bytes += item;
  }
  if (begin < items.size() || parts.empty()) parts.emplace_back(begin, items.size());
  return parts;
}

// Part `part` of `parts`, or an empty slice past its last part (a list
// shorter than the others).
std::pair<std::size_t, std::size_t> partOf(const std::vector<std::pair<std::size_t, std::size_t>>& parts,
                                           std::size_t part) {
  return part < parts.size() ? parts[part] : std::pair<std::size_t, std::size_t>{0, 0};
}

Status checkPartCount(std::size_t parts, std::string_view what) {
  if (parts <= limits::eventsPerAppendMax) return okStatus();
  return Error::invalidInput(std::string(what) + " needs " + std::to_string(parts) +
                             " events, more than the " + std::to_string(limits::eventsPerAppendMax) +
                             " one append may hold");
}

Status needReason(std::string_view reason, std::string_view what) {
  if (!reason.empty()) return okStatus();
  return Error::invalidInput(std::string(what) + " needs a reason (--reason)");
}

Status checkCommitment(std::string_view commitment) {
  const bool hex = commitment.size() == 64 &&
                   std::all_of(commitment.begin(), commitment.end(), [](char c) {
                     return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
                   });
  if (hex) return okStatus();
  return Error::invalidInput(
      "a seed commitment is the seed's SHA-256 in 64 lower-case hexadecimal digits, got \"" +
      std::string(commitment.substr(0, 80)) + "\"");
}

std::string campaignRef(const CampaignState& state) {
  return "campaign \"" + state.campaignId + "\"";
}

judging::AssignmentConstraints committedConstraints(const CampaignState& state) {
  return {state.assignmentCommitment->jurorsPerDossier,
          state.assignmentCommitment->expertiseRequired};
}

std::vector<judging::DossierAssignment> currentAssignments(const CampaignState& state) {
  std::vector<judging::DossierAssignment> out;
  for (const auto& [dossier, jurors] : state.assignments) out.push_back({dossier, jurors});
  return out;
}

void setTexts(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& texts) {
  for (unsigned i = 0; i < list.size(); ++i) list.set(i, texts[i]);
}

// A juror's weighted mean on a sheet, x1000, rounded half up (the arithmetic
// of ScoringClosed).
std::int64_t sheetMeanMilli(const CampaignRules& rules,
                            const campaign_command::CloseRound::Sheet& sheet) {
  std::int64_t weighted = 0, weights = 0;
  for (const Criterion& c : rules.criteria) {
    weights += c.weight;
    for (const auto& [criterion, value] : sheet.scores) {
      if (criterion == c.id) weighted += std::int64_t{c.weight} * value;
    }
  }
  return weights == 0 ? 0 : (weighted * 2000 + weights) / (2 * weights);
}

}  // namespace

judging::AssignmentInputs drawInputs(const CampaignState& state,
                                     const std::vector<std::string>& dossierIds,
                                     const std::vector<std::vector<std::string>>& dossierTags) {
  judging::AssignmentInputs in;
  for (const JuryMember& m : state.jury) {
    if (m.role == JuryRole::Juror) in.jurors.push_back({m.id, m.expertise});
  }
  for (std::size_t i = 0; i < dossierIds.size(); ++i) {
    in.dossiers.push_back({dossierIds[i], i < dossierTags.size() ? dossierTags[i]
                                                                 : std::vector<std::string>{}});
  }
  for (const auto& [pair, record] : state.conflicts) {
    if (record.status != ConflictStatus::Dismissed) in.exclusions.push_back(pair);
  }
  return in;
}

std::uint32_t scoreSpreadMilli(const CampaignRules& rules,
                               const std::vector<campaign_command::CloseRound::Sheet>& sheets) {
  if (sheets.size() < 2) return 0;
  std::int64_t low = sheetMeanMilli(rules, sheets.front()), high = low;
  for (const auto& sheet : sheets) {
    const std::int64_t mean = sheetMeanMilli(rules, sheet);
    low = std::min(low, mean);
    high = std::max(high, mean);
  }
  return static_cast<std::uint32_t>(high - low);
}

// ------------------------------------------------------------ conflicts

Events decideJudging(const CampaignState& state, const campaign_command::RuleConflict& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::RuleConflict); !s) return s.error();
  const ConflictRecord* conflict = state.conflict(command.jurorId, command.dossierId);
  if (conflict == nullptr) {
    return Error::notFound("no conflict of interest of \"" + command.jurorId +
                           "\" with dossier \"" + command.dossierId + "\" is declared in " +
                           campaignRef(state));
  }
  if (auto s = needReason(reason, "a ruling on a conflict of interest"); !s) return s.error();
  const ConflictStatus ruling = command.upheld ? ConflictStatus::Upheld : ConflictStatus::Dismissed;
  if (conflict->status == ruling) {
    return Error::conflict("the conflict of interest of \"" + command.jurorId +
                           "\" with dossier \"" + command.dossierId + "\" is already " +
                           std::string(conflictStatusName(ruling)));
  }
  std::vector<DomainEvent> events;
  CampaignEventBuilder ruled(state.campaignId, state.rulesVersion(), reason);
  auto r = ruled.event.initConflictRuled();
  r.setJurorId(command.jurorId);
  r.setDossierId(command.dossierId);
  r.setUpheld(command.upheld);
  events.push_back(ruled.done());

  // Upheld on a drawn dossier the juror was drawn for: a replacement drawn
  // from the revealed seed, deterministic from what the log holds.
  const auto assigned = state.assignments.find(command.dossierId);
  const bool onDossier =
      assigned != state.assignments.end() &&
      std::find(assigned->second.begin(), assigned->second.end(), command.jurorId) !=
          assigned->second.end();
  // Once the round is frozen its scores stand: an upheld conflict then
  // takes the juror out of the vote, not out of the round, and draws nobody.
  if (command.upheld && onDossier && lifecycle::stagesOf(state).round == Stage::Drawn) {
    CampaignState after = state;
    after.conflicts[{command.jurorId, command.dossierId}].status = ConflictStatus::Upheld;
    auto& jurors = after.assignments[command.dossierId];
    jurors.erase(std::remove(jurors.begin(), jurors.end(), command.jurorId), jurors.end());
    auto replacement = judging::drawReplacement(
        committedConstraints(state),
        drawInputs(after, {command.dossierId}, {command.dossierTags}), currentAssignments(after),
        command.dossierId, state.draw->seed);
    CampaignEventBuilder changed(state.campaignId, state.rulesVersion(),
                                 replacement ? "replacement drawn after the upheld conflict"
                                             : "no juror left to replace: " +
                                                   replacement.error().message);
    auto c = changed.event.initAssignmentChanged();
    c.setDossierId(command.dossierId);
    c.setRemovedJurorId(command.jurorId);
    if (replacement) c.setAddedJurorId(*replacement);
    c.setCause(schema::AssignmentChangeCause::CONFLICT_UPHELD);
    events.push_back(changed.done());
  }
  return events;
}

// ------------------------------------------------------------ the draw

Events decideJudging(const CampaignState& state, const campaign_command::CommitAssignment& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::CommitAssignment); !s) return s.error();
  const judging::JudgingRules& rules = state.rules().judging;
  if (rules.jurorsPerDossier == 0) {
    return Error::refused(campaignRef(state) + " draws no jurors (rules version " +
                          std::to_string(state.rulesVersion()) +
                          ": judging.assignment.jurors_per_dossier is 0)");
  }
  if (auto s = checkCommitment(command.seedCommitment); !s) return s.error();
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto c = b.event.initAssignmentCommitted();
  c.setAlgorithmVersion(judging::assignmentAlgorithmVersion);
  c.setJurorsPerDossier(rules.jurorsPerDossier);
  c.setExpertiseRequired(rules.expertiseRequired);
  c.setSeedCommitment(command.seedCommitment);
  return std::vector<DomainEvent>{b.done()};
}

Events decideJudging(const CampaignState& state, const campaign_command::RevealAssignment& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::RevealAssignment); !s) return s.error();
  if (judging::seedCommitment(command.seed) != state.assignmentCommitment->seedCommitment) {
    return Error::refused("the seed does not match the commitment " +
                          state.assignmentCommitment->seedCommitment + " of " +
                          campaignRef(state) + ": its SHA-256 is " +
                          judging::seedCommitment(command.seed));
  }
  if (command.dossierIds.empty()) {
    return Error::refused(campaignRef(state) + " has no dossier to draw jurors for");
  }
  auto drawn = judging::drawAssignment(
      state.assignmentCommitment->algorithmVersion, committedConstraints(state),
      drawInputs(state, command.dossierIds, command.dossierTags), command.seed);
  if (!drawn) return drawn.error();
  const auto dossierParts = cut(drawn->dossiers, [](const judging::DossierAssignment& a) {
    std::size_t bytes = 16 + textBytes(a.dossierId);
    for (const auto& j : a.jurorIds) bytes += textBytes(j);
    return bytes;
  });
  const std::size_t parts = dossierParts.size();
  if (auto s = checkPartCount(parts, "a draw of " + std::to_string(drawn->dossiers.size()) +
                                         " dossiers");
      !s) {
    return s.error();
  }
  std::vector<DomainEvent> events;
  for (std::size_t part = 0; part < parts; ++part) {
    CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
    auto d = b.event.initAssignmentDrawn();
    d.setSeed(command.seed);
    d.setInputsHash(drawn->inputsHash);
    d.setDossierCount(static_cast<std::uint32_t>(drawn->dossiers.size()));
    d.setPart(static_cast<std::uint32_t>(part + 1));
    d.setParts(static_cast<std::uint32_t>(parts));
    const auto [begin, end] = partOf(dossierParts, part);
    auto list = d.initDossiers(static_cast<unsigned>(end - begin));
    for (std::size_t i = begin; i < end; ++i) {
      auto item = list[static_cast<unsigned>(i - begin)];
      item.setDossierId(drawn->dossiers[i].dossierId);
      setTexts(item.initJurorIds(static_cast<unsigned>(drawn->dossiers[i].jurorIds.size())),
               drawn->dossiers[i].jurorIds);
    }
    events.push_back(b.done());
  }
  return events;
}

Events decideJudging(const CampaignState& state, const campaign_command::ChangeAssignment& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::ChangeAssignment); !s) return s.error();
  const auto assigned = state.assignments.find(command.dossierId);
  if (assigned == state.assignments.end()) {
    return Error::notFound("no jurors were drawn for dossier \"" + command.dossierId + "\" in " +
                           campaignRef(state));
  }
  if (auto s = needReason(reason, "a change to the draw"); !s) return s.error();
  if (command.removeJurorId.empty() && command.addJurorId.empty()) {
    return Error::invalidInput("name the juror to remove (--remove) or to add (--add)");
  }
  const auto& jurors = assigned->second;
  const auto on = [&](const std::string& id) {
    return std::find(jurors.begin(), jurors.end(), id) != jurors.end();
  };
  if (!command.removeJurorId.empty() && !on(command.removeJurorId)) {
    return Error::refused("\"" + command.removeJurorId + "\" was not drawn for dossier \"" +
                          command.dossierId + "\"");
  }
  if (!command.addJurorId.empty()) {
    const JuryMember* m = state.member(command.addJurorId);
    if (m == nullptr || m->role != JuryRole::Juror) {
      return Error::notFound("\"" + command.addJurorId + "\" is not a juror of " +
                             campaignRef(state));
    }
    if (on(command.addJurorId)) {
      return Error::conflict("\"" + command.addJurorId + "\" is already on dossier \"" +
                             command.dossierId + "\"");
    }
    if (const ConflictRecord* c = state.conflict(command.addJurorId, command.dossierId);
        c != nullptr && c->status != ConflictStatus::Dismissed) {
      return Error::refused("\"" + command.addJurorId + "\" has a conflict of interest (" +
                            std::string(conflictStatusName(c->status)) + ") with dossier \"" +
                            command.dossierId + "\"");
    }
  }
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto c = b.event.initAssignmentChanged();
  c.setDossierId(command.dossierId);
  c.setRemovedJurorId(command.removeJurorId);
  c.setAddedJurorId(command.addJurorId);
  c.setCause(schema::AssignmentChangeCause::MANUAL);
  return std::vector<DomainEvent>{b.done()};
}

// ------------------------------------------------------------ the round

Events decideJudging(const CampaignState& state, const campaign_command::CloseRound& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::CloseRound); !s) return s.error();
  const CampaignRules& rules = state.rules();
  std::map<std::string, std::vector<const campaign_command::CloseRound::Sheet*>> byDossier;
  for (const std::string& dossier : command.dossierIds) byDossier[dossier];
  for (const auto& sheet : command.sheets) byDossier[sheet.dossierId].push_back(&sheet);
  std::vector<std::string> missing, pending, disagreements;
  std::vector<judging::RawScore> scores;
  for (const auto& [dossier, sheets] : byDossier) {
    for (const JuryMember* juror : state.scorers(dossier)) {
      const bool scored = std::any_of(sheets.begin(), sheets.end(),
                                      [&](auto* s) { return s->jurorId == juror->id; });
      if (!scored) missing.push_back(dossier + " (" + juror->id + ")");
    }
    for (const std::string& juror : state.pendingConflictsOn(dossier)) {
      pending.push_back(dossier + " (" + juror + ")");
    }
    std::vector<campaign_command::CloseRound::Sheet> counted;
    for (const auto* sheet : sheets) {
      if (state.recused(sheet->jurorId, dossier)) continue;  // upheld after scoring
      counted.push_back(*sheet);
      for (const auto& [criterion, value] : sheet->scores) {
        scores.push_back({dossier, sheet->jurorId, criterion, value});
      }
    }
    const std::uint32_t spread = scoreSpreadMilli(rules, counted);
    if (rules.judging.maxSpreadMilli > 0 && spread > rules.judging.maxSpreadMilli &&
        state.consensus.count(dossier) == 0) {
      disagreements.push_back(dossier + " (spread " + formatMilli(spread) + ")");
    }
  }
  const auto list = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  if (!missing.empty()) {
    return Error::refused("the round cannot close: " + std::to_string(missing.size()) +
                          " score sheets are missing: " + list(missing));
  }
  if (!pending.empty()) {
    return Error::refused("the round cannot close: conflicts of interest await a ruling: " +
                          list(pending));
  }
  if (!disagreements.empty()) {
    return Error::refused("the round cannot close: the jurors disagree past the spread of " +
                          formatMilli(rules.judging.maxSpreadMilli) +
                          " on these dossiers, each needs a recorded consensus: " +
                          list(disagreements));
  }
  if (lifecycle::stagesOf(state).round == Stage::Drawn) {
    // First step: freeze the scores; the workflow service then gathers them
    // again and closes (the second step, below).
    CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
    b.event.setScoringRoundFrozen();
    return std::vector<DomainEvent>{b.done()};
  }
  auto normalised = judging::normaliseScores(rules.judging.normalisation,
                                             rules.judging.minScoresPerJuror, rules.criteria, scores);
  if (!normalised) return normalised.error();
  const auto statParts = cut(normalised->statistics, [](const judging::JurorStatistics& x) {
    return 40 + textBytes(x.jurorId) + textBytes(x.criterionId) + textBytes(x.fallback);
  });
  const auto scoreParts = cut(normalised->scores, [](const judging::NormalisedScore& x) {
    return 24 + textBytes(x.dossierId) + textBytes(x.jurorId) + textBytes(x.criterionId);
  });
  const auto meanParts = cut(normalised->dossiers, [](const judging::DossierMeans& x) {
    return 32 + textBytes(x.dossierId);
  });
  const std::size_t parts = std::max({statParts.size(), scoreParts.size(), meanParts.size()});
  if (auto s = checkPartCount(parts, "a round of " + std::to_string(normalised->scores.size()) +
                                         " scores");
      !s) {
    return s.error();
  }
  std::vector<DomainEvent> events;
  for (std::size_t part = 0; part < parts; ++part) {
    CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
    auto r = b.event.initScoringRoundClosed();
    r.setRule(static_cast<schema::NormalisationRule>(normalised->rule));
    r.setMinScoresPerJuror(normalised->minScoresPerJuror);
    r.setPart(static_cast<std::uint32_t>(part + 1));
    r.setParts(static_cast<std::uint32_t>(parts));
    const auto [s0, s1] = partOf(statParts, part);
    auto stats = r.initStatistics(static_cast<unsigned>(s1 - s0));
    for (std::size_t i = s0; i < s1; ++i) {
      const auto& in = normalised->statistics[i];
      auto out = stats[static_cast<unsigned>(i - s0)];
      out.setJurorId(in.jurorId);
      out.setCriterionId(in.criterionId);
      out.setCount(in.count);
      out.setMeanMilli(in.meanMilli);
      out.setDeviationMilli(in.deviationMilli);
      out.setNormalised(in.normalised);
      out.setFallback(in.fallback);
    }
    const auto [c0, c1] = partOf(scoreParts, part);
    auto scoreList = r.initScores(static_cast<unsigned>(c1 - c0));
    for (std::size_t i = c0; i < c1; ++i) {
      const auto& in = normalised->scores[i];
      auto out = scoreList[static_cast<unsigned>(i - c0)];
      out.setDossierId(in.dossierId);
      out.setJurorId(in.jurorId);
      out.setCriterionId(in.criterionId);
      out.setRaw(in.raw);
      out.setNormalisedMilli(in.normalisedMilli);
    }
    const auto [d0, d1] = partOf(meanParts, part);
    auto means = r.initDossiers(static_cast<unsigned>(d1 - d0));
    for (std::size_t i = d0; i < d1; ++i) {
      const auto& in = normalised->dossiers[i];
      auto out = means[static_cast<unsigned>(i - d0)];
      out.setDossierId(in.dossierId);
      out.setJurors(in.jurors);
      out.setRawMeanMilli(in.rawMeanMilli);
      out.setNormalisedMeanMilli(in.normalisedMeanMilli);
    }
    events.push_back(b.done());
  }
  return events;
}

Events decideJudging(const CampaignState& state, const campaign_command::RecordConsensus& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::RecordConsensus); !s) return s.error();
  if (!state.drawn(command.dossierId)) {
    return Error::notFound("no jurors were drawn for dossier \"" + command.dossierId + "\" in " +
                           campaignRef(state));
  }
  if (auto s = needReason(reason, "a consensus (what the jurors agreed)"); !s) return s.error();
  const std::uint32_t allowed = state.rules().judging.maxSpreadMilli;
  if (allowed == 0 || command.spreadMilli <= allowed) {
    return Error::refused("the jurors of dossier \"" + command.dossierId +
                          "\" do not disagree past the campaign's spread: their means are " +
                          formatMilli(command.spreadMilli) + " apart" +
                          (allowed == 0 ? " and the rules set no spread"
                                        : ", within " + formatMilli(allowed)));
  }
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  auto c = b.event.initConsensusRecorded();
  c.setDossierId(command.dossierId);
  c.setSpreadMilli(command.spreadMilli);
  return std::vector<DomainEvent>{b.done()};
}

// ------------------------------------------------------------ selection

Result<judging::SelectionResult> computeSelection(
    const CampaignState& state, const campaign_command::RecordSelection& command) {
  if (state.envelopeCents == 0) {
    return Error::refused(campaignRef(state) + " has no budget envelope to select within");
  }
  judging::SelectionInput input;
  input.rule = state.rules().judging.selection;
  input.envelopeCents = state.envelopeCents - state.grantedCents;
  for (const auto& c : command.candidates) {
    input.candidates.push_back({c.dossierId, c.scoreMilli, c.requestedCents, c.submittedAtMicros});
  }
  return judging::selectWithinBudget(input);
}

Events decideJudging(const CampaignState& state, const campaign_command::RecordSelection& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::RecordSelection); !s) return s.error();
  if (command.beforeTheVote) {
    return Error::invalidInput("a selection before the vote is a dry run: it is never recorded");
  }
  if (command.candidates.empty()) {
    return Error::refused(campaignRef(state) +
                          (state.rules().grantedByDeliberation
                               ? " has no dossier scored past the threshold and asking for money "
                                 "to propose"
                               : " has no dossier carried by the vote to select from"));
  }
  auto result = computeSelection(state, command);
  if (!result) return result.error();
  const auto lineParts = cut(result->lines, [](const judging::SelectionLine& x) {
    return 40 + textBytes(x.dossierId) + textBytes(x.explanation);
  });
  const std::size_t parts = lineParts.size();
  if (auto s = checkPartCount(parts, "a selection of " + std::to_string(result->lines.size()) +
                                         " dossiers");
      !s) {
    return s.error();
  }
  std::vector<DomainEvent> events;
  for (std::size_t part = 0; part < parts; ++part) {
    CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
    auto s = b.event.initSelectionRecorded();
    s.setRule(static_cast<schema::SelectionRule>(result->rule));
    s.setEnvelopeCents(result->envelopeCents);
    s.setSelectedCents(result->selectedCents);
    s.setSelectedScoreMilli(result->selectedScoreMilli);
    s.setPart(static_cast<std::uint32_t>(part + 1));
    s.setParts(static_cast<std::uint32_t>(parts));
    const auto [begin, end] = partOf(lineParts, part);
    auto lines = s.initLines(static_cast<unsigned>(end - begin));
    for (std::size_t i = begin; i < end; ++i) {
      const auto& in = result->lines[i];
      auto out = lines[static_cast<unsigned>(i - begin)];
      out.setRank(in.rank);
      out.setDossierId(in.dossierId);
      out.setScoreMilli(in.scoreMilli);
      out.setRequestedCents(in.requestedCents);
      out.setSelected(in.selected);
      out.setLeftBeforeCents(in.leftBeforeCents);
      out.setExplanation(in.explanation);
    }
    events.push_back(b.done());
  }
  return events;
}

Events decideJudging(const CampaignState& state, const campaign_command::CommitLotSeed& command,
                     std::string_view reason) {
  if (auto s = lifecycle::mayRun(state, CommandKind::CommitLotSeed); !s) return s.error();
  if (state.rules().judging.tieBreak != judging::TieBreak::Lot) {
    return Error::refused(campaignRef(state) + " breaks ties by " +
                          std::string(judging::tieBreakName(state.rules().judging.tieBreak)) +
                          ", not by lot");
  }
  if (auto s = checkCommitment(command.seedCommitment); !s) return s.error();
  CampaignEventBuilder b(state.campaignId, state.rulesVersion(), reason);
  b.event.initLotSeedCommitted().setSeedCommitment(command.seedCommitment);
  return std::vector<DomainEvent>{b.done()};
}

}  // namespace parcours::workflows
