// Campaign definition files (docs/campaign-definition.md): JSON to
// CampaignDefinition. This file only reads and converts; the rules' meaning
// is checked by validateRules, the same checks rules built in code pass.
#include <cmath>
#include <fstream>
#include <system_error>
#include <tuple>

#include "domain/form_json.h"
#include "domain/json_input.h"
#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::workflows {
namespace {

using json_input::Fields;
using json_input::Json;
using json_input::optional;
using json_input::Presence;
using json_input::required;

constexpr std::int64_t uint32Max = 4'294'967'295;

VotingBody readVotingBody(Fields& vote) {
  const std::string body = vote.string("body", required);
  if (body == "elected_officials") return VotingBody::ElectedOfficials;
  if (body != "jury" && !vote.failed()) {
    vote.fail("vote.body", json_input::inQuotes(body) +
                               " is not a voting body: use \"jury\" or \"elected_officials\"");
  }
  return VotingBody::Jury;
}

Majority readMajority(Fields& vote) {
  const std::string majority = vote.string("majority", required);
  if (majority == "absolute") return Majority::Absolute;
  if (majority == "two_thirds") return Majority::TwoThirds;
  if (majority != "simple" && !vote.failed()) {
    vote.fail("vote.majority", json_input::inQuotes(majority) +
                                   " is not a majority: use \"simple\", \"absolute\" or "
                                   "\"two_thirds\"");
  }
  return Majority::Simple;
}

// The threshold is written as a mean on the criteria's scale (6.5) and
// kept in thousandths; finer values would be silently rounded, so they are
// refused.
std::uint32_t readThreshold(Fields& top) {
  const double threshold = top.number("threshold", required, 0, 1000);
  const double milli = threshold * 1000;
  const double rounded = std::round(milli);
  if (std::fabs(milli - rounded) > 1e-6) {
    top.fail("threshold", Json(threshold).dump() +
                              " has more than three decimals: the mean is compared in "
                              "thousandths");
    return 0;
  }
  return static_cast<std::uint32_t>(rounded);
}

// A judging rule written by name ("z_score"); `fallback` when absent.
template <typename Enum, typename Parse>
Enum readName(Fields& object, std::string_view key, Parse parse, Enum fallback,
              std::string_view choices) {
  const std::string name = object.string(key, optional);
  if (name.empty() || object.failed()) return fallback;
  if (const std::optional<Enum> value = parse(name)) return *value;
  object.fail(json_input::fieldPath(object.path(), key),
              json_input::inQuotes(name) + " is not one of " + std::string(choices));
  return fallback;
}

// A spread or threshold written on the criteria's scale (2.5), kept in
// thousandths; finer values would be rounded silently, so they are refused.
std::uint32_t readMilli(Fields& object, std::string_view key) {
  const double value = object.number(key, optional, 0, 1000);
  const double milli = std::round(value * 1000);
  if (std::fabs(value * 1000 - milli) > 1e-6) {
    object.fail(json_input::fieldPath(object.path(), key),
                Json(value).dump() + " has more than three decimals");
    return 0;
  }
  return static_cast<std::uint32_t>(milli);
}

// The vote's optional details (docs/judging.md), next to its body, quorum
// and majority.
void readVoteDetails(Fields& vote, judging::JudgingRules& j) {
  using namespace judging;
  j.quorumCounts = readName(vote, "quorum_counts", parseQuorumCounts, QuorumCounts::VotesCast,
                            "\"votes_cast\", \"present\"");
  j.majorityBase = readName(vote, "majority_base", parseMajorityBase, MajorityBase::VotesCast,
                            "\"votes_cast\", \"present\", \"eligible\"");
  j.abstentions = readName(vote, "abstentions", parseAbstentions, Abstentions::CountAsCast,
                           "\"count_as_cast\", \"not_counted\"");
  j.ballot = readName(vote, "ballot", parseBallot, Ballot::RollCall, "\"roll_call\", \"secret\"");
  j.tieBreak = readName(vote, "tie_break", parseTieBreak, TieBreak::None,
                        "\"none\", \"chair_casting_vote\", \"earlier_submission\", \"lot\"");
  j.chairId = vote.string("chair", optional);
  const std::string proxies = vote.string("proxies", optional);
  if (proxies == "one_per_member") {
    j.proxies = true;
  } else if (!proxies.empty() && proxies != "none" && !vote.failed()) {
    vote.fail("vote.proxies",
              json_input::inQuotes(proxies) + " is not one of \"none\", \"one_per_member\"");
  }
  j.reconveneAfterDays =
      static_cast<std::uint32_t>(vote.integer("reconvene_after_days", optional, 0, 31));
}

void readJudging(Fields& top, judging::JudgingRules& j) {
  using namespace judging;
  Fields judging =
      top.object("judging", optional, {"assignment", "normalisation", "disagreement", "selection"});
  Fields assignment = judging.object("assignment", optional, {"jurors_per_dossier", "expertise"});
  j.jurorsPerDossier =
      static_cast<std::uint32_t>(assignment.integer("jurors_per_dossier", optional, 0, 1000));
  const std::string expertise = assignment.string("expertise", optional);
  if (expertise == "required") {
    j.expertiseRequired = true;
  } else if (!expertise.empty() && expertise != "ignored" && !assignment.failed()) {
    assignment.fail("judging.assignment.expertise",
                    json_input::inQuotes(expertise) + " is not one of \"required\", \"ignored\"");
  }
  Fields normalisation = judging.object("normalisation", optional, {"rule", "min_scores_per_juror"});
  j.normalisation = readName(normalisation, "rule", parseNormalisationRule,
                             NormalisationRule::None, "\"none\", \"z_score\"");
  j.minScoresPerJuror = static_cast<std::uint32_t>(
      normalisation.integer("min_scores_per_juror", optional, 0, 100000));
  Fields disagreement = judging.object("disagreement", optional, {"max_spread"});
  j.maxSpreadMilli = readMilli(disagreement, "max_spread");
  Fields selection = judging.object("selection", optional, {"rule"});
  j.selection = readName(selection, "rule", parseSelectionRule, SelectionRule::RankSkip,
                         "\"rank_skip\", \"rank_stop\", \"exact\"");
}

// "award" (the default: a grant is typed after the vote) or
// "deliberation" (the vote's close records the grant).
void readGrantedBy(Fields& budget, CampaignRules& rules) {
  const std::string by = budget.string("granted_by", optional);
  if (by == "deliberation") {
    rules.grantedByDeliberation = true;
  } else if (!by.empty() && by != "award" && !budget.failed()) {
    budget.fail("budget.granted_by",
                json_input::inQuotes(by) + " is not one of \"deliberation\", \"award\"");
  }
}

// "auditions": {"format", "slot_minutes", "rounds": [{"id", "name", "from",
// "to"}]}, the windows written like the deadline, in the campaign's zone.
void readAuditions(Fields& top, CampaignRules& rules) {
  Fields auditions = top.object("auditions", optional, {"format", "slot_minutes", "rounds"});
  AuditionRules& a = rules.auditions;
  a.format = readName(auditions, "format", parseAuditionFormat, AuditionFormat::Unspecified,
                      "\"video_conference\", \"in_person\"");
  a.slotMinutes = static_cast<std::uint32_t>(auditions.integer("slot_minutes", optional, 0, 600));
  for (Fields& r : auditions.objects("rounds", optional, {"id", "name", "from", "to"})) {
    AuditionRound round;
    round.id = r.string("id", required);
    round.name = r.string("name", required);
    round.fromLocal = r.string("from", required);
    round.toLocal = r.string("to", required);
    if (!r.failed() && !rules.timeZone.empty()) {
      for (auto [key, local, micros] : {std::tuple{"from", &round.fromLocal, &round.fromMicros},
                                        std::tuple{"to", &round.toLocal, &round.toMicros}}) {
        auto resolved = parseLocalTime(*local, rules.timeZone);
        if (!resolved) {
          Error e = resolved.error();
          e.message = json_input::fieldPath(r.path(), key) + ": " + e.message;
          r.check(e);
          break;
        }
        *micros = *resolved;
      }
    }
    a.rounds.push_back(std::move(round));
  }
}

// "statutory_delay": {"days" | "business_days" | "months": N, "outcome":
// "refused" | "accepted", "legal_basis", "warn_days_before",
// "extend_to_business_day"}: exactly one unit.
void readStatutoryDelay(Fields& top, StatutoryDelay& delay) {
  Fields d = top.object("statutory_delay", optional,
                        {"days", "business_days", "months", "outcome", "legal_basis",
                         "warn_days_before", "extend_to_business_day"});
  if (!d.present()) return;
  const std::tuple<const char*, DelayUnit, std::int64_t> units[] = {
      {"days", DelayUnit::CalendarDays, 3'660},
      {"business_days", DelayUnit::BusinessDays, 2'600},
      {"months", DelayUnit::Months, 120}};
  int given = 0;
  for (const auto& [key, unit, max] : units) {
    if (!d.has(key)) continue;
    ++given;
    delay.unit = unit;
    delay.count = static_cast<std::uint32_t>(d.integer(key, required, 1, max));
  }
  if (given != 1 && !d.failed()) {
    d.fail("statutory_delay", given == 0 ? "says how long: \"days\", \"business_days\" or \"months\""
                                         : "gives more than one of \"days\", \"business_days\", "
                                           "\"months\": a delay has one unit");
  }
  const std::string outcome = d.string("outcome", required);
  if (outcome == "accepted") {
    delay.outcome = DeemedOutcome::Accepted;
  } else if (outcome != "refused" && !d.failed()) {
    d.fail("statutory_delay.outcome",
           json_input::inQuotes(outcome) + " is not one of \"refused\", \"accepted\"");
  }
  delay.legalBasis = d.string("legal_basis", required);
  delay.warnDaysBefore = static_cast<std::uint32_t>(d.integer("warn_days_before", optional, 0, 365));
  delay.extendToBusinessDay =
      !d.has("extend_to_business_day") || d.boolean("extend_to_business_day", required);
}

// "reminders": {"service_level_days", "jurors_days_before",
// "scoring_closes"}, at least one reminder; scoring_closes is written like
// the deadline, in the campaign's zone.
void readReminders(Fields& top, CampaignRules& rules) {
  Fields reminders =
      top.object("reminders", optional, {"service_level_days", "jurors_days_before", "scoring_closes"});
  if (!reminders.present()) return;
  rules.serviceLevelDays =
      static_cast<std::uint32_t>(reminders.integer("service_level_days", optional, 1, 365));
  rules.jurorsDaysBefore =
      static_cast<std::uint32_t>(reminders.integer("jurors_days_before", optional, 1, 60));
  rules.scoringClosesLocal = reminders.string("scoring_closes", optional);
  if (reminders.failed()) return;
  if (!reminders.has("service_level_days") && !reminders.has("jurors_days_before")) {
    reminders.fail("reminders", "says whom to remind: \"service_level_days\" (administrators) "
                                "or \"jurors_days_before\" (jurors)");
    return;
  }
  if (!rules.scoringClosesLocal.empty() && !rules.timeZone.empty()) {
    auto resolved = parseLocalTime(rules.scoringClosesLocal, rules.timeZone);
    if (!resolved) {
      Error e = resolved.error();
      e.message = "reminders.scoring_closes: " + e.message;
      reminders.check(e);
      return;
    }
    rules.scoringClosesMicros = *resolved;
  }
}

void readDeadline(Fields& top, CampaignRules& rules) {
  Fields deadline = top.object("deadline", required, {"local", "time_zone"});
  rules.deadlineLocal = deadline.string("local", required);
  rules.timeZone = deadline.string("time_zone", required);
  if (deadline.failed()) return;
  // The path goes in front of the message; the code is kept (an unreadable
  // time zone database is an I/O error, not the file's fault).
  const auto at = [](std::string_view path, Error e) {
    e.message = std::string(path) + ": " + e.message;
    return e;
  };
  if (auto zone = validateTimeZone(rules.timeZone); !zone) {
    deadline.check(at("deadline.time_zone", zone.error()));
    return;
  }
  auto resolved = parseLocalTime(rules.deadlineLocal, rules.timeZone);
  if (!resolved) {
    deadline.check(at("deadline.local", resolved.error()));
    return;
  }
  rules.deadlineMicros = *resolved;
}

}  // namespace

Result<CampaignDefinition> parseCampaignDefinition(std::string_view text) {
  // A form's group fields sit deeper than any other value (docs/forms.md).
  auto document =
      json_input::parseDocument(text, "campaign definition", false, json_input::formDocument);
  if (!document) return document.error();

  std::optional<Error> error;
  Fields top(&*document, "",
             {"id", "name", "organiser", "deadline", "eligible_applicant_kinds", "required_fields",
              "strands", "auditions_held", "criteria", "threshold", "vote", "label_name", "budget",
              "judging", "notes", "eligible_departements", "assumptions", "auditions",
              "ceremony", "applicants_see_jurors", "statutory_delay", "calendar", "reminders", "form"},
             error, false);
  CampaignDefinition definition;
  CampaignRules& rules = definition.rules;

  definition.campaignId = top.string("id", required);
  if (!top.failed()) top.check(validateId("id", definition.campaignId));
  rules.name = top.string("name", required);
  rules.organiser = top.string("organiser", required);
  readDeadline(top, rules);
  rules.eligibleApplicantKinds = top.strings("eligible_applicant_kinds", required);
  rules.requiredFields = top.strings("required_fields", required);
  for (Fields& strand : top.objects("strands", optional, {"id", "label", "mode"})) {
    Strand read{strand.string("id", required), strand.string("label", required)};
    read.mode = readName(strand, "mode", parseStrandMode, StrandMode::Unspecified,
                         "\"animation\", \"engineering_support\", \"investment\", \"label\"");
    rules.strands.push_back(std::move(read));
  }
  rules.auditionsHeld = top.boolean("auditions_held", required);
  rules.applicantsSeeJurors = top.boolean("applicants_see_jurors", optional);
  for (Fields& c : top.objects("criteria", required, {"id", "label", "scale", "weight"})) {
    Criterion criterion;
    criterion.id = c.string("id", required);
    criterion.label = c.string("label", required);
    Fields scale = c.object("scale", required, {"min", "max"});
    criterion.scaleMin = static_cast<std::uint32_t>(scale.integer("min", required, 0, uint32Max));
    criterion.scaleMax = static_cast<std::uint32_t>(scale.integer("max", required, 0, uint32Max));
    criterion.weight = static_cast<std::uint32_t>(c.integer("weight", required, 1, uint32Max));
    rules.criteria.push_back(std::move(criterion));
  }
  rules.thresholdMilli = readThreshold(top);
  Fields vote = top.object("vote", required,
                           {"body", "quorum", "quorum_percent", "majority", "quorum_counts",
                            "majority_base", "abstentions", "ballot", "tie_break", "chair",
                            "proxies", "reconvene_after_days"});
  rules.votingBody = readVotingBody(vote);
  // The law's quorum counts members in office, not a percentage.
  rules.judging.quorumRule =
      readName(vote, "quorum", judging::parseQuorumRule, judging::QuorumRule::Percent,
               "\"percent\", \"more_than_half_in_office\"");
  const bool byLaw = rules.judging.quorumRule == judging::QuorumRule::MoreThanHalfInOffice;
  rules.quorumPercent = static_cast<std::uint32_t>(
      vote.integer("quorum_percent", byLaw ? optional : required, byLaw ? 0 : 1, 100));
  rules.majority = readMajority(vote);
  readVoteDetails(vote, rules.judging);
  rules.labelName = top.string("label_name", optional);
  Fields budget =
      top.object("budget", optional, {"envelope_cents", "per_dossier_cap_cents", "granted_by"});
  rules.budgetEnvelopeCents = budget.integer("envelope_cents", required, 0, json_input::centsMax);
  rules.perDossierCapCents =
      budget.integer("per_dossier_cap_cents", optional, 0, json_input::centsMax);
  readGrantedBy(budget, rules);
  rules.eligibleDepartements = top.strings("eligible_departements", optional);
  for (Fields& a : top.objects("assumptions", optional, {"what", "why"})) {
    rules.assumptions.push_back({a.string("what", required), a.string("why", required)});
  }
  readAuditions(top, rules);
  Fields ceremony = top.object("ceremony", optional, {"name"});
  rules.ceremonyName = ceremony.string("name", optional);
  readJudging(top, rules.judging);
  readStatutoryDelay(top, rules.statutoryDelay);
  Fields calendar = top.object("calendar", optional, {"alsace_moselle"});
  rules.alsaceMoselle = calendar.boolean("alsace_moselle", optional);
  readReminders(top, rules);
  readForm(top, rules.form);
  rules.notes = top.string("notes", optional);

  if (top.failed()) return *error;
  if (auto s = validateRules(rules); !s) return s.error();
  return definition;
}

namespace {

// A mean in thousandths as the file writes it: 6500 is 6.5.
Json milliNumber(std::uint32_t milli) {
  if (milli % 1000 == 0) return Json(milli / 1000);
  return Json(static_cast<double>(milli) / 1000);
}

Json voteJson(const CampaignRules& r) {
  using namespace judging;
  const JudgingRules& j = r.judging;
  Json vote = Json::object();
  vote["body"] = std::string(votingBodyName(r.votingBody));
  if (j.quorumRule != QuorumRule::Percent) vote["quorum"] = std::string(quorumRuleName(j.quorumRule));
  if (r.quorumPercent != 0) vote["quorum_percent"] = r.quorumPercent;
  vote["majority"] = std::string(majorityName(r.majority));
  if (j.quorumCounts != QuorumCounts::VotesCast) {
    vote["quorum_counts"] = std::string(quorumCountsName(j.quorumCounts));
  }
  if (j.majorityBase != MajorityBase::VotesCast) {
    vote["majority_base"] = std::string(majorityBaseName(j.majorityBase));
  }
  if (j.abstentions != Abstentions::CountAsCast) {
    vote["abstentions"] = std::string(abstentionsName(j.abstentions));
  }
  if (j.ballot != Ballot::RollCall) vote["ballot"] = std::string(ballotName(j.ballot));
  if (j.tieBreak != TieBreak::None) vote["tie_break"] = std::string(tieBreakName(j.tieBreak));
  if (!j.chairId.empty()) vote["chair"] = j.chairId;
  if (j.proxies) vote["proxies"] = "one_per_member";
  if (j.reconveneAfterDays != 0) vote["reconvene_after_days"] = j.reconveneAfterDays;
  return vote;
}

Json judgingJson(const judging::JudgingRules& j) {
  using namespace judging;
  Json out = Json::object();
  if (j.jurorsPerDossier != 0 || j.expertiseRequired) {
    out["assignment"] = {{"jurors_per_dossier", j.jurorsPerDossier}};
    if (j.expertiseRequired) out["assignment"]["expertise"] = "required";
  }
  if (j.normalisation != NormalisationRule::None || j.minScoresPerJuror != 0) {
    out["normalisation"] = {{"rule", std::string(normalisationRuleName(j.normalisation))},
                            {"min_scores_per_juror", j.minScoresPerJuror}};
  }
  if (j.maxSpreadMilli != 0) out["disagreement"] = {{"max_spread", milliNumber(j.maxSpreadMilli)}};
  if (j.selection != SelectionRule::RankSkip) {
    out["selection"] = {{"rule", std::string(selectionRuleName(j.selection))}};
  }
  return out;
}

}  // namespace

std::string campaignDefinitionJson(const CampaignDefinition& d) {
  const CampaignRules& r = d.rules;
  Json out = Json::object();
  out["id"] = d.campaignId;
  out["name"] = r.name;
  out["organiser"] = r.organiser;
  out["deadline"] = {{"local", r.deadlineLocal}, {"time_zone", r.timeZone}};
  out["eligible_applicant_kinds"] = r.eligibleApplicantKinds;
  if (!r.eligibleDepartements.empty()) out["eligible_departements"] = r.eligibleDepartements;
  out["required_fields"] = r.requiredFields;
  Json strands = Json::array();
  for (const Strand& s : r.strands) {
    Json strand = {{"id", s.id}, {"label", s.label}};
    if (s.mode != StrandMode::Unspecified) strand["mode"] = std::string(strandModeName(s.mode));
    strands.push_back(std::move(strand));
  }
  out["strands"] = std::move(strands);
  out["auditions_held"] = r.auditionsHeld;
  Json criteria = Json::array();
  for (const Criterion& c : r.criteria) {
    criteria.push_back({{"id", c.id},
                        {"label", c.label},
                        {"scale", {{"min", c.scaleMin}, {"max", c.scaleMax}}},
                        {"weight", c.weight}});
  }
  out["criteria"] = std::move(criteria);
  out["threshold"] = milliNumber(r.thresholdMilli);
  out["vote"] = voteJson(r);
  if (!r.labelName.empty()) out["label_name"] = r.labelName;
  if (r.budgetEnvelopeCents != 0 || r.perDossierCapCents != 0 || r.grantedByDeliberation) {
    Json budget = {{"envelope_cents", r.budgetEnvelopeCents}};
    if (r.perDossierCapCents != 0) budget["per_dossier_cap_cents"] = r.perDossierCapCents;
    if (r.grantedByDeliberation) budget["granted_by"] = "deliberation";
    out["budget"] = std::move(budget);
  }
  if (Json judging = judgingJson(r.judging); !judging.empty()) out["judging"] = std::move(judging);
  if (!(r.auditions == AuditionRules{})) {
    Json auditions = Json::object();
    if (r.auditions.format != AuditionFormat::Unspecified) {
      auditions["format"] = std::string(auditionFormatName(r.auditions.format));
    }
    if (r.auditions.slotMinutes != 0) auditions["slot_minutes"] = r.auditions.slotMinutes;
    Json rounds = Json::array();
    for (const AuditionRound& round : r.auditions.rounds) {
      rounds.push_back(
          {{"id", round.id}, {"name", round.name}, {"from", round.fromLocal}, {"to", round.toLocal}});
    }
    if (!rounds.empty()) auditions["rounds"] = std::move(rounds);
    out["auditions"] = std::move(auditions);
  }
  if (!r.ceremonyName.empty()) out["ceremony"] = {{"name", r.ceremonyName}};
  if (r.applicantsSeeJurors) out["applicants_see_jurors"] = true;
  if (r.statutoryDelay.count != 0) {
    const StatutoryDelay& d = r.statutoryDelay;
    const char* unit = d.unit == DelayUnit::Months         ? "months"
                       : d.unit == DelayUnit::BusinessDays ? "business_days"
                                                           : "days";
    Json delay = {{unit, d.count},
                  {"outcome", std::string(deemedOutcomeName(d.outcome))},
                  {"legal_basis", d.legalBasis}};
    if (d.warnDaysBefore != 0) delay["warn_days_before"] = d.warnDaysBefore;
    if (!d.extendToBusinessDay) delay["extend_to_business_day"] = false;
    out["statutory_delay"] = std::move(delay);
  }
  if (r.alsaceMoselle) out["calendar"] = {{"alsace_moselle", true}};
  if (r.serviceLevelDays != 0 || r.jurorsDaysBefore != 0) {
    Json reminders = Json::object();
    if (r.serviceLevelDays != 0) reminders["service_level_days"] = r.serviceLevelDays;
    if (r.jurorsDaysBefore != 0) {
      reminders["jurors_days_before"] = r.jurorsDaysBefore;
      reminders["scoring_closes"] = r.scoringClosesLocal;
    }
    out["reminders"] = std::move(reminders);
  }
  if (!r.assumptions.empty()) {
    Json assumptions = Json::array();
    for (const Assumption& a : r.assumptions) {
      assumptions.push_back({{"what", a.what}, {"why", a.why}});
    }
    out["assumptions"] = std::move(assumptions);
  }
  if (!r.form.empty()) out["form"] = formJson(r.form);
  if (!r.notes.empty()) out["notes"] = r.notes;
  return out.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

Result<CampaignDefinition> loadCampaignDefinition(const std::filesystem::path& path) {
  const std::string shown = json_input::inQuotes(path.string());
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error::notFound("no campaign definition at " + shown +
                           (ec ? ": " + ec.message() : std::string()));
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Error::notFound("the campaign definition " + shown + " is not a regular file");
  }
  if (const auto size = std::filesystem::file_size(path, ec);
      !ec && size > json_input::documentBytesMax) {
    return Error::invalidInput("the campaign definition " + shown + " is " + std::to_string(size) +
                               " bytes, over the limit of " +
                               std::to_string(json_input::documentBytesMax) + " bytes (1 MiB)");
  }
  // Read at most one byte over the limit, should the file have grown since:
  // enough for parseDocument to refuse it without loading all of it.
  std::ifstream in(path, std::ios::binary);
  std::string text(json_input::documentBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad() || (!in && !in.eof())) {
    return Error::notFound("cannot read the campaign definition " + shown);
  }
  text.resize(static_cast<std::size_t>(in.gcount()));
  auto definition = parseCampaignDefinition(text);
  if (!definition) {
    Error e = std::move(definition).takeError();
    e.message = path.string() + ": " + e.message;
    return e;
  }
  return definition;
}

}  // namespace parcours::workflows
