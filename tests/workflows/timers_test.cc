// The campaign's timers (docs/timers.md) on a real log: the deadline's
// timer scheduled at opening, fired once by whoever runs the scheduler,
// never early, caught up in due order after a month of downtime, moved and
// cancelled by a person with a reason, moved by an amended deadline, and
// refused with a specific error for every bad input, writing nothing.
#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include <set>
#include <thread>

#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/replay.h"
#include "parcours/workflows/timer_service.h"
#include "parcours/workflows/timers.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace ccmd = campaign_command;
namespace dcmd = dossier_command;
namespace tcmd = timer_command;

const std::string kFundingTimer = "campaign-funding-2020:close-submissions:2";

class TimersTest : public WorkflowFixture {
 protected:
  void SetUp() override {
    clock_.set(parisTime("2020-05-01T09:00:00"));
    openCampaign(kFunding, fundingRules(), jurorsAndOfficials());
    auto opened = TimerService::open(*log_, *workflow_, clock_, spdlog::default_logger());
    ASSERT_TRUE(opened) << opened.error().message;
    timers_ = std::move(opened).value();
  }

  CampaignState state(const std::string& id = kFunding) {
    auto c = workflow_->loadCampaign(id);
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : CampaignState{};
  }

  Result<store::AppendResult> timer(const std::string& id, const TimerCommand& c,
                                    const std::string& reason = "because") {
    return workflow_->timer(id, c, {{"", "admin-1", "", ""}, reason});
  }

  std::unique_ptr<TimerService> timers_;
};

TEST_F(TimersTest, OpeningSchedulesTheDeadlineTimerOneSecondAfterTheDeadline) {
  const CampaignState c = state();
  const TimerRecord* t = c.timer(kFundingTimer);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->status, TimerStatus::Pending);
  EXPECT_EQ(t->dueMicros, engine::toMicros(parisTime("2020-06-04T00:00:00")));
  EXPECT_EQ(c.submissionDeadlineMicros(), c.rules().deadlineMicros);
  auto listed = timers_->list({});
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->timers.size(), 1u);
  EXPECT_EQ(listed->timers[0].timerId, kFundingTimer);
  EXPECT_EQ(listed->timers[0].owner, "campaign-funding-2020");
  EXPECT_EQ(listed->timers[0].action, "close-submissions");
}

TEST_F(TimersTest, TheDeadlineClosesThePhaseByItselfOnceAndNeverEarly) {
  // The last second of the deadline is in time, and nothing fires during it.
  clock_.set(parisTime("2020-06-03T23:59:59") + std::chrono::microseconds(999'999));
  submit("d-1", kFunding);
  auto early = timers_->runDue();
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->fired, 0u);
  const store::Position before = log_->head();
  EXPECT_EQ(*workflow_->fireTimer(kFundingTimer), engine::FireResult::Skipped);
  EXPECT_EQ(log_->head(), before) << "a timer fired early wrote something";

  clock_.set(parisTime("2020-06-04T00:00:00"));
  auto ran = timers_->runDue();
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->fired, 1u);
  EXPECT_EQ(state().phase, Phase::SubmissionsClosed);
  const auto events = allEvents();
  ASSERT_GE(events.size(), 2u);
  const auto& fired = events[events.size() - 2];
  const auto& closed = events.back();
  EXPECT_EQ(fired.eventType, "TimerFired");
  EXPECT_EQ(closed.eventType, "PhaseChanged");
  for (const auto* e : {&fired, &closed}) {
    EXPECT_EQ(e->actor, "timer:" + kFundingTimer);
    EXPECT_EQ(e->commandId, "timer:" + kFundingTimer);
  }
  // Again, by this scheduler, another workflow (a second scheduler) or a
  // retry after a crash: nothing more.
  const store::Position after = log_->head();
  auto again = timers_->runDue();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fired, 0u);
  Workflow other(*log_, clock_);
  EXPECT_EQ(*other.fireTimer(kFundingTimer), engine::FireResult::Skipped);
  EXPECT_EQ(log_->head(), after);
  // The phase closed: a late submission is refused by the phase.
  auto late = dossier("d-2", dcmd::Submit{kFunding, application(), {}}, "", "applicant-2");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::RefusedByRule);
  // Replay decides the firing again and finds the same events.
  auto replayed = replayEvents(allEvents());
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_TRUE(replayed->divergences.empty()) << replayed->divergences.front().rulesSay;
}

