// Drafts over HTTP (docs/http-api.md, "Drafts"): PUT saves with the
// version as ETag and If-Match, 412 on a stale save (two tabs), GET reads it
// back with what its submission would be told, POST .../draft/submit
// records the dossier; roles are checked before the body is read; bad
// bodies are refused and write nothing.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "server_process.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

class DraftsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    client_ = std::make_unique<HttpClient>(server_.httpAddress());
    auto definition = futureCampaignDefinition("lti-draft");
    std::ifstream in(std::string(PARCOURS_CAMPAIGNS_DIR) + "/label-territoire-innovant-2020.json");
    definition["form"] = json::parse(in).at("form");
    auto opened = client_->post("/v1/campaigns/lti-draft", token("admin"),
                                json{{"reason", "test"}, {"definition", definition}}.dump());
    ASSERT_EQ(opened.status, 200u) << opened.body;
  }

  const std::string& token(const std::string& subject) { return server_.token(subject); }

  // The submission body without its answers: a draft's first save.
  static json body(const json& answers = json::object()) {
    auto b = json::parse(submissionBody("lti-draft"));
    b["application"]["answers"] = answers;
    return b;
  }

  static json completeAnswers() {
    json a = {{"description", "Un guichet numérique."},
              {"mise_en_oeuvre", "realise"},
              {"disponible_audition", true},
              {"porteur_pitch", "Dominique Fictif"}};
    for (const char* c : {"innovation", "usagers", "reproductibilite", "mutualisation", "sobriete"}) {
      a[c] = std::string("Sur ") + c;
    }
    return a;
  }

  HttpReply put(const std::string& id, const json& b, const std::string& ifMatch = "",
                const std::string& who = "applicant-a") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!ifMatch.empty()) headers.emplace_back("If-Match", ifMatch);
    return client_->send(kj::HttpMethod::PUT, "/v1/dossiers/" + id + "/draft", token(who),
                         b.dump(), headers);
  }

  std::uint64_t head() { return headOf(*client_, token("admin")); }

  ServerProcess server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(DraftsServerTest, SaveReadSaveAgainThenSubmit) {
  auto created = put("dr-1", body());
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.etag, "\"1\"");
  EXPECT_EQ(created.json().at("version"), "1");
  EXPECT_FALSE(created.json().at("complete").get<bool>());
  bool namesDescription = false;
  const json createdDraft = created.json();
  for (const auto& p : createdDraft.at("problems")) {
    namesDescription |= p.at("pointer") == "/answers/description";
  }
  EXPECT_TRUE(namesDescription) << created.body;

  auto read = client_->get("/v1/dossiers/dr-1/draft", token("applicant-a"));
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.etag, "\"1\"");
  EXPECT_TRUE(read.json().at("application").at("answers").is_object());

  auto saved = put("dr-1", body(completeAnswers()), "\"1\"");
  ASSERT_EQ(saved.status, 200u) << saved.body;
  EXPECT_EQ(saved.etag, "\"2\"");
  EXPECT_TRUE(saved.json().at("complete").get<bool>()) << saved.body;
  EXPECT_EQ(saved.json().at("application").at("answers").at("porteur_pitch"), "Dominique Fictif");

  auto submitted = client_->send(kj::HttpMethod::POST, "/v1/dossiers/dr-1/draft/submit",
                                 token("applicant-a"), "", {{"If-Match", "\"2\""}});
  ASSERT_EQ(submitted.status, 200u) << submitted.body;
  EXPECT_EQ(submitted.json().at("status"), "submitted");
  auto dossier = client_->get("/v1/dossiers/dr-1", token("applicant-a"));
  EXPECT_EQ(dossier.status, 200u) << dossier.body;
  EXPECT_EQ(client_->get("/v1/dossiers/dr-1/draft", token("applicant-a")).status, 404u);
}

