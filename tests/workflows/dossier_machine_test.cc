// The dossier machine through the workflow service on a real log: every row
// of the transition table with its guard true and false, and every command
// that has no row from a state refused with the right error, writing nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "parcours/workflows/domain_events.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
using ::testing::HasSubstr;


cmd::RecordScore labelScore(const std::string& juror, std::uint32_t innovation,
                            std::uint32_t users) {
  return {juror, {{"innovation", innovation}, {"users", users}}};
}

class DossierMachineTest : public WorkflowFixture {
 protected:
  void SetUp() override {
    openCampaign(kLabel, labelRules(), threeJurors());
    openCampaign(kFunding, fundingRules(), jurorsAndOfficials());
  }

  void ok(const std::string& id, const DossierCommand& c, const std::string& reason = "because",
          const std::string& actor = "instructor-1") {
    auto r = dossier(id, c, reason, actor);
    ASSERT_TRUE(r) << commandName(c) << ": " << r.error().message;
  }

  // Runs a command that must be refused: checks the code, the words, and
  // that the log did not move.
  void refused(const std::string& id, const DossierCommand& c, ErrorCode code,
               const std::string& words, const std::string& reason = "because") {
    const auto before = log_->head();
    auto r = dossier(id, c, reason);
    ASSERT_FALSE(r) << commandName(c) << " on " << id << " was accepted";
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_THAT(r.error().message, HasSubstr(words));
    EXPECT_EQ(log_->head(), before) << "a refused command wrote something";
  }

  DossierStatus status(const std::string& id) {
    auto d = workflow_->loadDossier(id);
    if (!d && d.error().code == ErrorCode::NotFound) return DossierStatus::Absent;
    EXPECT_TRUE(d) << d.error().message;
    return d ? d->status : DossierStatus::Absent;
  }

  // Drives a dossier of the label campaign to `target` along the shortest
  // legal path.
  void driveLabelDossier(const std::string& id, DossierStatus target) {
    using S = DossierStatus;
    if (target == S::Absent) return;
    submit(id, kLabel);
    if (target == S::Submitted) return;
    if (target == S::Ineligible) return ok(id, cmd::DeclareIneligible{});
    if (target == S::Withdrawn) return ok(id, cmd::Withdraw{});
    ok(id, cmd::ConfirmEligibility{});
    if (target == S::Eligible) return;
    if (target == S::NotSelected) return ok(id, cmd::NotSelect{});
    ok(id, cmd::ScheduleAudition{engine::toMicros(parisTime("2020-06-23T14:00:00"))});
    if (target == S::NoShow) return ok(id, cmd::RecordNoShow{});
    ok(id, cmd::RecordAuditionHeld{});
    if (target == S::Auditioned) return;
    const std::uint32_t score = target == S::BelowThreshold ? 3 : 8;
    for (const char* juror : {"juror-1", "juror-2", "juror-3"}) {
      ok(id, labelScore(juror, score, score), "", juror);
    }
    ok(id, cmd::CloseScoring{});
    if (target == S::Scored || target == S::BelowThreshold) return;
    const VoteChoice choice = target == S::Rejected ? VoteChoice::No : VoteChoice::Yes;
    ok(id, cmd::CastVote{"juror-1", choice}, "", "juror-1");
    ok(id, cmd::CastVote{"juror-2", choice}, "", "juror-2");
    ok(id, cmd::CloseVote{});
    if (target == S::Voted || target == S::Rejected) return;
    ok(id, cmd::Award{0});
  }
};

// ---------------------------------------------------------- illegal commands

// One instance of every command, legal in some state.
std::vector<DossierCommand> everyCommand() {
  return {cmd::Submit{kLabel, application()},
          cmd::ConfirmEligibility{},
          cmd::DeclareIneligible{},
          cmd::NotSelect{},
          cmd::ScheduleAudition{engine::toMicros(parisTime("2020-06-23T15:00:00"))},
          cmd::RecordAuditionHeld{},
          cmd::RecordNoShow{},
          labelScore("juror-1", 7, 7),
          cmd::CloseScoring{},
          cmd::CastVote{"juror-1", VoteChoice::Yes},
          cmd::CloseVote{},
          cmd::Award{0},
          cmd::Withdraw{}};
}

