// The checks every set of campaign rules passes, whether read from a
// definition file or built in code (an amendment, a test fixture): the
// dossier machine's guards rely on them and never re-check.
//
// Messages name the field path of the definition file format
// (docs/campaign-definition.md), so a file's author and a caller building
// rules in code read the same words.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "domain/json_input.h"
#include "judging/name_table.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

using json_input::checkApplicantKind;
using json_input::checkListSize;
using json_input::checkRange;
using json_input::checkStringSize;
using json_input::fieldError;
using json_input::fieldPath;
using json_input::inQuotes;
using json_input::isBlank;
using json_input::itemPath;

constexpr judging::NameTable<AuditionFormat, 3> auditionFormatNames{
    {{AuditionFormat::Unspecified, "unspecified"},
     {AuditionFormat::VideoConference, "video_conference"},
     {AuditionFormat::InPerson, "in_person"}}};

constexpr judging::NameTable<StrandMode, 5> strandModeNames{
    {{StrandMode::Unspecified, "unspecified"},
     {StrandMode::Animation, "animation"},
     {StrandMode::EngineeringSupport, "engineering_support"},
     {StrandMode::Investment, "investment"},
     {StrandMode::Label, "label"}}};

// Scales and weights are bounded so that the weighted mean in thousandths
// fits the uint32 it is recorded in, and Σ weight × score cannot overflow.
constexpr std::uint32_t scaleMaxMax = 1000;
constexpr std::uint32_t weightMax = 1000;

Status checkText(std::string_view path, std::string_view text, bool required) {
  if (required && isBlank(text)) return fieldError(path, "must not be empty");
  return checkStringSize(path, text);
}

// 6000 → "6", 6500 → "6.5", 6250 → "6.25": thresholds as the file wrote them.
std::string formatTrimmedMilli(std::uint32_t milli) {
  std::string out = std::to_string(milli / 1000);
  if (std::uint32_t rest = milli % 1000; rest != 0) {
    std::string decimals = std::to_string(1000 + rest).substr(1);
    while (decimals.back() == '0') decimals.pop_back();
    out += "." + decimals;
  }
  return out;
}

// `error` with the field path in front, its code kept: an unreadable time
// zone database is an I/O error, not the rules' fault.
Error at(std::string_view path, Error error) {
  error.message = std::string(path) + ": " + error.message;
  return error;
}

Status checkDeadline(const CampaignRules& r) {
  if (auto s = validateTimeZone(r.timeZone); !s) return at("deadline.time_zone", s.error());
  auto resolved = parseLocalTime(r.deadlineLocal, r.timeZone);
  if (!resolved) return at("deadline.local", resolved.error());
  // The instant must fall within the second the local time names: exactly
  // its start, or any instant up to its last microsecond.
  if (r.deadlineMicros < *resolved || r.deadlineMicros >= *resolved + 1'000'000) {
    return fieldError("deadline", inQuotes(r.deadlineLocal) + " in " + r.timeZone + " is " +
                                      formatUtc(*resolved) + ", but the rules hold the instant " +
                                      formatUtc(r.deadlineMicros) +
                                      ": resolve it with parseLocalTime");
  }
  return okStatus();
}

Status checkKinds(const std::vector<std::string>& kinds) {
  constexpr std::string_view path = "eligible_applicant_kinds";
  if (kinds.empty()) return fieldError(path, "must name at least one applicant kind");
  if (auto s = checkListSize(path, kinds.size()); !s) return s;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (auto s = checkApplicantKind(itemPath(path, i), kinds[i]); !s) return s;
    if (!seen.insert(kinds[i]).second) {
      return fieldError(itemPath(path, i), inQuotes(kinds[i]) + " is listed twice");
    }
  }
  return okStatus();
}

Status checkRequiredFields(const std::vector<std::string>& fields) {
  constexpr std::string_view path = "required_fields";
  if (auto s = checkListSize(path, fields.size()); !s) return s;
  const std::vector<std::string>& known = applicationFieldNames();
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (std::find(known.begin(), known.end(), fields[i]) == known.end()) {
      std::string names;
      for (const std::string& name : known) names += (names.empty() ? "" : ", ") + name;
      return fieldError(itemPath(path, i), "unknown application field " + inQuotes(fields[i]) +
                                               " (known: " + names + ")");
    }
    if (!seen.insert(fields[i]).second) {
      return fieldError(itemPath(path, i), inQuotes(fields[i]) + " is listed twice");
    }
  }
  return okStatus();
}