TEST_F(TimersTest, TwoSchedulersRacingFireEachTimerOnce) {
  clock_.set(parisTime("2020-06-10T00:00:00"));
  Workflow second(*log_, clock_);
  std::atomic<int> fired{0};
  std::vector<std::thread> racers;
  for (int i = 0; i < 8; ++i) {
    racers.emplace_back([&, i] {
      auto r = (i % 2 == 0 ? *workflow_ : second).fireTimer(kFundingTimer);
      ASSERT_TRUE(r) << r.error().message;
      if (*r == engine::FireResult::Fired) ++fired;
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(fired.load(), 1);
  int firedEvents = 0;
  for (const auto& e : allEvents()) firedEvents += e.eventType == "TimerFired" ? 1 : 0;
  EXPECT_EQ(firedEvents, 1);
}

TEST_F(TimersTest, AfterAMonthDownTheDueTimersFireInDueOrderEachWithItsDueInstant) {
  // Two more campaigns, opened later but due earlier.
  auto rules = fundingRules();
  rules.deadlineLocal = "2020-05-20T12:00:00";
  rules.deadlineMicros = engine::toMicros(parisTime(rules.deadlineLocal));
  openCampaign("early", rules, jurorsAndOfficials());
  rules.deadlineLocal = "2020-05-25T12:00:00";
  rules.deadlineMicros = engine::toMicros(parisTime(rules.deadlineLocal));
  openCampaign("middle", rules, jurorsAndOfficials());
  // The clock jumps a month, across a public holiday (Ascension, 21 May
  // 2020) and past all three deadlines.
  clock_.set(parisTime("2020-07-01T08:00:00"));
  auto ran = timers_->runDue();
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->fired, 3u);
  std::vector<std::string> order;
  for (const auto& e : allEvents()) {
    if (e.eventType != "TimerFired") continue;
    order.push_back(e.streamId);
    EXPECT_EQ(e.recordedAtMicros, engine::toMicros(parisTime("2020-07-01T08:00:00")));
    auto due = readPayload<schema::CampaignEvent>(
        e.payload, e.eventType, [](schema::CampaignEvent::Reader r) -> Result<std::int64_t> {
          return r.getTimerFired().getDueMicros();
        });
    ASSERT_TRUE(due);
    EXPECT_LT(*due, e.recordedAtMicros) << "the due instant is kept beside the firing's";
  }
  EXPECT_EQ(order, (std::vector<std::string>{"campaign-early", "campaign-middle",
                                             "campaign-funding-2020"}));
  auto left = timers_->counts();
  ASSERT_TRUE(left);
  EXPECT_EQ(left->pending, 0u);
}

TEST_F(TimersTest, APersonMovesTheDeadlineForEveryoneWithAReason) {
  clock_.set(parisTime("2020-06-01T10:00:00"));
  const auto to = engine::toMicros(parisTime("2020-06-10T12:00:00"));
  auto moved = timer(kFundingTimer, tcmd::Reschedule{kFundingTimer, to, 0}, "délai prolongé");
  ASSERT_TRUE(moved) << moved.error().message;
  CampaignState c = state();
  EXPECT_EQ(c.timer(kFundingTimer)->dueMicros, to);
  EXPECT_EQ(c.submissionDeadlineMicros(), to - closeSubmissionsDelayMicros);
  // Submissions are taken until the moved deadline, not the rules' one.
  clock_.set(parisTime("2020-06-10T11:59:59"));
  submit("d-1", kFunding);
  ASSERT_TRUE(timers_->catchUp());
  auto found = timers_->find(kFundingTimer);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->dueMicros, to);
  clock_.set(parisTime("2020-06-10T12:00:00"));
  auto late = dossier("d-2", dcmd::Submit{kFunding, application(), {}}, "", "applicant-2");
  ASSERT_FALSE(late);
  EXPECT_NE(late.error().message.find("after the deadline"), std::string::npos)
      << late.error().message;
  auto ran = timers_->runDue();
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->fired, 1u);
  // Earlier, too, then replayed.
  auto replayed = replayEvents(allEvents());
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_TRUE(replayed->divergences.empty());
}

