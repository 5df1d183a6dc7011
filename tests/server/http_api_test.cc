// The HTTP/JSON API end to end, against `parcours serve` on a random
// loopback port: every endpoint, every role against every endpoint, and
// bad input of every kind with its status and problem body — and nothing
// written by a refused request.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "server_process.h"

namespace parcours::testing {
namespace {

using kj::HttpMethod;
using nlohmann::json;

class HttpApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServerProcess();
    server_->start();
  }
  static void TearDownTestSuite() {
    EXPECT_EQ(server_->stop(), 0);
    delete server_;
  }

  void SetUp() override { client_ = std::make_unique<HttpClient>(server_->httpAddress()); }

  const std::string& token(const std::string& subject) { return server_->token(subject); }

  // A campaign of its own for each test, open until 2099, with jurors j1, j2.
  std::string openCampaign() {
    const std::string id = "c-" + std::to_string(++campaigns_);
    auto opened = client_->post(
        "/v1/campaigns/" + id, token("admin"),
        json{{"reason", "test"}, {"definition", futureCampaignDefinition(id)}}.dump());
    EXPECT_EQ(opened.status, 200u) << opened.body;
    auto jury = client_->send(HttpMethod::PUT, "/v1/campaigns/" + id + "/jury", token("admin"),
                              R"({"members": [{"id": "j1", "name": "Juror One", "role": "juror"},
                                              {"id": "j2", "name": "Juror Two", "role": "juror"}]})");
    EXPECT_EQ(jury.status, 200u) << jury.body;
    return id;
  }

  std::string submit(const std::string& campaign, const std::string& as = "admin") {
    const std::string id = "d-" + std::to_string(++dossiers_);
    auto reply =
        client_->post("/v1/dossiers/" + id + "/submit", token(as), submissionBody(campaign));
    EXPECT_EQ(reply.status, 200u) << reply.body;
    return id;
  }

  std::uint64_t head() {
    auto page = client_->get("/v1/events?from=999999999", token("admin"));
    return std::stoull(page.json().at("head").get<std::string>());
  }

  void expectProblem(const HttpReply& reply, unsigned status, const std::string& code) {
    EXPECT_EQ(reply.status, status) << reply.body;
    EXPECT_EQ(reply.contentType, "application/problem+json") << reply.body;
    auto body = reply.json();
    EXPECT_EQ(body.value("status", 0u), status) << reply.body;
    EXPECT_EQ(body.value("code", ""), code) << reply.body;
    EXPECT_FALSE(body.value("detail", "").empty()) << reply.body;
    EXPECT_EQ(body.value("type", ""), "https://parcours.dev/problems/" + code) << reply.body;
  }

  static ServerProcess* server_;
  static std::atomic<int> campaigns_;
  static std::atomic<int> dossiers_;
  std::unique_ptr<HttpClient> client_;
};

ServerProcess* HttpApiTest::server_ = nullptr;
std::atomic<int> HttpApiTest::campaigns_{0};
std::atomic<int> HttpApiTest::dossiers_{0};

