// The views administrators read, over a real log driven through the
// Workflow service: each view's content, live views equal to rebuilt ones
// byte for byte, unknown ids, the CSV export. A synthetic history of a few
// thousand events (several commits of the runner) checks that catching up
// in small steps and rebuilding agree (`parcours bench rebuild` measures
// rebuilds).
#include "parcours/workflows/views.h"

#include <capnp/message.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "parcours/engine/projection.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/past_views.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
using ::testing::ElementsAre;
using ::testing::HasSubstr;


cmd::RecordScore labelScore(const std::string& juror, std::uint32_t innovation,
                            std::uint32_t users) {
  return {juror, {{"innovation", innovation}, {"users", users}}};
}

std::vector<std::string> ids(const std::vector<DossierRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.dossierId);
  return out;
}

std::map<std::string, std::vector<store::Row>> dumpAll(const Views& views) {
  std::map<std::string, std::vector<store::Row>> out;
  for (const auto& [name, table] : views.tables()) {
    auto rows = engine::dumpTable(*table);
    EXPECT_TRUE(rows) << rows.error().message;
    if (rows) out[name] = std::move(*rows);
  }
  return out;
}

// A table's rows, without the runner's checkpoint (keys starting 0x00).
std::vector<store::Row> rowsOnly(const store::Table& table) {
  auto rows = engine::dumpTable(table);
  EXPECT_TRUE(rows) << rows.error().message;
  std::vector<store::Row> out;
  if (!rows) return out;
  for (auto& row : *rows) {
    if (!row.first.empty() && row.first[0] != '\0') out.push_back(std::move(row));
  }
  return out;
}

class ViewsTest : public WorkflowFixture {
 protected:
  void ok(const std::string& id, const DossierCommand& c, const std::string& reason = "because",
          const std::string& actor = "instructor-1") {
    auto r = dossier(id, c, reason, actor);
    ASSERT_TRUE(r) << id << ": " << commandName(c) << ": " << r.error().message;
    if (afterCommand_) afterCommand_();
  }

  std::function<void()> afterCommand_;  // run after each dossier command of history()

  std::unique_ptr<Views> openViews() {
    auto views = Views::open(*log_, testLogger());
    EXPECT_TRUE(views) << views.error().message;
    return views ? std::move(*views) : nullptr;
  }

  Application labelApplication(const std::string& title, const std::string& kind = "commune") {
    Application a = application(kind);
    a.title = title;
    a.applicantName = "Fictional " + title;
    return a;
  }

  // Two campaigns: a label call with dossiers in most states, a funding
  // call with two grants. Scores: L1 9/9 (mean 9.000), L2 7/7, L9 7/7
  // (7.000, a shared rank), L3 3/3 (below the 6.000 threshold).
  void history() {
    openCampaign(kLabel, labelRules(), threeJurors());
    openCampaign(kFunding, fundingRules(), jurorsAndOfficials());

    const auto slot = engine::toMicros(parisTime("2020-06-23T14:00:00"));
    auto toScored = [&](const std::string& id, std::uint32_t score) {
      ok(id, cmd::ConfirmEligibility{});
      ok(id, cmd::ScheduleAudition{slot});
      ok(id, cmd::RecordAuditionHeld{});
      for (const char* juror : {"juror-1", "juror-2", "juror-3"}) {
        ok(id, labelScore(juror, score, score), "", juror);
      }
      ok(id, cmd::CloseScoring{}, "every juror scored");
    };
    auto vote = [&](const std::string& id, VoteChoice choice) {
      ok(id, cmd::CastVote{"juror-1", choice}, "", "juror-1");
      ok(id, cmd::CastVote{"juror-2", choice}, "", "juror-2");
      ok(id, cmd::CloseVote{});
    };

    submit("L1", kLabel, labelApplication("Smart lights"));
    submit("L2", kLabel, labelApplication("Shared data", "communaute_de_communes"));
    submit("L3", kLabel, labelApplication("Paper forms"));
    submit("L4", kLabel, labelApplication("Late idea"));
    submit("L5", kLabel, labelApplication("Changed mind"));
    submit("L6", kLabel, labelApplication("Just filed"));
    submit("L7", kLabel, labelApplication("Checked"));
    submit("L8", kLabel, labelApplication("Absent"));
    submit("L9", kLabel, labelApplication("Tied"));
    clock_.advance(std::chrono::hours(24 * 30));

    ASSERT_TRUE(campaign(kLabel, campaign_command::DeclareConflict{"juror-3", "L2"}, "cousin"));
    ASSERT_TRUE(campaign(kLabel, campaign_command::RuleConflict{"juror-3", "L2", true, {}}, "upheld"));
    toScored("L1", 9);
    vote("L1", VoteChoice::Yes);
    ok("L1", cmd::Award{0}, "laureate");
    ok("L2", cmd::ConfirmEligibility{});
    ok("L2", cmd::ScheduleAudition{slot});
    ok("L2", cmd::RecordAuditionHeld{});
    ok("L2", labelScore("juror-1", 7, 7), "", "juror-1");
    ok("L2", labelScore("juror-2", 7, 7), "", "juror-2");
    ok("L2", cmd::CloseScoring{});
    vote("L2", VoteChoice::No);
    toScored("L3", 3);
    ok("L4", cmd::DeclareIneligible{}, "=HYPERLINK(\"x\"), not a commune");
    ok("L5", cmd::Withdraw{}, "changed our mind", "applicant-1");
    ok("L7", cmd::ConfirmEligibility{});
    ok("L8", cmd::ConfirmEligibility{});
    ok("L8", cmd::ScheduleAudition{slot});
    ok("L8", cmd::RecordNoShow{});
    toScored("L9", 7);

    Application f1 = application("communaute_de_communes", 60000);
    f1.strands = {"1", "2"};
    Application f2 = application("metropole", 40000);
    f2.strands = {"2"};
    Application f3 = application("metropole", 10000);
    f3.strands = {"1"};
    clock_.set(parisTime("2020-05-20T09:00:00"));
    submit("F1", kFunding, f1);
    submit("F2", kFunding, f2);
    submit("F3", kFunding, f3);
    for (const char* id : {"F1", "F2"}) {
      ok(id, cmd::ConfirmEligibility{});
      ok(id, cmd::RecordScore{"juror-1", {{"quality", 8}}}, "", "juror-1");
      ok(id, cmd::RecordScore{"juror-2", {{"quality", 6}}}, "", "juror-2");
      ok(id, cmd::CloseScoring{});
      ok(id, cmd::CastVote{"official-1", VoteChoice::Yes}, "", "official-1");
      ok(id, cmd::CastVote{"official-2", VoteChoice::Yes}, "", "official-2");
      ok(id, cmd::CloseVote{});
    }
    ok("F1", cmd::Award{50000}, "first laureate");
    ok("F2", cmd::Award{40000}, "second laureate");
    ASSERT_TRUE(campaign(kFunding, campaign_command::SetBudgetEnvelope{120000}, "top-up"));
    ASSERT_TRUE(campaign(kFunding, campaign_command::ChangePhase{Phase::Deliberation}));
  }
};

