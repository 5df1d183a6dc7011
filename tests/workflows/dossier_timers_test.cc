// A dossier's statutory delay (docs/timers.md) on a real log: scheduled
// by the submission in the campaign's calendar, warned about, fired once as
// a deemed decision through the dossier machine, cancelled by a decision or
// a withdrawal, moved and cancelled with its warning, kept under the rules
// it was scheduled under, working after erasure, and replayed.
#include <gtest/gtest.h>

#include <spdlog/spdlog.h>

#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/replay.h"
#include "parcours/workflows/timer_service.h"
#include "parcours/workflows/timers.h"
#include "parcours/workflows/zoned_time.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace ccmd = campaign_command;
namespace dcmd = dossier_command;
namespace tcmd = timer_command;

constexpr const char* kBasis = "CRPA, art. L231-4";

// The funding call under "without a decision two months after the complete
// file, the application is deemed refused", warned a week before.
CampaignRules delayedRules(std::uint32_t months = 2,
                           DeemedOutcome outcome = DeemedOutcome::Refused) {
  CampaignRules r = fundingRules();
  r.statutoryDelay.count = months;
  r.statutoryDelay.unit = DelayUnit::Months;
  r.statutoryDelay.outcome = outcome;
  r.statutoryDelay.legalBasis = kBasis;
  r.statutoryDelay.warnDaysBefore = 7;
  return r;
}

std::string deemTimer(const std::string& dossierId) {
  return "dossier-" + dossierId + ":deem-decision:2";
}
std::string warnTimer(const std::string& dossierId) {
  return "dossier-" + dossierId + ":warn-deemed-decision:3";
}

class DossierTimersTest : public WorkflowFixture {
 protected:
  void SetUp() override {
    clock_.set(parisTime("2020-05-01T09:00:00"));
    openCampaign(kFunding, delayedRules(), jurorsAndOfficials());
    auto opened = TimerService::open(*log_, *workflow_, clock_, spdlog::default_logger());
    ASSERT_TRUE(opened) << opened.error().message;
    timers_ = std::move(opened).value();
  }

  DossierState dossierState(const std::string& id) {
    auto d = workflow_->loadDossier(id);
    EXPECT_TRUE(d) << d.error().message;
    return d ? *d : DossierState{};
  }

  Result<store::AppendResult> timer(const std::string& id, const TimerCommand& c,
                                    const std::string& reason = "because") {
    return workflow_->timer(id, c, {{"", "admin-1", "", ""}, reason});
  }

  void expectReplayAgrees() {
    auto replayed = replayEvents(allEvents());
    ASSERT_TRUE(replayed) << replayed.error().message;
    EXPECT_TRUE(replayed->divergences.empty())
        << replayed->divergences.front().decision << ": " << replayed->divergences.front().rulesSay
        << " / " << replayed->divergences.front().recorded;
  }

  std::unique_ptr<TimerService> timers_;
};

std::int64_t paris(const std::string& local) { return engine::toMicros(parisTime(local)); }

TEST_F(DossierTimersTest, TheSubmissionSchedulesTheDeemedDecisionAndItsWarning) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  const DossierState d = dossierState("d-1");
  // 15 May + 2 months = Wednesday 15 July, its last day: deemed at the
  // first instant of 16 July; the warning 7 days before.
  const TimerRecord* deem = d.timer(deemTimer("d-1"));
  const TimerRecord* warn = d.timer(warnTimer("d-1"));
  ASSERT_NE(deem, nullptr);
  ASSERT_NE(warn, nullptr);
  EXPECT_EQ(deem->dueMicros, paris("2020-07-16T00:00:00"));
  EXPECT_EQ(warn->dueMicros, paris("2020-07-09T00:00:00"));
  EXPECT_EQ(deem->rulesVersion, 1u);
  ASSERT_TRUE(timers_->catchUp());
  auto listed = timers_->list({"dossier-d-1", std::nullopt, "", 10});
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->timers.size(), 2u);
  EXPECT_EQ(listed->timers[0].timerId, warnTimer("d-1")) << "in due order";
  EXPECT_EQ(listed->timers[1].action, "deem-decision");
  // The submission and its timers are one append.
  const auto events = allEvents();
  EXPECT_EQ(events[events.size() - 3].eventType, "DossierSubmitted");
  EXPECT_EQ(events[events.size() - 2].eventType, "DossierTimerScheduled");
  EXPECT_EQ(events.back().position, events[events.size() - 3].position + 2);
  expectReplayAgrees();
}

