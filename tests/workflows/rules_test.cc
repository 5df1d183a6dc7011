// Campaign definition files: the two 2020 seeds load with the values the
// sources give (and the choices their notes explain), and every kind of bad
// input is refused with a message naming the field path and the value.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <capnp/message.h>
#include <nlohmann/json.hpp>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/zoned_time.h"
#include "text_edit.h"

namespace parcours::workflows {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using parcours::testing::with;
using parcours::testing::without;

const std::filesystem::path campaignsDir = PARCOURS_CAMPAIGNS_DIR;

// A small valid definition, one field per line so tests can edit it.
const std::string validText = R"({
  "id": "test-call-2020",
  "name": "Test Call 2020",
  "organiser": "Test Organiser",
  "deadline": {"local": "2020-06-19T23:59:59", "time_zone": "Europe/Paris"},
  "eligible_applicant_kinds": ["commune", "metropole"],
  "required_fields": ["applicant.name", "title"],
  "strands": [{"id": "1", "label": "One"}, {"id": "2", "label": "Two"}],
  "auditions_held": true,
  "criteria": [
    {"id": "innovation", "label": "Innovation", "scale": {"min": 0, "max": 10}, "weight": 1},
    {"id": "users", "label": "Users", "scale": {"min": 0, "max": 10}, "weight": 2},
    {"id": "reuse", "label": "Reuse", "scale": {"min": 0, "max": 10}, "weight": 1}
  ],
  "threshold": 6.5,
  "vote": {"body": "jury", "quorum_percent": 50, "majority": "simple"},
  "label_name": "Test Label",
  "budget": {"envelope_cents": 100000, "per_dossier_cap_cents": 60000},
  "notes": "fictional"
})";

// The message parseCampaignDefinition refuses `text` with.
std::string definitionRefusal(const std::string& text) {
  auto parsed = parseCampaignDefinition(text);
  if (parsed) return "(accepted)";
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput) << parsed.error().message;
  return parsed.error().message;
}

CampaignDefinition loadSeed(const std::string& file) {
  auto loaded = loadCampaignDefinition(campaignsDir / file);
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
  return loaded ? *loaded : CampaignDefinition{};
}

std::vector<std::string> ids(const std::vector<Criterion>& criteria) {
  std::vector<std::string> out;
  for (const Criterion& c : criteria) out.push_back(c.id);
  return out;
}

TEST(Rules, ValidTextParses) {
  auto parsed = parseCampaignDefinition(validText);
  ASSERT_TRUE(parsed) << parsed.error().message;
  const CampaignRules& r = parsed->rules;
  EXPECT_EQ(parsed->campaignId, "test-call-2020");
  EXPECT_EQ(r.thresholdMilli, 6500u);
  EXPECT_EQ(r.criteria[1], (Criterion{"users", "Users", 0, 10, 2}));
  EXPECT_EQ(r.strands[1], (Strand{"2", "Two"}));
  EXPECT_EQ(r.budgetEnvelopeCents, 100000);
  EXPECT_EQ(r.perDossierCapCents, 60000);
  EXPECT_TRUE(validateRules(r));
}