TEST_F(DraftsServerTest, AnIdWithADraftIsSubmittedFromItAndARetryAnswersTheFirstResult) {
  ASSERT_EQ(put("dr-7", body(completeAnswers())).status, 201u);
  // Another applicant cannot take the id by submitting directly; nor does
  // the owner bypass the draft.
  auto other = client_->post("/v1/dossiers/dr-7/submit", token("applicant-b"),
                             body(completeAnswers()).dump());
  EXPECT_EQ(other.status, 409u) << other.body;
  EXPECT_NE(other.body.find("is taken"), std::string::npos) << other.body;
  auto bypass = client_->post("/v1/dossiers/dr-7/submit", token("applicant-a"),
                              body(completeAnswers()).dump());
  EXPECT_EQ(bypass.status, 409u) << bypass.body;
  EXPECT_NE(bypass.body.find("has a draft"), std::string::npos) << bypass.body;
  // Submitted with an idempotency key; the same key again answers the
  // first result, though the draft is gone.
  auto first = client_->send(kj::HttpMethod::POST, "/v1/dossiers/dr-7/draft/submit",
                             token("applicant-a"), "", {{"Idempotency-Key", "k-7"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  auto again = client_->send(kj::HttpMethod::POST, "/v1/dossiers/dr-7/draft/submit",
                             token("applicant-a"), "", {{"Idempotency-Key", "k-7"}});
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_TRUE(again.json().at("deduplicated").get<bool>());
  EXPECT_EQ(again.json().at("lastPosition"), first.json().at("lastPosition"));
}

TEST_F(DraftsServerTest, TwoTabsSavingTheSameVersionOneGets412) {
  ASSERT_EQ(put("dr-2", body()).status, 201u);
  HttpReply first, second;
  std::thread tabA([&] {
    HttpClient own(server_.httpAddress());
    auto b = body();
    b["application"]["summary"] = "tab A";
    first = own.send(kj::HttpMethod::PUT, "/v1/dossiers/dr-2/draft", token("applicant-a"),
                     b.dump(), {{"If-Match", "\"1\""}});
  });
  std::thread tabB([&] {
    HttpClient own(server_.httpAddress());
    auto b = body();
    b["application"]["summary"] = "tab B";
    second = own.send(kj::HttpMethod::PUT, "/v1/dossiers/dr-2/draft", token("applicant-a"),
                      b.dump(), {{"If-Match", "\"1\""}});
  });
  tabA.join();
  tabB.join();
  std::vector<unsigned> statuses = {first.status, second.status};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<unsigned>{200u, 412u})) << first.body << second.body;
  const HttpReply& refused = first.status == 412 ? first : second;
  EXPECT_EQ(refused.json().at("code"), "precondition_failed");
  // A save over an existing draft without If-Match is refused too.
  EXPECT_EQ(put("dr-2", body()).status, 412u);
}

TEST_F(DraftsServerTest, RolesAndOwnersAreCheckedFirst) {
  ASSERT_EQ(put("dr-3", body()).status, 201u);
  // Other applicants see no draft and cannot take the id.
  EXPECT_EQ(client_->get("/v1/dossiers/dr-3/draft", token("applicant-b")).status, 404u);
  EXPECT_EQ(put("dr-3", body(), "", "applicant-b").status, 409u);
  // An administrator reads any; jurors and integrators draft nothing.
  EXPECT_EQ(client_->get("/v1/dossiers/dr-3/draft", token("admin")).status, 200u);
  EXPECT_EQ(client_->get("/v1/dossiers/dr-3/draft", token("j1")).status, 403u);
  // Refused before the body is read: even a malformed one.
  EXPECT_EQ(put("dr-4", json("not a draft"), "", "integrator").status, 403u);
  EXPECT_EQ(client_->send(kj::HttpMethod::POST, "/v1/dossiers/dr-3/draft", token("applicant-a"))
                .status,
            405u);
  // Drafts are not in the log: the views at a position know no such dossier.
  EXPECT_EQ(client_->get("/v1/dossiers/dr-3/draft?at=1", token("applicant-a")).status, 404u);
}

TEST_F(DraftsServerTest, BadBodiesAndHeadersAreRefusedAndWriteNothing) {
  const std::uint64_t before = head();
  EXPECT_EQ(put("dr-5", json::array()).status, 400u);
  auto wrongType = put("dr-5", body({{"disponible_audition", "oui"}}));
  ASSERT_EQ(wrongType.status, 400u) << wrongType.body;
  EXPECT_EQ(wrongType.json().at("errors").at(0).at("pointer"), "/answers/disponible_audition");
  auto deep = std::string(200, '[') + std::string(200, ']');
  EXPECT_EQ(client_->send(kj::HttpMethod::PUT, "/v1/dossiers/dr-5/draft", token("applicant-a"), deep)
                .status,
            400u);
  EXPECT_EQ(put("dr-5", body(), "3").status, 400u);  // not a quoted ETag
  EXPECT_EQ(put("dr-5", body(), "\"3\"").status, 412u);  // no draft at that version
  auto other = body();
  other["campaignId"] = "no-such-call";
  EXPECT_EQ(put("dr-5", other).status, 404u);
  EXPECT_EQ(client_->get("/v1/dossiers/dr-5/draft", token("applicant-a")).status, 404u);
  EXPECT_EQ(head(), before);
}

TEST_F(DraftsServerTest, ADiscardedDraftIsGone) {
  ASSERT_EQ(put("dr-6", body()).status, 201u);
  EXPECT_EQ(client_->send(kj::HttpMethod::DELETE, "/v1/dossiers/dr-6/draft", token("applicant-a"),
                          "", {{"If-Match", "\"7\""}})
                .status,
            412u);
  EXPECT_EQ(client_->send(kj::HttpMethod::DELETE, "/v1/dossiers/dr-6/draft", token("applicant-a"))
                .status,
            204u);
  EXPECT_EQ(client_->get("/v1/dossiers/dr-6/draft", token("applicant-a")).status, 404u);
}

}  // namespace
}  // namespace parcours::testing
