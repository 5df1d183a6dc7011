// The workflow commands of the parcours command line, run as an
// administrator runs them, on a real store in a temporary directory: each
// command's output and exit code, a dossier walked to labelled, the reads
// in table, JSON and CSV, idempotent command ids, and every kind of bad
// input with its message, its exit code and nothing written.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.h"
#include "temp_dir.h"

namespace {

using parcours::testing::Outcome;
using parcours::testing::runCommand;
using parcours::testing::shellQuote;

using nlohmann::json;

// A temporary store and the files an administrator writes next to it.
class WorkflowCli : public ::testing::Test {
 protected:
  // Runs `parcours --data <store> <args>`; `env` is prefixed (VAR=value ...).
  Outcome parcours(std::initializer_list<std::string> args) {
    return parcoursRaw(withData(std::vector<std::string>(args)));
  }

  // Runs parcours with exactly these arguments (no --data added).
  Outcome parcoursRaw(const std::vector<std::string>& args, const std::string& env = "") {
    return runCommand(PARCOURS_BIN, args, dir_.path() / "stderr", env);
  }

  // Runs a command that must succeed; returns its stdout.
  std::string ok(std::initializer_list<std::string> args) {
    Outcome run = parcours(args);
    EXPECT_EQ(run.exitCode, 0) << joined(args) << "\n" << run.err;
    return run.out;
  }

  // Runs a write with --json that must succeed; returns its object.
  json okJson(std::initializer_list<std::string> args) {
    std::vector<std::string> all(args);
    all.push_back("--json");
    Outcome run = parcoursRaw(withData(all));
    EXPECT_EQ(run.exitCode, 0) << run.err;
    return run.exitCode == 0 ? json::parse(run.out) : json();
  }

  std::vector<std::string> withData(const std::vector<std::string>& args) {
    std::vector<std::string> all{"--data", data()};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }

  static std::string joined(std::initializer_list<std::string> args) {
    std::string text;
    for (const auto& a : args) text += a + " ";
    return text;
  }

  std::string data() const { return (dir_.path() / "data").string(); }

  std::string writeFile(const std::string& name, const std::string& content) {
    const auto path = dir_.path() / name;
    std::ofstream(path) << content;
    return path.string();
  }

  // The label campaign "lti-test": auditions, two criteria (innovation
  // weight 2, users weight 1, 0-10), threshold 6.0, the jury votes, quorum
  // 50%, simple majority, deadline 2020-06-19T23:59:59 Paris time.
  std::string labelDefinition() {
    return writeFile("lti-test.json", R"({
      "id": "lti-test",
      "name": "Label Test 2020",
      "organiser": "Association Fictive",
      "deadline": {"local": "2020-06-19T23:59:59", "time_zone": "Europe/Paris"},
      "eligible_applicant_kinds": ["commune", "communaute_de_communes"],
      "required_fields": ["applicant.name", "applicant.kind", "title", "contact.email"],
      "auditions_held": true,
      "criteria": [
        {"id": "innovation", "label": "Innovation", "scale": {"min": 0, "max": 10}, "weight": 2},
        {"id": "users", "label": "Usagers", "scale": {"min": 0, "max": 10}, "weight": 1}
      ],
      "threshold": 6.0,
      "vote": {"body": "jury", "quorum_percent": 50, "majority": "simple"},
      "label_name": "Label Test"
    })");
  }

  // The funding call "ami-test": no auditions, one criterion, elected
  // officials vote, envelope €1,000.00, per-dossier cap €600.00.
  std::string fundingDefinition() {
    return writeFile("ami-test.json", R"({
      "id": "ami-test",
      "name": "Appel Test 2020",
      "organiser": "Région Fictive",
      "deadline": {"local": "2020-06-03T23:59:59", "time_zone": "Europe/Paris"},
      "eligible_applicant_kinds": ["communaute_de_communes", "metropole"],
      "required_fields": ["applicant.name", "title", "requested_amount"],
      "strands": [{"id": "1", "label": "Sensibiliser"}, {"id": "2", "label": "Ingénierie"}],
      "auditions_held": false,
      "criteria": [{"id": "quality", "label": "Qualité", "scale": {"min": 0, "max": 10}, "weight": 1}],
      "threshold": 5.0,
      "vote": {"body": "elected_officials", "quorum_percent": 50, "majority": "simple"},
      "budget": {"envelope_cents": 100000, "per_dossier_cap_cents": 60000}
    })");
  }

  // A fictional applicant's submission.
  // `answers`: the form's (a JSON object), when the campaign has one.
  std::string application(const std::string& name, const std::string& kind,
                          std::int64_t requestedCents = 50000, const std::string& strands = "[]",
                          const std::string& answers = "{}") {
    return writeFile(name + ".json", R"({
      "applicant": {"name": "Communauté Fictive du Val de Brume", "kind": ")" +
                                         kind + R"("},
      "title": "Tiers-lieu numérique intercommunal",
      "summary": "Un projet imaginaire.",
      "strands": )" + strands + R"(,
      "requested_amount_cents": )" + std::to_string(requestedCents) +
                                         R"(,
      "contact": {"name": "Camille Exemple", "email": "camille@example.org"},
      "answers": )" + answers + R"(
    })");
  }

  // lti-test open, jurors j1 and j2 appointed.
  void openLabelCampaign() {
    ok({"campaign", "open", labelDefinition()});
    ok({"campaign", "jury", "lti-test", "--member", "j1:Juré Un:juror", "--member",
        "j2:Juré Deux:juror"});
  }

  // Takes `id` (a commune's application) from submission to labelled in
  // lti-test: 11 events, submitted at 2020-06-19T23:00:00+02:00, weighted
  // mean 7.167.
  void labelDossier(const std::string& id) {
    ok({"dossier", "submit", "lti-test", id, application(id, "commune"), "--at",
        "2020-06-19T23:00:00+02:00", "--actor", "applicant"});
    ok({"dossier", "eligible", id, "--reason", "complete"});
    ok({"dossier", "audition", "schedule", id, "--slot", "2020-06-23T14:00:00+02:00"});
    ok({"dossier", "audition", "held", id});
    ok({"dossier", "score", id, "--juror", "j1", "--score", "innovation=8", "--score", "users=6"});
    ok({"dossier", "score", id, "--juror", "j2", "--score", "innovation=7", "--score", "users=7"});
    ok({"dossier", "close-scoring", id});
    ok({"dossier", "vote", id, "--voter", "j1", "--choice", "yes"});
    ok({"dossier", "vote", id, "--voter", "j2", "--choice", "abstain"});
    ok({"dossier", "close-vote", id});
    ok({"dossier", "award", id});
  }

  // A read's --json object; fails the test on a non-zero exit.
  json readJson(std::initializer_list<std::string> args) {
    std::vector<std::string> all(args);
    all.push_back("--json");
    Outcome run = parcoursRaw(withData(all));
    EXPECT_EQ(run.exitCode, 0) << run.err;
    return run.exitCode == 0 ? json::parse(run.out) : json();
  }

  parcours::testing::TempDir dir_;
};

