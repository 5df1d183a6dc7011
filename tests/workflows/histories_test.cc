// Canned histories of the two 2020 campaigns, from their shipped definition
// files, replayed through the workflow service to the views an
// administrator reads: every dossier's state, the leaderboard's means, the
// statistics, the budget and the audit trails are what the history says.
// Then the demo scenario (dozens of dossiers per campaign): its invariants
// hold, and the views built while it ran equal a rebuild byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "demo_scenario.h"
#include "parcours/engine/projection.h"
#include "parcours/workflows/views.h"
#include "workflow_fixture.h"

namespace parcours::testing {
namespace {

using namespace workflows;
namespace cmd = dossier_command;
namespace ccmd = campaign_command;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kTerritoire = "label-territoire-innovant-2020";
constexpr const char* kSud = "parcours-sud-2020";

// The seed definitions without their judging rules: these histories follow
// each dossier by hand through the base workflow (every juror scores, no
// draw, no round). The judging rules of the same files are played by the
// demo (the last test here) and by judging_workflow_test.cc.
CampaignDefinition seed(const std::string& file) {
  auto definition = loadCampaignDefinition(std::string(PARCOURS_CAMPAIGNS_DIR) + "/" + file);
  EXPECT_TRUE(definition) << definition.error().message;
  if (!definition) return CampaignDefinition{};
  // The base workflow: no draw, no round; the vote's rules are the seeds'.
  judging::JudgingRules& j = definition->rules.judging;
  j.jurorsPerDossier = 0;
  j.expertiseRequired = false;
  j.normalisation = judging::NormalisationRule::None;
  j.minScoresPerJuror = 0;
  j.maxSpreadMilli = 0;
  return *definition;
}

// The same value on every criterion of `rules`.
cmd::RecordScore flatScore(const CampaignRules& rules, const std::string& juror,
                           std::uint32_t value) {
  cmd::RecordScore score{juror, {}};
  for (const Criterion& c : rules.criteria) score.scores.push_back({c.id, value});
  return score;
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

class HistoriesTest : public WorkflowFixture {
 protected:
  void at(const std::string& parisLocal) { clock_.set(parisTime(parisLocal)); }

  void ok(const std::string& id, const DossierCommand& c, const std::string& actor,
          const std::string& reason = "") {
    auto r = dossier(id, c, reason, actor);
    ASSERT_TRUE(r) << id << ": " << commandName(c) << ": " << r.error().message;
  }

  void okCampaign(const std::string& id, const CampaignCommand& c, const std::string& reason = "") {
    auto r = campaign(id, c, reason);
    ASSERT_TRUE(r) << id << ": " << r.error().message;
  }

  // A refused command writes nothing: the head does not move.
  void refused(const std::string& id, const DossierCommand& c, const std::string& actor,
               const std::string& words) {
    const auto head = log_->head();
    auto r = dossier(id, c, "", actor);
    ASSERT_FALSE(r) << id << ": " << commandName(c) << " was accepted";
    EXPECT_EQ(r.error().code, ErrorCode::RefusedByRule) << r.error().message;
    EXPECT_THAT(r.error().message, HasSubstr(words));
    EXPECT_EQ(log_->head(), head);
  }

  std::unique_ptr<Views> openViews() {
    auto views = Views::open(*log_, testLogger());
    EXPECT_TRUE(views) << views.error().message;
    return views ? std::move(*views) : nullptr;
  }

  DossierStatus statusIn(const Views& views, const std::string& id) {
    auto row = views.dossier(id);
    EXPECT_TRUE(row) << id << ": " << row.error().message;
    return row ? row->status : DossierStatus::Absent;
  }

  std::vector<std::string> auditTypes(const Views& views, const std::string& id) {
    auto trail = views.dossierAudit(id);
    EXPECT_TRUE(trail) << trail.error().message;
    std::vector<std::string> types;
    if (trail) {
      for (const auto& e : *trail) types.push_back(e.eventType);
    }
    return types;
  }

  // Label Territoire Innovant 2020: seven dossiers and a late one, five
  // jurors, auditions on 23 June, a recusal, a vote without quorum refused.
  void playLabel() {
    const CampaignDefinition d = seed("label-territoire-innovant-2020.json");
    const CampaignRules& rules = d.rules;
    at("2020-05-04T09:00:00");
    okCampaign(kTerritoire, ccmd::Open{d}, "call published");
    std::vector<JuryMember> jury;
    for (int i = 1; i <= 5; ++i) {
      jury.push_back({"juror-" + std::to_string(i), "Juror " + std::to_string(i), JuryRole::Juror});
    }
    okCampaign(kTerritoire, ccmd::AppointJury{jury});

    at("2020-06-01T10:00:00");
    submit("L1", kTerritoire, application("commune"));
    submit("L2", kTerritoire, application("communaute_de_communes"));
    submit("L3", kTerritoire, application("metropole"));
    submit("L4", kTerritoire, application("commune"));
    submit("L5", kTerritoire, application("commune"));
    submit("L6", kTerritoire, application("entreprise"));
    at("2020-06-19T23:59:59");
    submit("L7", kTerritoire, application("departement"));
    at("2020-06-20T00:00:00");
    refused("L8", cmd::Submit{kTerritoire, application("commune")}, "applicant-8",
            "submission at 2020-06-20T00:00:00+02:00 is after the deadline "
            "2020-06-19T23:59:59+02:00");

    at("2020-06-20T09:00:00");
    okCampaign(kTerritoire, ccmd::ChangePhase{Phase::SubmissionsClosed}, "deadline passed");
    at("2020-06-21T10:00:00");
    for (const char* id : {"L1", "L2", "L3", "L4", "L5", "L7"}) {
      ok(id, cmd::ConfirmEligibility{}, "instructor-1", "checked");
    }
    refused("L6", cmd::ConfirmEligibility{}, "instructor-1",
            "applicant kind \"entreprise\" is not eligible");
    ok("L6", cmd::DeclareIneligible{}, "instructor-1", "a company, not a local authority");
    ok("L5", cmd::Withdraw{}, "applicant-5", "the team could not attend the auditions");

    okCampaign(kTerritoire, ccmd::ChangePhase{Phase::Auditions}, "auditions on 23 June");
    at("2020-06-22T09:00:00");
    const std::int64_t first = engine::toMicros(parisTime("2020-06-23T14:00:00"));
    int slot = 0;
    for (const char* id : {"L1", "L2", "L3", "L4", "L7"}) {
      // The round's 6-minute slots from 14:00, each with its link.
      ok(id,
         cmd::ScheduleAudition{first + 6 * 60 * 1'000'000LL * slot++, "",
                               "https://visio.example.org/" + std::string(id)},
         "interco-admin");
    }
    at("2020-06-23T15:00:00");
    for (const char* id : {"L1", "L2", "L3", "L7"})
      ok(id, cmd::RecordAuditionHeld{}, "interco-admin");
    ok("L4", cmd::RecordNoShow{}, "interco-admin", "nobody joined the video conference");

    at("2020-06-24T09:00:00");
    okCampaign(kTerritoire, ccmd::DeclareConflict{"juror-5", "L1"}, "a relative works there");
    okCampaign(kTerritoire, ccmd::RuleConflict{"juror-5", "L1", true, {}}, "the link is direct");
    at("2020-06-26T18:00:00");
    // L1: four jurors (juror-5 recused) give 9, 8, 8, 7: mean 8.000.
    const std::uint32_t l1[] = {9, 8, 8, 7};
    for (int j = 0; j < 4; ++j) {
      ok("L1", flatScore(rules, "juror-" + std::to_string(j + 1), l1[j]), "juror");
    }
    refused("L1", flatScore(rules, "juror-5", 10), "juror-5",
            "has an upheld conflict of interest with dossier \"L1\" and may not score it");
    // L2: 5.000, below the threshold of 6.000. L3: 6.800. L7: 6.200.
    const std::uint32_t l3[] = {7, 7, 7, 7, 6};
    const std::uint32_t l7[] = {7, 6, 6, 6, 6};
    for (int j = 0; j < 5; ++j) {
      const std::string juror = "juror-" + std::to_string(j + 1);
      ok("L2", flatScore(rules, juror, 5), juror);
      ok("L3", flatScore(rules, juror, l3[j]), juror);
      ok("L7", flatScore(rules, juror, l7[j]), juror);
    }
    for (const char* id : {"L1", "L2", "L3", "L7"}) ok(id, cmd::CloseScoring{}, "secretariat");

    okCampaign(kTerritoire, ccmd::ChangePhase{Phase::Deliberation}, "jury deliberation");
    at("2020-06-30T16:00:00");
    for (int j = 1; j <= 4; ++j) {
      ok("L1", cmd::CastVote{"juror-" + std::to_string(j), VoteChoice::Yes}, "juror");
    }
    ok("L7", cmd::CastVote{"juror-1", VoteChoice::Yes}, "juror-1");
    refused("L7", cmd::CloseVote{}, "secretariat", "quorum");
    for (int j = 2; j <= 4; ++j) {
      ok("L7", cmd::CastVote{"juror-" + std::to_string(j), VoteChoice::No}, "juror");
    }
    const VoteChoice l3Votes[] = {VoteChoice::Yes, VoteChoice::Yes, VoteChoice::Yes, VoteChoice::No,
                                  VoteChoice::Abstain};
    for (int j = 0; j < 5; ++j) {
      ok("L3", cmd::CastVote{"juror-" + std::to_string(j + 1), l3Votes[j]}, "juror");
    }
    for (const char* id : {"L1", "L3", "L7"}) ok(id, cmd::CloseVote{}, "secretariat");
    // The label is handed over at the national forum, and not before.
    at("2021-02-04T10:00:00");
    okCampaign(kTerritoire, ccmd::RecordMilestone{ccmd::Milestone::CeremonyHeld, "",
                                                  "Forum national des Interconnectés", ""});
    ok("L1", cmd::Award{0}, "interco-admin", "label handed over at the national forum");
  }

  // Parcours Sud Smart Territoires 2020 (seed 000): seven dossiers, three
  // committee members and three elected officials. The committee scores and
  // proposes (the exact rule under the €500,000 envelope), the officials
  // deliberate last and decide the money.
  void playSud() {
    const CampaignDefinition d = seed("parcours-sud-smart-territoires-2020.json");
    const CampaignRules& rules = d.rules;
    at("2020-04-01T09:00:00");
    okCampaign(kSud, ccmd::Open{d}, "call published");
    okCampaign(kSud, ccmd::AppointJury{{{"committee-1", "Committee 1", JuryRole::Juror},
                                        {"committee-2", "Committee 2", JuryRole::Juror},
                                        {"committee-3", "Committee 3", JuryRole::Juror},
                                        {"elected-1", "Elected 1", JuryRole::ElectedOfficial},
                                        {"elected-2", "Elected 2", JuryRole::ElectedOfficial},
                                        {"elected-3", "Elected 3", JuryRole::ElectedOfficial}}});
    at("2020-05-20T10:00:00");
    const std::int64_t full = 15'000'000;  // €150,000 each: four would pass the envelope
    auto sudApplication = [](const std::string& kind, std::int64_t cents,
                             const std::string& departement = "13") {
      Application a = application(kind, cents);
      a.strands = {"3"};
      a.siren = "912345675";
      a.departement = departement;
      return a;
    };
    submit("S1", kSud, sudApplication("metropole", full));
    submit("S2", kSud, sudApplication("communaute_de_communes", full));
    submit("S3", kSud, sudApplication("communaute_d_agglomeration", full));
    submit("S4", kSud, sudApplication("communaute_de_communes", full));
    submit("S5", kSud, sudApplication("metropole", full));
    submit("S6", kSud, sudApplication("commune", full));
    submit("S7", kSud, sudApplication("metropole", 20'000'000, "69"));

    at("2020-06-04T08:00:00");
    okCampaign(kSud, ccmd::ChangePhase{Phase::SubmissionsClosed}, "deadline passed");
    at("2020-06-10T09:00:00");
    for (const char* id : {"S1", "S2", "S3", "S4", "S5"}) {
      ok(id, cmd::ConfirmEligibility{}, "instructor-1");
    }
    refused("S6", cmd::ConfirmEligibility{}, "instructor-1", "applicant kind \"commune\"");
    ok("S6", cmd::DeclareIneligible{}, "instructor-1", "communes are not eligible");
    refused("S7", cmd::ConfirmEligibility{}, "instructor-1",
            "the applicant's seat is in département 69");
    ok("S7", cmd::DeclareIneligible{}, "instructor-1", "seated outside the Region");

    at("2020-06-18T14:00:00");
    const std::pair<const char*, std::uint32_t> merits[] = {
        {"S1", 8}, {"S2", 7}, {"S3", 6}, {"S4", 9}, {"S5", 4}};
    for (const auto& [id, merit] : merits) {
      for (int j = 1; j <= 3; ++j) {
        ok(id, flatScore(rules, "committee-" + std::to_string(j), merit), "committee");
      }
      ok(id, cmd::CloseScoring{}, "secretariat");
    }
    // The committee's proposal: S4, S1 and S2 (€450,000); S3 does not fit.
    okCampaign(kSud, ccmd::RecordSelection{}, "the committee's proposal");
    refused("S3", cmd::CastVote{"elected-1", VoteChoice::Yes}, "elected-1",
            "is not in the committee's proposal");
    ok("S3", cmd::NotSelect{}, "region-admin", "not in the committee's proposal");
    okCampaign(kSud, ccmd::ChangePhase{Phase::Deliberation}, "to the elected officials");
    at("2020-07-09T10:00:00");
    for (const char* id : {"S4", "S1", "S2"}) {
      for (int j = 1; j <= 3; ++j) {
        ok(id, cmd::CastVote{"elected-" + std::to_string(j), VoteChoice::Yes}, "elected");
      }
      cmd::CloseVote close;
      close.present = {"elected-1", "elected-2", "elected-3"};
      // The officials decide how much: €100,000 to S2 instead of €150,000.
      if (std::string(id) == "S2") close.amountCents = 10'000'000;
      ok(id, close, "secretariat", "deliberation of 9 July 2020");
    }
    // The grant came with the deliberation: nothing is typed after it.
    refused("S1", cmd::Award{full}, "region-admin", "it is labelled, a final state");
  }
};

TEST_F(HistoriesTest, LabelTerritoireInnovant2020EndsInTheExpectedViews) {
  playLabel();
  auto views = openViews();
  ASSERT_TRUE(views);

  EXPECT_EQ(statusIn(*views, "L1"), DossierStatus::Labelled);
  EXPECT_EQ(statusIn(*views, "L2"), DossierStatus::BelowThreshold);
  EXPECT_EQ(statusIn(*views, "L3"), DossierStatus::Voted);
  EXPECT_EQ(statusIn(*views, "L4"), DossierStatus::NoShow);
  EXPECT_EQ(statusIn(*views, "L5"), DossierStatus::Withdrawn);
  EXPECT_EQ(statusIn(*views, "L6"), DossierStatus::Ineligible);
  EXPECT_EQ(statusIn(*views, "L7"), DossierStatus::Rejected);
  auto late = views->dossier("L8");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::NotFound);

  auto l1 = views->dossier("L1");
  ASSERT_TRUE(l1);
  EXPECT_EQ(l1->labelName, "Territoire Innovant");
  EXPECT_EQ(l1->meanMilli, 8000u);
  EXPECT_EQ(l1->auditionSlotMicros, engine::toMicros(parisTime("2020-06-23T14:00:00")));
  EXPECT_EQ(l1->grantedCents, 0);

  auto board = views->leaderboard(kTerritoire);
  ASSERT_TRUE(board) << board.error().message;
  ASSERT_EQ(board->size(), 4u);
  const std::vector<std::tuple<std::string, std::uint32_t, bool, std::uint32_t>> expected{
      {"L1", 8000, true, 4}, {"L3", 6800, true, 5}, {"L7", 6200, true, 5}, {"L2", 5000, false, 5}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [id, mean, passed, jurors] = expected[i];
    EXPECT_EQ((*board)[i].rank, i + 1);
    EXPECT_EQ((*board)[i].dossierId, id);
    EXPECT_EQ((*board)[i].meanMilli, mean) << id;
    EXPECT_EQ((*board)[i].passed, passed) << id;
    EXPECT_EQ((*board)[i].jurorsCounted, jurors) << id;
    EXPECT_EQ((*board)[i].thresholdMilli, 6000u);
    EXPECT_EQ((*board)[i].criterionMeansMilli.size(), 5u);
  }
  EXPECT_EQ((*board)[0].criterionMeansMilli.at("innovation"), 8000u);

  auto stats = views->stats(kTerritoire);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->total, 7u);
  EXPECT_EQ(stats->byStatus, (std::map<std::string, std::uint64_t>{{"below_threshold", 1},
                                                                   {"ineligible", 1},
                                                                   {"labelled", 1},
                                                                   {"no_show", 1},
                                                                   {"rejected", 1},
                                                                   {"voted", 1},
                                                                   {"withdrawn", 1}}));
  EXPECT_EQ(stats->byApplicantKind.at("commune"), 3u);

