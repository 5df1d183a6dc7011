// The workflow service: campaign commands, idempotent commands, unknown ids.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
using ::testing::HasSubstr;

class WorkflowTest : public WorkflowFixture {
 protected:
  void expectRefused(const Result<store::AppendResult>& r, ErrorCode code,
                     const std::string& words) {
    ASSERT_FALSE(r) << "accepted";
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_THAT(r.error().message, HasSubstr(words));
  }
};

TEST_F(WorkflowTest, OpeningACampaignTwiceIsAConflictAndWritesNothing) {
  openCampaign("c1", labelRules(), threeJurors());
  const auto head = log_->head();
  expectRefused(campaign("c1", campaign_command::Open{{"c1", labelRules()}}), ErrorCode::Conflict,
                "campaign \"c1\" is already open (rules version 1)");
  EXPECT_EQ(log_->head(), head);
}

TEST_F(WorkflowTest, OpeningWithInvalidRulesNamesTheField) {
  CampaignRules bad = labelRules();
  bad.criteria[1].weight = 0;
  expectRefused(campaign("c1", campaign_command::Open{{"c1", bad}}), ErrorCode::InvalidInput,
                "criteria[1].weight");
  expectRefused(campaign("c 1", campaign_command::Open{{"c 1", labelRules()}}),
                ErrorCode::InvalidInput, "campaign id");
  expectRefused(campaign("c1", campaign_command::Open{{"c2", labelRules()}}),
                ErrorCode::InvalidInput, "opens campaign \"c2\", not \"c1\"");
  EXPECT_EQ(log_->head(), 0u);
}

TEST_F(WorkflowTest, RulesAmendmentsMakeNewVersionsAndNoOpAmendmentsAreRefused) {
  openCampaign("c1", labelRules(), threeJurors());
  expectRefused(campaign("c1", campaign_command::AmendRules{labelRules()}),
                ErrorCode::RefusedByRule, "the amendment changes nothing");
  CampaignRules later = labelRules();
  later.deadlineMicros += 24LL * 3600 * 1000000;
  later.deadlineLocal = "2020-06-20T23:59:59";
  ASSERT_TRUE(campaign("c1", campaign_command::AmendRules{later}, "deadline extended"));
  auto state = workflow_->loadCampaign("c1");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->rulesVersion(), 2u);
  EXPECT_EQ(state->rules().deadlineLocal, "2020-06-20T23:59:59");
  EXPECT_EQ(state->rulesVersions.front().deadlineLocal, "2020-06-19T23:59:59");
}

TEST_F(WorkflowTest, PhasesOnlyMoveForwardAndAuditionsOnlyWhereHeld) {
  openCampaign("c1", fundingRules(), jurorsAndOfficials());
  expectRefused(campaign("c1", campaign_command::ChangePhase{Phase::Auditions}),
                ErrorCode::RefusedByRule, "holds no auditions");
  ASSERT_TRUE(campaign("c1", campaign_command::ChangePhase{Phase::Deliberation}));
  expectRefused(campaign("c1", campaign_command::ChangePhase{Phase::SubmissionsClosed}),
                ErrorCode::RefusedByRule, "phases only move forward");
}

TEST_F(WorkflowTest, ConflictsNeedAnAppointedJurorAnExistingDossierAndAReason) {
  openCampaign("c1", labelRules(), threeJurors());
  submit("d1", "c1");
  expectRefused(campaign("c1", campaign_command::DeclareConflict{"nobody", "d1"}, "a link"),
                ErrorCode::NotFound, "\"nobody\" is not a member of the jury");
  expectRefused(campaign("c1", campaign_command::DeclareConflict{"juror-1", "d9"}, "a link"),
                ErrorCode::NotFound, "no dossier \"d9\" in campaign \"c1\"");
  expectRefused(campaign("c1", campaign_command::DeclareConflict{"juror-1", "d1"}, ""),
                ErrorCode::InvalidInput, "needs a reason");
  ASSERT_TRUE(campaign("c1", campaign_command::DeclareConflict{"juror-1", "d1"}, "a link"));
  expectRefused(campaign("c1", campaign_command::DeclareConflict{"juror-1", "d1"}, "a link"),
                ErrorCode::Conflict, "already declared");
}