TEST(Rules, SudSeedLoads) {
  const CampaignDefinition d = loadSeed("parcours-sud-smart-territoires-2020.json");
  const CampaignRules& r = d.rules;
  EXPECT_EQ(d.campaignId, "parcours-sud-2020");
  EXPECT_EQ(r.name, "Parcours Sud Smart Territoires 2020");
  EXPECT_EQ(r.organiser, "Région Sud");
  EXPECT_EQ(r.timeZone, "Europe/Paris");
  EXPECT_EQ(r.deadlineLocal, "2020-06-03T23:59:59");
  EXPECT_EQ(formatInZone(r.deadlineMicros, r.timeZone), "2020-06-03T23:59:59+02:00");
  EXPECT_EQ(r.deadlineMicros, *parseInstant("2020-06-03T21:59:59Z"));
  EXPECT_THAT(r.eligibleApplicantKinds,
              ElementsAre("communaute_de_communes", "communaute_d_agglomeration", "metropole"));
  ASSERT_EQ(r.strands.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(r.strands[i].id, std::to_string(i + 1));
  EXPECT_THAT(r.strands[1].label, HasSubstr("ingénierie"));
  EXPECT_THAT(r.strands[2].label, HasSubstr("transition énergétique et écologique"));
  EXPECT_THAT(r.strands[3].label, HasSubstr("label"));
  EXPECT_FALSE(r.auditionsHeld);
  ASSERT_EQ(r.criteria.size(), 5u);
  for (const Criterion& c : r.criteria) {
    EXPECT_EQ(c.scaleMin, 0u) << c.id;
    EXPECT_EQ(c.scaleMax, 10u) << c.id;
  }
  EXPECT_EQ(r.thresholdMilli, 5000u);
  EXPECT_EQ(r.votingBody, VotingBody::ElectedOfficials);
  EXPECT_EQ(r.judging.quorumRule, judging::QuorumRule::MoreThanHalfInOffice);
  EXPECT_EQ(r.quorumPercent, 0u);
  EXPECT_EQ(r.majority, Majority::Simple);
  EXPECT_EQ(r.labelName, "Projet exemplaire Smart Territoires");
  EXPECT_EQ(r.budgetEnvelopeCents, 50000000);
  EXPECT_EQ(formatEuros(r.budgetEnvelopeCents), "€500,000.00");
  EXPECT_TRUE(r.grantedByDeliberation);
  EXPECT_EQ(r.perDossierCapCents, 0);
  EXPECT_THAT(r.requiredFields, ::testing::Not(::testing::Contains("requested_amount")));
  EXPECT_THAT(r.notes, HasSubstr("no per-dossier cap"));
  EXPECT_FALSE(r.assumptions.empty());
  EXPECT_TRUE(validateRules(r));
}

TEST(Rules, LabelSeedLoads) {
  const CampaignDefinition d = loadSeed("label-territoire-innovant-2020.json");
  const CampaignRules& r = d.rules;
  EXPECT_EQ(d.campaignId, "label-territoire-innovant-2020");
  EXPECT_EQ(r.organiser, "Les Interconnectés");
  EXPECT_EQ(r.deadlineLocal, "2020-06-19T23:59:59");
  EXPECT_EQ(r.deadlineMicros, *parseInstant("2020-06-19T21:59:59Z"));
  EXPECT_LT(r.deadlineMicros, *parseInstant("2020-06-20T00:00:00+02:00"));
  EXPECT_THAT(r.eligibleApplicantKinds, ::testing::Contains("commune"));
  EXPECT_THAT(r.eligibleApplicantKinds, ::testing::Contains("communaute_de_communes"));
  EXPECT_THAT(r.eligibleApplicantKinds, ::testing::Not(::testing::Contains("entreprise")));
  EXPECT_TRUE(r.strands.empty());
  EXPECT_TRUE(r.auditionsHeld);
  EXPECT_THAT(ids(r.criteria), ElementsAre("innovation", "users", "reproducibility",
                                           "mutualisation", "efficiency_sobriety"));
  for (const Criterion& c : r.criteria) {
    EXPECT_EQ(c.scaleMin, 0u) << c.id;
    EXPECT_EQ(c.scaleMax, 10u) << c.id;
    EXPECT_EQ(c.weight, 1u) << c.id;
  }
  EXPECT_EQ(r.thresholdMilli, 6000u);
  EXPECT_EQ(r.votingBody, VotingBody::Jury);
  EXPECT_EQ(r.quorumPercent, 50u);
  EXPECT_EQ(r.majority, Majority::Simple);
  EXPECT_EQ(r.labelName, "Territoire Innovant");
  EXPECT_EQ(r.budgetEnvelopeCents, 0);
  EXPECT_EQ(r.perDossierCapCents, 0);
  EXPECT_THAT(r.notes, HasSubstr("'assumptions'"));
  EXPECT_FALSE(r.assumptions.empty());
  // Seed 002: "en visio-conférence le 23 juin", "14h à 17h", "auditions
  // Hauts-de-France", "Forum national annuel des Interconnectés".
  EXPECT_EQ(r.auditions.format, AuditionFormat::VideoConference);
  ASSERT_EQ(r.auditions.rounds.size(), 1u);
  EXPECT_EQ(r.auditions.rounds[0].id, "hauts-de-france");
  EXPECT_EQ(formatInZone(r.auditions.rounds[0].fromMicros, r.timeZone), "2020-06-23T14:00:00+02:00");
  EXPECT_EQ(formatInZone(r.auditions.rounds[0].toMicros, r.timeZone), "2020-06-23T17:00:00+02:00");
  EXPECT_THAT(r.ceremonyName, HasSubstr("Forum national"));
  EXPECT_TRUE(validateRules(r));
}

TEST(Rules, SeedsParseTheSameTwice) {
  for (const char* file :
       {"parcours-sud-smart-territoires-2020.json", "label-territoire-innovant-2020.json"}) {
    const CampaignDefinition a = loadSeed(file);
    const CampaignDefinition b = loadSeed(file);
    EXPECT_EQ(a.rules, b.rules) << file;
  }
  EXPECT_NE(loadSeed("parcours-sud-smart-territoires-2020.json").rules,
            loadSeed("label-territoire-innovant-2020.json").rules);
}

TEST(Rules, MalformedJsonGivesTheBytePosition) {
  EXPECT_EQ(definitionRefusal(R"({"id": "x",})"),
            "the campaign definition is not valid JSON at byte 12 (line 1, column 12): syntax "
            "error while parsing object key - unexpected '}'; expected string literal");
  EXPECT_THAT(definitionRefusal(""), HasSubstr("not valid JSON"));
  EXPECT_THAT(definitionRefusal(with(validText, "\"weight\": 2}", "\"weight\": 2")),
              HasSubstr("not valid JSON at byte"));
  EXPECT_THAT(definitionRefusal(R"({"threshold": 1e400})"), HasSubstr("number overflow"));
}

TEST(Rules, TopLevelMustBeAnObject) {
  EXPECT_EQ(definitionRefusal("[]"), "the campaign definition must be a JSON object, got a list");
  EXPECT_EQ(definitionRefusal("\"x\""), "the campaign definition must be a JSON object, got a string");
}

TEST(Rules, UnknownFieldsAreRefused) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"threshold\"", "\"tresholds\"")),
            "unknown field \"tresholds\" at the top level (did you mean \"threshold\"?)");
  EXPECT_EQ(definitionRefusal(with(validText, "\"weight\": 2", "\"wieght\": 2")),
            "unknown field \"wieght\" in criteria[1] (did you mean \"weight\"?)");
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\"", "\"comment\"")),
              HasSubstr("unknown field \"comment\" at the top level (known fields: id, name,"));
  EXPECT_THAT(definitionRefusal(with(validText, "\"time_zone\"", "\"timezone\"")),
              HasSubstr("unknown field \"timezone\" in deadline (did you mean \"time_zone\"?)"));
}