TEST_F(HttpApiTest, ADossierGoesThroughTheWholeWorkflowAndEveryReadShowsIt) {
  const std::string c = openCampaign();
  const std::string d = submit(c);
  auto step = [&](const std::string& action, const std::string& body, const std::string& as,
                  const std::string& status) {
    auto reply = client_->post("/v1/dossiers/" + d + "/" + action, token(as), body);
    ASSERT_EQ(reply.status, 200u) << action << ": " << reply.body;
    EXPECT_EQ(reply.json().at("status"), status) << action;
    EXPECT_EQ(reply.json().at("streamId"), "dossier-" + d);
  };
  step("eligible", R"({"reason": "complete"})", "instructor", "eligible");
  step("audition", R"({"slot": "2030-01-10T10:00:00+01:00"})", "instructor", "eligible");
  step("audition-held", "{}", "instructor", "auditioned");
  const std::string scores =
      R"({"scores": [{"criterionId": "innovation", "value": 8}, {"criterionId": "users", "value": 7},
          {"criterionId": "reproducibility", "value": 9}, {"criterionId": "mutualisation", "value": 6},
          {"criterionId": "efficiency_sobriety", "value": 8}]})";
  step("score", scores, "j1", "auditioned");
  step("score", scores, "j2", "auditioned");
  step("close-scoring", "{}", "instructor", "scored");
  step("vote", R"({"choice": "yes"})", "j1", "scored");
  step("vote", R"({"choice": "yes"})", "j2", "scored");
  step("close-vote", "{}", "instructor", "voted");
  auto awarded = client_->post("/v1/dossiers/" + d + "/award", token("admin"),
                               R"({"amountCents": 0, "reason": "label"})");
  ASSERT_EQ(awarded.status, 200u) << awarded.body;
  // The views follow the log: reads name the write they must reflect.
  const std::string after = "?minPosition=" + awarded.json().at("lastPosition").get<std::string>();

  auto dossier = client_->get("/v1/dossiers/" + d + after, token("auditor"));
  ASSERT_EQ(dossier.status, 200u) << dossier.body;
  EXPECT_EQ(dossier.json().at("status"), "labelled");
  EXPECT_EQ(dossier.json().at("labelName"), "Territoire Innovant");
  EXPECT_EQ(dossier.json().at("meanMilli"), 7600);

  auto timeline = client_->get("/v1/dossiers/" + d + "/timeline" + after, token("admin"));
  ASSERT_EQ(timeline.status, 200u);
  auto entries = timeline.json().at("entries");
  ASSERT_EQ(entries.size(), 11u) << timeline.body;  // a label without money: no grant
  EXPECT_EQ(entries[1].at("actor"), "instructor");  // the token's subject, not the body's
  EXPECT_EQ(entries[1].at("reason"), "complete");
  EXPECT_EQ(entries[4].at("actor"), "j1");

  auto audit = client_->get("/v1/dossiers/" + d + "/audit", token("auditor"));
  ASSERT_EQ(audit.status, 200u);
  EXPECT_EQ(audit.json().at("entries").size(), 11u);
  auto csv = client_->get("/v1/dossiers/" + d + "/audit?format=csv", token("auditor"));
  EXPECT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.contentType, "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("LabelAwarded"), std::string::npos);

  auto campaign = client_->get("/v1/campaigns/" + c + after, token("admin"));
  ASSERT_EQ(campaign.status, 200u);
  EXPECT_EQ(campaign.json().at("dossiers"), "1");
  auto list = client_->get("/v1/campaigns", token("applicant-a"));
  ASSERT_EQ(list.status, 200u);
  EXPECT_FALSE(list.json().at("campaigns").empty());
  auto stats = client_->get("/v1/campaigns/" + c + "/stats" + after, token("instructor"));
  ASSERT_EQ(stats.status, 200u);
  EXPECT_EQ(stats.json().at("byStatus")[0], (json{{"key", "labelled"}, {"count", "1"}}));
  auto leaderboard = client_->get("/v1/campaigns/" + c + "/leaderboard", token("j1"));
  ASSERT_EQ(leaderboard.status, 200u) << leaderboard.body;
  EXPECT_EQ(leaderboard.json().at("entries")[0].at("dossierId"), d);
  auto budget = client_->get("/v1/campaigns/" + c + "/budget", token("auditor"));
  EXPECT_EQ(budget.status, 200u);
  // The rules in force are public to every role, as a call's text is.
  auto rules = client_->get("/v1/campaigns/" + c + "/rules", token("integrator"));
  ASSERT_EQ(rules.status, 200u) << rules.body;
  EXPECT_EQ(rules.json().at("rulesVersion"), 1);
  EXPECT_FALSE(rules.json().at("rules").at("criteria").empty());
  EXPECT_EQ(client_->get("/v1/campaigns/no-such/rules", token("integrator")).status, 404u);
  auto campaignAudit = client_->get("/v1/campaigns/" + c + "/audit?limit=3", token("auditor"));
  ASSERT_EQ(campaignAudit.status, 200u);
  EXPECT_EQ(campaignAudit.json().at("entries").size(), 3u);

  auto page = client_->get("/v1/dossiers?campaign=" + c + "&status=labelled", token("admin"));
  ASSERT_EQ(page.status, 200u);
  ASSERT_EQ(page.json().at("dossiers").size(), 1u);
  EXPECT_EQ(page.json().at("dossiers")[0].at("dossierId"), d);
  auto none = client_->get("/v1/dossiers?campaign=" + c + "&status=submitted", token("admin"));
  EXPECT_TRUE(none.json().at("dossiers").empty());
  auto search = client_->get("/v1/dossiers?q=COMMUNE%20DE%20TEST&campaign=" + c, token("admin"));
  EXPECT_EQ(search.json().at("dossiers").size(), 1u) << search.body;

  auto events =
      client_->get("/v1/events?from=1&limit=1000&stream=dossier-" + d, token("integrator"));
  ASSERT_EQ(events.status, 200u);
  auto list2 = events.json().at("events");
  ASSERT_EQ(list2.size(), 11u);
  EXPECT_EQ(list2[0].at("type"), "DossierSubmitted");
  EXPECT_EQ(list2[0].at("body").at("dossier").at("dossierSubmitted").at("application").at("title"),
            "Projet");
  auto votes =
      client_->get("/v1/events?from=1&limit=1000&type=VoteCast&campaign=" + c, token("auditor"));
  EXPECT_EQ(votes.json().at("events").size(), 2u) << votes.body;
}

