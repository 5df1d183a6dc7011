// Decision replay: clean on real histories (both demo campaigns included),
// and each kind of forged decision — written straight into the store with a
// valid hash chain, so verify passes — flagged at its position.
#include "parcours/workflows/replay.h"

#include <capnp/any.h>
#include <capnp/message.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "demo_scenario.h"
#include "parcours/engine/log_verifier.h"
#include "parcours/workflows/domain_events.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
using ::testing::HasSubstr;


class ReplayTest : public WorkflowFixture {
 protected:
  void ok(const std::string& id, const DossierCommand& c, const std::string& actor = "instructor-1") {
    auto r = dossier(id, c, "because", actor);
    ASSERT_TRUE(r) << id << ": " << commandName(c) << ": " << r.error().message;
  }

  void scoreAll(const std::string& id, std::uint32_t value) {
    for (const char* juror : {"juror-1", "juror-2", "juror-3"}) {
      ok(id, cmd::RecordScore{juror, {{"innovation", value}, {"users", value}}}, juror);
    }
  }

  // L1 labelled, L2 below the threshold, L3 scored with no vote cast yet
  // (juror-2 recused); F1 granted €600 of the €1,000 envelope, F2 voted and waiting.
  void history() {
    openCampaign(kLabel, labelRules(), threeJurors());
    openCampaign(kFunding, fundingRules(), jurorsAndOfficials());
    for (const char* id : {"L1", "L2", "L3"}) submit(id, kLabel);
    clock_.advance(std::chrono::hours(24 * 30));
    ASSERT_TRUE(campaign(kLabel, campaign_command::DeclareConflict{"juror-2", "L3"}, "cousin"));
    ASSERT_TRUE(campaign(kLabel, campaign_command::RuleConflict{"juror-2", "L3", true, {}}, "upheld"));
    for (const char* id : {"L1", "L2", "L3"}) {
      ok(id, cmd::ConfirmEligibility{});
      ok(id, cmd::ScheduleAudition{engine::toMicros(parisTime("2020-06-23T14:00:00"))});
      ok(id, cmd::RecordAuditionHeld{});
    }
    scoreAll("L1", 9);
    ok("L1", cmd::CloseScoring{});
    for (const char* juror : {"juror-1", "juror-2", "juror-3"}) {
      ok("L1", cmd::CastVote{juror, VoteChoice::Yes}, juror);
    }
    ok("L1", cmd::CloseVote{});
    ok("L1", cmd::Award{0});
    scoreAll("L2", 3);
    ok("L2", cmd::CloseScoring{});
    for (const char* juror : {"juror-1", "juror-3"}) {
      ok("L3", cmd::RecordScore{juror, {{"innovation", 8}, {"users", 8}}}, juror);
    }
    ok("L3", cmd::CloseScoring{});

    clock_.set(parisTime("2020-05-20T09:00:00"));
    Application f = application("communaute_de_communes", 60000);
    f.strands = {"1"};
    submit("F1", kFunding, f);
    submit("F2", kFunding, f);
    for (const char* id : {"F1", "F2"}) {
      ok(id, cmd::ConfirmEligibility{});
      ok(id, cmd::RecordScore{"juror-1", {{"quality", 8}}}, "juror-1");
      ok(id, cmd::RecordScore{"juror-2", {{"quality", 7}}}, "juror-2");
      ok(id, cmd::CloseScoring{});
      ok(id, cmd::CastVote{"official-1", VoteChoice::Yes}, "official-1");
      ok(id, cmd::CastVote{"official-2", VoteChoice::Yes}, "official-2");
      ok(id, cmd::CloseVote{});
    }
    ok("F1", cmd::Award{60000});
  }

  ReplayReport replay(const ReplayScope& scope = {}) {
    auto views = Views::open(*log_, testLogger());
    EXPECT_TRUE(views) << views.error().message;
    auto report = replayLog(*log_, **views, scope);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : ReplayReport{};
  }