TEST(Rules, DuplicateFieldsAreRefused) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"weight\": 2", "\"weight\": 2, \"weight\": 0")),
            "the campaign definition is refused: duplicate field \"weight\" in criteria[1]");
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\": \"fictional\"",
                           "\"notes\": \"fictional\", \"name\": \"Other\"")),
              HasSubstr("duplicate field \"name\" at the top level"));
}

TEST(Rules, WrongTypesAreRefused) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"weight\": 2", "\"weight\": \"2\"")),
            "criteria[1].weight: must be a whole number, got \"2\"");
  EXPECT_EQ(definitionRefusal(with(validText, "\"weight\": 2", "\"weight\": 2.5")),
            "criteria[1].weight: must be a whole number, got 2.5");
  EXPECT_EQ(definitionRefusal(with(validText, "\"auditions_held\": true", "\"auditions_held\": \"yes\"")),
            "auditions_held: must be true or false, got \"yes\"");
  EXPECT_EQ(definitionRefusal(with(validText, "\"threshold\": 6.5", "\"threshold\": \"6.5\"")),
            "threshold: must be a number, got \"6.5\"");
  EXPECT_EQ(definitionRefusal(with(validText, "[\"commune\", \"metropole\"]", "\"commune\"")),
            "eligible_applicant_kinds: must be a list, got \"commune\"");
  EXPECT_EQ(definitionRefusal(with(validText, "[\"commune\", \"metropole\"]", "[\"commune\", 7]")),
            "eligible_applicant_kinds[1]: must be a string, got 7");
  EXPECT_EQ(definitionRefusal(with(validText, "\"scale\": {\"min\": 0, \"max\": 10}, \"weight\": 2",
                         "\"scale\": [0, 10], \"weight\": 2")),
            "criteria[1].scale: must be an object, got [0,10]");
  EXPECT_EQ(definitionRefusal(with(validText, "\"notes\": \"fictional\"", "\"notes\": null")),
            "notes: must be a string, got null");
  EXPECT_EQ(definitionRefusal(with(validText, "\"envelope_cents\": 100000", "\"envelope_cents\": -1")),
            "budget.envelope_cents: must be at least 0, got -1");
}

TEST(Rules, MissingFieldsAreNamed) {
  EXPECT_EQ(definitionRefusal(without(validText, "\"deadline\"")), "deadline: required field is missing");
  EXPECT_EQ(definitionRefusal(with(validText, "\"local\": \"2020-06-19T23:59:59\", ", "")),
            "deadline.local: required field is missing");
  EXPECT_EQ(definitionRefusal(with(validText, ", \"weight\": 2", "")),
            "criteria[1].weight: required field is missing");
  EXPECT_EQ(definitionRefusal(with(validText, "\"quorum_percent\": 50, ", "")),
            "vote.quorum_percent: required field is missing");
  // Optional parts may be left out.
  std::string minimal = without(validText, "\"strands\"");
  minimal = without(minimal, "\"label_name\"");
  minimal = without(minimal, "\"budget\"");
  minimal = with(minimal, "\"majority\": \"simple\"},", "\"majority\": \"simple\"}");
  minimal = without(minimal, "\"notes\"");
  auto parsed = parseCampaignDefinition(minimal);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed->rules.strands.empty());
  EXPECT_EQ(parsed->rules.budgetEnvelopeCents, 0);
}

TEST(Rules, DuplicateIdsAreRefused) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"id\": \"users\"", "\"id\": \"innovation\"")),
            "criteria[1].id: \"innovation\" is the id of an earlier criterion: ids are unique");
  EXPECT_EQ(definitionRefusal(with(validText, "{\"id\": \"2\"", "{\"id\": \"1\"")),
            "strands[1].id: \"1\" is the id of an earlier strand: ids are unique");
  EXPECT_EQ(definitionRefusal(with(validText, "[\"commune\", \"metropole\"]", "[\"commune\", \"commune\"]")),
            "eligible_applicant_kinds[1]: \"commune\" is listed twice");
  EXPECT_EQ(definitionRefusal(with(validText, "[\"applicant.name\", \"title\"]",
                         "[\"title\", \"applicant.name\", \"title\"]")),
            "required_fields[2]: \"title\" is listed twice");
}

TEST(Rules, CriteriaAreChecked) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"weight\": 2", "\"weight\": 0")),
            "criteria[1].weight: must be at least 1, got 0");
  EXPECT_EQ(definitionRefusal(with(validText,
                         "\"label\": \"Reuse\", \"scale\": {\"min\": 0, \"max\": 10}, "
                         "\"weight\": 1",
                         "\"label\": \"Reuse\", \"scale\": {\"min\": 0, \"max\": 10}, "
                         "\"weight\": 0")),
            "criteria[2].weight: must be at least 1, got 0");
  EXPECT_EQ(definitionRefusal(with(validText, "\"scale\": {\"min\": 0, \"max\": 10}, \"weight\": 2",
                         "\"scale\": {\"min\": 10, \"max\": 5}, \"weight\": 2")),
            "criteria[1].scale: min 10 must be below max 5");
  EXPECT_EQ(definitionRefusal(with(validText, "\"scale\": {\"min\": 0, \"max\": 10}, \"weight\": 2",
                         "\"scale\": {\"min\": 3, \"max\": 3}, \"weight\": 2")),
            "criteria[1].scale: min 3 must be below max 3");
  EXPECT_EQ(definitionRefusal(with(validText, "\"id\": \"users\"", "\"id\": \"Users\"")),
            "criteria[1].id: \"Users\" is not a criterion id: use 1 to 64 lower-case letters "
            "a-z, digits and \"_\", e.g. \"efficiency_sobriety\"");
  EXPECT_EQ(definitionRefusal(with(validText, "\"label\": \"Users\"", "\"label\": \" \"")),
            "criteria[1].label: must not be empty");
  const auto start = validText.find("    {\"id\": \"innovation\"");
  const auto end = validText.find("  ],\n  \"threshold\"");
  EXPECT_EQ(definitionRefusal(validText.substr(0, start) + validText.substr(end)),
            "criteria: must hold at least one criterion");
}