// Delays counted in civil dates of the campaign's zone, across daylight-
// saving changes, weekends and public holidays (calendar.h).
TEST(DeemedDates, FallOnTheKnownDays) {
  struct Case {
    const char* complete;  // Paris time
    std::uint32_t count;
    DelayUnit unit;
    bool alsaceMoselle;
    const char* decision;  // Paris time: the first instant after the delay
    const char* warning;   // three civil days before it
    const char* why;
  };
  const Case cases[] = {
      {"2020-01-30T15:00:00", 60, DelayUnit::CalendarDays, false, "2020-03-31T00:00:00",
       "2020-03-28T00:00:00", "ends Monday 30 March, after the change to summer time"},
      {"2020-10-15T09:00:00", 1, DelayUnit::Months, false, "2020-11-17T00:00:00",
       "2020-11-14T00:00:00", "15 November is a Sunday: Monday 16, after the change to winter time"},
      {"2020-12-31T18:00:00", 2, DelayUnit::Months, false, "2021-03-02T00:00:00",
       "2021-02-27T00:00:00", "31 December + 2 months is 28 February (Sunday): Monday 1 March"},
      {"2020-06-14T12:00:00", 1, DelayUnit::Months, false, "2020-07-16T00:00:00",
       "2020-07-13T00:00:00", "14 July is Bastille Day: Wednesday 15"},
      {"2020-04-30T12:00:00", 15, DelayUnit::BusinessDays, false, "2020-05-27T00:00:00",
       "2020-05-24T00:00:00", "1 May, 8 May and Ascension (21 May) are not business days"},
      {"2021-03-23T12:00:00", 10, DelayUnit::CalendarDays, false, "2021-04-03T00:00:00",
       "2021-03-31T00:00:00", "Good Friday 2 April is a business day outside Alsace-Moselle"},
      {"2021-03-23T12:00:00", 10, DelayUnit::CalendarDays, true, "2021-04-07T00:00:00",
       "2021-04-04T00:00:00", "in Alsace-Moselle Good Friday is a holiday, then Easter Monday: Tuesday 6"},
  };
  for (const Case& c : cases) {
    StatutoryDelay delay;
    delay.count = c.count;
    delay.unit = c.unit;
    delay.legalBasis = kBasis;
    delay.warnDaysBefore = 3;
    auto dates = deemedDates(delay, c.alsaceMoselle, "Europe/Paris", paris(c.complete));
    ASSERT_TRUE(dates) << dates.error().message;
    EXPECT_EQ(formatInZone(dates->decisionMicros, "Europe/Paris"),
              formatInZone(paris(c.decision), "Europe/Paris"))
        << c.why;
    ASSERT_TRUE(dates->warningMicros);
    EXPECT_EQ(*dates->warningMicros, paris(c.warning)) << "three civil days before: " << c.why;
  }
}