// ---------------------------------------------------------------- status

TEST_F(ViewsTest, StatusListsDossiersPerCampaignAndStateInPages) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);
  EXPECT_EQ(views->checkpoint(), log_->head());

  auto scored = views->status(kLabel, DossierStatus::Scored, "", 100);
  ASSERT_TRUE(scored) << scored.error().message;
  EXPECT_THAT(ids(scored->rows), ElementsAre("L9"));
  EXPECT_TRUE(scored->nextCursor.empty());

  auto all = views->status(kLabel, std::nullopt, "", 100);
  ASSERT_TRUE(all) << all.error().message;
  // Workflow order of the states, then dossier id.
  EXPECT_THAT(ids(all->rows), ElementsAre("L6", "L7", "L9", "L1", "L4", "L8", "L3", "L2", "L5"));
  for (const auto& row : all->rows) EXPECT_EQ(row.campaignId, kLabel);

  // Pages of 4: the cursors chain and nothing is repeated or lost.
  std::vector<std::string> paged;
  std::string cursor;
  int pages = 0;
  do {
    auto page = views->status(kLabel, std::nullopt, cursor, 4);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& row : page->rows) paged.push_back(row.dossierId);
    cursor = page->nextCursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(paged, ids(all->rows));

  // Exactly one page's worth: no empty page after it.
  auto exact = views->status(kFunding, std::nullopt, "", 3);
  ASSERT_TRUE(exact);
  EXPECT_THAT(ids(exact->rows), ElementsAre("F3", "F1", "F2"));
  EXPECT_TRUE(exact->nextCursor.empty());

  // Every campaign, one state: one page at a time across campaigns.
  std::vector<std::string> labelled;
  cursor.clear();
  do {
    auto page = views->status("", DossierStatus::Labelled, cursor, 1);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& row : page->rows) labelled.push_back(row.dossierId);
    cursor = page->nextCursor;
  } while (!cursor.empty());
  EXPECT_THAT(labelled, ElementsAre("F1", "F2", "L1"));

  auto everything = views->status("", std::nullopt, "", 100);
  ASSERT_TRUE(everything);
  EXPECT_EQ(everything->rows.size(), 12u);
}

TEST_F(ViewsTest, StatusRefusesBadPagesAndUnknownCampaigns) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);
  auto zero = views->status(kLabel, std::nullopt, "", 0);
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::InvalidInput);
  auto huge = views->status(kLabel, std::nullopt, "", 1'000'000);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::InvalidInput);
  auto foreign = views->status(kLabel, std::nullopt, "funding-2020/01/F3", 10);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::InvalidInput);
  EXPECT_THAT(foreign.error().message, HasSubstr("does not come from this query"));
  auto unknown = views->status("nope", std::nullopt, "", 10);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_THAT(unknown.error().message, HasSubstr("no campaign \"nope\""));
  auto malformed = views->status("a/b", std::nullopt, "", 10);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, ErrorCode::InvalidInput);
}

// ---------------------------------------------------------------- detail

TEST_F(ViewsTest, DetailShowsWhereTheDossierStandsWithoutPersonalData) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);

  auto l1 = views->dossier("L1");
  ASSERT_TRUE(l1) << l1.error().message;
  EXPECT_EQ(l1->status, DossierStatus::Labelled);
  EXPECT_EQ(l1->campaignId, kLabel);
  EXPECT_EQ(l1->title, "Smart lights");
  EXPECT_EQ(l1->applicantName, "Fictional Smart lights");
  EXPECT_EQ(l1->applicantKind, "commune");
  EXPECT_EQ(l1->meanMilli, 9000u);
  EXPECT_EQ(l1->labelName, "Test Label");
  EXPECT_EQ(l1->submittedAtMicros, engine::toMicros(parisTime("2020-05-15T10:00:00")));
  EXPECT_TRUE(l1->auditionSlotMicros.has_value());

  auto f1 = views->dossier("F1");
  ASSERT_TRUE(f1) << f1.error().message;
  EXPECT_EQ(f1->status, DossierStatus::Labelled);
  EXPECT_EQ(f1->grantedCents, 50000);
  EXPECT_EQ(f1->requestedCents, 60000);
  EXPECT_THAT(f1->strands, ElementsAre("1", "2"));

  auto l6 = views->dossier("L6");
  ASSERT_TRUE(l6);
  EXPECT_EQ(l6->status, DossierStatus::Submitted);
  EXPECT_FALSE(l6->meanMilli.has_value());
  EXPECT_EQ(l6->version, 1u);

  // The views and the domain's own fold agree on every dossier.
  for (const char* id : {"L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8", "L9", "F1", "F2", "F3"}) {
    auto row = views->dossier(id);
    auto state = workflow_->loadDossier(id);
    ASSERT_TRUE(row && state) << id;
    EXPECT_EQ(row->status, state->status) << id;
    EXPECT_EQ(row->version, state->version) << id;
    EXPECT_EQ(row->grantedCents, state->grantedCents) << id;
    auto events = log_->readStream(dossierStream(id), 0, store::Direction::Backward, 1);
    ASSERT_TRUE(events && !events->empty());
    EXPECT_EQ(row->lastPosition, events->front().position) << id;
    EXPECT_EQ(row->updatedAtMicros, events->front().recordedAtMicros) << id;
  }

  // No view row holds the contact's name, e-mail or phone.
  for (const auto& [name, rows] : dumpAll(*views)) {
    for (const auto& [key, value] : rows) {
      EXPECT_THAT(value, ::testing::Not(HasSubstr("camille@example.org"))) << name << " " << key;
      EXPECT_THAT(value, ::testing::Not(HasSubstr("Camille Exemple"))) << name << " " << key;
    }
  }
}