TEST(Rules, ThresholdMustBeWithinTheScale) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"threshold\": 6.5", "\"threshold\": 11")),
            "threshold: 11 is outside the scale of criteria[0] \"innovation\" (0 to 10)");
  EXPECT_EQ(definitionRefusal(with(validText, "\"threshold\": 6.5", "\"threshold\": -1")),
            "threshold: must be between 0.0 and 1000.0, got -1");
  // Within every criterion's scale: a narrower scale bounds it too.
  EXPECT_EQ(definitionRefusal(with(validText, "\"min\": 0, \"max\": 10}, \"weight\": 2",
                         "\"min\": 0, \"max\": 5}, \"weight\": 2")),
            "threshold: 6.5 is outside the scale of criteria[1] \"users\" (0 to 5)");
  EXPECT_EQ(definitionRefusal(with(validText, "\"threshold\": 6.5", "\"threshold\": 6.0005")),
            "threshold: 6.0005 has more than three decimals: the mean is compared in thousandths");
  auto edge = parseCampaignDefinition(with(validText, "\"threshold\": 6.5", "\"threshold\": 10"));
  ASSERT_TRUE(edge) << edge.error().message;
  EXPECT_EQ(edge->rules.thresholdMilli, 10000u);
  auto fine =
      parseCampaignDefinition(with(validText, "\"threshold\": 6.5", "\"threshold\": 6.125"));
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_EQ(fine->rules.thresholdMilli, 6125u);
}

TEST(Rules, DeadlineIsChecked) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"Europe/Paris\"", "\"Europe/Pariss\"")),
            "deadline.time_zone: unknown time zone \"Europe/Pariss\": use an IANA name such as "
            "\"Europe/Paris\"");
  EXPECT_THAT(definitionRefusal(with(validText, "2020-06-19T23:59:59", "2020-03-29T02:30:00")),
              HasSubstr("deadline.local: \"2020-03-29T02:30:00\" does not exist in Europe/Paris"));
  EXPECT_THAT(definitionRefusal(with(validText, "2020-06-19T23:59:59", "2020-10-25T02:30:00")),
              HasSubstr("deadline.local: \"2020-10-25T02:30:00\" is ambiguous in Europe/Paris"));
  EXPECT_THAT(definitionRefusal(with(validText, "2020-06-19T23:59:59", "2020-06-31T23:59:59")),
              HasSubstr("deadline.local: \"2020-06-31T23:59:59\" is not a valid local time"));
  EXPECT_THAT(definitionRefusal(with(validText, "2020-06-19T23:59:59", "2020-06-19T23:59:59+02:00")),
              HasSubstr("deadline.local: \"2020-06-19T23:59:59+02:00\" is not a valid local time"));
}

TEST(Rules, IdsAreChecked) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"test-call-2020\"", "\"bad id!\"")),
            "id: \"bad id!\" may hold only letters A-Z a-z, digits, \"-\" and \"_\" (1 to 64)");
  EXPECT_EQ(definitionRefusal(with(validText, "\"test-call-2020\"", "\"\"")), "id: must not be empty");
  EXPECT_THAT(definitionRefusal(with(validText, "\"test-call-2020\"", "\"" + std::string(65, 'a') + "\"")),
              HasSubstr("is 65 characters long, over the limit of 64"));
  EXPECT_EQ(definitionRefusal(with(validText, "{\"id\": \"2\"", "{\"id\": \"2 b\"")),
            "strands[1].id: \"2 b\" may hold only letters A-Z a-z, digits, \"-\" and \"_\" (1 to "
            "64)");
  EXPECT_TRUE(validateId("dossier id", "lti-04_B"));
  EXPECT_EQ(validateId("dossier id", "a/b").error().message,
            "dossier id: \"a/b\" may hold only letters A-Z a-z, digits, \"-\" and \"_\" (1 to 64)");
  EXPECT_EQ(validateId("dossier id", "a\nb").error().message,
            "dossier id: \"a\\nb\" may hold only letters A-Z a-z, digits, \"-\" and \"_\" (1 to "
            "64)");
  EXPECT_EQ(validateId("juror id", "").error().code, ErrorCode::InvalidInput);
  EXPECT_TRUE(validateId("x", std::string(64, 'z')));
}

TEST(Rules, KindsAndRequiredFieldsAreChecked) {
  EXPECT_EQ(definitionRefusal(with(validText, "[\"commune\", \"metropole\"]", "[]")),
            "eligible_applicant_kinds: must name at least one applicant kind");
  EXPECT_EQ(
      definitionRefusal(with(validText, "[\"commune\", \"metropole\"]", "[\"commune\", \"Métropole\"]")),
      "eligible_applicant_kinds[1]: \"Métropole\" is not an applicant kind: use 1 to 64 "
      "lower-case letters a-z and \"_\", e.g. \"communaute_de_communes\"");
  EXPECT_THAT(definitionRefusal(with(validText, "[\"applicant.name\", \"title\"]",
                           "[\"applicant.name\", \"contact.mail\"]")),
              HasSubstr("required_fields[1]: unknown application field \"contact.mail\" (known: "
                        "applicant.name, applicant.kind, applicant.siren,"));
}

