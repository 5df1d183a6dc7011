// A campaign's form (docs/forms.md): the two seeds' forms load and survive
// the log and the definition file, and a bad form is refused with the field
// path and what is wrong.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <capnp/message.h>
#include <nlohmann/json.hpp>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path formSeedsDir = PARCOURS_CAMPAIGNS_DIR;

// A valid definition whose "form" is `form` (a JSON object's text).
std::string definitionWithForm(const std::string& form) {
  return R"({
  "id": "form-call",
  "name": "Form Call",
  "organiser": "Test Organiser",
  "deadline": {"local": "2020-06-19T23:59:59", "time_zone": "Europe/Paris"},
  "eligible_applicant_kinds": ["commune", "metropole"],
  "required_fields": ["applicant.name"],
  "strands": [{"id": "1", "label": "One"}, {"id": "3", "label": "Three", "mode": "investment"}],
  "auditions_held": false,
  "criteria": [{"id": "c", "label": "C", "scale": {"min": 0, "max": 10}, "weight": 1}],
  "threshold": 5,
  "vote": {"body": "jury", "quorum_percent": 50, "majority": "simple"},
  "budget": {"envelope_cents": 100000},
  "form": )" + form + "\n}";
}

// A form of one section holding `fields` (a JSON list's items).
std::string oneSectionForm(const std::string& fields) {
  return definitionWithForm(R"({"sections": [{"id": "s", "title": "Section", "fields": [)" + fields +
                  "]}]}");
}

std::string formRefusal(const std::string& text) {
  auto parsed = parseCampaignDefinition(text);
  if (parsed) return "(accepted)";
  EXPECT_EQ(parsed.error().code, ErrorCode::InvalidInput) << parsed.error().message;
  return parsed.error().message;
}

CampaignDefinition formSeed(const std::string& file) {
  auto loaded = loadCampaignDefinition(formSeedsDir / file);
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? *loaded : CampaignDefinition{};
}

void expectRoundTrips(const CampaignDefinition& d) {
  auto again = parseCampaignDefinition(campaignDefinitionJson(d));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->rules.form, d.rules.form);
  capnp::MallocMessageBuilder message;
  writeRules(d.rules, message.initRoot<schema::CampaignRules>());
  EXPECT_EQ(readRules(message.getRoot<schema::CampaignRules>().asReader()), d.rules);
}

// Seed 000: "compléter le formulaire de réponse", after having taken
// "connaissance du cadre d'intervention qui détaille les modalités du
// dispositif"; strand 3 is the one that "vise à « accélérer la mise en œuvre
// de projets exemplaires en matière de transition énergétique et
// écologique »".
TEST(FormRules, TheSudCallAsksItsAnswerFormAndStrandThreeItsTransitionProject) {
  const CampaignDefinition d = formSeed("parcours-sud-smart-territoires-2020.json");
  ASSERT_FALSE(d.rules.form.empty());
  const FormField* read = d.rules.form.field("cadre_lu");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->type, FieldType::YesNo);
  EXPECT_TRUE(read->required);
  const FormField* transition = d.rules.form.field("transition");
  ASSERT_NE(transition, nullptr);
  EXPECT_EQ(transition->when.field, "strands");
  EXPECT_EQ(transition->when.values, std::vector<std::string>{"3"});
  const FormField* phone = d.rules.form.field("referent_telephone");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->type, FieldType::Phone);
  EXPECT_TRUE(phone->personal);
  expectRoundTrips(d);
}

