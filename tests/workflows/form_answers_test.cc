// Answers against a form (docs/forms.md, "Answers"): every problem at once,
// each at its JSON Pointer; values normalised (a phone in E.164); personal
// answers split off and, once recorded, known only by their pointers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parcours/workflows/campaign_rules.h"
#include "parcours/workflows/dossier.h"
#include "parcours/workflows/form_answers.h"

namespace parcours::workflows {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::filesystem::path answersSeedsDir = PARCOURS_CAMPAIGNS_DIR;

Form seedForm(const std::string& file) {
  auto loaded = loadCampaignDefinition(answersSeedsDir / file);
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? loaded->rules.form : Form{};
}

Application asking(std::vector<std::string> strands) {
  Application a;
  a.applicantKind = "metropole";
  a.strands = std::move(strands);
  return a;
}

// Answers to the Sud call's form, complete for strands 1 and 2.
nlohmann::json sudAnswers() {
  return {{"cadre_lu", true},
          {"objectifs", "Former les agents et outiller les communes."},
          {"resilience", "Des services numériques qui tiennent en temps de crise."},
          {"communes_concernees", {{{"nom", "Digne-les-Bains"}, {"population", 16000}}}},
          {"referent_nom", "Camille Exemple"},
          {"referent_telephone", "06 12 34 56 78"}};
}

std::vector<std::string> pointersOf(const Error& e) {
  std::vector<std::string> pointers;
  for (const FieldProblem& p : e.problems) pointers.push_back(p.pointer);
  return pointers;
}

TEST(FormAnswers, CompleteAnswersAreNormalisedAndThePersonalOnesSplitOff) {
  const Form form = seedForm("parcours-sud-smart-territoires-2020.json");
  auto checked = checkAnswers(form, asking({"1", "2"}), sudAnswers().dump());
  ASSERT_TRUE(checked) << checked.error().message;
  const auto clear = nlohmann::json::parse(checked->publicJson);
  EXPECT_EQ(clear.at("objectifs"), "Former les agents et outiller les communes.");
  EXPECT_EQ(clear.at("communes_concernees").at(0).at("population"), 16000);
  EXPECT_FALSE(clear.contains("referent_nom")) << "personal answers never in clear";
  EXPECT_FALSE(clear.contains("referent_telephone"));
  const auto personal = nlohmann::json::parse(checked->personalJson);
  EXPECT_EQ(personal.at("/referent_telephone"), "+33612345678") << "E.164, by libphonenumber";
  EXPECT_EQ(personal.at("/referent_nom"), "Camille Exemple");
  EXPECT_THAT(checked->personalPointers, ElementsAre("/referent_nom", "/referent_telephone"));
  // The recorded answers pass again without the plaintext.
  EXPECT_TRUE(checkRecordedAnswers(form, asking({"1", "2"}), checked->publicJson,
                                   checked->personalPointers));
}

// Seed 000: strand 3 "vise à « accélérer la mise en œuvre de projets
// exemplaires en matière de transition énergétique et écologique »": its
// question is asked of, and required from, the applications asking strand 3.
TEST(FormAnswers, TheTransitionQuestionIsAskedOnlyOfStrandThree) {
  const Form form = seedForm("parcours-sud-smart-territoires-2020.json");
  auto withoutIt = checkAnswers(form, asking({"2", "3"}), sudAnswers().dump());
  ASSERT_FALSE(withoutIt);
  EXPECT_THAT(pointersOf(withoutIt.error()), ElementsAre("/answers/transition"));
  EXPECT_EQ(withoutIt.error().problems.at(0).message, "is required");
  nlohmann::json answers = sudAnswers();
  answers["transition"] = "Rénovation énergétique de trois écoles.";
  EXPECT_TRUE(checkAnswers(form, asking({"2", "3"}), answers.dump()));
  auto notAsked = checkAnswers(form, asking({"1"}), answers.dump());
  ASSERT_FALSE(notAsked);
  EXPECT_THAT(notAsked.error().problems.at(0).message,
              HasSubstr("is not asked: the form shows it only when strands is 3"));
}

TEST(FormAnswers, EveryProblemIsReportedAtOnceAtItsPointer) {
  const Form form = seedForm("label-territoire-innovant-2020.json");
  const nlohmann::json answers = {
      {"description", 42},
      {"mise_en_oeuvre", "peut-etre"},
      {"budget_cents", -5},
      {"partenaires", {{{"nom", "Lille"}, {"siret", "12345678901234"}}, {{"couleur", "bleu"}}}},
      {"innovation", std::string("ligne\0nulle", 11)},
      {"inconnu", true},
      {"disponible_audition", "oui"}};
  auto refused = checkAnswers(form, asking({}), answers.dump());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  EXPECT_THAT(pointersOf(refused.error()),
              ElementsAre("/answers/inconnu", "/answers/description", "/answers/mise_en_oeuvre",
                          "/answers/budget_cents", "/answers/partenaires/0/siret",
                          "/answers/partenaires/1/couleur", "/answers/partenaires/1/nom",
                          "/answers/innovation", "/answers/usagers", "/answers/reproductibilite",
                          "/answers/mutualisation", "/answers/sobriete",
                          "/answers/disponible_audition"));
  const auto& p = refused.error().problems;
  EXPECT_EQ(p[1].message, "must be a string, got 42");
  EXPECT_EQ(p[2].message, "\"peut-etre\" is not one of en_cours, realise");
  EXPECT_EQ(p[3].message, "must be at least 0");
  EXPECT_THAT(p[4].message, HasSubstr("its check digit (Luhn) is wrong"));
  EXPECT_THAT(p[7].message, HasSubstr("control character"));
  EXPECT_EQ(p[8].message, "is required");
  EXPECT_EQ(p[12].message, "must be true or false, got \"oui\"");
  EXPECT_THAT(refused.error().message, HasSubstr("the form's answers have 13 problems: "));
}

TEST(FormAnswers, PersonalValuesNeverAppearInAMessage) {
  const Form form = seedForm("parcours-sud-smart-territoires-2020.json");
  nlohmann::json answers = sudAnswers();
  answers["referent_telephone"] = "0000 secret 1234";
  answers["referent_courriel"] = "secret-address";
  auto refused = checkAnswers(form, asking({"1"}), answers.dump());
  ASSERT_FALSE(refused);
  EXPECT_THAT(pointersOf(refused.error()),
              ElementsAre("/answers/referent_telephone", "/answers/referent_courriel"));
  EXPECT_EQ(refused.error().message.find("secret"), std::string::npos) << refused.error().message;
}

TEST(FormAnswers, MalformedOrMisplacedAnswersAreRefusedWithTheirPointer) {
  const Form form = seedForm("parcours-sud-smart-territoires-2020.json");
  for (const char* bad : {"[1, 2]", "{\"a\": ", "{\"cadre_lu\": true, \"cadre_lu\": false}"}) {
    auto refused = checkAnswers(form, asking({"1"}), bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_THAT(pointersOf(refused.error()), ElementsAre("/answers")) << bad;
  }
  auto group = checkAnswers(form, asking({"1"}),
                            R"({"communes_concernees": {"nom": "x"}})");
  ASSERT_FALSE(group);
  EXPECT_THAT(group.error().message, HasSubstr("/answers/communes_concernees: must be a list of items"));
  // A campaign without a form takes no answers.
  auto noForm = checkAnswers(Form{}, asking({}), R"({"x": 1})");
  ASSERT_FALSE(noForm);
  EXPECT_THAT(noForm.error().message, HasSubstr("the campaign has no form"));
  EXPECT_TRUE(checkAnswers(Form{}, asking({}), ""));
}

TEST(FormAnswers, ARecordedSubmissionHoldsNoPersonalAnswerInClearAndNoStraySealedOne) {
  const Form form = seedForm("parcours-sud-smart-territoires-2020.json");
  auto checked = checkAnswers(form, asking({"1"}), sudAnswers().dump());
  ASSERT_TRUE(checked);
  auto inClear = checkRecordedAnswers(form, asking({"1"}), sudAnswers().dump(),
                                      checked->personalPointers);
  ASSERT_FALSE(inClear);
  EXPECT_THAT(inClear.error().message, HasSubstr("a personal answer is recorded in clear"));
  auto missing = checkRecordedAnswers(form, asking({"1"}), checked->publicJson, {"/referent_nom"});
  ASSERT_FALSE(missing);
  EXPECT_THAT(pointersOf(missing.error()), ElementsAre("/answers/referent_telephone"));
  auto stray = checkRecordedAnswers(form, asking({"1"}), checked->publicJson,
                                    {"/objectifs", "/referent_nom", "/referent_telephone"});
  ASSERT_FALSE(stray);
  EXPECT_THAT(stray.error().message, HasSubstr("/answers/objectifs: a sealed answer recorded for no personal field"));
}

// Review findings: a form wider than any other object, keys that are not
// pointer-safe, numbers past int64, a recorded phone not in E.164, answers
// not written as a submission writes them.
TEST(FormAnswers, WideFormsOddKeysAndRecordedEncodingsAreHandled) {
  Form wide;
  wide.sections.push_back({"s", "S", "", {}});
  nlohmann::json answers = nlohmann::json::object();
  for (int i = 0; i < 60; ++i) {
    FormField f;
    f.id = "f" + std::to_string(i);
    f.label = "F";
    f.type = FieldType::Integer;
    f.max = -5;
    f.required = true;
    wide.sections[0].fields.push_back(f);
    answers[f.id] = -6;
  }
  auto checked = checkAnswers(wide, asking({}), answers.dump());
  ASSERT_TRUE(checked) << checked.error().message;  // 60 answers: more than 32 keys
  answers["f0"] = 18446744073709551610u;             // past int64: never wrapped to a negative
  auto huge = checkAnswers(wide, asking({}), answers.dump());
  ASSERT_FALSE(huge);
  EXPECT_THAT(pointersOf(huge.error()), ElementsAre("/answers/f0"));
  answers["f0"] = -6;
  answers["a/b~c"] = 1;
  auto odd = checkAnswers(wide, asking({}), answers.dump());
  ASSERT_FALSE(odd);
  EXPECT_THAT(pointersOf(odd.error()), ElementsAre("/answers/a~1b~0c"));  // RFC 6901

  const Form sud = seedForm("parcours-sud-smart-territoires-2020.json");
  auto sample = checkAnswers(sud, asking({"1"}), sampleAnswers(sud, asking({"1"})));
  ASSERT_TRUE(sample);
  // Recorded answers are the submission's bytes: reordered keys or spaces are not.
  nlohmann::json reordered = nlohmann::json::parse(sample->publicJson);
  EXPECT_FALSE(checkRecordedAnswers(sud, asking({"1"}), reordered.dump(1), sample->personalPointers));
  std::vector<std::string> twice = sample->personalPointers;
  twice.push_back(twice.front());
  EXPECT_FALSE(checkRecordedAnswers(sud, asking({"1"}), sample->publicJson, twice));
}

TEST(FormAnswers, ASampleOfAnAwkwardFormPassesItsCheck) {
  Form form;
  FormField accents;
  accents.id = "etat";
  accents.label = "État\tdes lieux";
  accents.type = FieldType::ShortText;
  accents.maxLength = 1;  // "É" is two bytes: the sample cuts before it
  accents.required = true;
  FormField negative;
  negative.id = "n";
  negative.label = "N";
  negative.type = FieldType::Integer;
  negative.max = -3;
  negative.required = true;
  form.sections.push_back({"s", "S", "", {accents, negative}});
  const std::string sample = sampleAnswers(form, asking({}));
  auto checked = checkAnswers(form, asking({}), sample);
  EXPECT_TRUE(checked) << sample << ": " << checked.error().message;
}

// What `parcours form sample` prints, the demo and the tests submit: answers
// each seed's form accepts, for every strand asked and every kind.
TEST(FormAnswers, TheSampleAnswersPassTheCheckForEveryStrandAndKind) {
  for (const char* file : {"parcours-sud-smart-territoires-2020.json", "label-territoire-innovant-2020.json"}) {
    auto seed = loadCampaignDefinition(answersSeedsDir / file);
    ASSERT_TRUE(seed) << seed.error().message;
    std::vector<std::vector<std::string>> strandSets = {{}};
    for (const Strand& s : seed->rules.strands) strandSets.push_back({s.id});
    for (const auto& strands : strandSets) {
      for (const std::string& kind : seed->rules.eligibleApplicantKinds) {
        Application a = asking(strands);
        a.applicantKind = kind;
        const std::string sample = sampleAnswers(seed->rules.form, a);
        auto checked = checkAnswers(seed->rules.form, a, sample);
        EXPECT_TRUE(checked) << file << " " << kind << ": " << checked.error().message;
      }
    }
  }
  // A sample answers the conditional fields only when they are asked.
  const Form sud = seedForm("parcours-sud-smart-territoires-2020.json");
  EXPECT_FALSE(nlohmann::json::parse(sampleAnswers(sud, asking({"1"}))).contains("transition"));
  EXPECT_TRUE(nlohmann::json::parse(sampleAnswers(sud, asking({"3"}))).contains("transition"));
  EXPECT_EQ(sampleAnswers(Form{}, asking({})), "{}");
}

}  // namespace
}  // namespace parcours::workflows