TEST(Rules, VoteIsChecked) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"quorum_percent\": 50", "\"quorum_percent\": 0")),
            "vote.quorum_percent: must be at least 1, got 0");
  EXPECT_EQ(definitionRefusal(with(validText, "\"quorum_percent\": 50", "\"quorum_percent\": 101")),
            "vote.quorum_percent: must be at most 100, got 101");
  EXPECT_EQ(definitionRefusal(with(validText, "\"body\": \"jury\"", "\"body\": \"council\"")),
            "vote.body: \"council\" is not a voting body: use \"jury\" or \"elected_officials\"");
  EXPECT_EQ(definitionRefusal(with(validText, "\"majority\": \"simple\"", "\"majority\": \"2/3\"")),
            "vote.majority: \"2/3\" is not a majority: use \"simple\", \"absolute\" or "
            "\"two_thirds\"");
  auto officials = parseCampaignDefinition(
      with(with(validText, "\"body\": \"jury\"", "\"body\": \"elected_officials\""),
           "\"majority\": \"simple\"", "\"majority\": \"two_thirds\""));
  ASSERT_TRUE(officials) << officials.error().message;
  EXPECT_EQ(officials->rules.votingBody, VotingBody::ElectedOfficials);
  EXPECT_EQ(officials->rules.majority, Majority::TwoThirds);
  EXPECT_EQ(votingBodyName(VotingBody::ElectedOfficials), "elected_officials");
  EXPECT_EQ(votingBodyName(VotingBody::Jury), "jury");
  EXPECT_EQ(majorityName(Majority::Absolute), "absolute");
  EXPECT_EQ(majorityName(Majority::TwoThirds), "two_thirds");
  EXPECT_EQ(majorityName(Majority::Simple), "simple");
}

TEST(Rules, BudgetIsChecked) {
  EXPECT_EQ(definitionRefusal(with(validText, "\"per_dossier_cap_cents\": 60000",
                         "\"per_dossier_cap_cents\": 100001")),
            "budget.per_dossier_cap_cents: €1,000.01 is over the envelope of €1,000.00");
  EXPECT_EQ(definitionRefusal(with(validText, "\"envelope_cents\": 100000", "\"envelope_cents\": 0")),
            "budget.per_dossier_cap_cents: €600.00 caps a grant, but there is no envelope "
            "(budget.envelope_cents is 0)");
  EXPECT_EQ(definitionRefusal(with(validText, "\"envelope_cents\": 100000, ", "")),
            "budget.envelope_cents: required field is missing");
  EXPECT_THAT(definitionRefusal(with(validText, "\"envelope_cents\": 100000",
                           "\"envelope_cents\": 18446744073709551615")),
              HasSubstr("budget.envelope_cents: must be at most 1000000000000000, got "));
  auto noCap = parseCampaignDefinition(with(validText, ", \"per_dossier_cap_cents\": 60000", ""));
  ASSERT_TRUE(noCap) << noCap.error().message;
  EXPECT_EQ(noCap->rules.perDossierCapCents, 0);
}

TEST(Rules, SizesAreLimited) {
  EXPECT_EQ(definitionRefusal(std::string(1024 * 1024 + 1, ' ')),
            "the campaign definition is 1048577 bytes, over the limit of 1048576 bytes (1 MiB)");
  EXPECT_EQ(definitionRefusal(with(validText, "\"Test Call 2020\"", "\"" + std::string(5000, 'n') + "\"")),
            "name: 5000 bytes, over the limit of 4096 bytes");
  std::string kinds = "[";
  for (int i = 0; i < 101; ++i) kinds += std::string(i ? ", " : "") + "\"k" + "\"";
  EXPECT_EQ(definitionRefusal(with(validText, "[\"commune\", \"metropole\"]", kinds + "]")),
            "eligible_applicant_kinds: 101 items, over the limit of 100");
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\": \"fictional\"",
                           "\"notes\": " + std::string(20, '[') + std::string(20, ']'))),
              HasSubstr("notes[0][0][0][0][0][0][0][0][0][0][0]: nested deeper than 12 levels"));
  // A definition is as wide and deep as a form may be (docs/forms.md).
  std::string manyFields = "{";
  for (int i = 0; i < 510; ++i) manyFields += (i ? ", \"f" : "\"f") + std::to_string(i) + "\": 1";
  EXPECT_THAT(definitionRefusal(manyFields + "}"), HasSubstr("more than 500 fields at the top level"));
}