TEST_F(ViewsTest, TimelineTellsEveryStepInWords) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);
  auto timeline = views->timeline("L1");
  ASSERT_TRUE(timeline) << timeline.error().message;
  ASSERT_EQ(timeline->size(), 12u);
  for (std::size_t i = 0; i < timeline->size(); ++i) {
    EXPECT_EQ((*timeline)[i].streamVersion, i + 1);
    if (i > 0) {
      EXPECT_GT((*timeline)[i].position, (*timeline)[i - 1].position);
    }
    EXPECT_EQ((*timeline)[i].rulesVersion, 1u);
  }
  const auto& t = *timeline;
  EXPECT_EQ(t[0].eventType, "DossierSubmitted");
  EXPECT_EQ(t[0].actor, "applicant-1");
  EXPECT_EQ(t[0].summary,
            "submitted by Fictional Smart lights (commune): \"Smart lights\", asking €500.00");
  EXPECT_EQ(t[1].summary, "declared eligible");
  EXPECT_EQ(t[2].summary, "audition scheduled for 2020-06-23T12:00:00+00:00");
  EXPECT_EQ(t[6].eventType, "ScoreRecorded");
  EXPECT_EQ(t[6].actor, "juror-3");
  EXPECT_EQ(t[6].summary, "scored by juror-3: innovation 9, users 9");
  EXPECT_EQ(t[7].summary,
            "scoring closed: mean 9.000 (threshold 6.000) over 3 jurors: passed "
            "(innovation 9.000, users 9.000)");
  EXPECT_EQ(t[7].reason, "every juror scored");
  EXPECT_EQ(t[8].summary, "vote cast by juror-1: yes");
  EXPECT_EQ(t[10].summary, "vote closed: 2 yes, 0 no, 0 abstain of 3 voters: carried");
  EXPECT_EQ(t[11].summary, "label awarded: \"Test Label\"");
  EXPECT_EQ(t[11].reason, "laureate");

  auto l2 = views->timeline("L2");
  ASSERT_TRUE(l2);
  EXPECT_EQ(l2->back().summary, "vote closed: 0 yes, 2 no, 0 abstain of 2 voters: rejected");
}

// ---------------------------------------------------------------- audit

TEST_F(ViewsTest, AuditTrailsSayWhoWhatWhenWhyAndUnderWhichRules) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);

  auto l4 = views->dossierAudit("L4");
  ASSERT_TRUE(l4) << l4.error().message;
  ASSERT_EQ(l4->size(), 2u);
  EXPECT_EQ((*l4)[1].eventType, "DossierDeclaredIneligible");
  EXPECT_EQ((*l4)[1].actor, "instructor-1");
  EXPECT_EQ((*l4)[1].reason, "=HYPERLINK(\"x\"), not a commune");
  EXPECT_EQ((*l4)[1].campaignId, kLabel);
  EXPECT_EQ((*l4)[1].dossierId, "L4");
  EXPECT_EQ((*l4)[1].streamId, "dossier-L4");
  EXPECT_EQ((*l4)[1].rulesVersion, 1u);
  EXPECT_EQ((*l4)[1].recordedAtMicros, engine::toMicros(parisTime("2020-06-14T10:00:00")));

  // A dossier's trail includes the campaign's decisions about it.
  auto l2 = views->dossierAudit("L2");
  ASSERT_TRUE(l2);
  EXPECT_EQ((*l2)[1].eventType, "ConflictDeclared");
  EXPECT_EQ((*l2)[1].streamId, "campaign-label-2020");
  EXPECT_EQ((*l2)[1].summary,
            "conflict of interest declared by the administrator: juror-3 with dossier L2 (awaits "
            "a ruling)");
  EXPECT_EQ((*l2)[1].reason, "cousin");
  EXPECT_EQ((*l2)[2].eventType, "ConflictRuled");
  EXPECT_EQ((*l2)[2].summary, "conflict of interest of juror-3 with dossier L2 upheld: recused");
  auto f1 = views->dossierAudit("F1");
  ASSERT_TRUE(f1);
  ASSERT_GE(f1->size(), 2u);
  EXPECT_EQ(f1->back().eventType, "FundingCommitted");
  EXPECT_EQ(f1->back().summary, "€500.00 committed to dossier F1; €500.00 granted in total");
  EXPECT_EQ((*f1)[f1->size() - 2].eventType, "FundingGranted");

  // The campaign's trail: its own events and its dossiers', in log order.
  auto funding = views->campaignAudit(kFunding);
  ASSERT_TRUE(funding) << funding.error().message;
  EXPECT_EQ(funding->front().eventType, "CampaignOpened");
  EXPECT_THAT(funding->front().summary, HasSubstr("campaign opened: \"Test Funding Call 2020\""));
  // Opening scheduled the deadline's timer; the phase changed by hand out
  // of submissions cancelled it, in the same append.
  ASSERT_GE(funding->size(), 4u);
  EXPECT_EQ(funding->at(1).eventType, "TimerScheduled");
  EXPECT_EQ(funding->at(1).summary,
            "timer campaign-funding-2020:close-submissions:2 scheduled, due "
            "2020-06-03T22:00:00.000000Z");
  EXPECT_EQ(funding->at(2).summary,
            "jury appointed: jurors juror-1, juror-2; elected officials official-1, official-2, "
            "official-3");
  EXPECT_EQ((*funding)[funding->size() - 2].summary, "phase changed to deliberation");
  EXPECT_EQ(funding->back().eventType, "TimerCancelled");
  EXPECT_EQ(funding->back().summary,
            "timer campaign-funding-2020:close-submissions:2 cancelled (was due "
            "2020-06-03T22:00:00.000000Z)");
  EXPECT_EQ(funding->back().position, (*funding)[funding->size() - 2].position + 1);
  for (std::size_t i = 1; i < funding->size(); ++i) {
    EXPECT_GT((*funding)[i].position, (*funding)[i - 1].position);
    EXPECT_EQ((*funding)[i].campaignId, kFunding);
  }
  std::size_t fromLog = 0;
  auto events = log_->readAll(1, 100'000);
  ASSERT_TRUE(events) << events.error().message;
  for (const auto& e : *events) {
    if (e.streamId == "campaign-funding-2020" || e.streamId.starts_with("dossier-F")) ++fromLog;
  }
  EXPECT_EQ(funding->size(), fromLog);

  // Paging by position.
  auto firstThree = views->campaignAudit(kFunding, {0, 3});
  ASSERT_TRUE(firstThree);
  ASSERT_EQ(firstThree->size(), 3u);
  auto rest = views->campaignAudit(kFunding, {firstThree->back().position, 0});
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->size(), funding->size() - 3);
  EXPECT_EQ(rest->front(), (*funding)[3]);
  auto past = views->dossierAudit("F1", {f1->back().position, 10});
  ASSERT_TRUE(past);
  EXPECT_TRUE(past->empty());
}