// ------------------------------------------------------------- campaigns

TEST_F(WorkflowCli, CampaignOpenSaysWhatItOpened) {
  Outcome run = parcours({"campaign", "open", labelDefinition()});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out,
            "campaign lti-test: opened, \"Label Test 2020\", rules version 1 (positions 1-2)\n");
  EXPECT_TRUE(run.err.empty()) << run.err;
}

TEST_F(WorkflowCli, CampaignOpenJsonIsOneObject) {
  json out = okJson({"campaign", "open", fundingDefinition()});
  EXPECT_EQ(out["campaign_id"], "ami-test");
  EXPECT_EQ(out["rules_version"], 1);
  EXPECT_EQ(out["phase"], "submissions");
  // CampaignOpened, then the deadline's TimerScheduled, in one append.
  EXPECT_EQ(out["first_position"], 1);
  EXPECT_EQ(out["last_position"], 2);
  EXPECT_EQ(out["deduplicated"], false);
  ASSERT_EQ(out["streams"].size(), 1u);
  EXPECT_EQ(out["streams"][0]["stream_id"], "campaign-ami-test");
  EXPECT_EQ(out["streams"][0]["first_version"], 1);
  EXPECT_EQ(out["streams"][0]["positions"], json::array({1, 2}));
}

TEST_F(WorkflowCli, CampaignOpenedTwiceIsAConflict) {
  ok({"campaign", "open", labelDefinition()});
  Outcome again = parcours({"campaign", "open", labelDefinition()});
  EXPECT_EQ(again.exitCode, 5);
  EXPECT_NE(again.err.find("campaign \"lti-test\" is already open"), std::string::npos)
      << again.err;
}

TEST_F(WorkflowCli, CampaignJuryFromAFileAndFromFlags) {
  ok({"campaign", "open", fundingDefinition()});
  const std::string jury = writeFile("jury.json", R"({"members": [
      {"id": "j1", "name": "Juré Un", "role": "juror"},
      {"id": "e1", "name": "Élue Une", "role": "elected_official"},
      {"id": "e2", "name": "Élu Deux", "role": "elected_official"}]})");
  EXPECT_EQ(ok({"campaign", "jury", "ami-test", jury}),
            "campaign ami-test: jury of 3 appointed (1 juror, 2 elected officials) (position 3)\n");
  json flags = okJson({"campaign", "jury", "ami-test", "--member", "j9:Juré: Neuf:juror"});
  EXPECT_EQ(flags["jury"][0]["name"], "Juré: Neuf");
  EXPECT_EQ(flags["jury"][0]["role"], "juror");
}

TEST_F(WorkflowCli, CampaignPhaseBudgetAndAmend) {
  ok({"campaign", "open", fundingDefinition()});
  EXPECT_EQ(ok({"campaign", "budget", "ami-test", "--envelope-cents", "200000"}),
            "campaign ami-test: envelope €2,000.00, €0.00 granted so far (position 3)\n");
  EXPECT_EQ(ok({"campaign", "phase", "ami-test", "submissions_closed"}),
            "campaign ami-test: phase submissions_closed (positions 4-5)\n");
  Outcome backwards = parcours({"campaign", "phase", "ami-test", "submissions"});
  EXPECT_EQ(backwards.exitCode, 4);
  EXPECT_NE(backwards.err.find("phases only move forward"), std::string::npos) << backwards.err;

  // The same id with a later deadline: a second rules version.
  std::ifstream in(fundingDefinition());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  text.replace(text.find("2020-06-03"), 10, "2020-06-10");
  const std::string amended = writeFile("ami-test-amended.json", text);
  EXPECT_EQ(ok({"campaign", "amend", "ami-test", amended, "--reason", "deadline extended"}),
            "campaign ami-test: rules amended, now version 2 (position 6)\n");
  Outcome other = parcours({"campaign", "amend", "lti-test", amended});
  EXPECT_EQ(other.exitCode, 2);
  EXPECT_NE(other.err.find("defines campaign \"ami-test\", not \"lti-test\""), std::string::npos)
      << other.err;
}

TEST_F(WorkflowCli, CampaignConflictIsDeclaredThenRuled) {
  openLabelCampaign();
  ok({"dossier", "submit", "lti-test", "d-1", application("a1", "commune"), "--at",
      "2020-06-01T10:00:00+02:00"});
  Outcome noReason =
      parcours({"campaign", "conflict", "lti-test", "--juror", "j1", "--dossier", "d-1"});
  EXPECT_EQ(noReason.exitCode, 2);
  EXPECT_NE(noReason.err.find("--reason"), std::string::npos) << noReason.err;
  Outcome badBy = parcours({"campaign", "conflict", "lti-test", "--juror", "j1", "--dossier",
                            "d-1", "--by", "mayor", "--reason", "x"});
  EXPECT_EQ(badBy.exitCode, 2);
  EXPECT_NE(badBy.err.find("--by: use juror or administrator"), std::string::npos) << badBy.err;
  EXPECT_EQ(ok({"campaign", "conflict", "lti-test", "--juror", "j1", "--dossier", "d-1", "--by",
                "juror", "--reason", "elected in that territory"}),
            "campaign lti-test: conflict of j1 with dossier d-1 declared; it awaits a ruling "
            "(campaign rule-conflict) (position 5)\n");
  EXPECT_NE(ok({"judging", "conflicts", "lti-test", "--pending"}).find("pending"),
            std::string::npos);
  Outcome badRuling = parcours({"campaign", "rule-conflict", "lti-test", "--juror", "j1",
                                "--dossier", "d-1", "--ruling", "maybe", "--reason", "x"});
  EXPECT_EQ(badRuling.exitCode, 2);
  EXPECT_NE(badRuling.err.find("--ruling: use upheld or dismissed"), std::string::npos);
  Outcome unknown = parcours({"campaign", "rule-conflict", "lti-test", "--juror", "j2",
                              "--dossier", "d-1", "--ruling", "upheld", "--reason", "x"});
  EXPECT_EQ(unknown.exitCode, 3) << unknown.err;
  EXPECT_EQ(ok({"campaign", "rule-conflict", "lti-test", "--juror", "j1", "--dossier", "d-1",
                "--ruling", "upheld", "--reason", "a direct link"}),
            "campaign lti-test: conflict of j1 with d-1 upheld (position 6)\n");
  Outcome again = parcours({"campaign", "rule-conflict", "lti-test", "--juror", "j1",
                            "--dossier", "d-1", "--ruling", "upheld", "--reason", "again"});
  EXPECT_EQ(again.exitCode, 5) << again.err;
}