// Seed 002: "Ce Label offre une reconnaissance et une visibilité nationale":
// the laureates are public, without a token, once published and never
// before; no personal data in them.
TEST_F(HttpApiTest, TheLaureatesArePublicOnceThePublicationIsRecordedAndNeverBefore) {
  const std::string c = openCampaign();
  const std::string d = submit(c);
  auto step = [&](const std::string& action, const std::string& body, const std::string& as) {
    auto reply = client_->post("/v1/dossiers/" + d + "/" + action, token(as), body);
    ASSERT_EQ(reply.status, 200u) << action << ": " << reply.body;
  };
  step("eligible", "{}", "instructor");
  step("audition", R"({"slot": "2030-01-10T10:00:00+01:00"})", "instructor");
  step("audition-held", "{}", "instructor");
  const std::string scores =
      R"({"scores": [{"criterionId": "innovation", "value": 8}, {"criterionId": "users", "value": 7},
          {"criterionId": "reproducibility", "value": 9}, {"criterionId": "mutualisation", "value": 6},
          {"criterionId": "efficiency_sobriety", "value": 8}]})";
  step("score", scores, "j1");
  step("score", scores, "j2");
  step("close-scoring", "{}", "instructor");
  step("vote", R"({"choice": "yes"})", "j1");
  step("vote", R"({"choice": "yes"})", "j2");
  step("close-vote", "{}", "instructor");
  const std::string path = "/public/v1/campaigns/" + c + "/laureates";
  expectProblem(client_->get(path, ""), 404, "not_found");  // just before: nothing
  auto early = client_->post("/v1/campaigns/" + c + "/milestones", token("admin"),
                             R"({"kind": "publication"})");
  EXPECT_EQ(early.status, 422u) << early.body;  // still taking submissions
  EXPECT_EQ(client_->post("/v1/campaigns/" + c + "/phase", token("admin"),
                          R"({"phase": "deliberation"})")
                .status,
            200u);
  expectProblem(client_->post("/v1/campaigns/" + c + "/milestones", token("instructor"),
                              R"({"kind": "publication"})"),
                403, "forbidden");
  expectProblem(client_->post("/v1/campaigns/" + c + "/milestones", token("admin"),
                              R"({"kind": "fireworks"})"),
                400, "invalid_input");
  expectProblem(client_->get(path, ""), 404, "not_found");
  auto published = client_->post("/v1/campaigns/" + c + "/milestones", token("admin"),
                                 R"({"kind": "publication", "reason": "jury's decision"})");
  ASSERT_EQ(published.status, 200u) << published.body;
  const std::string after = "?minPosition=" + published.json().at("lastPosition").get<std::string>();
  auto list = client_->get(path, "");
  ASSERT_EQ(list.status, 200u) << list.body;
  ASSERT_EQ(list.json().at("laureates").size(), 1u) << list.body;
  EXPECT_EQ(list.json().at("laureates")[0].at("dossierId"), d);
  EXPECT_EQ(list.json().at("laureates")[0].at("territoryKind"), "Commune");
  EXPECT_EQ(list.body.find("@"), std::string::npos) << "no e-mail, nothing personal";
  auto csv = client_->get(path + "?format=csv", "");
  ASSERT_EQ(csv.status, 200u);
  EXPECT_EQ(csv.body.rfind("dossier_id,territory,territory_kind,title,label,strands,granted_eur\r\n", 0),
            0u)
      << csv.body;
  auto page = client_->get(path + ".html", "");
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_NE(page.body.find("1 lauréat"), std::string::npos) << page.body;
  (void)after;
  auto again = client_->post("/v1/campaigns/" + c + "/milestones", token("admin"),
                             R"({"kind": "publication"})");
  EXPECT_EQ(again.status, 409u) << again.body;
  expectProblem(client_->get("/public/v1/campaigns/no-such/laureates", ""), 404, "not_found");
  EXPECT_EQ(client_->post(path, "", "{}").status, 405u);
}

