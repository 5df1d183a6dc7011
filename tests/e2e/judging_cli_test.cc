// Fair judging on the command line: the draw committed and revealed from a
// seed file, the judging reads on the demo's store, and the bad input each
// verb refuses with its exit code, writing nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_run.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

class JudgingCli : public ::testing::Test {
 protected:
  Outcome parcours(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data", data()});
    return runCommand(PARCOURS_BIN, args, dir_.path() / "stderr");
  }
  std::string ok(std::vector<std::string> args) {
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    Outcome run = parcours(std::move(args));
    EXPECT_EQ(run.exitCode, 0) << shown << "\n" << run.err;
    return run.out;
  }
  // The log's length, from the audit trail of the campaign: a refused
  // command must leave it as it was.
  std::string auditOf(const std::string& campaignId) {
    return ok({"audit", "--campaign", campaignId, "--format", "csv"});
  }
  std::string data() const { return (dir_.path() / "data").string(); }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  std::string writeFile(const std::string& name, const std::string& content) {
    std::ofstream(path(name)) << content;
    return path(name);
  }
  // A commune's application to `campaign`, with the answers its form
  // accepts (`form sample`).
  std::string submission(const std::string& name,
                         const std::string& campaign = "label-territoire-innovant-2020") {
    const std::string answers = ok({"form", "sample", campaign, "--kind", "commune"});
    return writeFile(name + ".json", R"({
      "applicant": {"name": "Commune Fictive de )" + name + R"(", "kind": "commune"},
      "title": "Tiers-lieu numérique", "summary": "Un projet imaginaire.",
      "contact": {"name": "Camille Exemple", "email": "camille@example.org"},
      "answers": )" + answers + "}");
  }

  TempDir dir_;
};

constexpr const char* kLabel = "label-territoire-innovant-2020";

TEST_F(JudgingCli, TheDrawIsCommittedThenRevealedFromTheSeedFileOnly) {
  ok({"campaign", "open", std::string(PARCOURS_CAMPAIGNS_DIR) + "/" + kLabel + ".json"});
  ok({"campaign", "jury", kLabel, "--member", "juror-1:Juré Un:juror", "--member",
      "juror-2:Juré Deux:juror", "--member", "juror-3:Juré Trois:juror", "--member",
      "juror-4:Juré Quatre:juror"});
  for (const char* id : {"a", "b", "c"}) {
    ok({"dossier", "submit", kLabel, id, submission(id), "--at", "2020-06-10T10:00:00+02:00"});
  }
  // Still open for submissions: the seed cannot be committed yet.
  Outcome early = parcours({"campaign", "draw-commit", kLabel, "--seed-out", path("s.seed")});
  EXPECT_EQ(early.exitCode, 4) << early.err;
  EXPECT_NE(early.err.find("still open"), std::string::npos) << early.err;
  EXPECT_FALSE(std::filesystem::exists(path("s.seed")));  // refused: no seed file either
  EXPECT_FALSE(std::filesystem::exists(path("s.seed.partial")));
  ok({"campaign", "phase", kLabel, "submissions_closed"});

  Outcome neither = parcours({"campaign", "draw-commit", kLabel});
  EXPECT_EQ(neither.exitCode, 2);
  EXPECT_NE(neither.err.find("--seed-out FILE"), std::string::npos) << neither.err;
  Outcome notHex = parcours({"campaign", "draw-commit", kLabel, "--commitment", "abc"});
  EXPECT_EQ(notHex.exitCode, 2);
  EXPECT_NE(notHex.err.find("64 lower-case hexadecimal digits"), std::string::npos);

  const std::string committed =
      ok({"campaign", "draw-commit", kLabel, "--seed-out", path("s.seed")});
  EXPECT_NE(committed.find("3 jurors per dossier"), std::string::npos) << committed;
  const auto perms = std::filesystem::status(path("s.seed")).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
  Outcome overwrite = parcours({"campaign", "draw-commit", kLabel, "--seed-out", path("s.seed")});
  EXPECT_EQ(overwrite.exitCode, 2);  // never over an existing seed file
  EXPECT_NE(overwrite.err.find("already exists"), std::string::npos) << overwrite.err;

  const std::string before = auditOf(kLabel);
  Outcome wrong = parcours({"campaign", "draw-reveal", kLabel, "--seed-file",
                            writeFile("wrong.seed", "not the seed\n")});
  EXPECT_EQ(wrong.exitCode, 4);
  EXPECT_NE(wrong.err.find("does not match the commitment"), std::string::npos) << wrong.err;
  Outcome missing = parcours({"campaign", "draw-reveal", kLabel, "--seed-file", path("none")});
  EXPECT_EQ(missing.exitCode, 3) << missing.err;
  EXPECT_EQ(auditOf(kLabel), before);

  EXPECT_NE(ok({"campaign", "draw-reveal", kLabel, "--seed-file", path("s.seed")})
                .find("jurors drawn for 3 dossiers"),
            std::string::npos);
  const json draw = json::parse(ok({"judging", "draw", kLabel, "--json"}));
  EXPECT_TRUE(draw.at("draw").at("seed_matches_commitment").get<bool>());
  // Re-run from the log's own inputs, the recorded seed gives the draw.
  EXPECT_TRUE(draw.at("draw").at("inputs_hash_matches").get<bool>());
  EXPECT_TRUE(draw.at("draw").at("rerun_matches").get<bool>());
  EXPECT_NE(draw.at("draw").at("canonical_inputs").get<std::string>().find(
                "parcours-assignment-v1\njurors_per_dossier 3\n"),
            std::string::npos);
  EXPECT_EQ(draw.at("draw").at("dossiers"), 3);
  const json assignments = json::parse(ok({"judging", "assignments", kLabel, "--json"}));
  std::size_t slots = 0;
  for (const auto& juror : assignments.at("jurors")) slots += juror.at("dossiers").size();
  EXPECT_EQ(slots, 9u);  // 3 dossiers × 3 jurors
  Outcome again = parcours({"campaign", "draw-reveal", kLabel, "--seed-file", path("s.seed")});
  EXPECT_EQ(again.exitCode, 5) << again.err;
  // The replay re-runs the draw from the recorded seed and inputs.
  EXPECT_NE(ok({"replay", "--campaign", kLabel}).find("each one is what the rules in force decide"),
            std::string::npos);
}