  // Appends a dossier event as a forger with store access would: a valid
  // append, so the hash chain covers it.
  template <typename Init>
  store::Position forge(const std::string& campaignId, const std::string& dossierId,
                        const char* type, Init init,
                        std::vector<store::StreamWrite> alsoCampaign = {}) {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<schema::DossierEvent>();
    e.setCampaignId(campaignId);
    e.setDossierId(dossierId);
    e.setRulesVersion(1);
    e.setReason("forged");
    init(e);
    store::AppendRequest request;
    request.streams.push_back({dossierStream(dossierId), store::ExpectedVersion::any(),
                               {{type, flattenMessage(message)}}});
    for (auto& w : alsoCampaign) request.streams.push_back(std::move(w));
    request.context.actor = "forger";
    request.context.recordedAtMicros = engine::toMicros(clock_.now()) + 1;
    auto r = log_->append(std::move(request));
    EXPECT_TRUE(r) << r.error().message;
    return r ? r->firstPosition : 0;
  }

  void expectVerifies() {
    auto report = engine::verifyLog(*log_);
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->intact) << report->problem;
  }

  void expectOneDivergenceAt(store::Position position, const std::string& dossierId,
                             const std::string& rulesSay) {
    const ReplayReport report = replay();
    ASSERT_EQ(report.divergences.size(), 1u);
    const Divergence& d = report.divergences[0];
    EXPECT_EQ(d.position, position);
    EXPECT_EQ(d.dossierId, dossierId);
    EXPECT_THAT(d.rulesSay, HasSubstr(rulesSay));
    EXPECT_THAT(d.recorded, HasSubstr("by forger"));
    // The same flag when only that dossier is replayed.
    const ReplayReport one = replay({"", dossierId});
    ASSERT_EQ(one.divergences.size(), 1u);
    EXPECT_EQ(one.divergences[0].position, position);
  }
};

TEST_F(ReplayTest, EveryDecisionOfAnHonestHistoryIsWhatTheRulesDecide) {
  history();
  const ReplayReport report = replay();
  for (const Divergence& d : report.divergences) {
    ADD_FAILURE() << d.position << " " << d.dossierId << " " << d.decision << ": " << d.rulesSay
                  << " / " << d.recorded;
  }
  EXPECT_EQ(report.eventsChecked, log_->head());
  EXPECT_GT(report.decisionsChecked, 40u);
  EXPECT_TRUE(replay({kLabel, ""}).divergences.empty());
  EXPECT_TRUE(replay({"", "F1"}).divergences.empty());
}

// A log written by an earlier parcours holds its events in the structs its
// schema had then: shorter, the fields added since absent (their zero
// defaults). Every payload rewritten in its canonical form (the trailing
// zero words dropped, as a writer of a shorter struct leaves them) still
// replays clean; a payload that says something else still diverges.
TEST_F(ReplayTest, PayloadsAnEarlierSchemaWroteReplayClean) {
  history();
  std::vector<store::RecordedEvent> events = allEvents();
  std::size_t shortened = 0;
  for (store::RecordedEvent& e : events) {
    auto canonical = readPayload<capnp::AnyStruct>(
        e.payload, e.eventType, [](capnp::AnyStruct::Reader root) -> Result<std::string> {
          // One segment: its table (count - 1, then its size in words),
          // then the canonical words.
          kj::Array<capnp::word> words = root.canonicalize();
          const std::uint32_t table[2] = {0, static_cast<std::uint32_t>(words.size())};
          return std::string(reinterpret_cast<const char*>(table), sizeof table) +
                 std::string(words.asChars().begin(), words.asChars().size());
        });
    ASSERT_TRUE(canonical) << canonical.error().message;
    if (*canonical != e.payload) ++shortened;
    e.payload = *canonical;
  }
  EXPECT_GT(shortened, 0u) << "canonical forms that differ from what this build writes";
  auto clean = replayEvents(events);
  ASSERT_TRUE(clean) << clean.error().message;
  EXPECT_TRUE(clean->divergences.empty())
      << clean->divergences.front().decision << ": " << clean->divergences.front().rulesSay;
  // The deadline of the first campaign's rules, altered: a divergence.
  auto altered = readPayload<schema::CampaignEvent>(
      events[0].payload, events[0].eventType, [](schema::CampaignEvent::Reader e) -> Result<std::string> {
        capnp::MallocMessageBuilder message;
        message.setRoot(e);
        message.getRoot<schema::CampaignEvent>().getCampaignOpened().getRules().setDeadlineMicros(1);
        return flattenMessage(message);
      });
  ASSERT_TRUE(altered);
  events[0].payload = *altered;
  auto flagged = replayEvents(events);
  ASSERT_TRUE(flagged);
  EXPECT_FALSE(flagged->divergences.empty());
}