// ---------------------------------------------------------------- campaigns

TEST_F(ViewsTest, CampaignsStatsLeaderboardAndBudget) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);

  auto campaigns = views->campaigns();
  ASSERT_TRUE(campaigns) << campaigns.error().message;
  ASSERT_EQ(campaigns->size(), 2u);
  const CampaignSummary& funding = (*campaigns)[0];
  EXPECT_EQ(funding.campaignId, kFunding);
  EXPECT_EQ(funding.name, "Test Funding Call 2020");
  EXPECT_EQ(funding.organiser, "Test Region");
  EXPECT_EQ(funding.phase, Phase::Deliberation);
  EXPECT_EQ(funding.rulesVersion, 1u);
  EXPECT_EQ(funding.dossiers, 3u);
  EXPECT_EQ(funding.envelopeCents, 120000);
  EXPECT_EQ(funding.grantedCents, 90000);
  EXPECT_EQ((*campaigns)[1].campaignId, kLabel);
  EXPECT_EQ((*campaigns)[1].labelName, "Test Label");
  EXPECT_EQ((*campaigns)[1].phase, Phase::Submissions);

  auto label = views->stats(kLabel);
  ASSERT_TRUE(label) << label.error().message;
  EXPECT_EQ(label->name, "Test Label 2020");
  EXPECT_EQ(label->total, 9u);
  const std::map<std::string, std::uint64_t> byStatus{
      {"below_threshold", 1}, {"eligible", 1}, {"ineligible", 1}, {"labelled", 1}, {"no_show", 1},
      {"rejected", 1},        {"scored", 1},   {"submitted", 1},  {"withdrawn", 1}};
  EXPECT_EQ(label->byStatus, byStatus);
  EXPECT_EQ(label->byApplicantKind,
            (std::map<std::string, std::uint64_t>{{"commune", 8}, {"communaute_de_communes", 1}}));
  EXPECT_TRUE(label->byStrand.empty());

  auto fundingStats = views->stats(kFunding);
  ASSERT_TRUE(fundingStats);
  EXPECT_EQ(fundingStats->total, 3u);
  EXPECT_EQ(fundingStats->byStatus,
            (std::map<std::string, std::uint64_t>{{"labelled", 2}, {"submitted", 1}}));
  EXPECT_EQ(fundingStats->byStrand, (std::map<std::string, std::uint64_t>{{"1", 2}, {"2", 2}}));
  EXPECT_EQ(fundingStats->byApplicantKind, (std::map<std::string, std::uint64_t>{
                                               {"communaute_de_communes", 1}, {"metropole", 2}}));

  auto board = views->leaderboard(kLabel);
  ASSERT_TRUE(board) << board.error().message;
  ASSERT_EQ(board->size(), 4u);
  const auto& b = *board;
  EXPECT_EQ(b[0].dossierId, "L1");
  EXPECT_EQ(b[0].rank, 1u);
  EXPECT_EQ(b[0].meanMilli, 9000u);
  EXPECT_EQ(b[0].title, "Smart lights");
  EXPECT_EQ(b[0].status, DossierStatus::Labelled);
  EXPECT_EQ(b[0].jurorsCounted, 3u);
  EXPECT_EQ(b[0].criterionMeansMilli,
            (std::map<std::string, std::uint32_t>{{"innovation", 9000}, {"users", 9000}}));
  EXPECT_EQ(b[1].dossierId, "L2");  // equal means: by dossier id, sharing rank 2
  EXPECT_EQ(b[1].rank, 2u);
  EXPECT_EQ(b[1].jurorsCounted, 2u);  // juror-3 was recused
  EXPECT_EQ(b[1].status, DossierStatus::Rejected);
  EXPECT_EQ(b[2].dossierId, "L9");
  EXPECT_EQ(b[2].rank, 2u);
  EXPECT_EQ(b[2].status, DossierStatus::Scored);
  EXPECT_EQ(b[3].dossierId, "L3");
  EXPECT_EQ(b[3].rank, 4u);
  EXPECT_FALSE(b[3].passed);
  EXPECT_EQ(b[3].status, DossierStatus::BelowThreshold);
  EXPECT_EQ(b[3].thresholdMilli, 6000u);

  auto budget = views->budget(kFunding);
  ASSERT_TRUE(budget) << budget.error().message;
  EXPECT_EQ(budget->envelopeCents, 120000);
  EXPECT_EQ(budget->grantedCents, 90000);
  EXPECT_EQ(budget->remainingCents, 30000);
  ASSERT_EQ(budget->grants.size(), 2u);
  EXPECT_EQ(budget->grants[0].dossierId, "F1");
  EXPECT_EQ(budget->grants[0].amountCents, 50000);
  EXPECT_EQ(budget->grants[1].dossierId, "F2");
  EXPECT_EQ(budget->grants[1].amountCents, 40000);
  EXPECT_LT(budget->grants[0].position, budget->grants[1].position);

  auto none = views->budget(kLabel);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->envelopeCents, 0);
  EXPECT_TRUE(none->grants.empty());
}