// `campaign show`: the rules in force with the assumptions the definition
// made, for people; with --json the definition file itself, which `campaign
// amend` takes back as changing nothing.
TEST_F(WorkflowCli, CampaignShowPrintsTheRulesTheirAssumptionsAndTheDefinitionBack) {
  ok({"campaign", "open", std::string(PARCOURS_CAMPAIGNS_DIR) +
                              "/parcours-sud-smart-territoires-2020.json"});
  const std::string shown = ok({"campaign", "show", "parcours-sud-2020"});
  EXPECT_NE(shown.find("rules version 1"), std::string::npos) << shown;
  EXPECT_NE(shown.find("04, 05, 06, 13, 83, 84"), std::string::npos) << shown;
  EXPECT_NE(shown.find("3       investment"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Assumptions: what the definition chose where its source is silent"),
            std::string::npos)
      << shown;
  EXPECT_NE(shown.find("Projet exemplaire Smart Territoires"), std::string::npos) << shown;
  const std::string json = ok({"campaign", "show", "parcours-sud-2020", "--json"});
  const std::string file = writeFile("shown.json", json);
  Outcome same = parcours({"campaign", "amend", "parcours-sud-2020", file});
  EXPECT_EQ(same.exitCode, 4) << same.err;
  EXPECT_NE(same.err.find("the amendment changes nothing"), std::string::npos) << same.err;
  Outcome unknown = parcours({"campaign", "show", "no-such-call"});
  EXPECT_EQ(unknown.exitCode, 3) << unknown.err;
  Outcome malformed = parcours({"dossier", "close-vote", "d-1", "--proxy", "elected-4"});
  EXPECT_EQ(malformed.exitCode, 2) << malformed.err;
  EXPECT_NE(malformed.err.find("write GIVER:HOLDER"), std::string::npos) << malformed.err;
}

// The two 2020 seed campaigns, opened from the files shipped in
// workflows/campaigns/: the label's deadline is the last second of 19 June
// 2020, Paris time.
TEST_F(WorkflowCli, SeedCampaignsOpenAndKeepTheirDeadline) {
  const std::string dir = PARCOURS_CAMPAIGNS_DIR;
  ok({"campaign", "open", dir + "/parcours-sud-smart-territoires-2020.json"});
  ok({"campaign", "open", dir + "/label-territoire-innovant-2020.json"});
  const std::string lti = "label-territoire-innovant-2020";
  // The seeds' forms ask their answers: `form sample` gives answers they accept.
  const std::string file =
      application("seed", "communaute_de_communes", 50000, "[]",
                  ok({"form", "sample", lti, "--kind", "communaute_de_communes"}));
  EXPECT_EQ(
      ok({"dossier", "submit", lti, "last-second", file, "--at", "2020-06-19T23:59:59+02:00"}),
      "dossier last-second: submitted to campaign " + lti +
          " by \"Communauté Fictive du Val de Brume\" (position 5)\n");
  Outcome late =
      parcours({"dossier", "submit", lti, "midnight", file, "--at", "2020-06-20T00:00:00+02:00"});
  EXPECT_EQ(late.exitCode, 4);
  EXPECT_NE(late.err.find("is after the deadline 2020-06-19T23:59:59+02:00"), std::string::npos)
      << late.err;
  // The AMI takes intercommunalités only: a commune is refused eligibility.
  ok({"dossier", "submit", "parcours-sud-2020", "commune-1",
      application("c1", "commune", 100000, "[\"3\"]",
                  ok({"form", "sample", "parcours-sud-2020", "--strands", "3"})),
      "--at", "2020-06-01T10:00:00+02:00"});
  Outcome commune = parcours({"dossier", "eligible", "commune-1"});
  EXPECT_EQ(commune.exitCode, 4);
  EXPECT_NE(commune.err.find("applicant kind \"commune\" is not eligible"), std::string::npos)
      << commune.err;
}

// --------------------------------------------------------------- dossiers

// A label dossier from submission to labelled, one line per step.
TEST_F(WorkflowCli, DossierWalksToLabelled) {
  openLabelCampaign();
  EXPECT_EQ(ok({"dossier", "submit", "lti-test", "d-1", application("a1", "commune"), "--at",
                "2020-06-19T23:00:00+02:00", "--actor", "applicant"}),
            "dossier d-1: submitted to campaign lti-test by \"Communauté Fictive du Val de "
            "Brume\" (position 4)\n");
  EXPECT_EQ(ok({"dossier", "eligible", "d-1", "--reason", "complete"}),
            "dossier d-1: eligible (position 5)\n");
  EXPECT_EQ(
      ok({"dossier", "audition", "schedule", "d-1", "--slot", "2020-06-23T12:00:00Z"}),
      "dossier d-1: eligible, audition scheduled at 2020-06-23T14:00:00+02:00 (position 6)\n");
  EXPECT_EQ(ok({"dossier", "audition", "held", "d-1"}), "dossier d-1: auditioned (position 7)\n");
  EXPECT_EQ(ok({"dossier", "score", "d-1", "--juror", "j1", "--score", "innovation=8", "--score",
                "users=6"}),
            "dossier d-1: auditioned, score of juror j1 recorded (1 of 2 jurors have scored) "
            "(position 8)\n");
  ok({"dossier", "score", "d-1", "--juror", "j2", "--score", "innovation=7", "--score", "users=7"});
  // (2×8 + 6 + 2×7 + 7) / (2 × 3) = 43 / 6 = 7.1666…: 7.167
  EXPECT_EQ(ok({"dossier", "close-scoring", "d-1"}),
            "dossier d-1: scored, weighted mean 7.167 (threshold 6.000) (position 10)\n");
  EXPECT_EQ(ok({"dossier", "vote", "d-1", "--voter", "j1", "--choice", "yes"}),
            "dossier d-1: scored, vote of j1 recorded (1 of 2 votes cast) (position 11)\n");
  ok({"dossier", "vote", "d-1", "--voter", "j2", "--choice", "abstain"});
  EXPECT_EQ(ok({"dossier", "close-vote", "d-1"}), "dossier d-1: voted (position 13)\n");
  json award = okJson({"dossier", "award", "d-1"});
  EXPECT_EQ(award["status"], "labelled");
  EXPECT_EQ(award["label_name"], "Label Test");
  EXPECT_EQ(award["granted_cents"], 0);
  EXPECT_EQ(award["dossier_id"], "d-1");
  EXPECT_EQ(award["campaign_id"], "lti-test");
  EXPECT_EQ(award["first_position"], 14);
}

// A funding dossier: no auditions, elected officials vote, a grant writes
// the dossier and the campaign streams in one append.
TEST_F(WorkflowCli, FundingDossierIsGrantedWithinTheEnvelope) {
  ok({"campaign", "open", fundingDefinition()});
  ok({"campaign", "jury", "ami-test", "--member", "j1:Juré Un:juror", "--member",
      "e1:Élue Une:elected_official", "--member", "e2:Élu Deux:elected_official"});
  ok({"dossier", "submit", "ami-test", "d-2", application("a2", "metropole", 50000, R"(["1"])"),
      "--at", "2020-06-01T10:00:00+02:00"});
  ok({"dossier", "eligible", "d-2"});
  ok({"dossier", "score", "d-2", "--juror", "j1", "--score", "quality=9"});
  ok({"dossier", "close-scoring", "d-2"});
  ok({"dossier", "vote", "d-2", "--voter", "e1", "--choice", "yes"});
  ok({"dossier", "vote", "d-2", "--voter", "e2", "--choice", "yes"});
  ok({"dossier", "close-vote", "d-2"});
  Outcome tooMuch = parcours({"dossier", "award", "d-2", "--amount-cents", "70000"});
  EXPECT_EQ(tooMuch.exitCode, 4);
  EXPECT_NE(tooMuch.err.find("over the per-dossier cap of €600.00"), std::string::npos)
      << tooMuch.err;
  json award = okJson({"dossier", "award", "d-2", "--amount-cents", "45000"});
  EXPECT_EQ(award["status"], "labelled");
  EXPECT_EQ(award["granted_cents"], 45000);
  ASSERT_EQ(award["streams"].size(), 2u);
  EXPECT_EQ(award["streams"][0]["stream_id"], "dossier-d-2");
  EXPECT_EQ(award["streams"][1]["stream_id"], "campaign-ami-test");
  EXPECT_EQ(award["last_position"].get<int>(), award["first_position"].get<int>() + 1);
}

TEST_F(WorkflowCli, DossierOutcomesThatEndIt) {
  openLabelCampaign();
  for (const char* id : {"d-1", "d-2", "d-3", "d-4"}) {
    ok({"dossier", "submit", "lti-test", id, application(id, "commune"), "--at",
        "2020-06-10T10:00:00+02:00"});
  }
  EXPECT_EQ(ok({"dossier", "ineligible", "d-1", "--reason", "no project"}),
            "dossier d-1: ineligible (position 8)\n");
  ok({"dossier", "eligible", "d-2"});
  EXPECT_EQ(ok({"dossier", "not-selected", "d-2", "--reason", "out of scope"}),
            "dossier d-2: not_selected (position 10)\n");
  ok({"dossier", "eligible", "d-3"});
  ok({"dossier", "audition", "schedule", "d-3", "--slot", "2020-06-23T14:00:00+02:00"});
  EXPECT_EQ(ok({"dossier", "audition", "no-show", "d-3"}), "dossier d-3: no_show (position 13)\n");
  EXPECT_EQ(ok({"dossier", "withdraw", "d-4", "--actor", "applicant"}),
            "dossier d-4: withdrawn (position 14)\n");
}

// ------------------------------------------------------------ idempotency

TEST_F(WorkflowCli, ACommandIdMakesAWriteRunOnce) {
  openLabelCampaign();
  ok({"dossier", "submit", "lti-test", "d-1", application("a1", "commune"), "--at",
      "2020-06-10T10:00:00+02:00", "--command-id", "submit-d-1"});
  Outcome first = parcours({"dossier", "eligible", "d-1", "--command-id", "elig-d-1"});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  EXPECT_EQ(first.out, "dossier d-1: eligible (position 5)\n");
  Outcome again = parcours({"dossier", "eligible", "d-1", "--command-id", "elig-d-1"});
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.out,
            "dossier d-1: eligible (position 5; already recorded under command id \"elig-d-1\": "
            "nothing written)\n");
  json replayed = okJson({"dossier", "submit", "lti-test", "d-1", application("a1", "commune"),
                          "--at", "2020-06-10T10:00:00+02:00", "--command-id", "submit-d-1"});
  EXPECT_EQ(replayed["deduplicated"], true);
  EXPECT_EQ(replayed["first_position"], 4);
  // Without the id, the same submission is a second one: refused.
  Outcome twice = parcours({"dossier", "submit", "lti-test", "d-1", application("a1", "commune"),
                            "--at", "2020-06-10T10:00:00+02:00"});
  EXPECT_EQ(twice.exitCode, 5);
  EXPECT_NE(twice.err.find("dossier \"d-1\" already exists"), std::string::npos) << twice.err;
}