TEST_F(ReplayTest, BothDemoCampaignsReplayClean) {
  auto outcome = demo::runDemoScenario(*log_, {}, [](const std::string&) {});
  ASSERT_TRUE(outcome) << outcome.error().message;
  const ReplayReport report = replay();
  EXPECT_TRUE(report.divergences.empty())
      << report.divergences.size() << " divergences, first at "
      << (report.divergences.empty() ? 0 : report.divergences[0].position) << ": "
      << (report.divergences.empty() ? "" : report.divergences[0].rulesSay);
  EXPECT_EQ(report.eventsChecked, log_->head());
}

TEST_F(ReplayTest, ALabelAwardedBelowTheThresholdIsFlagged) {
  history();
  const auto at = forge(kLabel, "L2", "LabelAwarded",
                        [](auto e) { e.initLabelAwarded().setLabelName("Test Label"); });
  expectVerifies();
  expectOneDivergenceAt(at, "L2", "the rules refuse it");
}

TEST_F(ReplayTest, AVoteCarriedWithoutQuorumIsFlagged) {
  history();
  const auto at = forge(kLabel, "L3", "VoteClosed", [](auto e) {
    auto v = e.initVoteClosed();
    v.setYes(2);
    v.setEligibleVoters(2);
    v.setCarried(true);
  });
  expectVerifies();
  expectOneDivergenceAt(at, "L3", "the rules refuse it");
}

TEST_F(ReplayTest, AGrantPastTheEnvelopeIsFlagged) {
  history();
  capnp::MallocMessageBuilder commitment;
  auto c = commitment.initRoot<schema::CampaignEvent>();
  c.setCampaignId(kFunding);
  c.setRulesVersion(1);
  c.setReason("forged");
  auto f = c.initFundingCommitted();
  f.setDossierId("F2");
  f.setAmountCents(60000);
  f.setGrantedTotalCents(120000);
  const auto at = forge(kFunding, "F2", "FundingGranted",
                        [](auto e) { e.initFundingGranted().setAmountCents(60000); },
                        {{campaignStream(kFunding),
                          store::ExpectedVersion::any(),
                          {{"FundingCommitted", flattenMessage(commitment)}}}});
  expectVerifies();
  expectOneDivergenceAt(at, "F2", "the rules refuse it");
}

TEST_F(ReplayTest, AScoreByARecusedJurorIsFlagged) {
  history();
  const auto at = forge(kLabel, "L3", "ScoreRecorded", [](auto e) {
    auto s = e.initScoreRecorded();
    s.setJurorId("juror-2");
    auto scores = s.initScores(2);
    scores[0].setCriterionId("innovation");
    scores[0].setValue(10);
    scores[1].setCriterionId("users");
    scores[1].setValue(10);
  });
  expectVerifies();
  expectOneDivergenceAt(at, "L3", "the rules refuse it");
}

TEST_F(ReplayTest, AnAlteredOutcomeIsFlaggedEvenWhenTheDecisionWasAllowed) {
  history();
  // F2 may be granted, but not under another scoring: a ScoringClosed with
  // a made-up mean, on a fresh dossier that reached scoring honestly.
  Application f = application("communaute_de_communes", 1000);
  f.strands = {"1"};
  submit("F3", kFunding, f);
  ok("F3", cmd::ConfirmEligibility{});
  ok("F3", cmd::RecordScore{"juror-1", {{"quality", 2}}}, "juror-1");
  ok("F3", cmd::RecordScore{"juror-2", {{"quality", 3}}}, "juror-2");
  const auto at = forge(kFunding, "F3", "ScoringClosed", [](auto e) {
    auto s = e.initScoringClosed();
    s.setMeanMilli(9000);
    s.setThresholdMilli(5000);
    s.setPassed(true);
    s.setJurorsCounted(2);
  });
  expectVerifies();
  expectOneDivergenceAt(at, "F3", "the rules yield ScoringClosed");
}

}  // namespace
}  // namespace parcours::testing