TEST_F(ViewsTest, AmendedRulesShowInTheSummary) {
  openCampaign(kLabel, labelRules(), threeJurors());
  CampaignRules later = labelRules();
  later.name = "Test Label 2020 (extended)";
  later.deadlineLocal = "2020-06-20T23:59:59";
  later.deadlineMicros = engine::toMicros(parisTime(later.deadlineLocal));
  ASSERT_TRUE(campaign(kLabel, campaign_command::AmendRules{later}, "deadline extended"));
  auto views = openViews();
  ASSERT_TRUE(views);
  auto c = views->campaign(kLabel);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->rulesVersion, 2u);
  EXPECT_EQ(c->name, "Test Label 2020 (extended)");
  EXPECT_EQ(c->deadlineMicros, later.deadlineMicros);
  EXPECT_EQ(c->timeZone, "Europe/Paris");
  auto stats = views->stats(kLabel);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->total, 0u);
  EXPECT_TRUE(stats->byStatus.empty());
  auto board = views->leaderboard(kLabel);
  ASSERT_TRUE(board);
  EXPECT_TRUE(board->empty());
}

// ---------------------------------------------------------------- unknown ids

TEST_F(ViewsTest, UnknownIdsAreNotFoundWithAMessage) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);
  auto expectNotFound = [](const auto& result, const std::string& words) {
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::NotFound) << result.error().message;
    EXPECT_THAT(result.error().message, HasSubstr(words));
  };
  expectNotFound(views->dossier("ghost"), "no dossier \"ghost\"");
  expectNotFound(views->dossier("ghost"), "up to position " + std::to_string(log_->head()));
  expectNotFound(views->timeline("ghost"), "no dossier \"ghost\"");
  expectNotFound(views->dossierAudit("ghost"), "no dossier \"ghost\"");
  expectNotFound(views->campaignAudit("ghost"), "no campaign \"ghost\"");
  expectNotFound(views->stats("ghost"), "no campaign \"ghost\"");
  expectNotFound(views->leaderboard("ghost"), "no campaign \"ghost\"");
  expectNotFound(views->budget("ghost"), "no campaign \"ghost\"");
  expectNotFound(views->campaign("ghost"), "no campaign \"ghost\"");
  // Not an id at all: the input is wrong, not missing.
  auto bad = views->dossier("../L1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidInput);
  // A prefix of a real id is not that id.
  expectNotFound(views->timeline("L"), "no dossier \"L\"");
}

// ---------------------------------------------------------------- live = rebuilt

TEST_F(ViewsTest, LiveViewsEqualRebuiltViewsByteForByte) {
  auto views = openViews();
  ASSERT_TRUE(views);
  views->startLive();
  history();
  const auto head = log_->head();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (views->checkpoint() < head && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  views->stop();
  ASSERT_EQ(views->checkpoint(), head);
  EXPECT_FALSE(views->lastLiveError().has_value());
  const auto live = dumpAll(*views);
  ASSERT_EQ(live.size(), 3u);
  for (const auto& [name, rows] : live) EXPECT_GT(rows.size(), 10u) << name;

  std::vector<std::string> told;
  auto rebuilt = views->rebuild([&](std::string_view view, store::Position done, store::Position) {
    told.push_back(std::string(view) + "@" + std::to_string(done));
  });
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(*rebuilt, head);
  EXPECT_EQ(told.size(), 3u);
  EXPECT_EQ(dumpAll(*views), live);

  // A fresh Views over the same log reopens the rebuilt tables.
  views.reset();
  auto reopened = openViews();
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->checkpoint(), head);
  EXPECT_EQ(dumpAll(*reopened), live);
}

TEST_F(ViewsTest, CatchingUpAfterEachCommandEqualsARebuild) {
  auto views = openViews();
  ASSERT_TRUE(views);
  // Each command's events become their own commit of the views.
  afterCommand_ = [&] { ASSERT_TRUE(views->catchUp()); };
  history();
  ASSERT_TRUE(views->catchUp());
  const auto stepwise = dumpAll(*views);
  ASSERT_TRUE(views->rebuild());
  EXPECT_EQ(dumpAll(*views), stepwise);
}

// ---------------------------------------------------------------- synthetic history

// Events written straight to the log (not through the Workflow service):
// many dossiers interleaved, to exercise several runner commits, the
// projections' caches across them, and the rebuild speed.
class SyntheticHistory {
 public:
  SyntheticHistory(store::EventLog& log, std::size_t dossiers) : log_(log), dossiers_(dossiers) {}

  // Appends the campaign, then every dossier's events, 16 dossiers at a
  // time, one event each per append, so dossiers interleave. Calls
  // `between` after each append.
  void write(const std::function<void()>& between = {}) {
    capnp::MallocMessageBuilder opened;
    auto c = opened.initRoot<schema::CampaignEvent>();
    c.setCampaignId("synthetic");
    c.setRulesVersion(1);
    writeRules(labelRules(), c.initCampaignOpened().initRules());
    append({{campaignStream("synthetic"),
             store::ExpectedVersion::noStream(),
             {{"CampaignOpened", flattenMessage(opened)}}}});
    for (std::size_t first = 0; first < dossiers_; first += 16) {
      const std::size_t last = std::min(dossiers_, first + 16);
      for (std::size_t step = 0;; ++step) {
        std::vector<store::StreamWrite> writes;
        for (std::size_t i = first; i < last; ++i) {
          auto event = eventOf(i, step);
          if (!event) continue;
          writes.push_back({dossierStream(idOf(i)), store::ExpectedVersion::any(), {*event}});
        }
        if (writes.empty()) break;
        append(std::move(writes));
        if (between) between();
      }
    }
  }

  std::size_t events() const { return log_.head(); }

 private:
  static std::string idOf(std::size_t i) { return "d" + std::to_string(i); }

  template <typename Init>
  store::NewEvent dossierEvent(std::size_t i, const char* type, Init init) {
    capnp::MallocMessageBuilder message;
    auto e = message.initRoot<schema::DossierEvent>();
    e.setCampaignId("synthetic");
    e.setDossierId(idOf(i));
    e.setRulesVersion(1);
    e.setReason("synthetic");
    init(e);
    return {type, flattenMessage(message)};
  }

