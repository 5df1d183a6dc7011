// The timers through `parcours serve` (docs/timers.md): the scheduler
// closes a campaign's submissions by itself when its deadline passes, and
// after a restart catches up on what fell due while it was down; /v1/timers
// lists, moves and cancels them with the roles of the campaign's stream;
// /metrics counts them.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "server_process.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

class TimersServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    client_ = std::make_unique<HttpClient>(server_.httpAddress());
  }

  const std::string& token(const std::string& subject) { return server_.token(subject); }

  // Opens `id` with its deadline `secondsAhead` seconds from now (UTC).
  void openDueSoon(const std::string& id, int secondsAhead) {
    auto definition = futureCampaignDefinition(id);
    const std::time_t deadline = std::time(nullptr) + secondsAhead;
    std::tm utc{};
    gmtime_r(&deadline, &utc);
    char local[32];
    std::strftime(local, sizeof local, "%Y-%m-%dT%H:%M:%S", &utc);
    definition["deadline"]["local"] = local;
    definition["deadline"]["time_zone"] = "UTC";
    auto opened = client_->post("/v1/campaigns/" + id, token("admin"),
                                json{{"reason", "test"}, {"definition", definition}}.dump());
    ASSERT_EQ(opened.status, 200u) << opened.body;
  }

  std::string phaseOf(const std::string& id) {
    return client_->get("/v1/campaigns/" + id, token("admin")).json().value("phase", "");
  }

  bool waitForPhase(const std::string& id, const std::string& phase, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
      if (phaseOf(id) == phase) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  ServerProcess server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(TimersServerTest, TheSchedulerClosesSubmissionsWhenTheDeadlinePassesAndMetricsSaySo) {
  openDueSoon("soon", 2);
  auto listed = client_->get("/v1/timers?campaign=soon", token("admin"));
  ASSERT_EQ(listed.status, 200u) << listed.body;
  ASSERT_EQ(listed.json().at("timers").size(), 1u) << listed.body;
  const auto timer = listed.json().at("timers")[0];
  EXPECT_EQ(timer.at("timerId"), "campaign-soon:close-submissions:2");
  EXPECT_EQ(timer.at("action"), "close-submissions");
  EXPECT_EQ(phaseOf("soon"), "submissions");
  ASSERT_TRUE(waitForPhase("soon", "submissions_closed", std::chrono::seconds(20)));
  // Recorded by the timer, not by a person.
  auto audit = client_->get("/v1/campaigns/soon/audit", token("auditor")).json().at("entries");
  ASSERT_GE(audit.size(), 4u);
  EXPECT_EQ(audit[audit.size() - 2].at("eventType"), "TimerFired");
  EXPECT_EQ(audit.back().at("eventType"), "PhaseChanged");
  EXPECT_EQ(audit.back().at("actor"), "timer:campaign-soon:close-submissions:2");
  EXPECT_TRUE(client_->get("/v1/timers?campaign=soon", token("admin")).json().at("timers").empty());
  const std::string metrics = client_->get("/metrics", "").body;
  EXPECT_NE(metrics.find("parcours_timers_pending 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("parcours_timer_lag_seconds_count 1\n"), std::string::npos) << metrics;
}

TEST_F(TimersServerTest, WhatFellDueWhileTheServerWasDownFiresAtTheNextStart) {
  openDueSoon("downtime", 3);
  EXPECT_EQ(server_.stop(), 0);
  std::this_thread::sleep_for(std::chrono::seconds(5));  // the deadline passes while it is down
  client_.reset();  // one event loop per thread: the old client's goes first
  server_.start();
  client_ = std::make_unique<HttpClient>(server_.httpAddress());
  ASSERT_TRUE(waitForPhase("downtime", "submissions_closed", std::chrono::seconds(20)));
}

TEST_F(TimersServerTest, OnlyAdministratorsMoveOrCancelAndOnlyReadersOfTheCampaignList) {
  openDueSoon("rights", 3600);
  const std::string id = "campaign-rights:close-submissions:2";
  // Reads: the campaign's readers; every campaign's: those who read everything.
  EXPECT_EQ(client_->get("/v1/timers?campaign=rights", token("auditor")).status, 200u);
  EXPECT_EQ(client_->get("/v1/timers", token("instructor")).status, 200u);
  EXPECT_EQ(client_->get("/v1/timers", token("applicant-a")).status, 403u);
  EXPECT_EQ(client_->get("/v1/timers?campaign=rights", token("integrator")).status, 403u);
  EXPECT_EQ(client_->get("/v1/timers?at=1", token("admin")).status, 400u);
  EXPECT_EQ(client_->get("/v1/timers?limit=5000", token("admin")).status, 400u);
  // Writes: administrators, with a reason; refused before the body is read.
  const std::string body = json{{"reason", "prolongé"}, {"to", "2099-01-01T12:00:00Z"}}.dump();
  EXPECT_EQ(client_->post("/v1/timers/" + id + "/reschedule", token("instructor"), body).status,
            403u);
  EXPECT_EQ(client_->post("/v1/timers/" + id + "/reschedule", token("admin"),
                          json{{"to", "2099-01-01T12:00:00Z"}}.dump())
                .status,
            400u);
  EXPECT_EQ(client_->post("/v1/timers/" + id + "/reschedule", token("admin"),
                          json{{"reason", "r"}, {"to", "2001-01-01T12:00:00Z"}}.dump())
                .status,
            400u);
  EXPECT_EQ(client_->post("/v1/timers/nonsense/cancel", token("admin"), R"({"reason": "r"})").status,
            400u);
  EXPECT_EQ(client_->post("/v1/timers/campaign-nope:close-submissions:2/cancel", token("admin"),
                          R"({"reason": "r"})")
                .status,
            404u);
  EXPECT_EQ(client_->post("/v1/timers/" + id + "/snooze", token("admin"), R"({"reason": "r"})").status,
            404u);
  auto moved = client_->post("/v1/timers/" + id + "/reschedule", token("admin"), body);
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.json().value("status", ""), "pending");
  auto listed = client_->get("/v1/timers?campaign=rights", token("admin")).json();
  EXPECT_EQ(listed.at("timers")[0].at("due"), "2099-01-01T12:00:00+00:00");
  // The campaign's deadline moved with it.
  EXPECT_EQ(client_->get("/v1/campaigns/rights", token("admin")).json().value("deadline", ""),
            "2099-01-01T11:59:59+00:00");
  auto cancelled =
      client_->post("/v1/timers/" + id + "/cancel", token("admin"), R"({"reason": "fermé à la main"})");
  ASSERT_EQ(cancelled.status, 200u) << cancelled.body;
  EXPECT_EQ(cancelled.json().value("status", ""), "cancelled");
  auto again =
      client_->post("/v1/timers/" + id + "/cancel", token("admin"), R"({"reason": "encore"})");
  EXPECT_EQ(again.status, 422u) << again.body;
}

// A statutory delay over HTTP: the dossier's view shows when its decision
// is deemed taken, its applicant and the campaign's readers list its
// timers, another applicant does not see them, and a move takes the
// warning along.
TEST_F(TimersServerTest, ADossiersStatutoryDelayIsInItsViewAndListedForWhoMayReadIt) {
  auto definition = futureCampaignDefinition("delayed");
  definition["statutory_delay"] = {{"months", 2},
                                   {"outcome", "refused"},
                                   {"legal_basis", "CRPA, art. L231-4"},
                                   {"warn_days_before", 7}};
  auto opened = client_->post("/v1/campaigns/delayed", token("admin"),
                              json{{"reason", "test"}, {"definition", definition}}.dump());
  ASSERT_EQ(opened.status, 200u) << opened.body;
  auto submitted =
      client_->post("/v1/dossiers/late-d1/submit", token("applicant-a"), submissionBody("delayed"));
  ASSERT_EQ(submitted.status, 200u) << submitted.body;

  auto view = client_->get("/v1/dossiers/late-d1", token("applicant-a"));
  ASSERT_EQ(view.status, 200u) << view.body;
  const json timers = view.json().at("timers");
  ASSERT_EQ(timers.size(), 2u) << view.body;
  EXPECT_EQ(timers[0].at("action"), "warn-deemed-decision") << "in due order";
  EXPECT_EQ(timers[1].at("timerId"), "dossier-late-d1:deem-decision:2");
  EXPECT_EQ(timers[1].at("dossierId"), "late-d1");
  const std::string due = timers[1].at("due");
  EXPECT_EQ(due.substr(10, 9), "T00:00:00") << "the first instant of a day in Paris: " << due;
  EXPECT_TRUE(due.ends_with("+01:00") || due.ends_with("+02:00")) << due;

  auto listed = client_->get("/v1/timers?dossier=late-d1", token("applicant-a"));
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.json().at("timers").size(), 2u);
  EXPECT_EQ(client_->get("/v1/timers?dossier=late-d1", token("instructor")).status, 200u);
  EXPECT_EQ(client_->get("/v1/timers?dossier=late-d1", token("applicant-b")).status, 404u)
      << "another applicant's dossier does not exist for them";
  EXPECT_EQ(client_->get("/v1/timers?dossier=late-d1&campaign=delayed", token("admin")).status,
            400u);

  // Moved by an administrator: the warning follows, seven days before.
  const std::string deem = timers[1].at("timerId");
  const std::string moveTo = "2099-03-10T00:00:00+01:00";
  auto moved = client_->post("/v1/timers/" + deem + "/reschedule", token("admin"),
                             json{{"reason", "le demandeur a demandé un délai"}, {"to", moveTo}}.dump());
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.json().value("status", ""), "pending");
  EXPECT_EQ(moved.json().value("streamId", ""), "dossier-late-d1");
  const json after = client_->get("/v1/timers?dossier=late-d1", token("admin")).json().at("timers");
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].at("due"), "2099-03-03T00:00:00+01:00");
  EXPECT_EQ(after[1].at("due"), moveTo);
  // A decision ends the delay.
  auto ineligible = client_->post("/v1/dossiers/late-d1/ineligible", token("instructor"),
                                  R"({"reason": "hors périmètre"})");
  ASSERT_EQ(ineligible.status, 200u) << ineligible.body;
  EXPECT_TRUE(client_->get("/v1/dossiers/late-d1", token("admin")).json().at("timers").empty());
}

}  // namespace
}  // namespace parcours::testing