Status checkStrands(const std::vector<Strand>& strands) {
  constexpr std::string_view path = "strands";
  if (auto s = checkListSize(path, strands.size()); !s) return s;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < strands.size(); ++i) {
    const std::string at = itemPath(path, i);
    if (auto s = validateId(fieldPath(at, "id"), strands[i].id); !s) return s;
    if (!seen.insert(strands[i].id).second) {
      return fieldError(fieldPath(at, "id"), inQuotes(strands[i].id) +
                                                 " is the id of an earlier strand: ids are unique");
    }
    if (auto s = checkText(fieldPath(at, "label"), strands[i].label, true); !s) return s;
    if (strandModeName(strands[i].mode).empty()) {
      return fieldError(fieldPath(at, "mode"), "is out of range");
    }
  }
  return okStatus();
}

Status checkDepartements(const std::vector<std::string>& codes) {
  constexpr std::string_view path = "eligible_departements";
  if (auto s = checkListSize(path, codes.size()); !s) return s;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (auto s = checkDepartement(itemPath(path, i), codes[i]); !s) return s;
    if (!seen.insert(codes[i]).second) {
      return fieldError(itemPath(path, i), inQuotes(codes[i]) + " is listed twice");
    }
  }
  return okStatus();
}

Status checkAssumptions(const std::vector<Assumption>& assumptions) {
  constexpr std::string_view path = "assumptions";
  if (auto s = checkListSize(path, assumptions.size()); !s) return s;
  for (std::size_t i = 0; i < assumptions.size(); ++i) {
    const std::string at = itemPath(path, i);
    if (auto s = checkText(fieldPath(at, "what"), assumptions[i].what, true); !s) return s;
    if (auto s = checkText(fieldPath(at, "why"), assumptions[i].why, true); !s) return s;
  }
  return okStatus();
}

// Rounds of auditions: each a window in the campaign's zone, written to the
// second and resolved like the deadline; every slot fits inside it.
Status checkAuditions(const CampaignRules& r) {
  const AuditionRules& a = r.auditions;
  if (a == AuditionRules{}) return okStatus();
  if (!r.auditionsHeld) {
    return fieldError("auditions", "describes auditions, but auditions_held is false");
  }
  if (auditionFormatName(a.format).empty()) return fieldError("auditions.format", "is out of range");
  if (auto s = checkRange("auditions.slot_minutes", a.slotMinutes, 0, 600); !s) return s;
  if (auto s = checkListSize("auditions.rounds", a.rounds.size()); !s) return s;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < a.rounds.size(); ++i) {
    const AuditionRound& round = a.rounds[i];
    const std::string path = itemPath("auditions.rounds", i);
    if (auto s = validateId(fieldPath(path, "id"), round.id); !s) return s;
    if (!seen.insert(round.id).second) {
      return fieldError(fieldPath(path, "id"), inQuotes(round.id) + " is listed twice");
    }
    if (auto s = checkText(fieldPath(path, "name"), round.name, true); !s) return s;
    for (const auto& [key, local, micros] :
         {std::tuple{"from", round.fromLocal, round.fromMicros},
          std::tuple{"to", round.toLocal, round.toMicros}}) {
      auto resolved = parseLocalTime(local, r.timeZone);
      if (!resolved) return at(fieldPath(path, key), resolved.error());
      if (*resolved != micros) {
        return fieldError(fieldPath(path, key), inQuotes(local) + " in " + r.timeZone + " is " +
                                                    formatUtc(*resolved) +
                                                    ", but the rules hold another instant");
      }
    }
    const std::int64_t slotMicros = std::int64_t{a.slotMinutes} * 60'000'000;
    if (round.toMicros <= round.fromMicros || round.toMicros - round.fromMicros < slotMicros) {
      return fieldError(fieldPath(path, "to"), inQuotes(round.toLocal) +
                                                   " leaves no room for a slot after " +
                                                   inQuotes(round.fromLocal));
    }
  }
  return okStatus();
}