  // Dossier i's step-th event, or none once its story is over. Every
  // seventh withdraws after eligibility; the others are scored (means
  // spread over 0..9.999), and the ones that pass are voted on, two out of
  // three carried and labelled.
  std::optional<store::NewEvent> eventOf(std::size_t i, std::size_t step) {
    using E = schema::DossierEvent::Builder;
    const std::uint32_t mean = static_cast<std::uint32_t>((i * 7919) % 10000);
    const bool passed = mean >= 6000;
    const bool carried = i % 3 != 0;
    const char* juror[] = {"juror-1", "juror-2", "juror-3"};
    switch (step) {
      case 0:
        return dossierEvent(i, "DossierSubmitted", [&](E e) {
          auto a = e.initDossierSubmitted().initApplication();
          a.setApplicantName("Fictional applicant " + std::to_string(i));
          a.setApplicantKind(i % 2 ? "commune" : "communaute_de_communes");
          a.setTitle("Project " + std::to_string(i));
          a.setSummary("A synthetic project, for volume.");
          auto strands = a.initStrands(i % 4 == 0 ? 2 : 1);
          strands.set(0, "1");
          if (i % 4 == 0) strands.set(1, "2");
          a.setRequestedCents(static_cast<std::int64_t>(1000 + i));
        });
      case 1:
        return dossierEvent(i, "EligibilityConfirmed", [](E e) { e.setEligibilityConfirmed(); });
      case 2:
      case 3:
      case 4:
        if (i % 7 == 0) {
          if (step > 2) return std::nullopt;
          return dossierEvent(i, "DossierWithdrawn", [](E e) { e.setDossierWithdrawn(); });
        }
        return dossierEvent(i, "ScoreRecorded", [&](E e) {
          auto s = e.initScoreRecorded();
          s.setJurorId(juror[step - 2]);
          auto scores = s.initScores(2);
          scores[0].setCriterionId("innovation");
          scores[0].setValue(mean / 1000);
          scores[1].setCriterionId("users");
          scores[1].setValue(mean / 1000);
        });
      case 5:
        if (i % 7 == 0) return std::nullopt;
        return dossierEvent(i, "ScoringClosed", [&](E e) {
          auto s = e.initScoringClosed();
          s.setMeanMilli(mean);
          s.setThresholdMilli(6000);
          s.setPassed(passed);
          s.setJurorsCounted(3);
          auto criteria = s.initCriteria(2);
          criteria[0].setCriterionId("innovation");
          criteria[0].setMeanMilli(mean);
          criteria[1].setCriterionId("users");
          criteria[1].setMeanMilli(mean);
        });
      case 6:
      case 7:
        if (i % 7 == 0 || !passed) return std::nullopt;
        return dossierEvent(i, "VoteCast", [&](E e) {
          auto v = e.initVoteCast();
          v.setVoterId(juror[step - 6]);
          v.setChoice(carried ? schema::VoteChoice::YES : schema::VoteChoice::NO);
        });
      case 8:
        if (i % 7 == 0 || !passed) return std::nullopt;
        return dossierEvent(i, "VoteClosed", [&](E e) {
          auto v = e.initVoteClosed();
          v.setYes(carried ? 2 : 0);
          v.setNo(carried ? 0 : 2);
          v.setEligibleVoters(3);
          v.setCarried(carried);
        });
      case 9:
        if (i % 7 == 0 || !passed || !carried) return std::nullopt;
        return dossierEvent(i, "LabelAwarded",
                            [](E e) { e.initLabelAwarded().setLabelName("Test Label"); });
      default:
        return std::nullopt;
    }
  }

  void append(std::vector<store::StreamWrite> writes) {
    store::AppendRequest request;
    request.streams = std::move(writes);
    request.context.actor = "generator";
    request.context.recordedAtMicros = 1'590'000'000'000'000 + static_cast<std::int64_t>(appends_);
    ++appends_;
    auto appended = log_.append(std::move(request));
    ASSERT_TRUE(appended) << appended.error().message;
  }

  store::EventLog& log_;
  std::size_t dossiers_;
  std::size_t appends_ = 0;
};

// Builds a projection's rows the way engine::ProjectionRunner does, with a
// chosen commit size: apply `perCommit` events, flush, commit. Returns the rows (the
// runner's checkpoint row aside).
template <typename P>
std::vector<store::Row> buildWithFlush(store::EventLog& log, P& projection,
                                       const std::string& tableName, std::size_t perCommit) {
  auto table = log.openTable(tableName);
  EXPECT_TRUE(table);
  if (!table) return {};
  store::Position from = 1;
  while (from <= log.head()) {
    auto batch = (*table)->newBatch();
    auto last = log.scanAll(from, perCommit,
                            [&](const store::EventView& e) { return projection.apply(e, *batch); });
    EXPECT_TRUE(last) << last.error().message;
    if (!last || *last == 0) break;
    EXPECT_TRUE(projection.flush(*batch));
    EXPECT_TRUE((*table)->commit(*batch));
    from = *last + 1;
  }
  return rowsOnly(**table);
}

TEST(ViewsSyntheticTest, CatchingUpInSmallStepsEqualsARebuildAcrossManyCommits) {
  TempDir dir;
  auto log = openLog(dir.path(), /*sync=*/false);
  ASSERT_TRUE(log);
  auto opened = Views::open(*log, testLogger());
  ASSERT_TRUE(opened) << opened.error().message;
  Views& views = **opened;
  // 420 dossiers, about 3,000 events: three runner commits in the rebuild,
  // and a catch-up every 7th append in between.
  SyntheticHistory history(*log, 420);
  std::size_t appends = 0;
  history.write([&] {
    if (++appends % 7 == 0) {
      ASSERT_TRUE(views.catchUp());
    }
  });
  ASSERT_GT(history.events(), 2500u);
  ASSERT_TRUE(views.catchUp());
  const auto stepwise = dumpAll(views);

  auto rebuilt = views.rebuild();
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(*rebuilt, log->head());
  EXPECT_EQ(dumpAll(views), stepwise);

  auto stats = views.stats("synthetic");
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->total, 420u);
  std::uint64_t sum = 0;
  for (const auto& [status, n] : stats->byStatus) sum += n;
  EXPECT_EQ(sum, 420u);
  EXPECT_EQ(stats->byStatus.at("withdrawn"), 60u);
  auto board = views.leaderboard("synthetic");
  ASSERT_TRUE(board);
  EXPECT_EQ(board->size(), 360u);
  for (std::size_t i = 1; i < board->size(); ++i) {
    EXPECT_GE((*board)[i - 1].meanMilli, (*board)[i].meanMilli);
  }
}

