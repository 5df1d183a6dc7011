// The campaign's lifecycle table (campaign_lifecycle.h): each row walked
// over every stage of its track, the decisions answering as the table says,
// stagesOf over the flags a campaign sets, and docs/workflow.md's copy of
// the table.
#include "parcours/workflows/campaign_lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace parcours::workflows::lifecycle {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSeedCommitment(64, 'a');
const std::string kLotSeedCommitment(64, 'b');
// 2020-06-23T14:00:00Z, 16:00 in Paris.
constexpr std::int64_t kHeldAtMicros = 1592920800000000;

bool operator==(const Stages& a, const Stages& b) {
  for (Track t : tracks) {
    if (a.on(t) != b.on(t)) return false;
  }
  return true;
}

std::string describe(const Stages& s) {
  std::string out;
  for (Track t : tracks) out += (out.empty() ? "" : ", ") + std::string(stageName(s.on(t)));
  return out;
}

std::vector<Stage> stagesOn(Track track) {
  std::vector<Stage> out;
  for (int s = static_cast<int>(firstStage(track)); s <= static_cast<int>(lastStage(track)); ++s) {
    out.push_back(static_cast<Stage>(s));
  }
  return out;
}

// A campaign whose flags put it at `stages`, set as the fold sets them.
CampaignState campaignAt(const Stages& stages) {
  CampaignState s;
  s.campaignId = "c1";
  s.exists = stages.campaign == Stage::Opened;
  if (s.exists) {
    CampaignRules rules;
    rules.timeZone = "Europe/Paris";
    s.rulesVersions.push_back(rules);
  }
  const Phase phases[] = {Phase::Submissions, Phase::SubmissionsClosed, Phase::Auditions,
                          Phase::Deliberation, Phase::Closed};
  s.phase = phases[static_cast<int>(stages.phase) - static_cast<int>(Stage::Submissions)];
  if (stages.round >= Stage::SeedCommitted) {
    s.assignmentCommitment = AssignmentCommitment{1, 2, false, kSeedCommitment};
  }
  if (stages.round >= Stage::Drawn) {
    s.draw = DrawRecord{"the draw's seed", "inputs", 1, 1, 1};
    s.assignments["d1"] = {"j1", "j2"};
  }
  s.roundFrozen = stages.round >= Stage::RoundFrozen;
  s.roundClosed = stages.round == Stage::RoundClosed;
  if (stages.selection == Stage::SelectionRecorded) {
    s.selection = std::map<std::string, bool>{{"d1", true}};
  }
  if (stages.lotSeed == Stage::LotSeedCommitted) s.lotSeedCommitment = kLotSeedCommitment;
  if (stages.ceremony == Stage::CeremonyHeld) s.ceremonyAtMicros = kHeldAtMicros;
  if (stages.publication == Stage::LaureatesPublished) s.publishedAtMicros = kHeldAtMicros;
  return s;
}

// The stages where every row of the command allows it (opened, but for Open).
Stages allowedFor(CommandKind kind) {
  Stages s;
  s.campaign = kind == CommandKind::Open ? Stage::NotOpened : Stage::Opened;
  for (const Row& row : table) {
    if (row.command == kind) s.set(row.from);
  }
  return s;
}

bool hasRow(CommandKind kind) {
  for (const Row& row : table) {
    if (row.command == kind) return true;
  }
  return false;
}

std::vector<CommandKind> allKinds() {
  std::vector<CommandKind> out;
  for (std::size_t k = 0; k < commandKindCount; ++k) out.push_back(static_cast<CommandKind>(k));
  return out;
}

// ------------------------------------------------------------ stagesOf