TEST_F(HttpApiTest, ReadsAsOfAPastPositionShowTheViewsAsTheyStoodThen) {
  const std::string c = openCampaign();
  const std::string d = submit(c, "applicant-a");
  auto eligible = client_->post("/v1/dossiers/" + d + "/eligible", token("instructor"),
                                R"({"reason": "complete"})");
  ASSERT_EQ(eligible.status, 200u) << eligible.body;
  const std::string position = eligible.json().at("lastPosition").get<std::string>();
  auto withdrawn = client_->post("/v1/dossiers/" + d + "/withdraw", token("applicant-a"),
                                       R"({"reason": "changed our mind"})");
  ASSERT_EQ(withdrawn.status, 200u) << withdrawn.body;
  const std::string after = "?minPosition=" + withdrawn.json().at("lastPosition").get<std::string>();
  EXPECT_EQ(client_->get("/v1/dossiers/" + d + after, token("admin")).json().at("status"),
            "withdrawn");
  // As it stood once eligible: the dossier, its timeline, the campaign's list and stats.
  auto then = client_->get("/v1/dossiers/" + d + "?at=" + position, token("admin"));
  ASSERT_EQ(then.status, 200u) << then.body;
  EXPECT_EQ(then.json().at("status"), "eligible");
  auto timeline = client_->get("/v1/dossiers/" + d + "/timeline?at=" + position, token("admin"));
  ASSERT_EQ(timeline.status, 200u) << timeline.body;
  EXPECT_EQ(timeline.json().at("entries").size(), 2u);
  auto list = client_->get("/v1/dossiers?campaign=" + c + "&at=" + position, token("admin"));
  ASSERT_EQ(list.status, 200u) << list.body;
  EXPECT_EQ(list.json().at("dossiers").at(0).at("status"), "eligible");
  auto stats = client_->get("/v1/campaigns/" + c + "/stats?at=" + position, token("admin"));
  ASSERT_EQ(stats.status, 200u) << stats.body;
  EXPECT_EQ(stats.json().at("byStatus")[0], (json{{"key", "eligible"}, {"count", "1"}}));
  // Before the campaign existed, and an instant before any event.
  expectProblem(client_->get("/v1/campaigns/" + c + "?as_of=2000-01-01T00:00:00Z", token("admin")),
                404, "not_found");
  // Bad values, future positions, writes and the event log refuse it.
  expectProblem(client_->get("/v1/dossiers/" + d + "?at=abc", token("admin")), 400,
                "invalid_input");
  expectProblem(client_->get("/v1/dossiers/" + d + "?at=999999999", token("admin")), 404,
                "not_found");
  expectProblem(client_->get("/v1/dossiers/" + d + "?as_of=yesterday", token("admin")), 400,
                "invalid_input");
  expectProblem(client_->get("/v1/events?at=1", token("admin")), 400, "invalid_input");
  expectProblem(client_->post("/v1/dossiers/" + d + "/eligible?at=1", token("instructor"), "{}"),
                400, "invalid_input");
  // Roles still apply: an applicant reads only its own dossier, then too
  // (another's is one that does not exist).
  expectProblem(client_->get("/v1/dossiers/" + d + "?at=" + position, token("applicant-b")), 404,
                "not_found");
}

