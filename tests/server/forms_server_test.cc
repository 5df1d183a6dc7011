// The form over HTTP (docs/forms.md): the rules carry it, a submission's
// answers are a JSON object, every problem comes back at once in the
// problem's `errors` (RFC 9457) with its JSON Pointer and nothing is
// written, and GET /v1/dossiers/{id}/answers serves the clear answers to
// whoever may read the dossier — never the personal ones.
#include <gtest/gtest.h>

#include <fstream>

#include "server_process.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

class FormsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    client_ = std::make_unique<HttpClient>(server_.httpAddress());
    // The label seed with its form, open until 2099.
    auto definition = futureCampaignDefinition("lti-form");
    std::ifstream in(std::string(PARCOURS_CAMPAIGNS_DIR) + "/label-territoire-innovant-2020.json");
    definition["form"] = json::parse(in).at("form");
    auto opened = client_->post("/v1/campaigns/lti-form", token("admin"),
                                json{{"reason", "test"}, {"definition", definition}}.dump());
    ASSERT_EQ(opened.status, 200u) << opened.body;
  }

  const std::string& token(const std::string& subject) { return server_.token(subject); }

  std::uint64_t head() {
    auto page = client_->get("/v1/events?from=999999999", token("admin"));
    return std::stoull(page.json().at("head").get<std::string>());
  }

  json submission(const json& answers) {
    auto body = json::parse(submissionBody("lti-form"));
    body["application"]["answers"] = answers;
    return body;
  }

  static json completeAnswers() {
    json a = {{"description", "Un guichet numérique."},
              {"mise_en_oeuvre", "realise"},
              {"disponible_audition", true},
              {"porteur_pitch", "Dominique Fictif"},
              {"partenaires", json::array({{{"nom", "Lille"}}})}};
    for (const char* c : {"innovation", "usagers", "reproductibilite", "mutualisation", "sobriete"}) {
      a[c] = std::string("Sur ") + c;
    }
    return a;
  }

  ServerProcess server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(FormsServerTest, TheRulesCarryTheForm) {
  auto rules = client_->get("/v1/campaigns/lti-form/rules", token("applicant-a"));
  ASSERT_EQ(rules.status, 200u) << rules.body;
  const auto sections = rules.json().at("rules").at("form").at("sections");
  EXPECT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections.at(2).at("fields").at(1).at("when").at("field"), "disponible_audition");
}

TEST_F(FormsServerTest, WrongAnswersComeBackAllAtOnceWithTheirPointersAndWriteNothing) {
  const std::uint64_t before = head();
  json answers = completeAnswers();
  answers.erase("usagers");
  answers["mise_en_oeuvre"] = "bientot";
  answers["partenaires"][0]["siret"] = "12345678901234";
  answers["budget_cents"] = 5.0;  // not a whole number, however JSON's number reader sees it
  auto refused = client_->post("/v1/dossiers/f-1/submit", token("applicant-a"),
                               submission(answers).dump());
  ASSERT_EQ(refused.status, 400u) << refused.body;
  const auto problem = refused.json();
  EXPECT_EQ(problem.at("code"), "invalid_input");
  std::vector<std::string> pointers;
  for (const auto& e : problem.at("errors")) pointers.push_back(e.at("pointer"));
  EXPECT_EQ(pointers, (std::vector<std::string>{"/answers/mise_en_oeuvre", "/answers/budget_cents",
                                                "/answers/partenaires/0/siret",
                                                "/answers/usagers"}));
  EXPECT_EQ(problem.at("errors").at(1).at("detail"), "must be a whole number, got 5.0");
  EXPECT_EQ(problem.at("errors").at(3).at("detail"), "is required");
  EXPECT_EQ(head(), before);
  // Answers that are not an object are refused too, naming the field.
  auto notAnObject = client_->post("/v1/dossiers/f-1/submit", token("applicant-a"),
                                   submission("tout").dump());
  EXPECT_EQ(notAnObject.status, 400u) << notAnObject.body;
}

TEST_F(FormsServerTest, TheClearAnswersAreServedToWhoMayReadTheDossierNeverThePersonalOnes) {
  json answers = completeAnswers();
  answers["budget_cents"] = 1'000'000'000'000'000;  // exact, as sent: no double on the way
  auto submitted = client_->post("/v1/dossiers/f-2/submit", token("applicant-a"),
                                 submission(answers).dump());
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  auto own = client_->get("/v1/dossiers/f-2/answers", token("applicant-a"));
  ASSERT_EQ(own.status, 200u) << own.body;
  EXPECT_EQ(own.json().at("dossierId"), "f-2");
  EXPECT_EQ(own.json().at("answers").at("mise_en_oeuvre"), "realise");
  EXPECT_EQ(own.json().at("answers").at("partenaires").at(0).at("nom"), "Lille");
  EXPECT_NE(own.body.find("\"budget_cents\":1000000000000000"), std::string::npos) << own.body;
  EXPECT_EQ(own.body.find("Dominique Fictif"), std::string::npos) << "personal: never served";
  EXPECT_EQ(client_->get("/v1/dossiers/f-2/answers", token("admin")).status, 200u);
  // Another applicant's dossier does not exist for them; an integrator reads no dossier.
  EXPECT_EQ(client_->get("/v1/dossiers/f-2/answers", token("applicant-b")).status, 404u);
  EXPECT_EQ(client_->get("/v1/dossiers/f-2/answers", token("integrator")).status, 403u);
  EXPECT_EQ(client_->get("/v1/dossiers/nobody/answers", token("admin")).status, 404u);
  auto past = client_->get("/v1/dossiers/f-2/answers?at=1", token("admin"));
  EXPECT_EQ(past.status, 400u) << past.body;
}

}  // namespace
}  // namespace parcours::testing