// The money is decided by the vote only where there is money to decide.
Status checkGrantedBy(const CampaignRules& r) {
  if (r.grantedByDeliberation && r.budgetEnvelopeCents == 0) {
    return fieldError("budget.granted_by",
                      "\"deliberation\" needs an envelope: budget.envelope_cents is 0");
  }
  return okStatus();
}

Status checkCriterionId(std::string_view path, std::string_view id) {
  const bool wellFormed =
      !id.empty() && id.size() <= idBytesMax && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      });
  if (wellFormed) return okStatus();
  return fieldError(path, inQuotes(id) +
                              " is not a criterion id: use 1 to 64 lower-case letters a-z, "
                              "digits and \"_\", e.g. \"efficiency_sobriety\"");
}

Status checkCriteria(const std::vector<Criterion>& criteria) {
  constexpr std::string_view path = "criteria";
  if (criteria.empty()) return fieldError(path, "must hold at least one criterion");
  if (auto s = checkListSize(path, criteria.size()); !s) return s;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < criteria.size(); ++i) {
    const Criterion& c = criteria[i];
    const std::string at = itemPath(path, i);
    if (auto s = checkCriterionId(fieldPath(at, "id"), c.id); !s) return s;
    if (!seen.insert(c.id).second) {
      return fieldError(fieldPath(at, "id"),
                        inQuotes(c.id) + " is the id of an earlier criterion: ids are unique");
    }
    if (auto s = checkText(fieldPath(at, "label"), c.label, true); !s) return s;
    const std::string scale = fieldPath(at, "scale");
    if (c.scaleMin >= c.scaleMax) {
      return fieldError(scale, "min " + std::to_string(c.scaleMin) + " must be below max " +
                                   std::to_string(c.scaleMax));
    }
    if (auto s = checkRange(fieldPath(scale, "max"), c.scaleMax, 1, scaleMaxMax); !s) return s;
    if (auto s = checkRange(fieldPath(at, "weight"), c.weight, 1, weightMax); !s) return s;
  }
  return okStatus();
}

// The weighted mean is compared with the threshold, so the threshold must
// be a mean every criterion can give: within each criterion's scale. With a
// common scale (both 2020 campaigns) that is simply the scale.
Status checkThreshold(const CampaignRules& r) {
  for (std::size_t i = 0; i < r.criteria.size(); ++i) {
    const Criterion& c = r.criteria[i];
    if (r.thresholdMilli < std::uint64_t{c.scaleMin} * 1000 ||
        r.thresholdMilli > std::uint64_t{c.scaleMax} * 1000) {
      return fieldError("threshold", formatTrimmedMilli(r.thresholdMilli) + " is outside the scale of " +
                                         itemPath("criteria", i) + " " + inQuotes(c.id) + " (" +
                                         std::to_string(c.scaleMin) + " to " +
                                         std::to_string(c.scaleMax) + ")");
    }
  }
  return okStatus();
}

Status checkVote(const CampaignRules& r) {
  if (votingBodyName(r.votingBody).empty()) {
    return fieldError("vote.body",
                      "unknown voting body " + std::to_string(static_cast<int>(r.votingBody)));
  }
  if (majorityName(r.majority).empty()) {
    return fieldError("vote.majority",
                      "unknown majority " + std::to_string(static_cast<int>(r.majority)));
  }
  if (judging::quorumRuleName(r.judging.quorumRule).empty()) {
    return fieldError("vote.quorum", "unknown quorum rule");
  }
  if (auto s = checkRange("vote.reconvene_after_days", r.judging.reconveneAfterDays, 0, 31); !s) {
    return s;
  }
  if (r.judging.quorumRule == judging::QuorumRule::MoreThanHalfInOffice) {
    if (r.judging.quorumCounts != judging::QuorumCounts::VotesCast) {
      return fieldError("vote.quorum_counts",
                        "is not used with the quorum \"more_than_half_in_office\", which counts "
                        "the members present in person: leave it out");
    }
    if (r.quorumPercent == 0) return okStatus();
    return fieldError("vote.quorum_percent",
                      "is not used with the quorum \"more_than_half_in_office\": leave it out");
  }
  return checkRange("vote.quorum_percent", r.quorumPercent, 1, 100);
}