TEST(ViewsSyntheticTest, FlushingOncePerCommitWritesTheSameRows) {
  TempDir dir;
  auto log = openLog(dir.path(), /*sync=*/false);
  ASSERT_TRUE(log);
  SyntheticHistory history(*log, 420);
  history.write();
  auto opened = Views::open(*log, testLogger());
  ASSERT_TRUE(opened) << opened.error().message;
  std::map<std::string, std::vector<store::Row>> written;
  for (const auto& [name, table] : (*opened)->tables()) written[name] = rowsOnly(*table);
  opened->reset();

  // Commits of many sizes, and small caches that must write back what is
  // pending before they forget it.
  for (std::size_t perCommit : {1u, 7u, 1000u, 100000u}) {
    const std::size_t cachedRows = perCommit == 1000 ? 5 : 100'000;
    DossierProjection dossiers(cachedRows);
    CampaignProjection campaigns(cachedRows);
    const std::string suffix = ".flush" + std::to_string(perCommit);
    EXPECT_EQ(buildWithFlush(*log, dossiers, "dossiers" + suffix, perCommit), written["dossiers"])
        << perCommit;
    EXPECT_EQ(buildWithFlush(*log, campaigns, "campaigns" + suffix, perCommit),
              written["campaigns"])
        << perCommit;
  }
}

// ---------------------------------------------------------------- CSV