  auto summary = views->campaign(kTerritoire);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->phase, Phase::Deliberation);
  EXPECT_EQ(summary->labelName, "Territoire Innovant");
  EXPECT_EQ(summary->dossiers, 7u);
  EXPECT_EQ(summary->envelopeCents, 0);

  EXPECT_THAT(
      auditTypes(*views, "L1"),
      ElementsAre("DossierSubmitted", "EligibilityConfirmed", "AuditionScheduled", "AuditionHeld",
                  "ConflictDeclared", "ConflictRuled", "ScoreRecorded", "ScoreRecorded", "ScoreRecorded",
                  "ScoreRecorded", "ScoringClosed", "VoteCast", "VoteCast", "VoteCast", "VoteCast",
                  "VoteClosed", "LabelAwarded"));
  auto trail = views->dossierAudit("L6");
  ASSERT_TRUE(trail);
  ASSERT_EQ(trail->size(), 2u);
  EXPECT_EQ((*trail)[1].eventType, "DossierDeclaredIneligible");
  EXPECT_EQ((*trail)[1].actor, "instructor-1");
  EXPECT_EQ((*trail)[1].reason, "a company, not a local authority");
  EXPECT_EQ((*trail)[1].rulesVersion, 1u);
  // The recusal is in the dossier's trail (above) and the campaign's.
  auto campaignTrail = views->campaignAudit(kTerritoire);
  ASSERT_TRUE(campaignTrail);
  const auto conflict =
      std::find_if(campaignTrail->begin(), campaignTrail->end(),
                   [](const AuditEntry& e) { return e.eventType == "ConflictDeclared"; });
  ASSERT_NE(conflict, campaignTrail->end());
  EXPECT_EQ(conflict->reason, "a relative works there");
  EXPECT_THAT(conflict->summary, HasSubstr("juror-5"));
}