// -------------------------------------------- bad input: say it, write nothing

struct BadInput {
  const char* name;
  std::vector<std::string> args;  // after --data
  int exitCode;
  const char* message;  // a part of stderr
};

class WorkflowCliBadInput : public WorkflowCli {
 protected:
  // Opens lti-test with its jury, submits d-1 and d-wrong-kind (positions 1 to 5: the
  // campaign's opening is two events).
  void SetUp() override {
    openLabelCampaign();
    ok({"dossier", "submit", "lti-test", "d-1", application("a1", "commune"), "--at",
        "2020-06-10T10:00:00+02:00"});
    ok({"dossier", "submit", "lti-test", "d-wrong-kind", application("a2", "entreprise"), "--at",
        "2020-06-10T10:00:00+02:00"});
  }

  void expectRefused(const BadInput& bad) {
    SCOPED_TRACE(bad.name);
    Outcome run = parcoursRaw(withData(bad.args));
    EXPECT_EQ(run.exitCode, bad.exitCode) << run.err;
    EXPECT_NE(run.err.find(bad.message), std::string::npos) << run.err;
    EXPECT_EQ(run.err.rfind("parcours: ", 0), 0u) << run.err;
    EXPECT_TRUE(run.out.empty()) << run.out;
  }
};

TEST_F(WorkflowCliBadInput, EachBadInputSaysWhatAndWritesNothing) {
  const std::string malformed = writeFile("malformed.json", "{\"id\": \"x\", ");
  const std::string noTitle = writeFile("no-title.json", R"({"applicant": {"name": 3}})");
  const std::string missingField = writeFile("missing-field.json", R"({"id": "lti-2"})");
  const std::string badJury =
      writeFile("jury.json", R"({"members": [{"id": "j1", "name": "A", "role": "judge"}]})");
  const std::string app = application("a3", "commune");
  const std::string missing = (dir_.path() / "nowhere.json").string();
  const std::vector<BadInput> cases{
      {"malformed JSON", {"campaign", "open", malformed}, 2, "malformed.json"},
      {"missing file", {"campaign", "open", missing}, 3, "nowhere.json"},
      {"missing field in a definition", {"campaign", "open", missingField}, 2, "name"},
      {"wrong type in a submission",
       {"dossier", "submit", "lti-test", "d-9", noTitle},
       2,
       "applicant.name"},
      {"missing submission file",
       {"dossier", "submit", "lti-test", "d-9", missing},
       3,
       "nowhere.json"},
      {"unknown campaign", {"dossier", "submit", "nope", "d-9", app}, 3, "no campaign \"nope\""},
      {"unknown dossier", {"dossier", "eligible", "d-404"}, 3, "no dossier \"d-404\""},
      {"unknown campaign for a phase",
       {"campaign", "phase", "nope", "closed"},
       3,
       "no campaign \"nope\""},
      {"wrong applicant kind",
       {"dossier", "eligible", "d-wrong-kind"},
       4,
       "applicant kind \"entreprise\" is not eligible"},
      {"illegal transition", {"dossier", "award", "d-1"}, 4, "cannot award dossier \"d-1\""},
      {"late submission",
       {"dossier", "submit", "lti-test", "d-late", app, "--at", "2020-06-20T00:00:01+02:00"},
       4,
       "submission at 2020-06-20T00:00:01+02:00 is after the deadline "
       "2020-06-19T23:59:59+02:00"},
      {"bad --score syntax",
       {"dossier", "score", "d-1", "--juror", "j1", "--score", "innovation:8"},
       2,
       "--score \"innovation:8\""},
      {"--score not a number",
       {"dossier", "score", "d-1", "--juror", "j1", "--score", "users=high"},
       2,
       "\"high\" is not a whole number"},
      {"bad --at",
       {"dossier", "eligible", "d-1", "--at", "yesterday"},
       2,
       "--at: \"yesterday\" is not an RFC 3339 instant"},
      {"bad --slot",
       {"dossier", "audition", "schedule", "d-1", "--slot", "2020-06-23"},
       2,
       "--slot: \"2020-06-23\""},
      {"bad vote choice",
       {"dossier", "vote", "d-1", "--voter", "j1", "--choice", "maybe"},
       2,
       "vote yes, no or abstain"},
      {"unknown phase", {"campaign", "phase", "lti-test", "voting"}, 2, "unknown phase \"voting\""},
      {"bad jury role",
       {"campaign", "jury", "lti-test", badJury},
       2,
       "members[0].role: unknown role \"judge\""},
      {"bad --member",
       {"campaign", "jury", "lti-test", "--member", "j1-juror"},
       2,
       "--member \"j1-juror\": write id:name:role"},
      {"negative envelope",
       {"campaign", "budget", "lti-test", "--envelope-cents", "-5"},
       2,
       "--envelope-cents"},
      {"missing reason", {"dossier", "ineligible", "d-1"}, 2, "--reason"},
      {"bad dossier id", {"dossier", "submit", "lti-test", "d 1", app}, 2, "dossier id"},
      {"unknown juror",
       {"campaign", "conflict", "lti-test", "--juror", "j7", "--dossier", "d-1", "--reason", "r"},
       3,
       "\"j7\" is not a member"},
  };
  const json statusBefore = readJson({"status"});
  const json auditBefore = readJson({"audit", "--campaign", "lti-test"});
  for (const BadInput& bad : cases) expectRefused(bad);
  // Nothing of the above was written: the views read the same, and the
  // next write lands at position 6.
  EXPECT_EQ(readJson({"status"}), statusBefore);
  EXPECT_EQ(readJson({"audit", "--campaign", "lti-test"}), auditBefore);
  EXPECT_EQ(okJson({"dossier", "eligible", "d-1"})["first_position"], 6);
}