// The rows of the table, as (status, command index) pairs.
bool hasRow(DossierStatus s, std::size_t command) {
  using S = DossierStatus;
  static const std::map<S, std::vector<std::size_t>> rows{
      {S::Absent, {0}},
      {S::Submitted, {1, 2, 12}},
      {S::Eligible, {3, 4, 5, 6, 7, 8, 12}},  // scoring rows guarded by NoAuditions
      {S::Auditioned, {7, 8, 12}},
      {S::Scored, {3, 9, 10, 12}},  // not select: only outside a committee's proposal
      {S::Voted, {11, 12}},
  };
  auto it = rows.find(s);
  return it != rows.end() &&
         std::find(it->second.begin(), it->second.end(), command) != it->second.end();
}

TEST_F(DossierMachineTest, EveryCommandWithNoRowFromAStateIsRefusedAndWritesNothing) {
  int checked = 0;
  for (int i = 0; i < dossierStatusCount; ++i) {
    const auto s = static_cast<DossierStatus>(i);
    const std::string id = "d-" + std::string(statusName(s));
    driveLabelDossier(id, s);
    ASSERT_EQ(status(id), s) << id;
    const auto commands = everyCommand();
    for (std::size_t c = 0; c < commands.size(); ++c) {
      if (hasRow(s, c)) continue;
      SCOPED_TRACE(std::string(statusName(s)) + " + " + std::string(commandName(commands[c])));
      if (s == DossierStatus::Absent) {
        refused(id, commands[c], ErrorCode::NotFound, "no dossier \"" + id + "\"");
      } else if (c == 0) {
        refused(id, commands[c], ErrorCode::Conflict, "already exists");
      } else {
        refused(id, commands[c], ErrorCode::RefusedByRule,
                "cannot " + std::string(commandName(commands[c])) + " dossier \"" + id +
                    "\": it is " + std::string(statusName(s)));
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST_F(DossierMachineTest, WithdrawalWorksFromEveryNonTerminalState) {
  for (DossierStatus s : {DossierStatus::Submitted, DossierStatus::Eligible,
                          DossierStatus::Auditioned, DossierStatus::Scored, DossierStatus::Voted}) {
    const std::string id = "w-" + std::string(statusName(s));
    driveLabelDossier(id, s);
    ok(id, cmd::Withdraw{}, "the applicant changed plans", "applicant-1");
    EXPECT_EQ(status(id), DossierStatus::Withdrawn) << statusName(s);
    EXPECT_TRUE(isTerminal(status(id)));
  }
}

// ---------------------------------------------------------- submission

TEST_F(DossierMachineTest, SubmissionAtTheLastSecondIsAcceptedAndOneSecondLaterRefused) {
  clock_.set(parisTime("2020-06-19T23:59:59"));
  submit("on-time", kLabel);
  EXPECT_EQ(status("on-time"), DossierStatus::Submitted);
  // The whole last second is in time: the deadline is written to the second.
  clock_.set(parisTime("2020-06-19T23:59:59") + std::chrono::microseconds(999'999));
  submit("last-microsecond", kLabel);
  EXPECT_EQ(status("last-microsecond"), DossierStatus::Submitted);
  clock_.set(parisTime("2020-06-20T00:00:00"));
  refused("late", cmd::Submit{kLabel, application()}, ErrorCode::RefusedByRule,
          "submission at 2020-06-20T00:00:00+02:00 is after the deadline "
          "2020-06-19T23:59:59+02:00");
}

TEST_F(DossierMachineTest, SubmissionNeedsTheCampaignOpenForSubmissions) {
  ASSERT_TRUE(campaign(kLabel, campaign_command::ChangePhase{Phase::SubmissionsClosed}));
  refused("d1", cmd::Submit{kLabel, application()}, ErrorCode::RefusedByRule,
          "is in phase submissions_closed: it takes no more submissions");
}

TEST_F(DossierMachineTest, SubmissionAskingAStrandNotOfferedIsRefused) {
  Application a = application("metropole");
  a.strands = {"1", "7"};
  refused("d1", cmd::Submit{kFunding, a}, ErrorCode::RefusedByRule,
          "strand \"7\" is not offered by campaign \"funding-2020\" (it offers 1, 2");
  a.strands = {"1"};
  ok("d1", cmd::Submit{kFunding, a});
}

TEST_F(DossierMachineTest, SubmissionToAnUnknownCampaignIsNotFound) {
  refused("d1", cmd::Submit{"nope", application()}, ErrorCode::NotFound, "no campaign \"nope\"");
}

// ---------------------------------------------------------- eligibility

TEST_F(DossierMachineTest, EligibilityChecksApplicantKindCompletenessAndCap) {
  submit("kind", kLabel, application("departement"));
  refused("kind", cmd::ConfirmEligibility{}, ErrorCode::RefusedByRule,
          "applicant kind \"departement\" is not eligible: campaign \"label-2020\" accepts "
          "commune, communaute_de_communes");
  Application incomplete = application();
  incomplete.contact.email.clear();
  submit("incomplete", kLabel, incomplete);
  refused("incomplete", cmd::ConfirmEligibility{}, ErrorCode::RefusedByRule,
          "the application is incomplete: contact.email is required by rules version 1");
  submit("capped", kFunding, application("metropole", 70000));
  refused("capped", cmd::ConfirmEligibility{}, ErrorCode::RefusedByRule,
          "the requested €700.00 is over the per-dossier cap of €600.00");
  submit("fine", kLabel);
  ok("fine", cmd::ConfirmEligibility{});
  EXPECT_EQ(status("fine"), DossierStatus::Eligible);
}

TEST_F(DossierMachineTest, IneligibilityAndNonSelectionNeedAReason) {
  submit("d1", kLabel);
  refused("d1", cmd::DeclareIneligible{}, ErrorCode::InvalidInput, "give the reason", "");
  ok("d1", cmd::DeclareIneligible{}, "applicant is a private company");
  EXPECT_EQ(status("d1"), DossierStatus::Ineligible);
  driveLabelDossier("d2", DossierStatus::Eligible);
  refused("d2", cmd::NotSelect{}, ErrorCode::InvalidInput, "give the reason", "");
  ok("d2", cmd::NotSelect{}, "out of the call's scope");
  EXPECT_EQ(status("d2"), DossierStatus::NotSelected);
}

// ---------------------------------------------------------- auditions

TEST_F(DossierMachineTest, AuditionsOnlyWhereHeldAndOnlyOnceScheduled) {
  driveLabelDossier("d1", DossierStatus::Eligible);
  refused("d1", cmd::RecordAuditionHeld{}, ErrorCode::RefusedByRule,
          "no audition is scheduled for dossier \"d1\"");
  refused("d1", cmd::RecordNoShow{}, ErrorCode::RefusedByRule, "no audition is scheduled");
  refused("d1", cmd::ScheduleAudition{engine::toMicros(parisTime("2020-05-01T10:00:00"))},
          ErrorCode::InvalidInput, "is not after the submission");
  ok("d1", cmd::ScheduleAudition{engine::toMicros(parisTime("2020-06-23T14:00:00"))});
  ok("d1", cmd::RecordAuditionHeld{});
  EXPECT_EQ(status("d1"), DossierStatus::Auditioned);

  submit("f1", kFunding, application("metropole"));
  ok("f1", cmd::ConfirmEligibility{});
  refused("f1", cmd::ScheduleAudition{engine::toMicros(parisTime("2020-06-23T14:00:00"))},
          ErrorCode::RefusedByRule, "holds no auditions");
}

// ---------------------------------------------------------- scoring

TEST_F(DossierMachineTest, ScoringChecksJurorCriteriaAndScale) {
  driveLabelDossier("d1", DossierStatus::Eligible);
  refused("d1", labelScore("juror-1", 7, 7), ErrorCode::RefusedByRule,
          "must be auditioned before it is scored");
  driveLabelDossier("d2", DossierStatus::Auditioned);
  refused("d2", labelScore("stranger", 7, 7), ErrorCode::RefusedByRule,
          "\"stranger\" is not an appointed juror");
  refused("d2", cmd::RecordScore{"juror-1", {{"innovation", 7}}}, ErrorCode::InvalidInput,
          "every criterion must be scored; missing: users");
  refused("d2", labelScore("juror-1", 11, 7), ErrorCode::InvalidInput,
          "score 11 for \"innovation\" is outside its scale 0 to 10");
  refused("d2", cmd::RecordScore{"juror-1", {{"innovation", 7}, {"beauty", 7}}},
          ErrorCode::InvalidInput, "\"beauty\" is not a criterion");
  ASSERT_TRUE(campaign(kLabel, campaign_command::DeclareConflict{"juror-3", "d2"},
                       "juror-3 is the mayor's cousin"));
  refused("d2", labelScore("juror-3", 7, 7), ErrorCode::RefusedByRule,
          "juror \"juror-3\" declared a conflict of interest with dossier \"d2\"");
  // Pending, the conflict blocks the close too; ruled upheld, juror-3 is out.
  refused("d2", cmd::CloseScoring{}, ErrorCode::RefusedByRule, "awaits a ruling");
  ASSERT_TRUE(campaign(kLabel, campaign_command::RuleConflict{"juror-3", "d2", true, {}},
                       "the link is direct"));
  refused("d2", labelScore("juror-3", 7, 7), ErrorCode::RefusedByRule,
          "juror \"juror-3\" has an upheld conflict of interest with dossier \"d2\"");
  ok("d2", labelScore("juror-1", 7, 7), "", "juror-1");
  refused("d2", cmd::CloseScoring{}, ErrorCode::RefusedByRule,
          "scoring cannot close: 1 of 2 jurors have not scored dossier \"d2\" (juror-2)");
  ok("d2", labelScore("juror-2", 7, 7), "", "juror-2");
  ok("d2", cmd::CloseScoring{});  // juror-3 is recused: not needed
  EXPECT_EQ(status("d2"), DossierStatus::Scored);
}

TEST_F(DossierMachineTest, WeightedMeanAgainstThresholdDecidesScoredOrBelow) {
  // innovation weighs 2, users 1: (2*8 + 1*2) / 3 = 6.000, the threshold.
  driveLabelDossier("at", DossierStatus::Auditioned);
  for (const char* j : {"juror-1", "juror-2", "juror-3"}) ok("at", labelScore(j, 8, 2), "", j);
  ok("at", cmd::CloseScoring{});
  EXPECT_EQ(status("at"), DossierStatus::Scored);
  EXPECT_EQ(workflow_->loadDossier("at")->meanMilli, 6000u);

  // (2*7 + 1*3) / 3 = 5.667 < 6.
  driveLabelDossier("under", DossierStatus::Auditioned);
  for (const char* j : {"juror-1", "juror-2", "juror-3"}) ok("under", labelScore(j, 7, 3), "", j);
  ok("under", cmd::CloseScoring{});
  EXPECT_EQ(status("under"), DossierStatus::BelowThreshold);
  EXPECT_EQ(workflow_->loadDossier("under")->meanMilli, 5667u);
}

// Scores given under criteria an amendment changed do not count: the juror
// scores again under the rules in force before scoring can close.
TEST_F(DossierMachineTest, ScoresUnderAmendedCriteriaMustBeGivenAgain) {
  driveLabelDossier("d1", DossierStatus::Auditioned);
  for (const char* j : {"juror-1", "juror-2", "juror-3"}) ok("d1", labelScore(j, 8, 8), "", j);
  CampaignRules amended = labelRules();
  amended.criteria.push_back({"climate", "Climate", 0, 10, 1});
  ASSERT_TRUE(campaign(kLabel, campaign_command::AmendRules{amended}, "a third criterion"));
  refused("d1", cmd::CloseScoring{}, ErrorCode::RefusedByRule,
          "scoring cannot close: 3 of 3 jurors have not scored dossier \"d1\" (juror-1, juror-2, "
          "juror-3) on every criterion of rules version 2");
  for (const char* j : {"juror-1", "juror-2", "juror-3"}) {
    ok("d1", cmd::RecordScore{j, {{"innovation", 8}, {"users", 8}, {"climate", 8}}}, "", j);
  }
  ok("d1", cmd::CloseScoring{});
  EXPECT_EQ(workflow_->loadDossier("d1")->meanMilli, 8000u);
}

// ---------------------------------------------------------- the vote

TEST_F(DossierMachineTest, VotesNeedAVoterQuorumAndMajority) {
  driveLabelDossier("d1", DossierStatus::Scored);
  refused("d1", cmd::CastVote{"stranger", VoteChoice::Yes}, ErrorCode::RefusedByRule,
          "\"stranger\" is not a voter of campaign \"label-2020\" (the jury votes");
  refused("d1", cmd::CloseVote{}, ErrorCode::RefusedByRule,
          "no quorum: 0 of 3 voters voted on dossier \"d1\", the quorum is 50% (2 votes");
  ok("d1", cmd::CastVote{"juror-1", VoteChoice::Yes}, "", "juror-1");
  refused("d1", cmd::CastVote{"juror-1", VoteChoice::No}, ErrorCode::RefusedByRule,
          "\"juror-1\" already voted yes on dossier \"d1\": a vote is cast once");
  refused("d1", cmd::CloseVote{}, ErrorCode::RefusedByRule, "no quorum: 1 of 3 voters");
  ok("d1", cmd::CastVote{"juror-2", VoteChoice::No}, "", "juror-2");
  ok("d1", cmd::CloseVote{});  // 1 yes, 1 no: a tie does not carry a simple majority
  EXPECT_EQ(status("d1"), DossierStatus::Rejected);

  driveLabelDossier("d2", DossierStatus::Scored);
  ASSERT_TRUE(campaign(kLabel, campaign_command::DeclareConflict{"juror-1", "d2"}, "a link"));
  ASSERT_TRUE(campaign(kLabel, campaign_command::RuleConflict{"juror-1", "d2", true, {}}, "upheld"));
  refused("d2", cmd::CastVote{"juror-1", VoteChoice::Yes}, ErrorCode::RefusedByRule,
          "declared a conflict of interest with dossier \"d2\" and may not vote");
  ok("d2", cmd::CastVote{"juror-2", VoteChoice::Yes}, "", "juror-2");
  ok("d2", cmd::CloseVote{});  // 1 of 2 non-recused voters: quorum 50% reached
  EXPECT_EQ(status("d2"), DossierStatus::Voted);
}

// ---------------------------------------------------------- the award

TEST_F(DossierMachineTest, AwardGivesTheLabelOrAGrantWithinCapRequestAndEnvelope) {
  driveLabelDossier("l1", DossierStatus::Voted);
  ok("l1", cmd::Award{0});
  auto labelled = workflow_->loadDossier("l1");
  EXPECT_EQ(labelled->status, DossierStatus::Labelled);
  EXPECT_EQ(labelled->labelName, "Test Label");

  // A funding dossier, voted by the elected officials.
  const auto voteThrough = [&](const std::string& id, std::int64_t requested) {
    submit(id, kFunding, application("metropole", requested));
    ok(id, cmd::ConfirmEligibility{});
    ok(id, cmd::RecordScore{"juror-1", {{"quality", 8}}}, "", "juror-1");
    ok(id, cmd::RecordScore{"juror-2", {{"quality", 6}}}, "", "juror-2");
    ok(id, cmd::CloseScoring{});
    ok(id, cmd::CastVote{"official-1", VoteChoice::Yes}, "", "official-1");
    ok(id, cmd::CastVote{"official-2", VoteChoice::Yes}, "", "official-2");
    ok(id, cmd::CloseVote{});
  };
  voteThrough("f1", 60000);
  refused("f1", cmd::Award{0}, ErrorCode::RefusedByRule, "awards no label: give the amount");
  refused("f1", cmd::Award{70000}, ErrorCode::RefusedByRule,
          "the grant of €700.00 is over the per-dossier cap of €600.00");
  ok("f1", cmd::Award{60000});
  voteThrough("f2", 50000);
  refused("f2", cmd::Award{55000}, ErrorCode::RefusedByRule, "is more than the €500.00");
  refused("f2", cmd::Award{50000}, ErrorCode::RefusedByRule,
          "granting €500.00 to dossier \"f2\" would bring the total granted to €1,100.00, past "
          "the envelope of €1,000.00 (€600.00 already granted)");
  ok("f2", cmd::Award{40000});
  auto funding = workflow_->loadCampaign(kFunding);
  EXPECT_EQ(funding->grantedCents, 100000);
  EXPECT_EQ(workflow_->loadDossier("f2")->grantedCents, 40000);
}

TEST_F(DossierMachineTest, EveryDecisionRecordsActorReasonAndRulesVersion) {
  submit("d1", kLabel);
  CampaignRules amended = labelRules();
  amended.thresholdMilli = 5000;
  ASSERT_TRUE(campaign(kLabel, campaign_command::AmendRules{amended}, "lower the bar"));
  ok("d1", cmd::ConfirmEligibility{}, "all documents present", "instructor-7");
  const auto events = log_->readStream(dossierStream("d1"), 1, store::Direction::Forward, 10);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  const store::RecordedEvent& e = events->back();
  EXPECT_EQ(e.eventType, "EligibilityConfirmed");
  EXPECT_EQ(e.actor, "instructor-7");
  EXPECT_EQ(e.recordedAtMicros, engine::toMicros(clock_.now()));
  auto recorded = readPayload<schema::DossierEvent>(
      e.payload, e.eventType,
      [](schema::DossierEvent::Reader r) -> Result<std::pair<int, std::string>> {
        return std::pair<int, std::string>{r.getRulesVersion(), toString(r.getReason())};
      });
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(recorded->first, 2) << "decided under the amended rules";
  EXPECT_EQ(recorded->second, "all documents present");
}

}  // namespace
}  // namespace parcours::testing