TEST(Rules, LoadNamesTheFile) {
  auto missing = loadCampaignDefinition(campaignsDir / "no-such-campaign.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_THAT(missing.error().message, HasSubstr("no-such-campaign.json"));
  auto directory = loadCampaignDefinition(campaignsDir);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().code, ErrorCode::NotFound);

  const auto path = std::filesystem::temp_directory_path() /
                    ("parcours-rules-test-" +
                     std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".json");
  std::ofstream(path) << with(validText, "\"weight\": 2", "\"weight\": 0");
  auto bad = loadCampaignDefinition(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(bad.error().message, path.string() + ": criteria[1].weight: must be at least 1, got 0");
}

// Rules built in code (amendments, fixtures) pass the same checks.
CampaignRules codeRules() {
  CampaignRules r;
  r.name = "Code call";
  r.organiser = "Code organiser";
  r.timeZone = "UTC";
  r.deadlineLocal = "2020-06-30T23:59:59";
  r.deadlineMicros = 1593561599000000;
  r.eligibleApplicantKinds = {"commune"};
  r.requiredFields = {"applicant.name", "title"};
  r.criteria = {{"quality", "Quality", 0, 10, 1}};
  r.thresholdMilli = 5000;
  return r;
}

TEST(Rules, ValidateRulesBuiltInCode) {
  EXPECT_TRUE(validateRules(codeRules()));

  CampaignRules r = codeRules();
  r.deadlineMicros = 0;
  EXPECT_THAT(validateRules(r).error().message,
              HasSubstr("deadline: \"2020-06-30T23:59:59\" in UTC is 2020-06-30T23:59:59.000000Z, "
                        "but the rules hold the instant 1970-01-01T00:00:00.000000Z"));
  r.deadlineMicros = codeRules().deadlineMicros + 999999;  // still within that second
  EXPECT_TRUE(validateRules(r));

  r = codeRules();
  r.thresholdMilli = 10001;
  EXPECT_EQ(validateRules(r).error().message,
            "threshold: 10.001 is outside the scale of criteria[0] \"quality\" (0 to 10)");
  r = codeRules();
  r.criteria[0].scaleMax = 5000;
  EXPECT_EQ(validateRules(r).error().message,
            "criteria[0].scale.max: must be at most 1000, got 5000");
  r = codeRules();
  r.criteria[0].weight = 0;
  EXPECT_EQ(validateRules(r).error().message, "criteria[0].weight: must be at least 1, got 0");
  r = codeRules();
  r.name = "";
  EXPECT_EQ(validateRules(r).error().message, "name: must not be empty");
  r = codeRules();
  r.organiser = "  ";
  EXPECT_EQ(validateRules(r).error().message, "organiser: must not be empty");
  r = codeRules();
  r.votingBody = static_cast<VotingBody>(9);
  EXPECT_EQ(validateRules(r).error().message, "vote.body: unknown voting body 9");
  r = codeRules();
  r.strands = {{"1", ""}};
  EXPECT_EQ(validateRules(r).error().message, "strands[0].label: must not be empty");
  r = codeRules();
  r.notes = std::string(4097, 'x');
  EXPECT_EQ(validateRules(r).error().message, "notes: 4097 bytes, over the limit of 4096 bytes");
  r = codeRules();
  r.timeZone = "Europe/Nowhere";
  EXPECT_THAT(validateRules(r).error().message,
              HasSubstr("deadline.time_zone: unknown time zone \"Europe/Nowhere\""));
}

TEST(Rules, EqualityComparesEveryField) {
  const CampaignRules base = codeRules();
  EXPECT_EQ(base, codeRules());
  CampaignRules other = base;
  other.notes = "changed";
  EXPECT_NE(base, other);
  other = base;
  other.perDossierCapCents = 1;
  EXPECT_NE(base, other);
  other = base;
  other.criteria[0].weight = 2;
  EXPECT_NE(base, other);
  other = base;
  other.auditionsHeld = true;
  EXPECT_NE(base, other);
  other = base;
  other.majority = Majority::Absolute;
  EXPECT_NE(base, other);
}

TEST(Rules, ApplicationFieldNames) {
  EXPECT_THAT(applicationFieldNames(),
              ElementsAre("applicant.name", "applicant.kind", "applicant.siren",
                          "applicant.departement", "title", "summary", "strands",
                          "requested_amount", "contact.name", "contact.email", "contact.phone"));
}


// The fields issue 18 added, each refused with its path and what is wrong.
TEST(Rules, TheSeedsFieldsAreCheckedWithTheirPath) {
  EXPECT_THAT(definitionRefusal(with(validText, "{\"id\": \"1\", \"label\": \"One\"}",
                                     "{\"id\": \"1\", \"label\": \"One\", \"mode\": \"cash\"}")),
              HasSubstr("strands[0].mode: \"cash\" is not one of \"animation\""));
  EXPECT_THAT(definitionRefusal(with(validText, "\"per_dossier_cap_cents\": 60000",
                                     "\"per_dossier_cap_cents\": 60000, \"granted_by\": \"vote\"")),
              HasSubstr("budget.granted_by: \"vote\" is not one of \"deliberation\", \"award\""));
  EXPECT_THAT(definitionRefusal(with(validText, "{\"envelope_cents\": 100000, \"per_dossier_cap_cents\": 60000}",
                                     "{\"envelope_cents\": 0, \"granted_by\": \"deliberation\"}")),
              HasSubstr("budget.granted_by: \"deliberation\" needs an envelope"));
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\": \"fictional\"",
                                     "\"notes\": \"fictional\", \"eligible_departements\": [\"13\", \"20\"]")),
              HasSubstr("eligible_departements[1]: \"20\" is not a département code"));
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\": \"fictional\"",
                                     "\"notes\": \"fictional\", \"assumptions\": [{\"what\": \"x\", \"why\": \" \"}]")),
              HasSubstr("assumptions[0].why: must not be empty"));
  const std::string jury = "{\"body\": \"jury\", \"quorum_percent\": 50, \"majority\": \"simple\"}";
  EXPECT_THAT(definitionRefusal(with(validText, jury,
                                     "{\"body\": \"jury\", \"quorum\": \"more_than_half_in_office\", "
                                     "\"quorum_percent\": 50, \"majority\": \"simple\"}")),
              HasSubstr("vote.quorum_percent: is not used with the quorum"));
  EXPECT_THAT(definitionRefusal(with(validText, jury,
                                     "{\"body\": \"jury\", \"quorum\": \"more_than_half_in_office\", "
                                     "\"quorum_counts\": \"present\", \"majority\": \"simple\"}")),
              HasSubstr("vote.quorum_counts: is not used with the quorum"));
  EXPECT_THAT(definitionRefusal(with(validText, jury,
                                     "{\"body\": \"jury\", \"quorum_percent\": 50, \"majority\": \"simple\", "
                                     "\"proxies\": \"two\"}")),
              HasSubstr("vote.proxies: \"two\" is not one of \"none\", \"one_per_member\""));
  EXPECT_THAT(definitionRefusal(with(validText, jury,
                                     "{\"body\": \"jury\", \"quorum_percent\": 50, \"majority\": \"simple\", "
                                     "\"reconvene_after_days\": 40}")),
              HasSubstr("reconvene_after_days"));
  const std::string rounds =
      "\"auditions\": {\"format\": \"video_conference\", \"slot_minutes\": 30, \"rounds\": "
      "[{\"id\": \"r1\", \"name\": \"R1\", \"from\": \"2020-06-23T14:00:00\", \"to\": "
      "\"2020-06-23T14:20:00\"}]}, \"notes\": \"fictional\"";
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\": \"fictional\"", rounds)),
              HasSubstr("auditions.rounds[0].to: \"2020-06-23T14:20:00\" leaves no room for a slot"));
  EXPECT_THAT(definitionRefusal(with(with(validText, "\"notes\": \"fictional\"", rounds),
                                     "\"auditions_held\": true", "\"auditions_held\": false")),
              HasSubstr("auditions: describes auditions, but auditions_held is false"));
  EXPECT_THAT(definitionRefusal(with(validText, "\"notes\": \"fictional\"",
                                     "\"notes\": \"fictional\", \"auditions\": {\"format\": \"phone\"}")),
              HasSubstr("\"phone\" is not one of \"video_conference\", \"in_person\""));
  EXPECT_THAT(definitionRefusal(with(with(validText, "\"notes\": \"fictional\"",
                                          "\"notes\": \"fictional\", \"ceremony\": {\"name\": \"Forum\"}"),
                                     "\"label_name\": \"Test Label\",", "")),
              HasSubstr("ceremony.name: a ceremony hands out labels, but label_name is empty"));
  CampaignRules inCode = loadSeed("parcours-sud-smart-territoires-2020.json").rules;
  inCode.judging.reconveneAfterDays = 40;  // rules built in code pass the same checks
  EXPECT_THAT(validateRules(inCode).error().message, HasSubstr("vote.reconvene_after_days"));
  inCode.judging.reconveneAfterDays = 3;
  inCode.ceremonyName = "Forum";  // the Sud label comes with the deliberation
  EXPECT_THAT(validateRules(inCode).error().message,
              HasSubstr("ceremony.name: under budget.granted_by \"deliberation\""));
}