// The judging rules must make sense together: a chair's casting vote needs
// a chair and a ballot whose votes are known; normalisation needs a round
// (a draw) and enough scores to mean anything.
Status checkJudging(const CampaignRules& r) {
  using namespace judging;
  const JudgingRules& j = r.judging;
  if (auto s = checkRange("judging.assignment.jurors_per_dossier", j.jurorsPerDossier, 0, 1000);
      !s) {
    return s;
  }
  if (j.expertiseRequired && j.jurorsPerDossier == 0) {
    return fieldError("judging.assignment.expertise",
                      "\"required\" matches drawn jurors to dossiers, but no jurors are drawn "
                      "(jurors_per_dossier is 0)");
  }
  // A scoring round is the drawn dossiers: normalisation and disagreement
  // are computed over it.
  if (j.normalisation == NormalisationRule::ZScore && j.jurorsPerDossier == 0) {
    return fieldError("judging.normalisation.rule",
                      "z_score normalises over the scoring round, which is the drawn dossiers: "
                      "set judging.assignment.jurors_per_dossier");
  }
  if (j.maxSpreadMilli > 0 && j.jurorsPerDossier == 0) {
    return fieldError("judging.disagreement.max_spread",
                      "disagreements are settled before the scoring round closes, and a round "
                      "is the drawn dossiers: set judging.assignment.jurors_per_dossier");
  }
  if (j.normalisation == NormalisationRule::ZScore && j.minScoresPerJuror < 2) {
    return fieldError("judging.normalisation.min_scores_per_juror",
                      "z_score needs at least 2 scores per juror to measure a deviation, got " +
                          std::to_string(j.minScoresPerJuror));
  }
  if (j.tieBreak == TieBreak::ChairCastingVote) {
    if (j.chairId.empty()) {
      return fieldError("vote.chair", "the tie-break chair_casting_vote needs the chair's id");
    }
    if (auto s = validateId("vote.chair", j.chairId); !s) return s;
    if (j.ballot == Ballot::Secret) {
      return fieldError("vote.tie_break",
                        "chair_casting_vote cannot break a tie in a secret ballot: the chair's "
                        "vote is not known");
    }
  } else if (!j.chairId.empty()) {
    return fieldError("vote.chair", "a chair is named, but the tie-break is " +
                                        inQuotes(tieBreakName(j.tieBreak)) +
                                        ", not chair_casting_vote");
  }
  if (r.majority == Majority::TwoThirds && j.tieBreak != TieBreak::None) {
    return fieldError("vote.tie_break",
                      "a two_thirds majority is more than half by definition: breaking a tie "
                      "would carry a motion with half the votes; use \"none\"");
  }
  if (r.majority == Majority::Simple && j.majorityBase != MajorityBase::VotesCast) {
    return fieldError("vote.majority_base",
                      "a simple majority compares yes with no; a base applies to absolute and "
                      "two_thirds majorities");
  }
  return okStatus();
}

Status checkBudget(const CampaignRules& r) {
  using json_input::centsMax;
  if (auto s = checkRange("budget.envelope_cents", r.budgetEnvelopeCents, 0, centsMax); !s) {
    return s;
  }
  if (auto s = checkRange("budget.per_dossier_cap_cents", r.perDossierCapCents, 0, centsMax); !s) {
    return s;
  }
  // A cap without an envelope caps funding that cannot be granted: most
  // likely the envelope was forgotten, so say so rather than accept it.
  if (r.budgetEnvelopeCents == 0 && r.perDossierCapCents > 0) {
    return fieldError("budget.per_dossier_cap_cents",
                      formatEuros(r.perDossierCapCents) +
                          " caps a grant, but there is no envelope (budget.envelope_cents is 0)");
  }
  if (r.perDossierCapCents > r.budgetEnvelopeCents) {
    return fieldError("budget.per_dossier_cap_cents", formatEuros(r.perDossierCapCents) +
                                                          " is over the envelope of " +
                                                          formatEuros(r.budgetEnvelopeCents));
  }
  return okStatus();
}

}  // namespace