TEST_F(DossierTimersTest, AfterAJumpOfMonthsEveryTimerFiresOnceInDueOrder) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  clock_.set(parisTime("2020-05-20T10:30:00"));
  submit("d-2", kFunding);
  // The clock jumps past every due instant (the deadline's too).
  clock_.set(parisTime("2020-09-01T08:00:00"));
  auto ran = timers_->runDue();
  ASSERT_TRUE(ran) << ran.error().message;
  EXPECT_EQ(ran->fired, 5u);
  std::vector<std::string> firedOrder;
  for (const auto& e : allEvents()) {
    if (e.eventType != "TimerFired" && e.eventType != "DossierTimerFired") continue;
    EXPECT_EQ(e.actor, e.commandId);
    EXPECT_TRUE(e.actor.starts_with("timer:"));
    firedOrder.push_back(e.actor.substr(6));
  }
  EXPECT_EQ(firedOrder, (std::vector<std::string>{
                            "campaign-funding-2020:close-submissions:2", warnTimer("d-1"),
                            warnTimer("d-2"), deemTimer("d-1"), deemTimer("d-2")}));
  for (const char* id : {"d-1", "d-2"}) {
    const DossierState d = dossierState(id);
    EXPECT_EQ(d.status, DossierStatus::Rejected) << id;
    ASSERT_TRUE(d.deemedAtMicros) << id;
  }
  // The deemed decision states its legal basis, and is the timer's.
  const auto events = allEvents();
  const auto& deemed = events.back();
  EXPECT_EQ(deemed.eventType, "DecisionDeemed");
  EXPECT_EQ(deemed.actor, "timer:" + deemTimer("d-2"));
  auto reason = readPayload<schema::DossierEvent>(
      deemed.payload, deemed.eventType, [](schema::DossierEvent::Reader e) -> Result<std::string> {
        return toString(e.getReason()) + " | " + toString(e.getDecisionDeemed().getLegalBasis());
      });
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("no decision within 2 months"), std::string::npos) << *reason;
  EXPECT_NE(reason->find(kBasis), std::string::npos) << *reason;
  // Again: nothing more.
  const store::Position head = log_->head();
  auto again = timers_->runDue();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->fired, 0u);
  EXPECT_EQ(log_->head(), head);
  expectReplayAgrees();
  // A DecisionDeemed without its timer's firing before it (a forger's):
  // replay reports it.
  std::vector<store::RecordedEvent> forged = allEvents();
  forged.erase(forged.end() - 2);  // d-2's DossierTimerFired
  auto replayed = replayEvents(forged);
  ASSERT_TRUE(replayed) << replayed.error().message;
  ASSERT_FALSE(replayed->divergences.empty());
  EXPECT_NE(replayed->divergences.back().rulesSay.find("deemed only by the dossier's statutory delay"),
            std::string::npos)
      << replayed->divergences.back().rulesSay;
}

TEST_F(DossierTimersTest, ADecisionOrAWithdrawalEndsTheDelay) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  submit("d-2", kFunding);
  ASSERT_TRUE(dossier("d-1", dcmd::DeclareIneligible{}, "not a grouping of communes"));
  ASSERT_TRUE(dossier("d-2", dcmd::Withdraw{}, "", "applicant-2"));
  for (const char* id : {"d-1", "d-2"}) {
    const DossierState d = dossierState(id);
    for (const auto& [timerId, t] : d.timers) {
      EXPECT_EQ(t.status, TimerStatus::Cancelled) << timerId;
    }
  }
  ASSERT_TRUE(timers_->catchUp());
  auto listed = timers_->list({"dossier-d-1", std::nullopt, "", 10});
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->timers.empty());
  clock_.set(parisTime("2020-09-01T08:00:00"));
  auto ran = timers_->runDue();
  ASSERT_TRUE(ran);
  EXPECT_EQ(ran->fired, 1u) << "only the deadline's timer";
  EXPECT_EQ(dossierState("d-1").status, DossierStatus::Ineligible);
  expectReplayAgrees();
}