// `campaign show --json` prints the definition file: parsing it gives the
// same definition back, for both seeds.
TEST(Rules, TheDefinitionWrittenBackParsesToTheSameDefinition) {
  for (const char* file :
       {"parcours-sud-smart-territoires-2020.json", "label-territoire-innovant-2020.json"}) {
    const CampaignDefinition d = loadSeed(file);
    const std::string text = campaignDefinitionJson(d);
    auto again = parseCampaignDefinition(text);
    ASSERT_TRUE(again) << file << ": " << again.error().message << "\n" << text;
    EXPECT_EQ(again->campaignId, d.campaignId);
    EXPECT_EQ(again->rules, d.rules) << file;
    EXPECT_EQ(campaignDefinitionJson(*again), text) << file;
  }
  auto parsed = parseCampaignDefinition(validText);
  ASSERT_TRUE(parsed);
  auto again = parseCampaignDefinition(campaignDefinitionJson(*parsed));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->rules, parsed->rules);
}

// What applicants see of the jurors is the campaign's choice: false unless
// the definition says true; kept through the definition file and the
// recorded rules (CampaignOpened's payload) alike.
TEST(Rules, ApplicantsSeeJurorsOnlyWhereTheDefinitionSaysSo) {
  const CampaignDefinition plain = loadSeed("label-territoire-innovant-2020.json");
  EXPECT_FALSE(plain.rules.applicantsSeeJurors);
  EXPECT_EQ(campaignDefinitionJson(plain).find("applicants_see_jurors"), std::string::npos);
  auto json = nlohmann::ordered_json::parse(campaignDefinitionJson(plain));
  json["applicants_see_jurors"] = true;
  auto shown = parseCampaignDefinition(json.dump());
  ASSERT_TRUE(shown) << shown.error().message;
  EXPECT_TRUE(shown->rules.applicantsSeeJurors);
  EXPECT_NE(shown->rules, plain.rules);
  auto again = parseCampaignDefinition(campaignDefinitionJson(*shown));
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->rules.applicantsSeeJurors);
  capnp::MallocMessageBuilder message;
  writeRules(shown->rules, message.initRoot<schema::CampaignRules>());
  EXPECT_EQ(readRules(message.getRoot<schema::CampaignRules>().asReader()), shown->rules);
  json["applicants_see_jurors"] = "yes";
  auto wrong = parseCampaignDefinition(json.dump());
  ASSERT_FALSE(wrong);
  EXPECT_THAT(wrong.error().message, HasSubstr("applicants_see_jurors"));
}

// A statutory delay (docs/timers.md): one unit, an outcome, its legal
// basis; a delay that makes no sense is refused naming the field.
std::string withDelay(const std::string& delay) {
  return with(validText, "\"notes\": \"fictional\"",
              "\"notes\": \"fictional\", \"statutory_delay\": " + delay);
}