TEST(ViewsCsvTest, CellsAreQuotedOnlyWhenNeededAndFormulasNeutralised) {
  EXPECT_EQ(csvCell("plain"), "plain");
  EXPECT_EQ(csvCell(""), "");
  EXPECT_EQ(csvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(csvCell("a;b"), "a;b");
  EXPECT_EQ(csvCell("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(csvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csvCell("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csvCell("=1+1"), "'=1+1");
  EXPECT_EQ(csvCell("+33 1 00"), "'+33 1 00");
  EXPECT_EQ(csvCell("-2"), "'-2");
  EXPECT_EQ(csvCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csvCell("\tx"), "'\tx");
  EXPECT_EQ(csvCell("=HYPERLINK(\"x\"), y"), "\"'=HYPERLINK(\"\"x\"\"), y\"");
  EXPECT_EQ(csvCell("a=b"), "a=b");
  EXPECT_EQ(csvCell("Région Sud — été"), "Région Sud — été");
}

TEST(ViewsCsvTest, AuditRowsHaveAHeaderCrlfAndAChoiceOfSeparator) {
  AuditEntry e;
  e.position = 42;
  e.recordedAtMicros = 1'592'604'001'000'000;  // 2020-06-19T22:00:01Z
  e.streamId = "dossier-L4";
  e.campaignId = "label-2020";
  e.dossierId = "L4";
  e.eventType = "DossierDeclaredIneligible";
  e.actor = "instructor-1";
  e.commandId = "cmd-1";
  e.reason = "=cmd|' /C calc'!A0; late";
  e.rulesVersion = 2;
  e.summary = "declared ineligible";
  EXPECT_EQ(auditCsvHeader(),
            "position,recorded_at,campaign_id,dossier_id,stream_id,event_type,actor,command_id,"
            "rules_version,reason,summary\r\n");
  EXPECT_EQ(auditCsvRow(e),
            "42,2020-06-19T22:00:01.000000Z,label-2020,L4,dossier-L4,DossierDeclaredIneligible,"
            "instructor-1,cmd-1,2,'=cmd|' /C calc'!A0; late,declared ineligible\r\n");
  CsvOptions semicolon{';', true};
  const std::string csv = auditCsv({e, e}, semicolon);
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBFposition;recorded_at;"));
  EXPECT_THAT(csv, HasSubstr(";2;\"'=cmd|' /C calc'!A0; late\";declared ineligible\r\n"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
}

TEST_F(ViewsTest, TheAuditTrailExportsAsCsv) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);
  auto trail = views->dossierAudit("L4");
  ASSERT_TRUE(trail);
  const std::string csv = auditCsv(*trail);
  EXPECT_THAT(csv, HasSubstr(",DossierDeclaredIneligible,instructor-1,"));
  EXPECT_THAT(csv,
              HasSubstr(",1,\"'=HYPERLINK(\"\"x\"\"), not a commune\",declared ineligible\r\n"));
}


// ---------------------------------------------------------------- time travel

// What a reader sees of one campaign and its dossiers, for comparing.
struct Seen {
  std::vector<DossierRow> rows;
  std::vector<std::vector<TimelineEntry>> timelines;
  std::vector<std::vector<AuditEntry>> trails;
  CampaignSummary summary;
  CampaignStats stats;
  std::vector<LeaderboardEntry> leaderboard;
  Budget budget;
  std::vector<AuditEntry> campaignTrail;
  bool operator==(const Seen&) const = default;
};

Seen seenOf(const ViewQueries& views, const std::string& campaignId) {
  Seen seen;
  auto page = views.status(campaignId, std::nullopt, "", 10'000);
  EXPECT_TRUE(page) << page.error().message;
  for (const DossierRow& row : page->rows) {
    seen.rows.push_back(row);
    seen.timelines.push_back(*views.timeline(row.dossierId));
    seen.trails.push_back(*views.dossierAudit(row.dossierId));
  }
  seen.summary = *views.campaign(campaignId);
  seen.stats = *views.stats(campaignId);
  seen.leaderboard = *views.leaderboard(campaignId);
  seen.budget = *views.budget(campaignId);
  seen.campaignTrail = *views.campaignAudit(campaignId);
  return seen;
}

TEST_F(ViewsTest, EveryViewAsOfAPastPositionIsWhatTheLiveViewShowedThen) {
  auto views = openViews();
  ASSERT_TRUE(views);
  // After every command: what the live views show, at that head.
  std::vector<std::pair<store::Position, std::pair<Seen, Seen>>> shown;
  afterCommand_ = [&] {
    ASSERT_TRUE(views->catchUp());
    shown.push_back({log_->head(), {seenOf(*views, kLabel), seenOf(*views, kFunding)}});
  };
  history();
  ASSERT_TRUE(views->catchUp());
  ASSERT_GT(shown.size(), 20u);
  for (const auto& [position, seen] : shown) {
    for (const auto& [campaignId, expected] :
         {std::pair{kLabel, seen.first}, std::pair{kFunding, seen.second}}) {
      PastScope scope = PastScope::campaign(campaignId);
      scope.at = position;
      auto past = PastViews::open(*log_, *views, scope);
      ASSERT_TRUE(past) << past.error().message;
      EXPECT_EQ(seenOf(**past, campaignId), expected) << campaignId << " at " << position;
      // One dossier's own scope shows the same row, timeline and trail.
      for (std::size_t i = 0; i < expected.rows.size(); ++i) {
        PastScope one = PastScope::dossier(expected.rows[i].dossierId);
        one.at = position;
        auto dossier = PastViews::open(*log_, *views, one);
        ASSERT_TRUE(dossier) << dossier.error().message;
        EXPECT_EQ(*(*dossier)->dossier(expected.rows[i].dossierId), expected.rows[i]);
        EXPECT_EQ(*(*dossier)->timeline(expected.rows[i].dossierId), expected.timelines[i]);
        EXPECT_EQ(*(*dossier)->dossierAudit(expected.rows[i].dossierId), expected.trails[i]);
      }
    }
    // The whole log's scope too.
    PastScope all;
    all.at = position;
    auto past = PastViews::open(*log_, *views, all);
    ASSERT_TRUE(past);
    EXPECT_EQ(seenOf(**past, kLabel), seen.first) << "log at " << position;
  }
}

// Random histories: commands drawn at random (a seed each), most of them
// refused by the machine; after every accepted one, what the live views
// show is recorded, and the views as of that position must equal it.
TEST_F(ViewsTest, AsOfViewsEqualTheLiveViewsOverRandomHistories) {
  openCampaign(kLabel, labelRules(), threeJurors());
  auto views = openViews();
  ASSERT_TRUE(views);
  const auto slot = engine::toMicros(parisTime("2020-06-23T14:00:00"));
  std::vector<std::pair<store::Position, Seen>> shown;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    for (int i = 0; i < 6; ++i) submit("r" + std::to_string(seed) + "-" + std::to_string(i), kLabel);
  }
  clock_.advance(std::chrono::hours(24 * 10));
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 random(seed);
    const std::string prefix = "r" + std::to_string(seed) + "-";
    for (int step = 0; step < 250; ++step) {
      const std::string id = prefix + std::to_string(random() % 6);
      const char* juror[] = {"juror-1", "juror-2", "juror-3"};
      const std::string who = juror[random() % 3];
      const std::uint32_t score = static_cast<std::uint32_t>(random() % 11);
      // Steps forward most of the time; an end (ineligible, no-show,
      // withdrawn) now and then, so that dossiers live long enough.
      std::vector<DossierCommand> steps{
          cmd::ConfirmEligibility{}, cmd::ScheduleAudition{slot}, cmd::RecordAuditionHeld{},
          labelScore(who, score, score), cmd::CloseScoring{},
          cmd::CastVote{who, random() % 4 ? VoteChoice::Yes : VoteChoice::No},
          cmd::CloseVote{}, cmd::Award{0}};
      std::vector<DossierCommand> ends{cmd::DeclareIneligible{}, cmd::RecordNoShow{},
                                       cmd::Withdraw{}};
      const DossierCommand& command = random() % 30 == 0 ? ends[random() % ends.size()]
                                                         : steps[random() % steps.size()];
      clock_.advance(std::chrono::minutes(1 + random() % 60));
      if (!dossier(id, command, "random", who)) continue;  // refused: wrote nothing
      ASSERT_TRUE(views->catchUp());
      shown.push_back({log_->head(), seenOf(*views, kLabel)});
    }
  }
  ASSERT_GT(shown.size(), 60u);
  for (const auto& [position, expected] : shown) {
    PastScope scope = PastScope::campaign(kLabel);
    scope.at = position;
    auto past = PastViews::open(*log_, *views, scope);
    ASSERT_TRUE(past) << past.error().message;
    EXPECT_EQ(seenOf(**past, kLabel), expected) << "at " << position;
  }
}

TEST_F(ViewsTest, AsOfATimeCutsAtTheFirstEventRecordedAfterIt) {
  history();
  auto views = openViews();
  ASSERT_TRUE(views);
  const auto events = allEvents();
  const store::RecordedEvent& middle = events[events.size() / 2];
  PastScope byTime;
  byTime.asOfMicros = middle.recordedAtMicros;
  auto past = PastViews::open(*log_, *views, byTime);
  ASSERT_TRUE(past);
  store::Position expected = 0;
  for (const auto& e : events) {
    if (e.recordedAtMicros > middle.recordedAtMicros) break;
    expected = e.position;
  }
  EXPECT_EQ((*past)->position(), expected);
  PastScope byPosition;
  byPosition.at = expected;
  auto same = PastViews::open(*log_, *views, byPosition);
  ASSERT_TRUE(same);
  EXPECT_EQ(seenOf(**past, kLabel), seenOf(**same, kLabel));
  // Before the first event, nothing existed.
  PastScope before = PastScope::campaign(kLabel);
  before.asOfMicros = events.front().recordedAtMicros - 1;
  auto empty = PastViews::open(*log_, *views, before);
  ASSERT_TRUE(empty);
  EXPECT_EQ((*empty)->campaign(kLabel).error().code, ErrorCode::NotFound);
  // Unknown ids are NotFound.
  EXPECT_EQ(PastViews::open(*log_, *views, PastScope::dossier("nobody")).error().code,
            ErrorCode::NotFound);
}
}  // namespace
}  // namespace parcours::testing