TEST_F(TimersTest, AnAmendedDeadlineMovesThePendingTimerWithIt) {
  clock_.set(parisTime("2020-05-15T10:00:00"));
  auto rules = fundingRules();
  rules.deadlineLocal = "2020-06-30T23:59:59";
  rules.deadlineMicros = engine::toMicros(parisTime(rules.deadlineLocal));
  auto amended = campaign(kFunding, ccmd::AmendRules{rules}, "deadline extended");
  ASSERT_TRUE(amended) << amended.error().message;
  const auto events = allEvents();
  EXPECT_EQ(events.back().eventType, "TimerRescheduled");
  EXPECT_EQ(state().timer(kFundingTimer)->dueMicros,
            engine::toMicros(parisTime("2020-07-01T00:00:00")));
  ASSERT_TRUE(timers_->catchUp());
  auto found = timers_->find(kFundingTimer);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->dueMicros, engine::toMicros(parisTime("2020-07-01T00:00:00")));
}

TEST_F(TimersTest, APhaseClosedByHandCancelsTheDeadlineTimer) {
  clock_.set(parisTime("2020-05-15T10:00:00"));
  ASSERT_TRUE(campaign(kFunding, ccmd::ChangePhase{Phase::SubmissionsClosed}, "closed early"));
  EXPECT_EQ(allEvents().back().eventType, "TimerCancelled");
  EXPECT_EQ(state().timer(kFundingTimer)->status, TimerStatus::Cancelled);
  ASSERT_TRUE(timers_->catchUp());
  auto counts = timers_->counts();
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->pending, 0u);
}