TEST_F(HttpApiTest, OperationsEndpointsNeedNoToken) {
  EXPECT_EQ(client_->get("/healthz", "").status, 200u);
  EXPECT_EQ(client_->get("/readyz", "").status, 200u);
  auto metrics = client_->get("/metrics", "");
  EXPECT_EQ(metrics.status, 200u);
  for (const char* name : {"parcours_appends_total", "parcours_append_batch_requests_bucket",
                           "parcours_fsync_seconds_bucket", "parcours_command_seconds_bucket",
                           "parcours_subscribers", "parcours_projection_lag_events"}) {
    EXPECT_NE(metrics.body.find(name), std::string::npos) << name;
  }
  auto openapi = client_->get("/v1/openapi.json", "");
  EXPECT_EQ(openapi.status, 200u);
  EXPECT_EQ(openapi.json().at("openapi"), "3.0.3");
  auto dashboard = client_->get("/", "");
  EXPECT_EQ(dashboard.status, 200u);
  EXPECT_EQ(dashboard.contentType, "text/html; charset=utf-8");
  EXPECT_EQ(client_->get("/app.js", "").status, 200u);
  expectProblem(client_->get("/nothing-here", ""), 404, "not_found");
}

TEST_F(HttpApiTest, NoTokenOrAnUnknownTokenIs401AndWritesNothing) {
  const std::string c = openCampaign();
  const std::uint64_t before = head();
  expectProblem(client_->get("/v1/campaigns", ""), 401, "unauthenticated");
  expectProblem(client_->get("/v1/campaigns", "not-a-token"), 401, "unauthenticated");
  expectProblem(client_->post("/v1/dossiers/x-1/submit", "", submissionBody(c)), 401,
                "unauthenticated");
  expectProblem(client_->post("/v1/dossiers/x-1/submit", "wrong", submissionBody(c)), 401,
                "unauthenticated");
  expectProblem(client_->send(HttpMethod::GET, "/v1/campaigns", "", "",
                              {{"Authorization", "Basic YWRtaW46YWRtaW4="}}),
                401, "unauthenticated");
  EXPECT_EQ(head(), before);
}

