// A submission with its answers to the campaign's form, through the
// workflow service over a real log and key store (docs/forms.md): wrong
// answers are refused all at once and write nothing; right ones are
// recorded, the personal ones sealed (in no file of the log in clear) and
// erased with the key; a replay decides the submission again without the
// key; an amended form applies to the submissions after it only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "parcours/engine/key_store.h"
#include "parcours/workflows/replay.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kCall = "form-call";
constexpr const char* kPitcher = "Dominique Fictif";  // a personal answer

Form labelSeedForm() {
  auto seed = loadCampaignDefinition(std::filesystem::path(PARCOURS_CAMPAIGNS_DIR) /
                                     "label-territoire-innovant-2020.json");
  EXPECT_TRUE(seed) << seed.error().message;
  return seed ? seed->rules.form : Form{};
}

nlohmann::json completeAnswers() {
  nlohmann::json a = {{"description", "Un guichet numérique pour les habitants."},
                      {"mise_en_oeuvre", "en_cours"},
                      {"disponible_audition", true},
                      {"porteur_pitch", kPitcher}};
  for (const char* c : {"innovation", "usagers", "reproductibilite", "mutualisation", "sobriete"}) {
    a[c] = std::string("Réponse sur ") + c;
  }
  return a;
}

class FormSubmissionTest : public WorkflowFixture {
 protected:
  FormSubmissionTest() {
    auto keys = engine::KeyStore::open(keysDir_.path().string());
    EXPECT_TRUE(keys) << keys.error().message;
    keys_ = std::move(keys).value();
    workflow_ = std::make_unique<Workflow>(*log_, clock_, keys_.get());
    CampaignRules rules = labelRules();
    rules.form = labelSeedForm();
    openCampaign(kCall, rules, threeJurors());
  }
  ~FormSubmissionTest() override { workflow_.reset(); }

  Result<store::AppendResult> submitWith(const std::string& id, const nlohmann::json& answers) {
    Application a = application();
    a.answers = answers.dump();
    return dossier(id, cmd::Submit{kCall, a, {}, {}}, "", "applicant-1");
  }

  std::uint64_t head() const { return log_->head(); }

  TempDir keysDir_;
  std::unique_ptr<engine::KeyStore> keys_;
};

TEST_F(FormSubmissionTest, WrongAnswersAreRefusedAllAtOnceAndWriteNothing) {
  const std::uint64_t before = head();
  nlohmann::json answers = completeAnswers();
  answers.erase("usagers");
  answers["mise_en_oeuvre"] = "bientot";
  answers["couleur"] = "bleu";
  auto refused = submitWith("d1", answers);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
  std::vector<std::string> pointers;
  for (const FieldProblem& p : refused.error().problems) pointers.push_back(p.pointer);
  EXPECT_THAT(pointers, ElementsAre("/answers/couleur", "/answers/mise_en_oeuvre", "/answers/usagers"));
  EXPECT_EQ(head(), before) << "a refused submission writes nothing";
  EXPECT_FALSE(keys_->find("d1")->has_value()) << "and creates no key";
}

TEST_F(FormSubmissionTest, AnswersAreRecordedThePersonalOnesSealedAndErasedWithTheKey) {
  ASSERT_TRUE(submitWith("d1", completeAnswers()));
  // The clear answers, as every reader of the dossier sees them.
  auto clear = workflow_->answers("d1");
  ASSERT_TRUE(clear) << clear.error().message;
  const auto recorded = nlohmann::json::parse(*clear);
  EXPECT_EQ(recorded.at("mise_en_oeuvre"), "en_cours");
  EXPECT_FALSE(recorded.contains("porteur_pitch"));
  // The personal one: sealed, in no file of the log in clear, opened with the key.
  EXPECT_THAT(filesContaining(dir_.path(), kPitcher), IsEmpty());
  auto personal = workflow_->contact("d1");
  ASSERT_TRUE(personal) << personal.error().message;
  EXPECT_EQ(nlohmann::json::parse(personal->personalAnswers).at("/porteur_pitch"), kPitcher);
  // A replay decides the submission again to the same bytes, key or not.
  ASSERT_TRUE(dossier("d1", cmd::Erase{}, "the applicant's request", "dpo-1"));
  auto erased = workflow_->contact("d1");
  ASSERT_TRUE(erased);
  EXPECT_TRUE(erased->erased);
  EXPECT_TRUE(erased->personalAnswers.empty());
  auto report = replayEvents(allEvents());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_THAT(report->divergences, IsEmpty());
  EXPECT_GE(report->decisionsChecked, 2u);
}