// Seed 002: "Les projets sont évalués à l'aide de 5 critères : l'innovation,
// la prise en compte des usagers, la reproductibilité, la mutualisation,
// l'efficacité et la sobriété numérique / impact climatique": the form asks
// one answer per criterion, so the jurors score more than a title.
TEST(FormRules, TheLabelFormAsksAnAnswerForEachOfItsFiveCriteria) {
  const CampaignDefinition d = formSeed("label-territoire-innovant-2020.json");
  for (const char* id : {"innovation", "usagers", "reproductibilite", "mutualisation", "sobriete"}) {
    const FormField* f = d.rules.form.field(id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_EQ(f->type, FieldType::LongText) << id;
    EXPECT_TRUE(f->required) << id;
  }
  // "les candidats seront invités à pitcher lors d'une session en
  // visio-conférence le 23 juin".
  const FormField* pitch = d.rules.form.field("disponible_audition");
  ASSERT_NE(pitch, nullptr);
  EXPECT_EQ(pitch->type, FieldType::YesNo);
  const FormField* partners = d.rules.form.field("partenaires");
  ASSERT_NE(partners, nullptr);
  EXPECT_EQ(partners->type, FieldType::Group);
  EXPECT_EQ(partners->fields.at(1).type, FieldType::Siret);
  expectRoundTrips(d);
}

TEST(FormRules, EveryTypeSurvivesTheFileAndTheLog) {
  auto parsed = parseCampaignDefinition(oneSectionForm(R"(
    {"id": "a", "type": "short_text", "label": "A", "max_length": 10, "required": true},
    {"id": "b", "type": "long_text", "label": "B", "label_en": "Bee", "help": "Say it"},
    {"id": "c", "type": "integer", "label": "C", "min": -5, "max": 5},
    {"id": "d", "type": "amount", "label": "D", "min": 0, "max": 100000},
    {"id": "e", "type": "date", "label": "E"},
    {"id": "f", "type": "email", "label": "F", "personal": true},
    {"id": "g", "type": "phone", "label": "G", "personal": true},
    {"id": "h", "type": "siren", "label": "H"},
    {"id": "i", "type": "siret", "label": "I"},
    {"id": "j", "type": "choice", "label": "J", "choices": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y", "label_en": "Why"}]},
    {"id": "k", "type": "choices", "label": "K", "choices": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}], "when": {"field": "j", "is": ["y"]}},
    {"id": "l", "type": "yes_no", "label": "L", "when": {"field": "strands", "is": ["3"]}},
    {"id": "m", "type": "group", "label": "M", "min_items": 1, "max_items": 3, "when": {"field": "l", "is": ["yes"]},
     "fields": [{"id": "n", "type": "short_text", "label": "N", "required": true}]},
    {"id": "o", "type": "attachment", "label": "O", "kind": "deliberation", "required": true,
     "content_types": ["application/pdf", "image/png"], "max_bytes": 1000000, "max_items": 3})"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->rules.form.sections.at(0).fields.size(), 14u);
  EXPECT_EQ(parsed->rules.form.field("o")->contentTypes.size(), 2u);
  EXPECT_EQ(maxLengthOf(*parsed->rules.form.field("a")), 10u);
  EXPECT_EQ(maxLengthOf(*parsed->rules.form.field("b")), 10'000u);
  expectRoundTrips(*parsed);
}

TEST(FormRules, ABadFormIsRefusedNamingTheFieldAndWhatIsWrong) {
  // An attachment names its kind and the content types it takes; it is
  // never in a group, never "personal" (documents are always sealed).
  EXPECT_THAT(formRefusal(oneSectionForm(
                  R"({"id": "a", "type": "attachment", "label": "A", "kind": "deliberation"})")),
              HasSubstr("form.sections[0].fields[0].content_types: names no content type"));
  EXPECT_THAT(formRefusal(oneSectionForm(
                  R"({"id": "a", "type": "attachment", "label": "A", "kind": "deliberation",
                      "content_types": ["application/PDF"]})")),
              HasSubstr("\"application/PDF\" is not a content type"));
  EXPECT_THAT(formRefusal(oneSectionForm(
                  R"({"id": "a", "type": "attachment", "label": "A", "kind": "deliberation",
                      "content_types": ["application/pdf"], "personal": true})")),
              HasSubstr("documents are always sealed"));
  EXPECT_THAT(formRefusal(oneSectionForm(
                  R"({"id": "a", "type": "short_text", "label": "A", "kind": "deliberation"})")),
              HasSubstr("fields[0].kind: does not apply to a field of type \"short_text\""));
  EXPECT_THAT(formRefusal(oneSectionForm(
                  R"({"id": "g", "type": "group", "label": "G", "fields": [{"id": "a",
                      "type": "attachment", "label": "A", "kind": "k",
                      "content_types": ["application/pdf"]}]})")),
              HasSubstr("a group's item cannot hold an attachment"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "texte", "label": "A"})")),
              HasSubstr("\"texte\" is not a field type (short_text, long_text"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "date", "label": "A"},
                                    {"id": "a", "type": "date", "label": "B"})")),
              HasSubstr("form.sections[0].fields[1].id: \"a\" names two fields of the form"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "A/b", "type": "date", "label": "A"})")),
              HasSubstr("fields[0].id: \"A/b\" is not an id"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "integer", "label": "A", "max_length": 3})")),
              HasSubstr("fields[0].max_length: does not apply to a field of type \"integer\""));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "integer", "label": "A", "min": 3, "max": 2})")),
              HasSubstr("fields[0].min: 3 is above max 2"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "choice", "label": "A", "choices": [{"value": "x", "label": "X"}]})")),
              HasSubstr("a choice needs at least 2 choices, got 1"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "short_text", "label": " "})")),
              HasSubstr("fields[0].label: must not be empty"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "short_text", "label": "A", "colour": 1})")),
              HasSubstr("unknown field \"colour\""));
  EXPECT_THAT(formRefusal(definitionWithForm(R"({"sections": []})")), HasSubstr("form.sections: is empty"));
  // Groups: fields, no group in a group, sane bounds.
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "g", "type": "group", "label": "G", "fields": []})")),
              HasSubstr("fields[0].fields: a group needs fields"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "g", "type": "group", "label": "G", "fields": [
      {"id": "h", "type": "group", "label": "H", "fields": [{"id": "i", "type": "date", "label": "I"}]}]})")),
              HasSubstr("fields[0].fields[0].fields: a group's item cannot hold another group"));
  // Rules built in code meet the same check.
  CampaignDefinition label = formSeed("label-territoire-innovant-2020.json");
  FormField* partners = nullptr;
  for (FormSection& s : label.rules.form.sections) {
    for (FormField& f : s.fields) {
      if (f.id == "partenaires") partners = &f;
    }
  }
  ASSERT_NE(partners, nullptr);
  partners->fields.push_back(*partners);
  auto refused = validateRules(label.rules);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("a group's item cannot hold another group"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "g", "type": "group", "label": "G", "min_items": 5, "max_items": 2,
      "fields": [{"id": "i", "type": "date", "label": "I"}]})")),
              HasSubstr("min_items: 5 is above max_items 2"));
}