TEST_F(DossierTimersTest, MovingOrCancellingTheDelayTakesItsWarningAlong) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  // Bad moves are refused, writing nothing.
  const store::Position before = log_->head();
  auto past = timer(deemTimer("d-1"), tcmd::Reschedule{deemTimer("d-1"), paris("2020-05-01T00:00:00")});
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, ErrorCode::InvalidInput);
  auto unknown = timer("dossier-d-1:deem-decision:9", tcmd::Cancel{"dossier-d-1:deem-decision:9"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  auto wrongOwner = timer("dossier-d-1:close-submissions:2", tcmd::Cancel{"dossier-d-1:close-submissions:2"});
  ASSERT_FALSE(wrongOwner);
  EXPECT_EQ(wrongOwner.error().code, ErrorCode::InvalidInput);
  EXPECT_NE(wrongOwner.error().message.find("close-submissions is a campaign's timer, not a "
                                            "dossier's"),
            std::string::npos)
      << wrongOwner.error().message;
  auto noReason = timer(deemTimer("d-1"), tcmd::Cancel{deemTimer("d-1")}, "");
  ASSERT_FALSE(noReason);
  EXPECT_EQ(noReason.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(log_->head(), before);

  // Ten days more for this dossier: its warning moves by as much.
  ASSERT_TRUE(timer(deemTimer("d-1"),
                    tcmd::Reschedule{deemTimer("d-1"), paris("2020-07-26T00:00:00")},
                    "the applicant asked for time"));
  DossierState d = dossierState("d-1");
  EXPECT_EQ(d.timer(deemTimer("d-1"))->dueMicros, paris("2020-07-26T00:00:00"));
  EXPECT_EQ(d.timer(warnTimer("d-1"))->dueMicros, paris("2020-07-19T00:00:00"));
  // Cancelled: both end.
  ASSERT_TRUE(timer(deemTimer("d-1"), tcmd::Cancel{deemTimer("d-1")}, "decided by another call"));
  d = dossierState("d-1");
  EXPECT_EQ(d.timer(deemTimer("d-1"))->status, TimerStatus::Cancelled);
  EXPECT_EQ(d.timer(warnTimer("d-1"))->status, TimerStatus::Cancelled);
  auto ended = timer(deemTimer("d-1"), tcmd::Reschedule{deemTimer("d-1"), paris("2020-08-01T00:00:00")});
  ASSERT_FALSE(ended);
  EXPECT_EQ(ended.error().code, ErrorCode::RefusedByRule);
  expectReplayAgrees();
}

TEST_F(DossierTimersTest, AnAmendmentAppliesToDossiersSubmittedAfterIt) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  // One month, silence is acceptance: from now on.
  ASSERT_TRUE(campaign(kFunding, ccmd::AmendRules{delayedRules(1, DeemedOutcome::Accepted)},
                       "the region chose silence-vaut-acceptation"));
  clock_.set(parisTime("2020-05-18T10:30:00"));
  submit("d-2", kFunding);
  EXPECT_EQ(dossierState("d-1").timer(deemTimer("d-1"))->dueMicros, paris("2020-07-16T00:00:00"))
      << "d-1 keeps the delay it was submitted under";
  EXPECT_EQ(dossierState("d-2").timer(deemTimer("d-2"))->dueMicros, paris("2020-06-19T00:00:00"));
  clock_.set(parisTime("2020-09-01T08:00:00"));
  ASSERT_TRUE(timers_->runDue());
  EXPECT_EQ(dossierState("d-1").status, DossierStatus::Rejected) << "refused, as its rules said";
  EXPECT_EQ(dossierState("d-2").status, DossierStatus::Voted) << "accepted, as its rules said";
  expectReplayAgrees();
}

TEST_F(DossierTimersTest, AfterErasureTheDelayStillRunsOut) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  ASSERT_TRUE(dossier("d-1", dcmd::Erase{}, "the applicant's request (GDPR art. 17)"));
  clock_.set(parisTime("2020-09-01T08:00:00"));
  ASSERT_TRUE(timers_->runDue());
  const DossierState d = dossierState("d-1");
  EXPECT_TRUE(d.contactErased);
  EXPECT_EQ(d.status, DossierStatus::Rejected);
  expectReplayAgrees();
}

TEST_F(DossierTimersTest, NobodyButTheTimerDeemsADecision) {
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("d-1", kFunding);
  const store::Position before = log_->head();
  auto deemed = dossier("d-1", dcmd::DeemDecision{DeemedOutcome::Accepted, "none", "1 day", 0});
  ASSERT_FALSE(deemed);
  EXPECT_EQ(deemed.error().code, ErrorCode::RefusedByRule);
  // Nor before its due instant.
  EXPECT_EQ(*workflow_->fireTimer(deemTimer("d-1")), engine::FireResult::Skipped);
  EXPECT_EQ(log_->head(), before);
}

