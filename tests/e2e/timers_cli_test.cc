// `parcours timers`, run as a user runs it on an embedded store: a seed
// campaign's deadline timer listed, moved with a reason, fired by `run-due`
// once (the phase closed, recorded by the timer), and every bad input
// refused with its exit code and nothing written.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_run.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

const std::string kTimer = "campaign-parcours-sud-2020:close-submissions:2";

class TimersCli : public ::testing::Test {
 protected:
  Outcome run(std::vector<std::string> args) {
    std::vector<std::string> all = {"--data", (dir_.path() / "data").string()};
    all.insert(all.end(), args.begin(), args.end());
    return runCommand(PARCOURS_BIN, all, dir_.path() / "err.txt");
  }
  void SetUp() override {
    Outcome opened = run({"campaign", "open",
                          std::string(PARCOURS_CAMPAIGNS_DIR) + "/parcours-sud-smart-territoires-2020.json",
                          "--at", "2020-05-01T10:00:00Z", "--actor", "admin"});
    ASSERT_EQ(opened.exitCode, 0) << opened.err;
  }
  std::uint64_t head() {
    Outcome events = run({"audit", "--campaign", "parcours-sud-2020", "--json"});
    return nlohmann::json::parse(events.out).at("entries").size();
  }
  TempDir dir_;
};

TEST_F(TimersCli, TheDeadlineTimerIsListedMovedAndFiredOnce) {
  Outcome listed = run({"timers", "list", "--json"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  const auto page = nlohmann::json::parse(listed.out);
  ASSERT_EQ(page.at("timers").size(), 1u);
  EXPECT_EQ(page.at("timers")[0].at("timer_id"), kTimer);
  EXPECT_EQ(page.at("timers")[0].at("due"), "2020-06-03T22:00:00.000000Z");  // 4 June, 00:00 Paris
  Outcome table = run({"timers", "list", "--campaign", "parcours-sud-2020"});
  EXPECT_TRUE(contains(table.out, "2020-06-04T00:00:00+02:00")) << table.out;

  Outcome moved = run({"timers", "reschedule", kTimer, "--to", "2020-06-10T12:00", "--reason",
                       "délai prolongé", "--at", "2020-06-01T10:00:00Z", "--actor", "admin",
                       "--json"});
  ASSERT_EQ(moved.exitCode, 0) << moved.err;
  EXPECT_EQ(nlohmann::json::parse(moved.out).at("submission_deadline"), "2020-06-10T11:59:59+02:00");

  Outcome early = run({"timers", "run-due", "--at", "2020-06-10T09:59:59Z", "--json"});
  ASSERT_EQ(early.exitCode, 0) << early.err;
  EXPECT_EQ(nlohmann::json::parse(early.out).at("fired"), 0);
  Outcome due = run({"timers", "run-due", "--at", "2020-06-10T10:00:00Z", "--json"});
  ASSERT_EQ(due.exitCode, 0) << due.err;
  EXPECT_EQ(nlohmann::json::parse(due.out).at("fired"), 1);
  Outcome again = run({"timers", "run-due", "--at", "2020-07-01T00:00:00Z"});
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "0 timers fired")) << again.out;

  Outcome campaigns = run({"campaign", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(campaigns.out).at("campaigns")[0].at("phase"), "submissions_closed");
  Outcome replay = run({"replay", "--json"});
  ASSERT_EQ(replay.exitCode, 0) << replay.err;
  EXPECT_TRUE(nlohmann::json::parse(replay.out).at("divergences").empty()) << replay.out;

  // Time travel: the timer as it stood after each event.
  const auto dueAt = [&](std::vector<std::string> when) {
    std::vector<std::string> args = {"timers", "list", "--campaign", "parcours-sud-2020", "--json"};
    args.insert(args.end(), when.begin(), when.end());
    Outcome past = run(args);
    EXPECT_EQ(past.exitCode, 0) << past.err;
    const auto timers = nlohmann::json::parse(past.out).at("timers");
    return timers.empty() ? std::string("none") : timers[0].at("due").get<std::string>();
  };
  EXPECT_EQ(dueAt({"--at", "2"}), "2020-06-03T22:00:00.000000Z");
  EXPECT_EQ(dueAt({"--at", "3"}), "2020-06-10T10:00:00.000000Z");
  EXPECT_EQ(dueAt({"--as-of", "2020-06-05T00:00:00Z"}), "2020-06-10T10:00:00.000000Z");
  EXPECT_EQ(dueAt({"--as-of", "2020-06-11T00:00:00Z"}), "none");
  EXPECT_EQ(run({"timers", "list", "--campaign", "parcours-sud-2020", "--at", "99"}).exitCode, 3);
  EXPECT_EQ(run({"timers", "list", "--at", "2"}).exitCode, 2);
}

TEST_F(TimersCli, BadInputSaysWhatAndWritesNothing) {
  const std::uint64_t before = head();
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"timers", "reschedule", "nonsense", "--to", "2020-06-10T12:00", "--reason", "r"}, 2,
       "not one parcours makes"},
      {{"timers", "reschedule", kTimer, "--to", "2020-06-10T12:00"}, 2, "--reason"},
      {{"timers", "reschedule", kTimer, "--to", "yesterday", "--reason", "r"}, 2, "--to"},
      {{"timers", "reschedule", kTimer, "--to", "2020-05-01T12:00", "--reason", "r", "--at",
        "2020-05-02T00:00:00Z"},
       2, "not after now"},
      {{"timers", "cancel", "campaign-nope:close-submissions:2", "--reason", "r"}, 3,
       "never opened"},
      {{"timers", "cancel", "campaign-parcours-sud-2020:close-submissions:7", "--reason", "r"}, 3,
       "no timer"},
      {{"timers", "list", "--due-before", "tomorrow"}, 2, "--due-before"},
      {{"timers", "list", "--limit", "0"}, 2, "--limit"},
      {{"timers", "run-due", "--at", "soon"}, 2, "--at"},
  };
  for (const Case& c : cases) {
    Outcome out = run(c.args);
    EXPECT_EQ(out.exitCode, c.exit) << c.args[1] << ": " << out.err;
    EXPECT_TRUE(contains(out.err, c.says)) << out.err;
  }
  EXPECT_EQ(head(), before);
  // Ended: a second cancel is refused by rule.
  ASSERT_EQ(run({"timers", "cancel", kTimer, "--reason", "fermé"}).exitCode, 0);
  Outcome twice = run({"timers", "cancel", kTimer, "--reason", "encore"});
  EXPECT_EQ(twice.exitCode, 4) << twice.err;
  EXPECT_TRUE(contains(twice.err, "was cancelled")) << twice.err;
}