TEST_F(FormSubmissionTest, AnAmendedFormAppliesToTheSubmissionsAfterItOnly) {
  ASSERT_TRUE(submitWith("d1", completeAnswers()));
  auto campaign = workflow_->loadCampaign(kCall);
  ASSERT_TRUE(campaign);
  CampaignRules amended = campaign->rules();
  FormField budget;
  budget.id = "budget_previsionnel";
  budget.label = "Budget prévisionnel";
  budget.type = FieldType::Amount;
  budget.required = true;
  amended.form.sections.at(0).fields.push_back(budget);
  ASSERT_TRUE(this->campaign(kCall, campaign_command::AmendRules{amended}, "the budget is asked"));
  auto refused = submitWith("d2", completeAnswers());
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("/answers/budget_previsionnel: is required"));
  nlohmann::json answers = completeAnswers();
  answers["budget_previsionnel"] = 1'500'000;
  ASSERT_TRUE(submitWith("d2", answers));
  // d1 keeps the form it was submitted under: its replay passes.
  auto report = replayEvents(allEvents());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_THAT(report->divergences, IsEmpty());
}

// An erasure needs the key of sealed answers as it does a sealed contact's:
// recorded without it, the answers would stay readable with the real key.
TEST_F(FormSubmissionTest, AnErasureNeedsTheKeyOfSealedAnswersEvenWithoutAContact) {
  Application a = application();
  a.contact = {};
  a.answers = completeAnswers().dump();
  ASSERT_TRUE(dossier("d1", cmd::Submit{kCall, a, {}, {}}, "", "applicant-1"));
  const std::uint64_t before = log_->head();
  Workflow keyless(*log_, clock_);
  CommandContext context;
  context.metadata.actor = "dpo-1";
  context.reason = "the applicant's request";
  auto refused = keyless.dossier("d1", cmd::Erase{}, context);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("erasing it needs the key store"));
  EXPECT_EQ(log_->head(), before) << "nothing written";
}

// Answers past what one event may carry are refused at /answers before any
// key is made.
TEST_F(FormSubmissionTest, AnswersTooLargeForOneEventAreRefusedBeforeAKeyIsMade) {
  CampaignRules rules = labelRules();
  FormField essay;
  essay.id = "essai";
  essay.label = "Essai";
  essay.type = FieldType::LongText;
  essay.maxLength = 100'000;
  FormField secret = essay;
  secret.id = "secret";
  secret.personal = true;
  rules.form.sections.push_back({"s", "S", "", {essay, secret}});
  openCampaign("big-call", rules, threeJurors());
  Application a = application();
  a.answers = nlohmann::json{{"essai", std::string(20'000, 'a')}, {"secret", std::string(5'000, 'b')}}.dump();
  auto refused = dossier("d1", cmd::Submit{"big-call", a, {}, {}}, "", "applicant-1");
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("bytes, over the limit of 24576"));
  EXPECT_FALSE(keys_->find("d1")->has_value());
  a.answers = nlohmann::json{{"essai", std::string(15'000, 'a')}, {"secret", std::string(5'000, 'b')}}.dump();
  EXPECT_TRUE(dossier("d1", cmd::Submit{"big-call", a, {}, {}}, "", "applicant-1"));
}

}  // namespace
}  // namespace parcours::testing