TEST_F(JudgingCli, TheDemosJudgingReadsExplainEveryStep) {
  ASSERT_EQ(parcours({"demo", "--dossiers", "24"}).exitCode, 0);
  const json board = json::parse(ok({"judging", "leaderboard", kLabel, "--json"}));
  EXPECT_TRUE(board.at("round_closed").get<bool>());
  EXPECT_EQ(board.at("normalisation"), "z_score");
  ASSERT_FALSE(board.at("leaderboard").empty());
  // The round's dossiers show both means; a drawn dossier that left the
  // round (a no-show) has neither scores nor a normalised mean.
  for (const auto& line : board.at("leaderboard")) {
    EXPECT_EQ(line.at("normalised_mean").is_string(), line.at("status") != "no_show")
        << line.dump();
  }
  EXPECT_NE(ok({"judging", "normalisation", kLabel}).find("DEVIATION"), std::string::npos);
  EXPECT_NE(ok({"judging", "conflicts", "parcours-sud-2020"}).find("upheld"), std::string::npos);

  const std::string csv = path("selection.csv");
  const std::string selection = ok({"judging", "selection", "parcours-sud-2020", "--csv", csv});
  EXPECT_NE(selection.find("part of the best total score"), std::string::npos) << selection;
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "rank,dossier_id,score,requested_eur,selected,left_before_eur,explanation\r");

  // Every closed vote has its minutes, in French and in English.
  std::string voted;
  for (const auto& line : board.at("leaderboard")) {
    if (line.at("status") == "labelled") voted = line.at("dossier_id");
  }
  ASSERT_FALSE(voted.empty());
  EXPECT_NE(ok({"judging", "minutes", voted}).find("Procès-verbal de délibération"),
            std::string::npos);
  EXPECT_NE(ok({"judging", "minutes", voted, "--lang", "en"}).find("Minutes of deliberation"),
            std::string::npos);
  Outcome badLanguage = parcours({"judging", "minutes", "lti-01", "--lang", "de"});
  EXPECT_EQ(badLanguage.exitCode, 2);
  EXPECT_EQ(parcours({"judging", "minutes", "nobody"}).exitCode, 3);
  EXPECT_EQ(parcours({"judging", "leaderboard", "no-campaign"}).exitCode, 3);

  // What was recorded once is not recorded again.
  const std::string before = auditOf("parcours-sud-2020");
  EXPECT_EQ(parcours({"campaign", "select", "parcours-sud-2020"}).exitCode, 5);
  EXPECT_EQ(parcours({"campaign", "close-round", kLabel}).exitCode, 5);
  EXPECT_EQ(parcours({"campaign", "draw-commit", "parcours-sud-2020", "--commitment",
                      std::string(64, 'a')})
                .exitCode,
            5);
  EXPECT_EQ(auditOf("parcours-sud-2020"), before);
  // Every selected dossier is funded: a dry run has nothing left to select.
  Outcome dry = parcours({"campaign", "select", "parcours-sud-2020", "--dry-run"});
  EXPECT_EQ(dry.exitCode, 4);
  EXPECT_NE(dry.err.find("no dossier carried by the vote, or awaiting it"), std::string::npos)
      << dry.err;
  EXPECT_EQ(auditOf("parcours-sud-2020"), before);
}

}  // namespace
}  // namespace parcours::testing