TEST_F(TimersCli, EveryVerbHasHelp) {
  for (const char* verb : {"list", "run-due", "reschedule", "cancel"}) {
    Outcome help = run({"timers", verb, "--help"});
    EXPECT_EQ(help.exitCode, 0) << verb;
    EXPECT_TRUE(contains(help.out, "Exit codes")) << verb << ": " << help.out;
  }
}

// A dossier's statutory delay on the command line: listed with --dossier,
// as it stood in the past with --at, fired by run-due as a deemed
// refusal, replayed.
TEST_F(TimersCli, ADossiersStatutoryDelayIsListedAndDeemsTheDecision) {
  const auto path = dir_.path() / "delayed.json";
  std::ofstream(path) << R"({
    "id": "delayed", "name": "Appel à délai", "organiser": "Région Fictive",
    "deadline": {"local": "2020-06-19T23:59:59", "time_zone": "Europe/Paris"},
    "eligible_applicant_kinds": ["commune"], "required_fields": ["applicant.name", "title"],
    "auditions_held": false,
    "criteria": [{"id": "c", "label": "C", "scale": {"min": 0, "max": 10}, "weight": 1}],
    "threshold": 5, "vote": {"body": "jury", "quorum_percent": 50, "majority": "simple"},
    "statutory_delay": {"business_days": 15, "outcome": "refused",
                        "legal_basis": "Règlement de l'appel, art. 7", "warn_days_before": 3}
  })";
  const auto application = dir_.path() / "application.json";
  std::ofstream(application) << R"({"applicant": {"name": "Commune Fictive", "kind": "commune"},
                                    "title": "Projet"})";
  ASSERT_EQ(run({"campaign", "open", path.string(), "--at", "2020-04-01T10:00:00Z"}).exitCode, 0);
  Outcome submitted = run({"dossier", "submit", "delayed", "d-1", application.string(), "--at",
                           "2020-04-30T10:00:00Z", "--actor", "applicant-1"});
  ASSERT_EQ(submitted.exitCode, 0) << submitted.err;

  // 15 business days from Thursday 30 April 2020 (1 May, 8 May and
  // Ascension off): the last is Tuesday 26 May, deemed at 27 May 00:00.
  Outcome listed = run({"timers", "list", "--dossier", "d-1", "--json"});
  ASSERT_EQ(listed.exitCode, 0) << listed.err;
  const auto timers = nlohmann::json::parse(listed.out).at("timers");
  ASSERT_EQ(timers.size(), 2u) << listed.out;
  EXPECT_EQ(timers[0].at("action"), "warn-deemed-decision");
  EXPECT_EQ(timers[1].at("timer_id"), "dossier-d-1:deem-decision:2");
  EXPECT_EQ(timers[1].at("due"), "2020-05-26T22:00:00.000000Z");
  Outcome table = run({"timers", "list", "--dossier", "d-1"});
  EXPECT_TRUE(contains(table.out, "2020-05-27T00:00:00+02:00")) << table.out;
  EXPECT_EQ(run({"timers", "list", "--dossier", "d-1", "--campaign", "delayed"}).exitCode, 2);

  Outcome ran = run({"timers", "run-due", "--at", "2020-06-30T00:00:00Z", "--json"});
  ASSERT_EQ(ran.exitCode, 0) << ran.err;
  EXPECT_EQ(nlohmann::json::parse(ran.out).at("fired"), 4)
      << "the two campaigns' deadlines, the warning, the delay";
  Outcome shown = run({"show", "d-1", "--json"});
  ASSERT_EQ(shown.exitCode, 0) << shown.err;
  EXPECT_EQ(nlohmann::json::parse(shown.out).at("dossier").at("status"), "rejected") << shown.out;
  Outcome timeline = run({"show", "d-1"});
  EXPECT_TRUE(contains(timeline.out, "decision deemed: refused")) << timeline.out;
  EXPECT_TRUE(contains(timeline.out, "Règlement de l'appel, art. 7")) << timeline.out;
  // As it stood before they fired: both pending.
  Outcome past =
      run({"timers", "list", "--dossier", "d-1", "--as-of", "2020-05-20T00:00:00Z", "--json"});
  ASSERT_EQ(past.exitCode, 0) << past.err;
  EXPECT_EQ(nlohmann::json::parse(past.out).at("timers").size(), 2u) << past.out;
  EXPECT_TRUE(nlohmann::json::parse(run({"timers", "list", "--dossier", "d-1", "--json"}).out)
                  .at("timers")
                  .empty());
  Outcome replay = run({"replay", "--json"});
  ASSERT_EQ(replay.exitCode, 0) << replay.err;
  EXPECT_TRUE(nlohmann::json::parse(replay.out).at("divergences").empty()) << replay.out;
}

}  // namespace
}  // namespace parcours::testing