TEST_F(HistoriesTest, ParcoursSud2020EndsInTheExpectedViews) {
  playSud();
  auto views = openViews();
  ASSERT_TRUE(views);

  for (const char* id : {"S1", "S2", "S4"}) {
    EXPECT_EQ(statusIn(*views, id), DossierStatus::Labelled) << id;
  }
  EXPECT_EQ(statusIn(*views, "S3"), DossierStatus::NotSelected);
  EXPECT_EQ(statusIn(*views, "S5"), DossierStatus::BelowThreshold);
  EXPECT_EQ(statusIn(*views, "S6"), DossierStatus::Ineligible);
  EXPECT_EQ(statusIn(*views, "S7"), DossierStatus::Ineligible);

  auto budget = views->budget(kSud);
  ASSERT_TRUE(budget) << budget.error().message;
  EXPECT_EQ(budget->envelopeCents, 50'000'000);
  EXPECT_EQ(budget->grantedCents, 40'000'000);
  EXPECT_EQ(budget->remainingCents, 10'000'000);
  ASSERT_EQ(budget->grants.size(), 3u);
  const std::vector<std::pair<std::string, std::int64_t>> grants{
      {"S4", 15'000'000}, {"S1", 15'000'000}, {"S2", 10'000'000}};
  for (std::size_t i = 0; i < grants.size(); ++i) {
    EXPECT_EQ(budget->grants[i].dossierId, grants[i].first);
    EXPECT_EQ(budget->grants[i].amountCents, grants[i].second);
  }
  auto s2 = views->dossier("S2");
  ASSERT_TRUE(s2);
  EXPECT_EQ(s2->grantedCents, 10'000'000);
  EXPECT_EQ(s2->requestedCents, 15'000'000);
  EXPECT_EQ(s2->labelName, "");  // strand 3 only: the label is strand 4's

  // Weights 2, 2, 1, 1, 1 over flat scores: the mean is the score.
  auto board = views->leaderboard(kSud);
  ASSERT_TRUE(board);
  std::vector<std::pair<std::string, std::uint32_t>> ranked;
  for (const auto& e : *board) ranked.emplace_back(e.dossierId, e.meanMilli);
  EXPECT_THAT(ranked, ElementsAre(std::pair<std::string, std::uint32_t>{"S4", 9000},
                                  std::pair<std::string, std::uint32_t>{"S1", 8000},
                                  std::pair<std::string, std::uint32_t>{"S2", 7000},
                                  std::pair<std::string, std::uint32_t>{"S3", 6000},
                                  std::pair<std::string, std::uint32_t>{"S5", 4000}));

  auto stats = views->stats(kSud);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->total, 7u);
  EXPECT_EQ(stats->byStrand.at("3"), 7u);
  EXPECT_EQ(stats->byApplicantKind.at("metropole"), 3u);

  auto summary = views->campaign(kSud);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->grantedCents, 40'000'000);
  EXPECT_EQ(summary->phase, Phase::Deliberation);

  // The deliberation records the grant in its own append: the vote, the
  // grant, the campaign's commitment; the refused award wrote nothing.
  const auto types = auditTypes(*views, "S2");
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types[types.size() - 3], "VoteClosed");
  EXPECT_EQ(types[types.size() - 2], "FundingGranted");
  EXPECT_EQ(types.back(), "FundingCommitted");
  EXPECT_EQ(std::count(types.begin(), types.end(), "FundingGranted"), 1);
  EXPECT_EQ(std::count(types.begin(), types.end(), "FundingCommitted"), 1);
}