TEST(CampaignLifecycle, StagesOfReadsTheFlagsTheFoldSets) {
  CampaignState s;
  s.campaignId = "c1";
  EXPECT_EQ(describe(stagesOf(s)),
            "NotOpened, Submissions, NoSeedCommitted, NoSelection, NoLotSeed, NoCeremony, "
            "NotPublished");

  s.exists = true;
  s.phase = Phase::Auditions;
  EXPECT_EQ(stagesOf(s).campaign, Stage::Opened);
  EXPECT_EQ(stagesOf(s).phase, Stage::Auditions);

  // The round: the furthest flag set.
  s.assignmentCommitment = AssignmentCommitment{1, 2, false, kSeedCommitment};
  EXPECT_EQ(stagesOf(s).round, Stage::SeedCommitted);
  s.draw = DrawRecord{"seed", "inputs", 1, 1, 1};
  EXPECT_EQ(stagesOf(s).round, Stage::Drawn);
  s.roundFrozen = true;  // ScoringRoundFrozen
  EXPECT_EQ(stagesOf(s).round, Stage::RoundFrozen);
  s.roundClosed = true;  // ScoringRoundClosed sets both
  EXPECT_EQ(stagesOf(s).round, Stage::RoundClosed);

  // An empty selection is still a recorded one.
  s.selection.emplace();
  EXPECT_EQ(stagesOf(s).selection, Stage::SelectionRecorded);
  s.lotSeedCommitment = kLotSeedCommitment;
  EXPECT_EQ(stagesOf(s).lotSeed, Stage::LotSeedCommitted);
  s.ceremonyAtMicros = 0;  // held at the epoch is held
  EXPECT_EQ(stagesOf(s).ceremony, Stage::CeremonyHeld);
  s.publishedAtMicros = kHeldAtMicros;
  EXPECT_EQ(stagesOf(s).publication, Stage::LaureatesPublished);
  s.phase = Phase::Closed;
  EXPECT_EQ(describe(stagesOf(s)),
            "Opened, Closed, RoundClosed, SelectionRecorded, LotSeedCommitted, CeremonyHeld, "
            "LaureatesPublished");
}