std::string_view votingBodyName(VotingBody body) {
  switch (body) {
    case VotingBody::Jury:
      return "jury";
    case VotingBody::ElectedOfficials:
      return "elected_officials";
  }
  return {};
}

std::string_view majorityName(Majority majority) {
  switch (majority) {
    case Majority::Simple:
      return "simple";
    case Majority::Absolute:
      return "absolute";
    case Majority::TwoThirds:
      return "two_thirds";
  }
  return {};
}

const std::vector<std::string>& applicationFieldNames() {
  static const std::vector<std::string> names{
      "applicant.name", "applicant.kind", "applicant.siren",  "applicant.departement",
      "title",          "summary",        "strands",          "requested_amount",
      "contact.name",   "contact.email",  "contact.phone"};
  return names;
}

std::string_view strandModeName(StrandMode mode) { return judging::nameIn(strandModeNames, mode); }
std::optional<StrandMode> parseStrandMode(std::string_view name) {
  return judging::parseIn(strandModeNames, name);
}

std::string_view auditionFormatName(AuditionFormat format) {
  return judging::nameIn(auditionFormatNames, format);
}
std::optional<AuditionFormat> parseAuditionFormat(std::string_view name) {
  return judging::parseIn(auditionFormatNames, name);
}

const AuditionRound* AuditionRules::round(std::string_view roundId) const {
  if (roundId.empty()) return rounds.size() == 1 ? &rounds.front() : nullptr;
  for (const AuditionRound& r : rounds) {
    if (r.id == roundId) return &r;
  }
  return nullptr;
}

bool CampaignRules::asksForMoney(const std::vector<std::string>& strandIds) const {
  return std::any_of(strands.begin(), strands.end(), [&](const Strand& s) {
    return s.mode == StrandMode::Investment &&
           std::find(strandIds.begin(), strandIds.end(), s.id) != strandIds.end();
  });
}

Status validateId(std::string_view what, std::string_view id) {
  const bool wellFormed =
      !id.empty() && id.size() <= idBytesMax && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
      });
  if (wellFormed) return okStatus();
  if (id.empty()) return fieldError(what, "must not be empty");
  if (id.size() > idBytesMax) {
    return fieldError(what, inQuotes(id) + " is " + std::to_string(id.size()) +
                                " characters long, over the limit of " + std::to_string(idBytesMax));
  }
  return fieldError(what, inQuotes(id) + " may hold only letters A-Z a-z, digits, \"-\" and \"_\" (1 to " +
                              std::to_string(idBytesMax) + ")");
}

// The longest statutory delays in French law are counted in months (two
// for silence-vaut-acceptation, up to a few for special regimes); ten
// years of any unit is far beyond any, and keeps every due date within the
// calendar's years.
Status checkStatutoryDelay(const StatutoryDelay& d) {
  if (d == StatutoryDelay{}) return okStatus();
  const std::int64_t max = d.unit == DelayUnit::Months         ? 120
                           : d.unit == DelayUnit::BusinessDays ? 2'600
                                                               : 3'660;
  const char* key = d.unit == DelayUnit::Months         ? "statutory_delay.months"
                    : d.unit == DelayUnit::BusinessDays ? "statutory_delay.business_days"
                                                        : "statutory_delay.days";
  if (auto s = checkRange(key, d.count, 1, max); !s) return s;
  if (auto s = checkText("statutory_delay.legal_basis", d.legalBasis, true); !s) return s;
  if (auto s = checkRange("statutory_delay.warn_days_before", d.warnDaysBefore, 0, 365); !s) {
    return s;
  }
  return okStatus();
}