TEST(FormRules, AConditionNamesAFieldThatExistsWithValuesItCanHoldAndNeverACycle) {
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "date", "label": "A", "when": {"field": "nope", "is": ["x"]}})")),
              HasSubstr("fields[0].when.field: \"nope\" names no field of the form"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "date", "label": "A", "when": {"field": "strands", "is": ["7"]}})")),
              HasSubstr("when.is[0]: \"7\" is not a value of \"strands\" (1, 3)"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "date", "label": "A", "when": {"field": "applicant.kind", "is": ["region"]}})")),
              HasSubstr("\"region\" is not a value of \"applicant.kind\" (commune, metropole)"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "date", "label": "A"},
      {"id": "b", "type": "date", "label": "B", "when": {"field": "a", "is": ["x"]}})")),
              HasSubstr("\"a\" is a date field: a condition names a choice, a yes/no"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "yes_no", "label": "A", "personal": true},
      {"id": "b", "type": "date", "label": "B", "when": {"field": "a", "is": ["yes"]}})")),
              HasSubstr("\"a\" is personal: a condition cannot read it"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "yes_no", "label": "A", "when": {"field": "a", "is": ["yes"]}})")),
              HasSubstr("a field cannot depend on itself"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "yes_no", "label": "A", "when": {"field": "b", "is": ["yes"]}},
      {"id": "b", "type": "yes_no", "label": "B", "when": {"field": "c", "is": ["no"]}},
      {"id": "c", "type": "yes_no", "label": "C", "when": {"field": "a", "is": ["yes"]}})")),
              HasSubstr("the conditions form a cycle: a -> b -> c -> a"));
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "a", "type": "yes_no", "label": "A"},
      {"id": "b", "type": "date", "label": "B", "when": {"field": "a", "is": []}})")),
              HasSubstr("fields[1].when.is: names no value"));
  // A group's field with a top-level field's id neither hides a cycle nor
  // makes one up.
  EXPECT_THAT(formRefusal(oneSectionForm(R"({"id": "x", "type": "yes_no", "label": "X", "when": {"field": "y", "is": ["yes"]}},
      {"id": "y", "type": "yes_no", "label": "Y", "when": {"field": "x", "is": ["yes"]}},
      {"id": "z", "type": "yes_no", "label": "Z"},
      {"id": "g", "type": "group", "label": "G", "fields": [
        {"id": "x", "type": "choice", "label": "X", "when": {"field": "z", "is": ["yes"]},
         "choices": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]}]})")),
              HasSubstr("the conditions form a cycle: x -> y -> x"));
  EXPECT_EQ(formRefusal(oneSectionForm(R"({"id": "x", "type": "yes_no", "label": "X"},
      {"id": "g", "type": "group", "label": "G", "fields": [
        {"id": "x", "type": "date", "label": "X", "when": {"field": "x", "is": ["yes"]}}]})")),
            "(accepted)");
}

}  // namespace
}  // namespace parcours::workflows