TEST_F(WorkflowCli, NoDataDirectoryIsInvalidInput) {
  Outcome run = parcoursRaw({"dossier", "eligible", "d-1"}, "env -u PARCOURS_DATA");
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("give --data DIR (or set PARCOURS_DATA)"), std::string::npos) << run.err;
}

TEST_F(WorkflowCli, AMissingStoreIsNotFoundAndNotCreated) {
  const std::string nowhere = (dir_.path() / "typo").string();
  Outcome run = parcoursRaw({"--data", nowhere, "dossier", "eligible", "d-1"});
  EXPECT_EQ(run.exitCode, 3);
  EXPECT_NE(run.err.find("no store at " + nowhere), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(nowhere));
}

// RocksDB lets one process open the store; commands a script runs in
// parallel wait for each other instead of failing.
TEST_F(WorkflowCli, CommandsRunInParallelWaitForTheStore) {
  openLabelCampaign();
  const std::string file = application("parallel", "commune");
  std::string script;
  for (int i = 0; i < 4; ++i) {
    script += "(" + std::string(PARCOURS_BIN) + " --data " + shellQuote(data()) +
              " dossier submit lti-test p-" + std::to_string(i) + " " + shellQuote(file) +
              " --at 2020-06-10T10:00:00+02:00 || echo failed) & ";
  }
  script += "wait";
  const std::string out = runCommand("/bin/sh", {"-c", script}, dir_.path() / "stderr").out;
  EXPECT_EQ(out.find("failed"), std::string::npos) << out;
  std::size_t submitted = 0;
  for (std::size_t at = out.find(": submitted"); at != std::string::npos;
       at = out.find(": submitted", at + 1)) {
    ++submitted;
  }
  EXPECT_EQ(submitted, 4u) << out;
}

TEST_F(WorkflowCli, GlobalFlagsMayFollowTheCommandAndComeFromTheEnvironment) {
  Outcome run = parcoursRaw({"campaign", "open", labelDefinition(), "--data", data()});
  EXPECT_EQ(run.exitCode, 0) << run.err;
  Outcome env = parcoursRaw({"campaign", "jury", "lti-test", "--member", "j1:A:juror", "--json"},
                            "PARCOURS_DATA=" + shellQuote(data()) + " PARCOURS_ACTOR=secretariat");
  EXPECT_EQ(env.exitCode, 0) << env.err;
}

// ------------------------------------------------------------------ reads

// Two campaigns: lti-test with d-1 labelled, d-2 ineligible (a reason that
// looks like a formula) and d-3 submitted; ami-test with d-9 granted €450.
class WorkflowCliReads : public WorkflowCli {
 protected:
  void SetUp() override {
    openLabelCampaign();
    labelDossier("d-1");
    ok({"dossier", "submit", "lti-test", "d-2", application("d-2", "commune"), "--at",
        "2020-06-18T10:00:00+02:00"});
    ok({"dossier", "ineligible", "d-2", "--reason", "=HYPERLINK(\"http://x\")"});
    ok({"dossier", "submit", "lti-test", "d-3", application("d-3", "communaute_de_communes"),
        "--at", "2020-06-18T11:00:00+02:00"});
    ok({"campaign", "open", fundingDefinition()});
    ok({"campaign", "jury", "ami-test", "--member", "j1:Juré Un:juror", "--member",
        "e1:Élue Une:elected_official"});
    ok({"dossier", "submit", "ami-test", "d-9", application("d-9", "metropole", 50000, "[\"1\"]"),
        "--at", "2020-06-01T10:00:00+02:00"});
    ok({"dossier", "eligible", "d-9"});
    ok({"dossier", "score", "d-9", "--juror", "j1", "--score", "quality=9"});
    ok({"dossier", "close-scoring", "d-9"});
    ok({"dossier", "vote", "d-9", "--voter", "e1", "--choice", "yes"});
    ok({"dossier", "close-vote", "d-9"});
    ok({"dossier", "award", "d-9", "--amount-cents", "45000"});
  }
};