TEST_F(WorkflowTest, TheBudgetEnvelopeCannotGoBelowWhatWasGranted) {
  openCampaign("c1", fundingRules(), jurorsAndOfficials());
  expectRefused(campaign("c1", campaign_command::SetBudgetEnvelope{-1}), ErrorCode::InvalidInput,
                "envelope: must be 0 to 1000000000000000 cents, got -1");
  // Past the largest amount parcours keeps, so sums of grants cannot overflow.
  expectRefused(campaign("c1", campaign_command::SetBudgetEnvelope{centsMax + 1}),
                ErrorCode::InvalidInput, "got 1000000000000001");
  ASSERT_TRUE(campaign("c1", campaign_command::SetBudgetEnvelope{200000}, "second tranche"));
  EXPECT_EQ(workflow_->loadCampaign("c1")->envelopeCents, 200000);
  // Amending the deadline with the original file keeps the second tranche.
  CampaignRules later = fundingRules();
  later.deadlineLocal = "2020-06-10T23:59:59";
  later.deadlineMicros = engine::toMicros(parisTime(later.deadlineLocal));
  ASSERT_TRUE(campaign("c1", campaign_command::AmendRules{later}, "deadline extended"));
  auto amended = workflow_->loadCampaign("c1");
  EXPECT_EQ(amended->envelopeCents, 200000);
  EXPECT_EQ(amended->rules().budgetEnvelopeCents, 200000);
  EXPECT_EQ(amended->rulesVersion(), 2u);
  // An amendment that names another envelope sets it.
  later.budgetEnvelopeCents = 150000;
  ASSERT_TRUE(campaign("c1", campaign_command::AmendRules{later}, "envelope cut"));
  EXPECT_EQ(workflow_->loadCampaign("c1")->envelopeCents, 150000);
}

TEST_F(WorkflowTest, TheSameCommandIdIsHandledOnce) {
  openCampaign("c1", labelRules(), threeJurors());
  const CommandContext context{{"submit-d1-once", "applicant-1", "", ""}, ""};
  auto first = workflow_->dossier("d1", cmd::Submit{"c1", application()}, context);
  ASSERT_TRUE(first) << first.error().message;
  const auto head = log_->head();
  auto again = workflow_->dossier("d1", cmd::Submit{"c1", application()}, context);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->deduplicated);
  EXPECT_EQ(again->firstPosition, first->firstPosition);
  EXPECT_EQ(log_->head(), head);
}

TEST_F(WorkflowTest, ACommandIdReusedOnAnotherDossierIsRefusedAndWritesNothing) {
  openCampaign("c1", labelRules(), threeJurors());
  const CommandContext context{{"cmd-1", "applicant-1", "", ""}, ""};
  ASSERT_TRUE(workflow_->dossier("d1", cmd::Submit{"c1", application()}, context));
  const auto head = log_->head();
  auto reused = workflow_->dossier("d2", cmd::Submit{"c1", application()}, context);
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code, ErrorCode::InvalidInput);
  EXPECT_THAT(reused.error().message,
              HasSubstr("command id \"cmd-1\" was already used by a command on dossier-d1, not "
                        "on dossier-d2"));
  EXPECT_EQ(log_->head(), head);
  auto onCampaign =
      workflow_->campaign("c1", campaign_command::ChangePhase{Phase::Closed}, context);
  ASSERT_FALSE(onCampaign);
  EXPECT_EQ(onCampaign.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(workflow_->loadDossier("d2"));
}

TEST_F(WorkflowTest, UnknownIdsAreNotFound) {
  openCampaign("c1", labelRules(), threeJurors());
  expectRefused(dossier("ghost", cmd::ConfirmEligibility{}), ErrorCode::NotFound,
                "no dossier \"ghost\"");
  auto d = workflow_->loadDossier("ghost");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::NotFound);
  auto c = workflow_->loadCampaign("ghost");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, ErrorCode::NotFound);
  expectRefused(campaign("ghost", campaign_command::ChangePhase{Phase::Closed}),
                ErrorCode::NotFound, "no campaign \"ghost\"");
}

TEST_F(WorkflowTest, ACorruptedPayloadIsReportedNotFolded) {
  openCampaign("c1", labelRules(), threeJurors());
  ASSERT_TRUE(log_->append(dossierStream("bad"), store::ExpectedVersion::noStream(),
                           {{"DossierSubmitted", "not a capnp message"}}, {}));
  auto d = workflow_->loadDossier("bad");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::Corruption);
  EXPECT_THAT(d.error().message, HasSubstr("stream \"dossier-bad\" at version 1"));
}

}  // namespace
}  // namespace parcours::testing