TEST(Rules, AStatutoryDelayParsesAndSurvivesTheRoundTrip) {
  auto parsed = parseCampaignDefinition(with(
      withDelay(R"({"months": 2, "outcome": "accepted", "legal_basis": "CRPA, art. L231-1",
                   "warn_days_before": 7})"),
      "\"notes\"", "\"calendar\": {\"alsace_moselle\": true}, \"notes\""));
  ASSERT_TRUE(parsed) << parsed.error().message;
  const StatutoryDelay& d = parsed->rules.statutoryDelay;
  EXPECT_EQ(d.count, 2u);
  EXPECT_EQ(d.unit, DelayUnit::Months);
  EXPECT_EQ(d.outcome, DeemedOutcome::Accepted);
  EXPECT_EQ(d.legalBasis, "CRPA, art. L231-1");
  EXPECT_EQ(d.warnDaysBefore, 7u);
  EXPECT_TRUE(d.extendToBusinessDay) << "art. 642 applies unless the rules say otherwise";
  EXPECT_TRUE(parsed->rules.alsaceMoselle);
  EXPECT_EQ(describeDelay(d), "2 months");
  auto again = parseCampaignDefinition(campaignDefinitionJson(*parsed));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->rules, parsed->rules);
  capnp::MallocMessageBuilder message;
  writeRules(parsed->rules, message.initRoot<schema::CampaignRules>());
  EXPECT_EQ(readRules(message.getRoot<schema::CampaignRules>().asReader()), parsed->rules);
}

TEST(Rules, AStatutoryDelayThatMakesNoSenseIsRefused) {
  const std::string basis = R"(, "outcome": "refused", "legal_basis": "CRPA")";
  EXPECT_EQ(definitionRefusal(withDelay(R"({"days": 0)" + basis + "}")),
            "statutory_delay.days: must be at least 1, got 0");
  EXPECT_EQ(definitionRefusal(withDelay(R"({"days": -30)" + basis + "}")),
            "statutory_delay.days: must be at least 1, got -30");
  EXPECT_EQ(definitionRefusal(withDelay(R"({"months": 120000)" + basis + "}")),
            "statutory_delay.months: must be at most 120, got 120000");
  EXPECT_EQ(definitionRefusal(withDelay(R"({"business_days": 1e9)" + basis + "}")),
            "statutory_delay.business_days: must be a whole number, got 1000000000.0");
  EXPECT_THAT(definitionRefusal(withDelay(R"({"days": 5, "months": 1)" + basis + "}")),
              HasSubstr("a delay has one unit"));
  EXPECT_THAT(definitionRefusal(withDelay(R"({"outcome": "refused", "legal_basis": "x"})")),
              HasSubstr("says how long"));
  EXPECT_EQ(definitionRefusal(withDelay(R"({"days": 60, "outcome": "maybe", "legal_basis": "x"})")),
            "statutory_delay.outcome: \"maybe\" is not one of \"refused\", \"accepted\"");
  EXPECT_EQ(definitionRefusal(withDelay(R"({"days": 60, "outcome": "refused"})")),
            "statutory_delay.legal_basis: required field is missing");
  EXPECT_EQ(definitionRefusal(withDelay(R"({"days": 60, "outcome": "refused", "legal_basis": " "})")),
            "statutory_delay.legal_basis: must not be empty");
  EXPECT_EQ(definitionRefusal(withDelay(R"({"days": 60, "warn_days_before": 400)" + basis + "}")),
            "statutory_delay.warn_days_before: must be at most 365, got 400");
  EXPECT_THAT(definitionRefusal(withDelay(R"({"weeks": 2)" + basis + "}")),
              HasSubstr("unknown field \"weeks\""));
}

TEST(Rules, TheServiceLevelIsADayCount) {
  const auto withReminders = [](const std::string& reminders) {
    return with(validText, "\"notes\": \"fictional\"",
                "\"notes\": \"fictional\", \"reminders\": " + reminders);
  };
  auto parsed = parseCampaignDefinition(withReminders(R"({"service_level_days": 10})"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->rules.serviceLevelDays, 10u);
  auto again = parseCampaignDefinition(campaignDefinitionJson(*parsed));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->rules, parsed->rules);
  EXPECT_EQ(definitionRefusal(withReminders(R"({"service_level_days": 0})")),
            "reminders.service_level_days: must be at least 1, got 0");
  EXPECT_EQ(definitionRefusal(withReminders(R"({"service_level_days": 400})")),
            "reminders.service_level_days: must be at most 365, got 400");
  EXPECT_THAT(definitionRefusal(withReminders("{}")), HasSubstr("says whom to remind"));
  auto jurors = parseCampaignDefinition(
      withReminders(R"({"jurors_days_before": 3, "scoring_closes": "2020-07-15T18:00:00"})"));
  ASSERT_TRUE(jurors) << jurors.error().message;
  EXPECT_EQ(jurors->rules.jurorsDaysBefore, 3u);
  EXPECT_EQ(formatInZone(jurors->rules.scoringClosesMicros, "Europe/Paris"),
            "2020-07-15T18:00:00+02:00");
  auto jurorsAgain = parseCampaignDefinition(campaignDefinitionJson(*jurors));
  ASSERT_TRUE(jurorsAgain) << jurorsAgain.error().message;
  EXPECT_EQ(jurorsAgain->rules, jurors->rules);
  EXPECT_THAT(definitionRefusal(withReminders(R"({"jurors_days_before": 3})")),
              HasSubstr("jurors_days_before and scoring_closes go together"));
  EXPECT_THAT(definitionRefusal(withReminders(
                  R"({"jurors_days_before": 3, "scoring_closes": "2020-07-15 18h"})")),
              HasSubstr("reminders.scoring_closes: "));
  EXPECT_EQ(definitionRefusal(withReminders(
                R"({"jurors_days_before": 90, "scoring_closes": "2020-07-15T18:00:00"})")),
            "reminders.jurors_days_before: must be at most 60, got 90");
}

}  // namespace
}  // namespace parcours::workflows