// Which roles may call each endpoint. A refused role gets 403 and nothing is
// written; an allowed one is not refused for its role (the workflow may
// still say no, with 409 or 422).
TEST_F(HttpApiTest, EveryRoleIsCheckedOnEveryEndpoint) {
  const std::string c = openCampaign();
  const std::string d = submit(c, "applicant-a");
  struct Endpoint {
    HttpMethod method;
    std::string path;
    std::string body;
    std::vector<std::string> allowed;  // subjects
  };
  const std::vector<std::string> everyone = {"admin",   "instructor", "j1",          "j2",
                                             "auditor", "integrator", "applicant-a", "applicant-b"};
  const std::vector<Endpoint> endpoints = {
      {HttpMethod::GET,
       "/v1/campaigns",
       "",
       {"admin", "instructor", "j1", "j2", "auditor", "applicant-a", "applicant-b"}},
      {HttpMethod::GET,
       "/v1/campaigns/" + c,
       "",
       {"admin", "instructor", "j1", "j2", "auditor", "applicant-a", "applicant-b"}},
      {HttpMethod::GET,
       "/v1/campaigns/" + c + "/stats",
       "",
       {"admin", "instructor", "j1", "j2", "auditor"}},
      {HttpMethod::GET,
       "/v1/campaigns/" + c + "/leaderboard",
       "",
       {"admin", "instructor", "j1", "j2", "auditor"}},
      {HttpMethod::GET,
       "/v1/campaigns/" + c + "/budget",
       "",
       {"admin", "instructor", "j1", "j2", "auditor"}},
      {HttpMethod::GET,
       "/v1/campaigns/" + c + "/audit",
       "",
       {"admin", "instructor", "j1", "j2", "auditor"}},
      {HttpMethod::GET, "/v1/dossiers", "", {"admin", "instructor", "auditor"}},
      {HttpMethod::GET,
       "/v1/dossiers?campaign=" + c,
       "",
       {"admin", "instructor", "j1", "j2", "auditor"}},
      {HttpMethod::GET,
       "/v1/dossiers/" + d,
       "",
       {"admin", "instructor", "j1", "j2", "auditor", "applicant-a"}},
      {HttpMethod::GET,
       "/v1/dossiers/" + d + "/timeline",
       "",
       {"admin", "instructor", "j1", "j2", "auditor", "applicant-a"}},
      {HttpMethod::GET,
       "/v1/dossiers/" + d + "/audit",
       "",
       {"admin", "instructor", "j1", "j2", "auditor", "applicant-a"}},
      {HttpMethod::GET, "/v1/events", "", {"admin", "auditor", "integrator"}},
      {HttpMethod::POST, "/v1/campaigns/" + c + "/phase", R"({"phase": "submissions"})", {"admin"}},
      {HttpMethod::POST,
       "/v1/campaigns/" + c + "/budget",
       R"({"envelopeCents": "100"})",
       {"admin"}},
      {HttpMethod::POST,
       "/v1/campaigns/" + c + "/conflicts",
       R"({"jurorId": "j2", "dossierId": "zz"})",
       {"admin"}},
      {HttpMethod::PUT, "/v1/campaigns/" + c + "/jury", R"({"members": []})", {"admin"}},
      {HttpMethod::POST,
       "/v1/dossiers/" + d + "/not-selected",
       R"({"reason": "r"})",
       {"admin", "instructor"}},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/close-vote", "{}", {"admin", "instructor"}},
      {HttpMethod::POST,
       "/v1/dossiers/" + d + "/score",
       R"({"scores": [{"criterionId": "innovation", "value": 1}]})",
       {"admin", "j1", "j2"}},
      {HttpMethod::POST,
       "/v1/dossiers/" + d + "/vote",
       R"({"choice": "no"})",
       {"admin", "j1", "j2"}},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/withdraw", "{}", {"admin", "applicant-a"}},
      {HttpMethod::POST,
       "/v1/dossiers/new-x/submit",
       submissionBody(c),
       {"admin", "applicant-a", "applicant-b"}},
  };
  for (const Endpoint& e : endpoints) {
    for (const std::string& who : everyone) {
      const bool allowed = std::find(e.allowed.begin(), e.allowed.end(), who) != e.allowed.end();
      const std::uint64_t before = head();
      // Writes by an allowed role are checked for their role only: run them
      // against a dossier in a state where the workflow refuses (422), so
      // each role sees the same state.
      if (allowed && e.method != HttpMethod::GET) continue;
      auto reply = client_->send(e.method, e.path, token(who), e.body);
      if (allowed) {
        EXPECT_EQ(reply.status, 200u) << who << " " << e.path << ": " << reply.body;
      } else {
        SCOPED_TRACE(who + " " + e.path);
        // To another applicant, the dossier is one that does not exist.
        const bool othersDossier = who == "applicant-b" &&
                                   e.path.rfind("/v1/dossiers/" + d, 0) == 0 &&
                                   (e.method == HttpMethod::GET || e.path.ends_with("/withdraw"));
        if (othersDossier) {
          expectProblem(reply, 404, "not_found");
        } else {
          expectProblem(reply, 403, "forbidden");
        }
        EXPECT_EQ(head(), before) << who << " " << e.path;
      }
    }
  }
  // The allowed writers are let through: the workflow answers (here 422,
  // the dossier is not at that step), not the role check.
  for (const char* who : {"admin", "instructor"}) {
    auto reply = client_->post("/v1/dossiers/" + d + "/close-vote", token(who), "{}");
    expectProblem(reply, 422, "refused_by_rule");
  }
  auto score = client_->post("/v1/dossiers/" + d + "/score", token("j1"),
                             R"({"scores": [{"criterionId": "innovation", "value": 1}]})");
  expectProblem(score, 422, "refused_by_rule");
}

TEST_F(HttpApiTest, JurorsActOnlyAsThemselvesAndApplicantsOnlyOnTheirOwnDossiers) {
  const std::string c = openCampaign();
  const std::string mine = submit(c, "applicant-a");
  const std::uint64_t before = head();
  expectProblem(
      client_->post("/v1/dossiers/" + mine + "/score", token("j1"),
                    R"({"jurorId": "j2", "scores": [{"criterionId": "innovation", "value": 1}]})"),
      403, "forbidden");
  expectProblem(client_->post("/v1/dossiers/" + mine + "/vote", token("j2"),
                              R"({"voterId": "j1", "choice": "yes"})"),
                403, "forbidden");
  // To another applicant, the dossier does not exist.
  expectProblem(client_->get("/v1/dossiers/" + mine, token("applicant-b")), 404, "not_found");
  expectProblem(client_->post("/v1/dossiers/" + mine + "/withdraw", token("applicant-b"), "{}"),
                404, "not_found");
  EXPECT_EQ(head(), before);
  auto withdrawn = client_->post("/v1/dossiers/" + mine + "/withdraw", token("applicant-a"),
                                 R"({"reason": "changed our plans"})");
  ASSERT_EQ(withdrawn.status, 200u) << withdrawn.body;
  EXPECT_EQ(withdrawn.json().at("status"), "withdrawn");
  // A juror of another campaign's jury reads nothing of this one.
  const std::string other = openCampaign();
  client_->send(HttpMethod::PUT, "/v1/campaigns/" + other + "/jury", token("admin"),
                R"({"members": [{"id": "someone", "name": "S", "role": "juror"}]})");
  expectProblem(client_->get("/v1/campaigns/" + other + "/stats", token("j1")), 403, "forbidden");
}