TEST(CampaignLifecycle, EveryCombinationOfStagesReadsBackFromItsFlags) {
  int checked = 0;
  for (Stage campaign : stagesOn(Track::Campaign)) {
    for (Stage phase : stagesOn(Track::Phase)) {
      for (Stage round : stagesOn(Track::Round)) {
        for (Stage selection : stagesOn(Track::Selection)) {
          for (Stage lot : stagesOn(Track::LotSeed)) {
            for (Stage ceremony : stagesOn(Track::Ceremony)) {
              for (Stage published : stagesOn(Track::Publication)) {
                const Stages want{campaign, phase, round, selection, lot, ceremony, published};
                const Stages got = stagesOf(campaignAt(want));
                ASSERT_TRUE(got == want) << describe(want) << " read back as " << describe(got);
                ++checked;
              }
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 5 * 5 * 2 * 2 * 2 * 2);
}

TEST(CampaignLifecycle, EachStageBelongsToOneTrackInOrder) {
  for (Track t : tracks) {
    for (Stage s : stagesOn(t)) EXPECT_EQ(trackOf(s), t) << stageName(s);
  }
  EXPECT_EQ(stageName(Stage::RoundFrozen), "RoundFrozen");
  EXPECT_EQ(commandKindName(CommandKind::CloseVoteByLot), "CloseVoteByLot");
}

// ------------------------------------------------------------ the table

TEST(CampaignLifecycle, EveryRowAllowsItsStagesAndRefusesTheOthersWithItsText) {
  int allowed = 0, refused = 0;
  for (const Row& row : table) {
    const Track track = trackOf(row.from);
    for (Stage at : stagesOn(track)) {
      Stages stages = allowedFor(row.command);
      stages.set(at);
      const CampaignState state = campaignAt(stages);
      const Status s = mayRun(state, row.command);
      const std::string where =
          std::string(commandKindName(row.command)) + " at " + describe(stages);
      if (at >= row.from && at <= row.until) {
        EXPECT_TRUE(s) << where << ": " << s.error().message;
        ++allowed;
        continue;
      }
      ASSERT_FALSE(s) << where << " was allowed";
      const Refusal& want = at < row.from ? row.tooEarly : row.tooLate;
      ASSERT_FALSE(want.text.empty()) << where;
      EXPECT_EQ(s.error().code, want.code) << where;
      EXPECT_EQ(s.error().message, refusalText(state, want.text)) << where;
      // Every placeholder filled, and filled with something.
      EXPECT_THAT(s.error().message, Not(HasSubstr("{"))) << where;
      EXPECT_THAT(s.error().message, Not(HasSubstr("\"\""))) << where;
      EXPECT_THAT(s.error().message, HasSubstr("campaign \"c1\"")) << where;
      ++refused;
    }
  }
  EXPECT_GT(allowed, 0);
  EXPECT_GT(refused, 0);
}

TEST(CampaignLifecycle, EveryCommandButOpenIsRefusedBeforeTheCampaignIsOpened) {
  const CampaignState none = campaignAt(allowedFor(CommandKind::Open));
  for (CommandKind kind : allKinds()) {
    const Status s = mayRun(none, kind);
    if (kind == CommandKind::Open) {
      EXPECT_TRUE(s);
      continue;
    }
    ASSERT_FALSE(s) << commandKindName(kind);
    EXPECT_EQ(s.error().code, ErrorCode::NotFound);
    EXPECT_EQ(s.error().message, "no campaign \"c1\"");
  }
}

TEST(CampaignLifecycle, CommandsWithoutARowRunAtEveryStageOfAnOpenedCampaign) {
  int checked = 0;
  for (CommandKind kind : allKinds()) {
    if (kind == CommandKind::Open || hasRow(kind)) continue;
    for (Track t : tracks) {
      for (Stage at : stagesOn(t)) {
        Stages stages;
        stages.campaign = Stage::Opened;
        if (t != Track::Campaign) stages.set(at);
        EXPECT_TRUE(mayRun(campaignAt(stages), kind)) << commandKindName(kind) << " at "
                                                       << stageName(at);
        ++checked;
      }
    }
  }
  // AmendRules, AppointJury, DeclareConflict, RuleConflict,
  // SetBudgetEnvelope, BroadcastAuditions.
  EXPECT_EQ(checked, 6 * 20);
}

TEST(CampaignLifecycle, RefusalsReadAsTheDecisionsAlwaysWroteThem) {
  Stages s = allowedFor(CommandKind::CommitAssignment);
  s.round = Stage::SeedCommitted;
  EXPECT_EQ(mayRun(campaignAt(s), CommandKind::CommitAssignment).error().message,
            "campaign \"c1\" already committed to the seed " + kSeedCommitment);

  s = allowedFor(CommandKind::RevealAssignment);
  s.round = Stage::RoundClosed;
  EXPECT_EQ(mayRun(campaignAt(s), CommandKind::RevealAssignment).error().message,
            "the jurors of campaign \"c1\" were already drawn with seed the draw's seed");

  s = allowedFor(CommandKind::PublishLaureates);
  s.phase = Stage::Auditions;
  EXPECT_EQ(mayRun(campaignAt(s), CommandKind::PublishLaureates).error().message,
            "campaign \"c1\" is in phase auditions: laureates are published once it has "
            "deliberated");

  s = allowedFor(CommandKind::HoldCeremony);
  s.ceremony = Stage::CeremonyHeld;
  EXPECT_EQ(mayRun(campaignAt(s), CommandKind::HoldCeremony).error().message,
            "the ceremony of campaign \"c1\" was already held, at 2020-06-23T16:00:00+02:00");

  s = allowedFor(CommandKind::Open);
  s.campaign = Stage::Opened;
  EXPECT_EQ(mayRun(campaignAt(s), CommandKind::Open).error().message,
            "campaign \"c1\" is already open (rules version 1); amend its rules instead of "
            "opening it again");

  s = allowedFor(CommandKind::CommitLotSeed);
  s.lotSeed = Stage::LotSeedCommitted;
  EXPECT_EQ(mayRun(campaignAt(s), CommandKind::CommitLotSeed).error().message,
            "campaign \"c1\" already committed to the lot seed " + kLotSeedCommitment);

  // A placeholder the table does not know stays as written.
  EXPECT_EQ(refusalText(campaignAt(s), "{campaign} {nothing}"), "campaign \"c1\" {nothing}");
}

// ------------------------------------------------------------ the decisions

// A campaign command of each kind, its arguments left empty: the table
// answers before any argument is looked at.
std::optional<CampaignCommand> commandOf(CommandKind kind) {
  using namespace campaign_command;
  switch (kind) {
    case CommandKind::Open: return Open{{"c1", CampaignRules{}}};
    case CommandKind::AmendRules: return AmendRules{};
    case CommandKind::AppointJury: return AppointJury{};
    case CommandKind::DeclareConflict: return DeclareConflict{};
    case CommandKind::RuleConflict: return RuleConflict{};
    case CommandKind::ChangePhase: return ChangePhase{};
    case CommandKind::SetBudgetEnvelope: return SetBudgetEnvelope{};
    case CommandKind::CommitAssignment: return CommitAssignment{};
    case CommandKind::RevealAssignment: return RevealAssignment{};
    case CommandKind::ChangeAssignment: return ChangeAssignment{};
    case CommandKind::CloseRound: return CloseRound{};
    case CommandKind::RecordConsensus: return RecordConsensus{};
    case CommandKind::RecordSelection: return RecordSelection{};
    case CommandKind::CommitLotSeed: return CommitLotSeed{};
    case CommandKind::BroadcastAuditions: return RecordMilestone{Milestone::AuditionsBroadcast};
    case CommandKind::HoldCeremony: return RecordMilestone{Milestone::CeremonyHeld};
    case CommandKind::PublishLaureates: return RecordMilestone{Milestone::LaureatesPublished};
    case CommandKind::CloseVoteByLot: return std::nullopt;  // a dossier's command (vote_decision.cc)
  }
  return std::nullopt;
}

TEST(CampaignLifecycle, EachDecisionRefusesAsTheTableSays) {
  int refused = 0;
  for (CommandKind kind : allKinds()) {
    const auto command = commandOf(kind);
    if (!command) continue;
    for (Track t : tracks) {
      for (Stage at : stagesOn(t)) {
        Stages stages = allowedFor(kind);
        stages.set(at);
        const CampaignState state = campaignAt(stages);
        const Status table = mayRun(state, kind);
        if (table) continue;  // allowed: the decision goes on to its own checks
        const auto decided = decideCampaign(state, *command, "a reason");
        const std::string where = std::string(commandKindName(kind)) + " at " + describe(stages);
        ASSERT_FALSE(decided) << where << " was decided";
        EXPECT_EQ(decided.error().code, table.error().code) << where;
        EXPECT_EQ(decided.error().message, table.error().message) << where;
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, 30);
}

// ------------------------------------------------------------ the doc

TEST(CampaignLifecycle, TheDocShowsTheTable) {
  std::ifstream in(PARCOURS_WORKFLOW_DOC);
  ASSERT_TRUE(in) << "cannot read " << PARCOURS_WORKFLOW_DOC;
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- campaign-lifecycle:begin -->\n";
  const std::string end = "<!-- campaign-lifecycle:end -->";
  const std::size_t from = doc.find(begin);
  const std::size_t to = doc.find(end);
  ASSERT_NE(from, std::string::npos) << "no " << begin << " in " << PARCOURS_WORKFLOW_DOC;
  ASSERT_NE(to, std::string::npos) << "no " << end << " in " << PARCOURS_WORKFLOW_DOC;
  ASSERT_LT(from, to);
  const std::string shown = doc.substr(from + begin.size(), to - from - begin.size());
  // Not EXPECT_EQ: its diff of two long texts hides the one to paste.
  EXPECT_TRUE(shown == markdown())
      << "docs/workflow.md's lifecycle table differs from the code's; put this between the "
         "markers:\n"
      << markdown();
}

}  // namespace
}  // namespace parcours::workflows::lifecycle