TEST_F(WorkflowCliReads, StatusTableHasOneRowPerDossier) {
  Outcome run = parcours({"status", "--campaign", "lti-test"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("DOSSIER  CAMPAIGN  STATE", 0), 0u) << run.out;
  for (const char* column : {"APPLICANT", "KIND", "TITLE", "REQUESTED", "GRANTED", "MEAN"}) {
    EXPECT_NE(header.find(column), std::string::npos) << column;
  }
  std::string line;
  int rows = 0;
  while (std::getline(lines, line)) ++rows;
  EXPECT_EQ(rows, 3) << run.out;
  EXPECT_NE(run.out.find("labelled"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("7.167"), std::string::npos) << run.out;
}

TEST_F(WorkflowCliReads, StatusJsonFiltersByCampaignAndState) {
  json all = readJson({"status"});
  ASSERT_EQ(all["dossiers"].size(), 4u) << all;
  EXPECT_TRUE(all["next_cursor"].is_null());
  json labelled = readJson({"status", "--campaign", "lti-test", "--state", "labelled"});
  ASSERT_EQ(labelled["dossiers"].size(), 1u) << labelled;
  const json& d1 = labelled["dossiers"][0];
  EXPECT_EQ(d1["dossier_id"], "d-1");
  EXPECT_EQ(d1["campaign_id"], "lti-test");
  EXPECT_EQ(d1["status"], "labelled");
  EXPECT_EQ(d1["applicant_kind"], "commune");
  EXPECT_EQ(d1["mean_milli"], 7167);
  EXPECT_EQ(d1["label_name"], "Label Test");
  EXPECT_EQ(d1["requested_cents"], 50000);
  EXPECT_EQ(d1["submitted_at"], "2020-06-19T21:00:00.000000Z");
  EXPECT_EQ(d1["audition_slot"], "2020-06-23T12:00:00.000000Z");
  EXPECT_EQ(d1["version"], 11);
  EXPECT_FALSE(d1.contains("contact")) << "personal data stays out of the views";
  json granted = readJson({"status", "--campaign", "ami-test"});
  ASSERT_EQ(granted["dossiers"].size(), 1u);
  EXPECT_EQ(granted["dossiers"][0]["granted_cents"], 45000);
}

TEST_F(WorkflowCliReads, StatusPagesWithACursor) {
  json first = readJson({"status", "--limit", "3"});
  ASSERT_EQ(first["dossiers"].size(), 3u);
  ASSERT_TRUE(first["next_cursor"].is_string()) << first;
  json second = readJson({"status", "--limit", "3", "--after", first["next_cursor"]});
  ASSERT_EQ(second["dossiers"].size(), 1u) << second;
  EXPECT_TRUE(second["next_cursor"].is_null());
  std::set<std::string> ids;
  for (const json* page : {&first, &second}) {
    for (const json& d : (*page)["dossiers"]) ids.insert(d["dossier_id"].get<std::string>());
  }
  EXPECT_EQ(ids, (std::set<std::string>{"d-1", "d-2", "d-3", "d-9"}));
  // For people, the cursor of the next page goes to stderr.
  Outcome table = parcours({"status", "--limit", "3"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_NE(table.err.find("--after " + first["next_cursor"].get<std::string>()), std::string::npos)
      << table.err;
}

TEST_F(WorkflowCliReads, StatusRefusesAnUnknownStateOrCampaign) {
  Outcome state = parcours({"status", "--state", "pending"});
  EXPECT_EQ(state.exitCode, 2);
  EXPECT_NE(state.err.find("--state \"pending\" is not a state: use submitted, eligible"),
            std::string::npos)
      << state.err;
  Outcome campaign = parcours({"status", "--campaign", "nope"});
  EXPECT_EQ(campaign.exitCode, 3);
  EXPECT_NE(campaign.err.find("nope"), std::string::npos) << campaign.err;
}

TEST_F(WorkflowCliReads, ShowGivesTheDossierAndItsTimeline) {
  json shown = readJson({"show", "d-1"});
  EXPECT_EQ(shown["dossier"]["status"], "labelled");
  const json& timeline = shown["timeline"];
  ASSERT_EQ(timeline.size(), 11u) << shown;
  EXPECT_EQ(timeline[0]["event_type"], "DossierSubmitted");
  EXPECT_EQ(timeline[0]["actor"], "applicant");
  EXPECT_EQ(timeline[0]["recorded_at"], "2020-06-19T21:00:00.000000Z");
  EXPECT_EQ(timeline[0]["rules_version"], 1);
  EXPECT_EQ(timeline[1]["reason"], "complete");
  EXPECT_EQ(timeline[10]["event_type"], "LabelAwarded");
  Outcome table = parcours({"show", "d-1"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_NE(table.out.find("2020-06-19T23:00:00+02:00"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("ScoreRecorded"), std::string::npos) << table.out;
  Outcome unknown = parcours({"show", "d-404"});
  EXPECT_EQ(unknown.exitCode, 3);
  EXPECT_NE(unknown.err.find("d-404"), std::string::npos) << unknown.err;
}

TEST_F(WorkflowCliReads, AuditInTableJsonAndCsv) {
  json dossier = readJson({"audit", "--dossier", "d-1"});
  ASSERT_EQ(dossier["entries"].size(), 11u) << dossier;
  EXPECT_EQ(dossier["entries"][0]["dossier_id"], "d-1");
  EXPECT_EQ(dossier["entries"][0]["stream_id"], "dossier-d-1");
  json campaign = readJson({"audit", "--campaign", "lti-test"});
  ASSERT_GE(campaign["entries"].size(), 2u + 11u + 3u) << campaign;
  EXPECT_EQ(campaign["entries"][0]["event_type"], "CampaignOpened");
  EXPECT_TRUE(campaign["entries"][0]["dossier_id"].is_null());

  Outcome table = parcours({"audit", "--campaign", "lti-test"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_EQ(table.out.rfind("POSITION", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("JuryAppointed"), std::string::npos) << table.out;

  Outcome csv = parcours({"audit", "--dossier", "d-2", "--format", "csv"});
  ASSERT_EQ(csv.exitCode, 0) << csv.err;
  EXPECT_NE(csv.out.find("\r\n"), std::string::npos) << "RFC 4180 lines end with CRLF";
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 3) << csv.out;  // header + 2
  EXPECT_EQ(csv.out.find("\"=HYPERLINK"), std::string::npos) << "formula left live: " << csv.out;
  EXPECT_NE(csv.out.find("'=HYPERLINK"), std::string::npos) << csv.out;
  Outcome semicolon =
      parcours({"audit", "--dossier", "d-2", "--format", "csv", "--separator", ";"});
  ASSERT_EQ(semicolon.exitCode, 0) << semicolon.err;
  const std::string header = semicolon.out.substr(0, semicolon.out.find('\n'));
  EXPECT_NE(header.find(';'), std::string::npos) << header;
  EXPECT_EQ(header.find(','), std::string::npos) << header;
}

TEST_F(WorkflowCliReads, AuditSaysWhatIsMissing) {
  Outcome neither = parcours({"audit"});
  EXPECT_EQ(neither.exitCode, 2);
  EXPECT_NE(neither.err.find("--dossier D or --campaign C"), std::string::npos) << neither.err;
  Outcome separator = parcours({"audit", "--dossier", "d-1", "--separator", ";"});
  EXPECT_EQ(separator.exitCode, 2);
  EXPECT_NE(separator.err.find("add --format csv"), std::string::npos) << separator.err;
  Outcome unknown = parcours({"audit", "--dossier", "d-404"});
  EXPECT_EQ(unknown.exitCode, 3);
}

TEST_F(WorkflowCliReads, StatsLeaderboardAndBudget) {
  json stats = readJson({"stats", "lti-test"});
  EXPECT_EQ(stats["total"], 3);
  EXPECT_EQ(stats["by_status"], json({{"labelled", 1}, {"ineligible", 1}, {"submitted", 1}}));
  EXPECT_EQ(stats["by_applicant_kind"], json({{"commune", 2}, {"communaute_de_communes", 1}}));
  Outcome statsTable = parcours({"stats", "lti-test"});
  ASSERT_EQ(statsTable.exitCode, 0) << statsTable.err;
  EXPECT_NE(statsTable.out.find("3 dossiers"), std::string::npos) << statsTable.out;

  json board = readJson({"leaderboard", "lti-test"});
  ASSERT_EQ(board["entries"].size(), 1u) << board;
  const json& first = board["entries"][0];
  EXPECT_EQ(first["rank"], 1);
  EXPECT_EQ(first["dossier_id"], "d-1");
  EXPECT_EQ(first["mean_milli"], 7167);
  EXPECT_EQ(first["threshold_milli"], 6000);
  EXPECT_EQ(first["passed"], true);
  EXPECT_EQ(first["jurors_counted"], 2);
  EXPECT_EQ(first["criterion_means_milli"], json({{"innovation", 7500}, {"users", 6500}}));
  Outcome boardTable = parcours({"leaderboard", "lti-test"});
  ASSERT_EQ(boardTable.exitCode, 0) << boardTable.err;
  EXPECT_NE(boardTable.out.find("innovation"), std::string::npos) << boardTable.out;

  json budget = readJson({"budget", "ami-test"});
  EXPECT_EQ(budget["envelope_cents"], 100000);
  EXPECT_EQ(budget["granted_cents"], 45000);
  EXPECT_EQ(budget["remaining_cents"], 55000);
  ASSERT_EQ(budget["grants"].size(), 1u);
  EXPECT_EQ(budget["grants"][0]["dossier_id"], "d-9");
  EXPECT_EQ(budget["grants"][0]["amount_cents"], 45000);
  Outcome budgetTable = parcours({"budget", "ami-test"});
  ASSERT_EQ(budgetTable.exitCode, 0) << budgetTable.err;
  EXPECT_NE(budgetTable.out.find("envelope €1,000.00, granted €450.00, remaining €550.00"),
            std::string::npos)
      << budgetTable.out;

  for (const char* command : {"stats", "leaderboard", "budget"}) {
    Outcome unknown = parcours({command, "nope"});
    EXPECT_EQ(unknown.exitCode, 3) << command << unknown.err;
  }
}

TEST_F(WorkflowCliReads, CampaignListShowsBoth) {
  json list = readJson({"campaign", "list"});
  ASSERT_EQ(list["campaigns"].size(), 2u) << list;
  EXPECT_EQ(list["campaigns"][0]["campaign_id"], "ami-test");
  EXPECT_EQ(list["campaigns"][0]["envelope_cents"], 100000);
  EXPECT_EQ(list["campaigns"][1]["campaign_id"], "lti-test");
  EXPECT_EQ(list["campaigns"][1]["deadline"], "2020-06-19T23:59:59+02:00");
  EXPECT_EQ(list["campaigns"][1]["dossiers"], 3);
  Outcome table = parcours({"campaign", "list"});
  ASSERT_EQ(table.exitCode, 0) << table.err;
  EXPECT_NE(table.out.find("Label Test 2020"), std::string::npos) << table.out;
}

TEST_F(WorkflowCliReads, RebuildGivesTheSameViews) {
  const json status = readJson({"status"});
  const json audit = readJson({"audit", "--campaign", "lti-test"});
  Outcome run = parcours({"rebuild"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.rfind("rebuilt 3 views over ", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("events/s"), std::string::npos) << run.out;
  json rebuilt = readJson({"rebuild"});
  EXPECT_GT(rebuilt["events"].get<int>(), 20) << rebuilt;
  EXPECT_EQ(readJson({"status"}), status);
  EXPECT_EQ(readJson({"audit", "--campaign", "lti-test"}), audit);
}

TEST_F(WorkflowCli, ReadsOnAnEmptyStoreSayThereIsNothingYet) {
  ok({"campaign", "open", labelDefinition()});
  Outcome status = parcours({"status"});
  EXPECT_EQ(status.exitCode, 0) << status.err;
  EXPECT_TRUE(status.out.empty()) << status.out;
  EXPECT_NE(status.err.find("no dossier"), std::string::npos) << status.err;
  Outcome missing = parcoursRaw({"--data", (dir_.path() / "typo").string(), "status"});
  EXPECT_EQ(missing.exitCode, 3) << missing.err;
}

TEST_F(WorkflowCli, EveryReadHasHelpWithAnExample) {
  for (std::vector<std::string> command :
       std::vector<std::vector<std::string>>{{"status"},
                                             {"show"},
                                             {"audit"},
                                             {"stats"},
                                             {"leaderboard"},
                                             {"budget"},
                                             {"rebuild"},
                                             {"campaign", "list"}}) {
    command.push_back("--help");
    Outcome run = parcoursRaw(command);
    EXPECT_EQ(run.exitCode, 0) << command[0];
    EXPECT_NE(run.out.find("Example:\n  parcours"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("--json"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("Exit codes: 0 ok"), std::string::npos) << run.out;
  }
}

// ------------------------------------------------------------------- help

TEST_F(WorkflowCli, EveryWorkflowCommandHasHelpWithAnExampleAndTheExitCodes) {
  const std::vector<std::vector<std::string>> commands{
      {"campaign"},
      {"campaign", "open"},
      {"campaign", "amend"},
      {"campaign", "jury"},
      {"campaign", "conflict"},
      {"campaign", "phase"},
      {"campaign", "budget"},
      {"dossier"},
      {"dossier", "submit"},
      {"dossier", "eligible"},
      {"dossier", "ineligible"},
      {"dossier", "not-selected"},
      {"dossier", "audition"},
      {"dossier", "audition", "schedule"},
      {"dossier", "audition", "held"},
      {"dossier", "audition", "no-show"},
      {"dossier", "score"},
      {"dossier", "close-scoring"},
      {"dossier", "vote"},
      {"dossier", "close-vote"},
      {"dossier", "award"},
      {"dossier", "withdraw"},
      {"demo"},
  };
  for (std::vector<std::string> command : commands) {
    std::string name;
    for (const auto& word : command) name += word + " ";
    command.push_back("--help");
    Outcome run = parcoursRaw(command);
    EXPECT_EQ(run.exitCode, 0) << name;
    EXPECT_NE(run.out.find("Example:\n  parcours"), std::string::npos) << name << run.out;
    EXPECT_NE(run.out.find("Exit codes: 0 ok"), std::string::npos) << name << run.out;
  }
}

TEST_F(WorkflowCli, AGroupWithoutAVerbSaysWhichVerbsThereAre) {
  Outcome run = parcours({"dossier"});
  EXPECT_EQ(run.exitCode, 2);
  EXPECT_NE(run.err.find("--help"), std::string::npos) << run.err;
}

// ---------------------------------------------------------------- demo

// The demo's largest size: more territories than the auditions' window
// holds slots; those past it are not selected for the auditions, and both
// campaigns still play to their end.
TEST_F(WorkflowCli, TheDemoPlaysItsLargestSizeWithinTheAuditionsWindow) {
  const std::string out = ok({"demo", "--dossiers", "99", "--json"});
  const auto result = json::parse(out);
  EXPECT_EQ(result.at("campaign_ids").size(), 2u) << out;
  const std::string status = ok({"status", "--campaign", "label-territoire-innovant-2020", "--json"});
  EXPECT_NE(status.find("not_selected"), std::string::npos);
}

TEST_F(WorkflowCli, TheDemoPlaysBothCampaignsThenPrintsTheReports) {
  Outcome run = parcours({"demo"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  for (const char* expected :
       {"Parcours Sud Smart Territoires 2020 (parcours-sud-2020): where each dossier stands",
        "Label Territoire Innovant 2020: laureates", "Territoire Innovant",
        "campaign parcours-sud-2020: envelope €500,000.00", "Refused on purpose, writing nothing",
        "late submission", "vote closed without quorum", "meeting without quorum",
        "round closed over a disagreement", "Audit trail of dossier lti-", "ConflictDeclared",
        "ConflictRuled", "AssignmentChanged", "LabelAwarded", "parcours judging minutes"}) {
    EXPECT_NE(run.out.find(expected), std::string::npos) << expected;
  }
  EXPECT_NE(run.err.find("36 dossiers submitted"), std::string::npos) << run.err;
  // What it left is a store like any other: the reads work on it.
  const std::string stats = ok({"stats", "label-territoire-innovant-2020"});
  EXPECT_NE(stats.find("36 dossiers"), std::string::npos) << stats;
}

TEST_F(WorkflowCli, TheDemoRefusesAStoreThatHoldsEventsAndWritesNothing) {
  ASSERT_EQ(parcours({"demo", "--dossiers", "20"}).exitCode, 0);
  const std::string before = ok({"audit", "--campaign", "parcours-sud-2020", "--format", "csv"});
  Outcome again = parcours({"demo"});
  EXPECT_EQ(again.exitCode, 2);
  EXPECT_NE(again.err.find("already holds"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("omit --data"), std::string::npos) << again.err;
  EXPECT_EQ(ok({"audit", "--campaign", "parcours-sud-2020", "--format", "csv"}), before);
  EXPECT_EQ(parcours({"demo", "--dossiers", "3"}).exitCode, 2);  // under the minimum
}

TEST_F(WorkflowCli, TheDemoWithJsonSaysWhatItDidAndWhere) {
  Outcome run = parcoursRaw({"demo", "--json"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const json outcome = json::parse(run.out);
  const std::string dir = outcome.at("data_dir");
  EXPECT_NE(dir.find("parcours-demo-"), std::string::npos) << dir;
  EXPECT_EQ(outcome.at("campaign_ids"),
            json::array({"parcours-sud-2020", "label-territoire-innovant-2020"}));
  EXPECT_GT(outcome.at("commands_accepted").get<int>(), 500);
  EXPECT_GT(outcome.at("commands_refused").get<int>(), 5);
  EXPECT_FALSE(outcome.at("notable_refusals").empty());
  EXPECT_TRUE(run.err.empty()) << run.err;  // --json: nothing for people on stderr
  std::filesystem::remove_all(dir);
}

// A mistyped --data never leaves a store in a directory that is not one.
TEST_F(WorkflowCli, ADirectoryThatIsNotAStoreIsRefusedAndLeftAlone) {
  const std::string notes = writeFile("notes.txt", "my notes");
  const std::string dir = std::filesystem::path(notes).parent_path().string();
  const auto before = std::distance(std::filesystem::directory_iterator(dir),
                                    std::filesystem::directory_iterator());
  Outcome read = parcoursRaw({"--data", dir, "status"});
  EXPECT_EQ(read.exitCode, 3);
  EXPECT_NE(read.err.find("holds no parcours store"), std::string::npos) << read.err;
  Outcome write = parcoursRaw({"--data", dir, "dossier", "eligible", "d-1"});
  EXPECT_EQ(write.exitCode, 3);
  Outcome create = parcoursRaw({"--data", dir, "demo"});
  EXPECT_EQ(create.exitCode, 2);
  EXPECT_NE(create.err.find("holds other files and no parcours store"), std::string::npos)
      << create.err;
  // stderr is written next to the notes by the test harness itself.
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(dir) / "CURRENT"));
  EXPECT_LE(std::distance(std::filesystem::directory_iterator(dir),
                          std::filesystem::directory_iterator()),
            before + 1);
}

TEST_F(WorkflowCli, AJuryFileWithANumberOutOfRangeIsInvalidInput) {
  openLabelCampaign();
  const std::string jury = writeFile("jury.json", "[1e999]");
  Outcome run = parcours({"campaign", "jury", "lti-test", jury});
  EXPECT_EQ(run.exitCode, 2) << run.err;
  EXPECT_NE(run.err.find("the jury file is not valid JSON"), std::string::npos) << run.err;
}

}  // namespace
