// `parcours crashtest`: kill -9 at random moments under durable appends,
// workflow commands and HTTP commands, then prove that nothing
// acknowledged was lost (tools/crashtest/crashtest.h, docs/reliability.md).
#include <filesystem>
#include <iostream>
#include <random>

#include "../common/progress.h"
#include "commands.h"
#include "crash_child.h"
#include "crashtest.h"
#include "output.h"

namespace parcours::cli {
namespace {

namespace fs = std::filesystem;

struct CrashTestOptions {
  crashtest::CrashTestSettings settings;
  std::optional<std::uint64_t> seed;
  std::string dir;
  bool keep = false;
  bool noHttp = false;
  bool json = false;
  // The child's side (hidden): run the workload until killed.
  bool child = false;
  unsigned round = 0;
};

int runChildSide(const Context& context, const CrashTestOptions& options) {
  if (context.dataDir.empty()) return reportError(Error::invalidInput("--child needs --data"));
  crashtest::ChildSettings child{context.dataDir, options.seed.value_or(0), options.round,
                                 options.settings.threads};
  return crashtest::runChild(child, context.logger) == 0 ? 0 : exitCodeFor(ErrorCode::IoError);
}

int runCrashTestCommand(const Context& context, const CrashTestOptions& options) {
  if (options.child) return runChildSide(context, options);
  crashtest::CrashTestSettings s = options.settings;
  if (s.killMaxMs < s.killMinMs) {
    return reportError(Error::invalidInput("--kill-max-ms is below --kill-min-ms"));
  }
  s.seed = options.seed ? *options.seed : std::random_device{}();
  s.http = !options.noHttp;
  std::error_code ec;
  s.parcoursBin = fs::read_symlink("/proc/self/exe", ec).string();
  if (ec) return reportError(Error::ioError("cannot find this program: " + ec.message()));
  const bool ownDir = options.dir.empty();
  s.workDir =
      ownDir
          ? (fs::temp_directory_path() / ("parcours-crashtest-" + std::to_string(s.seed))).string()
          : options.dir;
  fs::create_directories(s.workDir, ec);
  if (ec) return reportError(Error::ioError("cannot create " + s.workDir + ": " + ec.message()));
  std::cerr << "parcours crashtest: seed " << s.seed << " (rerun with --seed " << s.seed << "), "
            << s.rounds << " rounds, stores in " << s.workDir << "\n";

  ProgressBar bar("kill -9 rounds", s.rounds);
  std::uint64_t acks = 0, probes = 0, httpRounds = 0, timerChecks = 0;
  std::vector<std::string> problems;
  auto report = crashtest::runCrashTest(s, context.logger, [&](const crashtest::RoundResult& r) {
    acks += r.acks;
    probes += r.check.dedupeProbes;
    timerChecks += r.check.timersFired;
    httpRounds += r.mode == 'h' ? 1 : 0;
    for (const auto& p : r.check.problems) {
      problems.push_back("round " + std::to_string(r.round) + " (" +
                         (r.mode == 'h' ? "HTTP" : "in process") + ", killed after " +
                         std::to_string(r.killAfterMs) + " ms): " + p);
    }
    bar.update(r.round);
  });
  bar.finish();
  if (!report) return reportError(report.error());
  const bool passed = report->ok();
  if (options.json) {
    printJson({{"seed", s.seed},
               {"rounds", report->rounds.size()},
               {"http_rounds", httpRounds},
               {"acknowledged", acks},
               {"dedupe_probes", probes},
               {"timer_checks", timerChecks},
               {"passed", passed},
               {"problems", problems}});
  } else {
    Table table({"seed", "rounds", "over HTTP", "acknowledged", "dedupe probes", "timer checks",
                 "result"});
    table.alignRight(1).alignRight(2).alignRight(3).alignRight(4).alignRight(5);
    table.addRow({std::to_string(s.seed), std::to_string(report->rounds.size()),
                  std::to_string(httpRounds), std::to_string(acks), std::to_string(probes),
                  std::to_string(timerChecks),
                  passed ? "every acknowledged command found" : "FAILED"});
    table.print(std::cout);
  }
  for (const auto& p : problems) std::cerr << "parcours crashtest: " << p << "\n";
  if (ownDir && passed && !options.keep) fs::remove_all(s.workDir, ec);
  if (passed) return 0;
  std::cerr << "parcours crashtest: the stores are kept in " << s.workDir << "; rerun with --seed "
            << s.seed << "\n";
  return exitCodeFor(ErrorCode::Corruption);
}

}  // namespace

void addCrashTestCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<CrashTestOptions>();
  CLI::App* command = app.add_subcommand(
      "crashtest", "kill -9 the engine at random moments and prove nothing acknowledged is lost");
  command->footer(
      "\nEach round starts a child and kills it with SIGKILL after a random delay: either\n"
      "`parcours crashtest --child` (threads appending to one stream, to two streams\n"
      "atomically, and running workflow commands, with the views and the Merkle index\n"
      "following the log, and campaigns opened past their deadline while the timer\n"
      "scheduler fires them), or `parcours serve` driven over HTTP from here. Every\n"
      "acknowledgement is reported as it happens. After the kill the store is reopened\n"
      "and checked: every acknowledged event present and identical, positions and\n"
      "stream versions without gap or duplicate, no command half written, command ids\n"
      "still deduplicating, projections resumed equal to a rebuild, `verify` passing,\n"
      "every due timer fired exactly once after a restart's catch-up, none early.\n"
      "Everything random comes from --seed (printed first). Exits 7 when a check fails,\n"
      "keeping the stores. --json: {seed, rounds, http_rounds, acknowledged,\n"
      "dedupe_probes, timer_checks, passed, problems}. See docs/reliability.md.\n" +
      helpFooter("parcours crashtest --rounds 50"));
  auto& s = options->settings;
  command->add_option("--rounds", s.rounds, "Kill rounds")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Seed of every random choice (default: random)");
  command->add_option("--threads", s.threads, "Appending threads in the child")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  command->add_option("--rounds-per-store", s.roundsPerStore, "Rounds before a fresh store")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command->add_option("--kill-min-ms", s.killMinMs, "Shortest delay before the kill")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  command->add_option("--kill-max-ms", s.killMaxMs, "Longest delay before the kill")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  command->add_flag("--no-http", options->noHttp, "Only in-process rounds (no server)");
  command->add_option("--dir", options->dir, "Where the stores go (default: a temp dir)");
  command->add_flag("--keep", options->keep, "Keep the stores after a passing run");
  command->add_flag("--json", options->json, "One JSON object (fields above)");
  command->add_flag("--child", options->child, "(internal) be the process that gets killed")
      ->group("");
  command->add_option("--round", options->round, "(internal) the round number")->group("");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runCrashTestCommand(context, *options); };
  });
}

}  // namespace parcours::cli