// The service level (docs/timers.md): administrators are reminded of a
// dossier that waited too long in one state; a change of state starts the
// wait anew, a decision ends it.
TEST_F(DossierTimersTest, TheServiceLevelRemindsOfADossierThatWaitsTooLong) {
  CampaignRules rules = fundingRules();
  rules.serviceLevelDays = 10;
  openCampaign("sla", rules, jurorsAndOfficials());
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("s-1", "sla");
  submit("s-2", "sla");
  const std::string firstWait = "dossier-s-1:remind-administrators:2";
  EXPECT_EQ(dossierState("s-1").timer(firstWait)->dueMicros, paris("2020-05-25T10:30:00"));

  // s-1 is withdrawn after 5 days: its wait ends; s-2 keeps waiting.
  clock_.set(parisTime("2020-05-20T10:30:00"));
  ASSERT_TRUE(dossier("s-1", dcmd::Withdraw{}, "", "applicant-1"));
  DossierState one = dossierState("s-1");
  EXPECT_EQ(one.timer(firstWait)->status, TimerStatus::Cancelled) << "withdrawn: decided";

  clock_.set(parisTime("2020-06-01T08:00:00"));
  auto ran = timers_->runDue();
  ASSERT_TRUE(ran) << ran.error().message;
  const DossierState two = dossierState("s-2");
  const TimerRecord* reminded = two.timer("dossier-s-2:remind-administrators:2");
  ASSERT_NE(reminded, nullptr);
  EXPECT_EQ(reminded->status, TimerStatus::Fired);
  EXPECT_EQ(two.status, DossierStatus::Submitted) << "a reminder decides nothing";
  bool said = false;
  for (const auto& e : allEvents()) {
    if (e.eventType != "DossierTimerFired" || e.streamId != "dossier-s-2") continue;
    auto outcome = readPayload<schema::DossierEvent>(
        e.payload, e.eventType, [](schema::DossierEvent::Reader r) -> Result<std::string> {
          return toString(r.getDossierTimerFired().getOutcome());
        });
    ASSERT_TRUE(outcome);
    said = outcome->find("has waited 16 days as submitted") != std::string::npos;
    EXPECT_TRUE(said) << *outcome;
  }
  EXPECT_TRUE(said);
  expectReplayAgrees();
}

// A change of state restarts the wait: the reminder of the old state is
// cancelled and a new one scheduled, in the decision's own append.
TEST_F(DossierTimersTest, AChangeOfStateStartsTheWaitAnew) {
  CampaignRules rules = fundingRules();
  rules.serviceLevelDays = 10;
  openCampaign("sla", rules, jurorsAndOfficials());
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("s-1", "sla", application("metropole", 50000));
  clock_.set(parisTime("2020-05-20T10:30:00"));
  ASSERT_TRUE(dossier("s-1", dcmd::ConfirmEligibility{}));
  const DossierState d = dossierState("s-1");
  EXPECT_EQ(d.timer("dossier-s-1:remind-administrators:2")->status, TimerStatus::Cancelled);
  const TimerRecord* waiting = d.pendingTimer(TimerAction::RemindAdministrators);
  ASSERT_NE(waiting, nullptr);
  EXPECT_EQ(waiting->dueMicros, paris("2020-05-30T10:30:00"));
  expectReplayAgrees();
}

// An amendment drops the service level: the reminder of the state the
// dossier was in still ends when it moves on, and no new one starts.
TEST_F(DossierTimersTest, AReminderEndsWithItsStateAfterTheServiceLevelIsDropped) {
  CampaignRules rules = fundingRules();
  rules.serviceLevelDays = 10;
  openCampaign("sla", rules, jurorsAndOfficials());
  clock_.set(parisTime("2020-05-15T10:30:00"));
  submit("s-1", "sla", application("metropole", 50000));
  rules.serviceLevelDays = 0;
  ASSERT_TRUE(campaign("sla", ccmd::AmendRules{rules}, "no more service level"));
  ASSERT_TRUE(dossier("s-1", dcmd::ConfirmEligibility{}));
  const DossierState d = dossierState("s-1");
  EXPECT_EQ(d.timer("dossier-s-1:remind-administrators:2")->status, TimerStatus::Cancelled);
  EXPECT_EQ(d.pendingTimer(TimerAction::RemindAdministrators), nullptr);
  expectReplayAgrees();
}

// A deemed acceptance leaves a dossier voted, to be awarded: where only the
// vote's close grants, it could never be, so the rules refuse it.
TEST(DossierTimerRules, AcceptanceIsRefusedWhereOnlyTheDeliberationGrants) {
  CampaignRules rules = delayedRules(2, DeemedOutcome::Accepted);
  rules.grantedByDeliberation = true;
  auto refused = validateRules(rules);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("statutory_delay.outcome: \"accepted\" leaves a dossier "
                                         "voted without a deliberation"),
            std::string::npos)
      << refused.error().message;
}

}  // namespace
}  // namespace parcours::testing