TEST_F(HistoriesTest, BothCampaignsInOneLogRebuildToTheSameViews) {
  auto live = openViews();
  ASSERT_TRUE(live);
  playSud();
  ASSERT_TRUE(live->catchUp());
  playLabel();
  ASSERT_TRUE(live->catchUp());
  const auto caughtUp = dumpAll(*live);
  auto rebuilt = live->rebuild();
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(*rebuilt, log_->head());
  EXPECT_EQ(dumpAll(*live), caughtUp);
  auto campaigns = live->campaigns();
  ASSERT_TRUE(campaigns);
  ASSERT_EQ(campaigns->size(), 2u);
  EXPECT_EQ((*campaigns)[0].campaignId, kTerritoire);
  EXPECT_EQ((*campaigns)[1].campaignId, kSud);
}

// The demo: dozens of dossiers per campaign, followed live by the views.
TEST_F(HistoriesTest, TheDemoScenarioKeepsEveryInvariantAndRebuildsByteForByte) {
  auto live = openViews();
  ASSERT_TRUE(live);
  live->startLive();
  std::vector<std::string> narrated;
  auto outcome = demo::runDemoScenario(*log_, demo::DemoSettings{},
                                       [&](const std::string& line) { narrated.push_back(line); });
  ASSERT_TRUE(outcome) << outcome.error().message;
  live->stop();
  ASSERT_FALSE(live->lastLiveError()) << live->lastLiveError()->message;
  ASSERT_TRUE(live->catchUp());
  EXPECT_EQ(live->checkpoint(), log_->head());

  EXPECT_THAT(outcome->campaignIds, ElementsAre(kSud, kTerritoire));
  EXPECT_GT(outcome->commands, 500u);
  EXPECT_FALSE(narrated.empty());
  std::set<std::string> provoked;
  for (const auto& r : outcome->notable) {
    provoked.insert(r.what);
    EXPECT_FALSE(r.message.empty()) << r.what;
  }
  EXPECT_THAT(provoked,
              ::testing::IsSupersetOf({"late submission", "eligibility refused",
                                       "vote closed without quorum", "meeting without quorum",
                                       "round closed over a disagreement"}));

  for (const std::string& campaignId : outcome->campaignIds) {
    auto stats = live->stats(campaignId);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->total, 36u) << campaignId;
    std::uint64_t counted = 0;
    for (const auto& [state, n] : stats->byStatus) counted += n;
    EXPECT_EQ(counted, stats->total) << campaignId;
    // Each dossier's row agrees with its stream, and its trail holds every
    // event of the stream (and the recusals from it, from the campaign's).
    auto page = live->status(campaignId, std::nullopt, "", 10'000);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->rows.size(), stats->total);
    for (const auto& row : page->rows) {
      auto folded = workflow_->loadDossier(row.dossierId);
      ASSERT_TRUE(folded) << row.dossierId;
      EXPECT_EQ(row.status, folded->status) << row.dossierId;
      EXPECT_EQ(row.version, folded->version) << row.dossierId;
      EXPECT_EQ(row.grantedCents, folded->grantedCents) << row.dossierId;
      auto trail = live->dossierAudit(row.dossierId);
      ASSERT_TRUE(trail);
      const auto own = std::count_if(trail->begin(), trail->end(), [&](const AuditEntry& e) {
        return e.streamId == dossierStream(row.dossierId);
      });
      EXPECT_EQ(static_cast<std::uint64_t>(own), row.version) << row.dossierId;
    }
    // The envelope is never passed, and the budget adds up.
    auto budget = live->budget(campaignId);
    ASSERT_TRUE(budget);
    std::int64_t sum = 0;
    for (const auto& g : budget->grants) sum += g.amountCents;
    EXPECT_EQ(sum, budget->grantedCents);
    EXPECT_LE(budget->grantedCents, budget->envelopeCents);
    EXPECT_EQ(budget->remainingCents, budget->envelopeCents - budget->grantedCents);
  }
  auto sud = live->budget(kSud);
  ASSERT_TRUE(sud);
  EXPECT_EQ(sud->envelopeCents, 50'000'000);
  EXPECT_FALSE(sud->grants.empty());
  auto audited = live->dossier(outcome->auditedDossier);
  ASSERT_TRUE(audited) << outcome->auditedDossier;
  EXPECT_EQ(audited->campaignId, kTerritoire);

  const auto followed = dumpAll(*live);
  auto rebuilt = live->rebuild();
  ASSERT_TRUE(rebuilt) << rebuilt.error().message;
  EXPECT_EQ(dumpAll(*live), followed);
}

}  // namespace
}  // namespace parcours::testing
