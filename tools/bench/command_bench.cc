// `parcours bench command`: the full command path — load the dossier and
// its campaign, fold, decide in the Boost.MSM machine, append durably — with
// many commands in flight on distinct dossiers, against durable appends of
// one event by as many appenders in the same run (what the store alone does
// with the same concurrency and durability).
#include <atomic>
#include <thread>

#include "bench_campaign.h"
#include "parcours/engine/clock.h"
#include "workload.h"

namespace parcours::bench {
namespace {

Result<double> commandsPerSecond(const Settings& s, const Logger& logger) {
  ScratchDir dir(s, "bench-command");
  store::Options options;
  options.path = dir.path().string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  engine::ManualClock clock(engine::fromMicros(benchNowMicros));
  workflows::Workflow workflow(**log, clock);
  if (auto st = openBenchCampaign(workflow, "bench"); !st) return st.error();
  const std::vector<workflows::DossierCommand> script = benchDossierScript("bench");
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> commands{0};
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> workers;
  for (int t = 0; t < s.commandThreads; ++t) {
    workers.emplace_back([&, t] {
      const workflows::CommandContext context{{"", "bench", "", ""}, "bench"};
      for (std::uint64_t n = 0; !stop.load(std::memory_order_relaxed); ++n) {
        const std::string dossierId = "d" + std::to_string(t) + "-" + std::to_string(n);
        for (const auto& command : script) {
          auto r = workflow.dossier(dossierId, command, context);
          if (!r) {
            if (!failed.exchange(true)) failure = r.error().message;
            return;
          }
          commands.fetch_add(1, std::memory_order_relaxed);
          if (stop.load(std::memory_order_relaxed)) return;
        }
      }
    });
  }
  const auto start = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(s.seconds));
  const std::uint64_t done = commands.load();
  const double elapsed = secondsSince(start);
  stop = true;
  for (auto& w : workers) w.join();
  if (failed) return Error::ioError("bench command failed: " + failure);
  return static_cast<double>(done) / elapsed;
}

}  // namespace

Result<std::vector<Figure>> runCommands(const Settings& s, const Logger& logger) {
  const std::string threads = std::to_string(s.commandThreads);
  Figure f = makeFigure("command.durable." + threads,
                        threads +
                            " threads, each running workflow commands on its own dossiers "
                            "(submit, eligible, 2 scores, close scoring), fsync on",
                        "commands/s");
  f.rawDescription = "parcours durable appends of 1 event by " + threads +
                     " appenders (the store alone), same run";
  f.target = Target{">= 20,000 commands/s", 20000.0, {}, {}, {}};
  if (auto st = measurePair(
          f, s.runs, [&] { return commandsPerSecond(s, logger); },
          [&] { return parcoursAppenders(s, s.commandThreads, 1, true, logger); });
      !st) {
    return st.error();
  }
  return std::vector<Figure>{std::move(f)};
}

}  // namespace parcours::bench