TEST_F(HttpApiTest, BadInputGetsASpecificProblemAndWritesNothing) {
  const std::string c = openCampaign();
  const std::string d = submit(c);
  const std::string admin = token("admin");
  struct Case {
    HttpMethod method;
    std::string path;
    std::string body;
    unsigned status;
    std::string code;
    std::string detailHas;
  };
  const std::string huge((1u << 20) + 10, 'x');  // the server's limit is 1 MiB
  const std::vector<Case> cases = {
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", "{", 400, "invalid_input",
       "not valid JSON"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", "[1, 2]", 400, "invalid_input",
       "JSON object"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", "", 400, "invalid_input",
       "not valid JSON"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", R"({"reason": 12})", 400,
       "invalid_input", "reason"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", R"({"bogus": true})", 400,
       "invalid_input", "bogus"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", "{\"reason\": \"\xff\xfe\"}", 400,
       "invalid_input", "UTF-8"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/ineligible", "{}", 400, "invalid_input", "reason"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/award", R"({"amountCents": "lots"})", 400,
       "invalid_input", "amountCents"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/award", R"({"amountCents": -5})", 400,
       "invalid_input", "negative"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/audition", R"({"slot": "next tuesday"})", 400,
       "invalid_input", "slot"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/audition", R"({"slot": 12})", 400, "invalid_input",
       "slot"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/audition",
       R"({"slot": "2030-01-10T10:00:00+01:00", "roundID": "r1"})", 400, "invalid_input",
       "roundID: unknown field"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/vote", R"({"choice": "maybe"})", 400,
       "invalid_input", "maybe"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/score", R"({"scores": "eight"})", 400,
       "invalid_input", "scores: Expected list value"},
      {HttpMethod::POST, "/v1/dossiers/bad%20id!/eligible", "{}", 400, "invalid_input", "dossier"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/teleport", "{}", 404, "not_found", "teleport"},
      {HttpMethod::POST, "/v1/dossiers/nobody/eligible", "{}", 404, "not_found", "nobody"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/submit", submissionBody(c), 409, "conflict",
       "already exists"},
      {HttpMethod::POST, "/v1/dossiers/late-1/submit", submissionBody("label-none"), 404,
       "not_found", "label-none"},
      {HttpMethod::POST, "/v1/dossiers/x-2/submit",
       R"({"campaignId": ")" + c + R"(", "application": {"applicantKind": "Not A Kind!"}})", 400,
       "invalid_input", "applicantKind"},
      {HttpMethod::POST, "/v1/dossiers/x-3/submit",
       R"({"campaignId": ")" + c + R"(", "application": {"contact": {"email": "nope"}}})", 400,
       "invalid_input", "e-mail"},
      {HttpMethod::POST, "/v1/dossiers/x-4/submit",
       R"({"campaignId": ")" + c + R"(", "application": {"title": "t", "strands": ["9"]}})", 422,
       "refused_by_rule", "strand"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/close-vote", "{}", 422, "refused_by_rule",
       "cannot close vote"},
      {HttpMethod::POST, "/v1/dossiers/" + d + "/eligible", huge, 413, "too_large", "1048576"},
      {HttpMethod::POST, "/v1/campaigns/" + c, R"({"definition": {"id": ")" + c + R"("}})", 400,
       "invalid_input", "definition"},
      {HttpMethod::POST, "/v1/campaigns/other-id",
       json{{"definition", futureCampaignDefinition(c)}}.dump(), 400, "invalid_input",
       "is not the campaign"},
      {HttpMethod::POST, "/v1/campaigns/" + c,
       json{{"definition", futureCampaignDefinition(c)}}.dump(), 409, "conflict", ""},
      {HttpMethod::POST, "/v1/campaigns/" + c + "/phase", R"({"phase": "lunch"})", 400,
       "invalid_input", "phase"},
      {HttpMethod::PUT, "/v1/campaigns/" + c + "/jury",
       R"({"members": [{"id": "j9", "role": "king"}]})", 400, "invalid_input", "members"},
      {HttpMethod::DELETE, "/v1/dossiers/" + d + "/eligible", "", 405, "method_not_allowed", ""},
      {HttpMethod::GET, "/v1/dossiers/nobody", "", 404, "not_found", "nobody"},
      {HttpMethod::GET, "/v1/campaigns/nothing/stats", "", 404, "not_found", "nothing"},
      {HttpMethod::GET, "/v1/dossiers?limit=0x10", "", 400, "invalid_input", "limit"},
      {HttpMethod::GET, "/v1/dossiers?limit=10001", "", 400, "invalid_input", "limit"},
      {HttpMethod::GET, "/v1/dossiers?status=sleeping", "", 400, "invalid_input", "sleeping"},
      {HttpMethod::GET, "/v1/events?from=-1", "", 400, "invalid_input", "from"},
      {HttpMethod::GET, "/v1/events?from=abc", "", 400, "invalid_input", "from"},
      {HttpMethod::GET, "/v1/events?type=NoSuchEvent", "", 400, "invalid_input", "NoSuchEvent"},
      {HttpMethod::GET, "/v1/events?campaign=not%20an%20id", "", 400, "invalid_input", "campaign"},
      {HttpMethod::GET, "/v1/events/stream?type=Nope", "", 400, "invalid_input", "Nope"},
      {HttpMethod::GET, "/v1/events/stream?from=x", "", 400, "invalid_input", "from"},
      {HttpMethod::GET, "/v1/dossiers/" + d + "/audit?format=pdf", "", 400, "invalid_input",
       "format"},
      {HttpMethod::GET, "/v1/dossiers/" + d + "?minPosition=x", "", 400, "invalid_input",
       "minPosition"},
      {HttpMethod::GET, "/v1/dossiers/" + d + "?minPosition=999999999", "", 503, "unavailable",
       "views"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.path + " " + k.body.substr(0, 80));
    const std::uint64_t before = head();
    HttpReply reply;
    try {
      reply = client_->send(k.method, k.path, admin, k.body);
    } catch (const kj::Exception& e) {
      ADD_FAILURE() << "the request failed: " << e.getDescription().cStr();
      client_->reconnect();
      continue;
    }
    // Refused before it was read, a large body leaves the connection unusable:
    // the server closes it after answering.
    if (k.body.size() > 65536) client_->reconnect();
    expectProblem(reply, k.status, k.code);
    EXPECT_NE(reply.json().value("detail", "").find(k.detailHas), std::string::npos) << reply.body;
    EXPECT_EQ(head(), before) << "a refused request wrote";
  }
  auto bad =
      client_->send(HttpMethod::GET, "/v1/events/stream", admin, "", {{"Last-Event-ID", "x"}});
  expectProblem(bad, 400, "invalid_input");
}

TEST_F(HttpApiTest, AnIdempotencyKeyReturnsTheFirstResultAndWritesOnce) {
  const std::string c = openCampaign();
  const std::vector<std::pair<std::string, std::string>> key = {
      {"Idempotency-Key", "submit-once-" + c}};
  auto first = client_->send(HttpMethod::POST, "/v1/dossiers/once-" + c + "/submit", token("admin"),
                             submissionBody(c), key);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_FALSE(first.json().at("deduplicated").get<bool>());
  const std::uint64_t after = head();
  auto again = client_->send(HttpMethod::POST, "/v1/dossiers/once-" + c + "/submit", token("admin"),
                             submissionBody(c), key);
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_TRUE(again.json().at("deduplicated").get<bool>());
  EXPECT_EQ(again.json().at("firstPosition"), first.json().at("firstPosition"));
  EXPECT_EQ(head(), after);
}

}  // namespace
}  // namespace parcours::testing