TEST_F(TimersTest, BadInputIsRefusedWithASpecificErrorAndWritesNothing) {
  clock_.set(parisTime("2020-05-15T10:00:00"));
  const store::Position head = log_->head();
  struct Case {
    std::string id;
    TimerCommand command;
    std::string reason;
    ErrorCode code;
    std::string says;
  };
  const std::int64_t future = engine::toMicros(parisTime("2020-06-20T10:00:00"));
  const std::vector<Case> cases = {
      {"garbage", tcmd::Cancel{"garbage"}, "r", ErrorCode::InvalidInput, "not one parcours makes"},
      {"campaign-funding-2020:close-submissions:9", tcmd::Cancel{"campaign-funding-2020:close-submissions:9"},
       "r", ErrorCode::NotFound, "no timer"},
      {"campaign-nope:close-submissions:2", tcmd::Cancel{"campaign-nope:close-submissions:2"}, "r",
       ErrorCode::NotFound, "never opened"},
      {kFundingTimer, tcmd::Cancel{kFundingTimer}, "", ErrorCode::InvalidInput, "says why"},
      {kFundingTimer, tcmd::Reschedule{kFundingTimer, future, 0}, "", ErrorCode::InvalidInput,
       "says why"},
      {kFundingTimer,
       tcmd::Reschedule{kFundingTimer, engine::toMicros(parisTime("2020-05-01T10:00:00")), 0}, "r",
       ErrorCode::InvalidInput, "not after now"},
      {kFundingTimer, tcmd::Reschedule{kFundingTimer, std::int64_t{1} << 62, 0}, "r",
       ErrorCode::InvalidInput, "outside the years"},
      {kFundingTimer,
       tcmd::Reschedule{kFundingTimer, engine::toMicros(parisTime("2020-06-04T00:00:00")), 0}, "r",
       ErrorCode::RefusedByRule, "already due then"},
      {kFundingTimer, tcmd::Fire{kFundingTimer, 0}, "", ErrorCode::RefusedByRule, "not due yet"},
  };
  for (const Case& c : cases) {
    auto r = timer(c.id, c.command, c.reason);
    ASSERT_FALSE(r) << c.id << " " << c.says;
    EXPECT_EQ(r.error().code, c.code) << r.error().message;
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(log_->head(), head);
  // A fired timer cannot be moved or cancelled.
  clock_.set(parisTime("2020-06-05T10:00:00"));
  ASSERT_TRUE(timers_->runDue());
  const store::Position fired = log_->head();
  for (const TimerCommand& c : std::vector<TimerCommand>{
           tcmd::Reschedule{kFundingTimer, future, 0}, tcmd::Cancel{kFundingTimer}}) {
    auto r = timer(kFundingTimer, c, "r");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::RefusedByRule);
    EXPECT_NE(r.error().message.find("already fired"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(log_->head(), fired);
}

TEST_F(TimersTest, TheTimersCommandIdsAreTheirOwnAndTheDeadlineMovesToWholeSeconds) {
  clock_.set(parisTime("2020-05-15T10:00:00"));
  const store::Position head = log_->head();
  const auto future = engine::toMicros(parisTime("2020-06-20T10:00:00"));
  auto r = workflow_->timer(kFundingTimer, tcmd::Reschedule{kFundingTimer, future, 0},
                            {{"timer:" + kFundingTimer, "admin-1", "", ""}, "r"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message.find("timers' own"), std::string::npos) << r.error().message;
  auto phase = workflow_->campaign(kFunding, ccmd::ChangePhase{Phase::SubmissionsClosed},
                                   {{"timer:x", "admin-1", "", ""}, "r"});
  ASSERT_FALSE(phase);
  EXPECT_EQ(phase.error().code, ErrorCode::InvalidInput);
  auto half = timer(kFundingTimer, tcmd::Reschedule{kFundingTimer, future + 500'000, 0}, "r");
  ASSERT_FALSE(half);
  EXPECT_NE(half.error().message.find("whole second"), std::string::npos) << half.error().message;
  EXPECT_EQ(log_->head(), head);
}

TEST_F(TimersTest, ALogWrittenBeforeTimersReplaysWithoutDivergence) {
  // As parcours before timers wrote it: the campaign opened and its jury
  // appointed by the same actor at the same instant with no command id
  // (so replay reads them as one run), and no TimerScheduled.
  auto events = allEvents();
  std::vector<store::RecordedEvent> before;
  for (const auto& e : events) {
    if (e.eventType.starts_with("Timer")) continue;
    store::RecordedEvent copy = e;
    copy.position = before.size() + 1;
    copy.streamVersion = before.size() + 1;  // one stream in this fixture's log
    before.push_back(std::move(copy));
  }
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].recordedAtMicros, before[1].recordedAtMicros);
  auto replayed = replayEvents(before);
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_TRUE(replayed->divergences.empty()) << replayed->divergences.front().rulesSay;
}

TEST_F(TimersTest, AFiringRecordedUnderAPersonsNameIsADivergence) {
  clock_.set(parisTime("2020-06-05T10:00:00"));
  ASSERT_EQ(*workflow_->fireTimer(kFundingTimer), engine::FireResult::Fired);
  auto events = allEvents();
  for (auto& e : events) {
    if (e.actor.starts_with("timer:")) e.actor = "alice";
  }
  auto replayed = replayEvents(events);
  ASSERT_TRUE(replayed) << replayed.error().message;
  ASSERT_EQ(replayed->divergences.size(), 1u);
  EXPECT_NE(replayed->divergences[0].rulesSay.find("the timer itself"), std::string::npos)
      << replayed->divergences[0].rulesSay;
}

TEST_F(TimersTest, AForgedTimerEventIsADivergenceInReplay) {
  // A TimerScheduled appended on its own (no decision yields one alone).
  auto state0 = state();
  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<schema::CampaignEvent>();
  e.setCampaignId(kFunding);
  e.setRulesVersion(1);
  auto s = e.initTimerScheduled();
  s.setTimerId("campaign-funding-2020:close-submissions:3");
  s.setDueMicros(1);
  store::AppendRequest request{
      {{"campaign-funding-2020", store::ExpectedVersion::exactly(state0.version),
        {{"TimerScheduled", flattenMessage(message)}}}},
      {"", "forger", "", "", engine::toMicros(clock_.now())}};
  ASSERT_TRUE(log_->append(std::move(request)));
  auto replayed = replayEvents(allEvents());
  ASSERT_TRUE(replayed) << replayed.error().message;
  ASSERT_EQ(replayed->divergences.size(), 1u);
  EXPECT_NE(replayed->divergences[0].rulesSay.find("refuse"), std::string::npos);
}

// The jurors' reminder (docs/timers.md): scheduled at opening N days
// before scoring is planned to close, moved by an amendment of that date,
// and fired with the jurors who still have assigned dossiers to score.
TEST_F(TimersTest, JurorsWithUnscoredDossiersAreRemindedBeforeScoringCloses) {
  auto rules = fundingRules();
  rules.jurorsDaysBefore = 3;
  rules.scoringClosesLocal = "2020-07-15T18:00:00";
  rules.scoringClosesMicros = engine::toMicros(parisTime(rules.scoringClosesLocal));
  openCampaign("reminded", rules, jurorsAndOfficials());
  const std::string reminder = "campaign-reminded:remind-jurors:3";
  EXPECT_EQ(state("reminded").timer(reminder)->dueMicros,
            engine::toMicros(parisTime("2020-07-12T18:00:00")));
  // Scoring is planned later: the reminder follows.
  rules.scoringClosesLocal = "2020-07-20T18:00:00";
  rules.scoringClosesMicros = engine::toMicros(parisTime(rules.scoringClosesLocal));
  ASSERT_TRUE(campaign("reminded", ccmd::AmendRules{rules}, "scoring extended"));
  EXPECT_EQ(state("reminded").timer(reminder)->dueMicros,
            engine::toMicros(parisTime("2020-07-17T18:00:00")));

  submit("r-1", "reminded", application("metropole", 50000));
  submit("r-2", "reminded", application("metropole", 50000));
  clock_.set(parisTime("2020-06-10T09:00:00"));
  ASSERT_TRUE(dossier("r-1", dcmd::ConfirmEligibility{}));
  ASSERT_TRUE(dossier("r-2", dcmd::ConfirmEligibility{}));
  ASSERT_TRUE(dossier("r-1", dcmd::RecordScore{"juror-1", {{"quality", 7}}}, "", "juror-1"));
  clock_.set(parisTime("2020-07-18T09:00:00"));
  ASSERT_TRUE(timers_->runDue());
  EXPECT_EQ(state("reminded").timer(reminder)->status, TimerStatus::Fired);
  std::string outcome;
  for (const auto& e : allEvents()) {
    if (e.eventType != "TimerFired" || e.actor != "timer:" + reminder) continue;
    auto read = readPayload<schema::CampaignEvent>(
        e.payload, e.eventType, [](schema::CampaignEvent::Reader r) -> Result<std::string> {
          return toString(r.getTimerFired().getOutcome());
        });
    ASSERT_TRUE(read);
    outcome = *read;
  }
  EXPECT_NE(outcome.find("2 jurors reminded of 3 unscored dossier scores"), std::string::npos)
      << outcome;
  EXPECT_NE(outcome.find("juror-1 (1), juror-2 (2)"), std::string::npos) << outcome;
  auto replayed = replayEvents(allEvents());
  ASSERT_TRUE(replayed) << replayed.error().message;
  EXPECT_TRUE(replayed->divergences.empty()) << replayed->divergences.front().rulesSay;
}

}  // namespace
}  // namespace parcours::testing