Status validateRules(const CampaignRules& r) {
  if (auto s = checkText("name", r.name, true); !s) return s;
  if (auto s = checkText("organiser", r.organiser, true); !s) return s;
  if (auto s = checkDeadline(r); !s) return s;
  if (auto s = checkKinds(r.eligibleApplicantKinds); !s) return s;
  if (auto s = checkRequiredFields(r.requiredFields); !s) return s;
  if (auto s = checkStrands(r.strands); !s) return s;
  if (auto s = checkCriteria(r.criteria); !s) return s;
  if (auto s = checkThreshold(r); !s) return s;  // after the scales are known sound
  if (auto s = checkVote(r); !s) return s;
  if (auto s = checkText("label_name", r.labelName, false); !s) return s;
  if (auto s = checkBudget(r); !s) return s;
  if (auto s = checkGrantedBy(r); !s) return s;
  if (auto s = checkDepartements(r.eligibleDepartements); !s) return s;
  if (auto s = checkJudging(r); !s) return s;
  if (auto s = checkAssumptions(r.assumptions); !s) return s;
  if (auto s = checkAuditions(r); !s) return s;
  if (!r.ceremonyName.empty() && r.labelName.empty()) {
    return fieldError("ceremony.name", "a ceremony hands out labels, but label_name is empty");
  }
  if (!r.ceremonyName.empty() && r.grantedByDeliberation) {
    return fieldError("ceremony.name",
                      "under budget.granted_by \"deliberation\" the label comes with the "
                      "deliberation's close, not at a ceremony");
  }
  if (auto s = checkText("ceremony.name", r.ceremonyName, false); !s) return s;
  if (auto s = checkStatutoryDelay(r.statutoryDelay); !s) return s;
  if (r.statutoryDelay.count != 0 && r.statutoryDelay.outcome == DeemedOutcome::Accepted &&
      r.grantedByDeliberation) {
    return fieldError("statutory_delay.outcome",
                      "\"accepted\" leaves a dossier voted without a deliberation, but under "
                      "budget.granted_by \"deliberation\" only the vote's close grants: use "
                      "\"refused\", or grants by award");
  }
  if (auto s = checkRange("reminders.service_level_days", r.serviceLevelDays, 0, 365); !s) return s;
  if (auto s = checkRange("reminders.jurors_days_before", r.jurorsDaysBefore, 0, 60); !s) return s;
  if ((r.jurorsDaysBefore != 0) != !r.scoringClosesLocal.empty()) {
    return fieldError("reminders", "jurors_days_before and scoring_closes go together: the "
                                   "jurors are reminded that many days before scoring closes");
  }
  if (auto s = checkText("reminders.scoring_closes", r.scoringClosesLocal, false); !s) return s;
  if (auto s = validateForm(r); !s) return s;
  return checkText("notes", r.notes, false);
}

bool CampaignRules::operator==(const CampaignRules& o) const {
  return name == o.name && organiser == o.organiser && timeZone == o.timeZone &&
         deadlineMicros == o.deadlineMicros && deadlineLocal == o.deadlineLocal &&
         eligibleApplicantKinds == o.eligibleApplicantKinds && requiredFields == o.requiredFields &&
         strands == o.strands && auditionsHeld == o.auditionsHeld && criteria == o.criteria &&
         thresholdMilli == o.thresholdMilli && votingBody == o.votingBody &&
         quorumPercent == o.quorumPercent && majority == o.majority && labelName == o.labelName &&
         budgetEnvelopeCents == o.budgetEnvelopeCents &&
         perDossierCapCents == o.perDossierCapCents &&
         grantedByDeliberation == o.grantedByDeliberation &&
         eligibleDepartements == o.eligibleDepartements && notes == o.notes &&
         assumptions == o.assumptions && auditions == o.auditions &&
         ceremonyName == o.ceremonyName && applicantsSeeJurors == o.applicantsSeeJurors &&
         judging == o.judging && statutoryDelay == o.statutoryDelay &&
         alsaceMoselle == o.alsaceMoselle && serviceLevelDays == o.serviceLevelDays &&
         jurorsDaysBefore == o.jurorsDaysBefore && scoringClosesLocal == o.scoringClosesLocal &&
         scoringClosesMicros == o.scoringClosesMicros && form == o.form;
}

std::string_view deemedOutcomeName(DeemedOutcome outcome) {
  return outcome == DeemedOutcome::Accepted ? "accepted" : "refused";
}

std::string describeDelay(const StatutoryDelay& d) {
  const char* unit = d.unit == DelayUnit::Months         ? " month"
                     : d.unit == DelayUnit::BusinessDays ? " business day"
                                                         : " calendar day";
  return std::to_string(d.count) + unit + (d.count == 1 ? "" : "s");
}

}  // namespace parcours::workflows
