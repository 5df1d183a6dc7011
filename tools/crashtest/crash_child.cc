#include "crash_child.h"

#include <spdlog/logger.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "bench_campaign.h"
#include "crash_plan.h"
#include "parcours/engine/clock.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/timer_service.h"
#include "parcours/workflows/views.h"
#include "parcours/workflows/workflow.h"

namespace parcours::crashtest {
namespace {

// One write per line: a line is either wholly in the pipe or not at all.
void report(const Ack& ack) {
  const std::string line = ackLine(ack);
  if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    std::_Exit(5);  // the parent is gone
  }
}

[[noreturn]] void fail(spdlog::logger& logger, const std::string& what, const Error& error) {
  logger.critical("crashtest child: {}: {}", what, error.message);
  std::fflush(nullptr);
  std::_Exit(4);
}

std::string prefix(const ChildSettings& s, unsigned thread) {
  return "r" + std::to_string(s.round) + "-t" + std::to_string(thread);
}

// Appends of 1 to 4 events to the thread's own stream.
[[noreturn]] void appendOne(const ChildSettings& s, unsigned thread, store::EventLog& log,
                            spdlog::logger& logger) {
  std::mt19937_64 rng(s.seed ^ (thread * 0x9E3779B97F4A7C15ull));
  const std::string stream = "raw-" + prefix(s, thread);
  store::StreamVersion version = 0;
  for (std::uint64_t n = 0;; ++n) {
    const std::string commandId = prefix(s, thread) + "-n" + std::to_string(n);
    const std::size_t count = 1 + rng() % 4;
    std::vector<store::NewEvent> events;
    for (std::size_t i = 0; i < count; ++i) {
      events.push_back({std::string(rawEventType), rawPayload(commandId, i, count)});
    }
    auto r = log.append(stream, store::ExpectedVersion::exactly(version), std::move(events),
                        {commandId, "crashtest", "", "", 0});
    if (!r) fail(logger, "append " + commandId, r.error());
    version = r->streams[0].lastVersion;
    report(ackOf('a', commandId, *r));
  }
}

// Atomic appends to two streams at once: both halves or neither.
[[noreturn]] void appendPair(const ChildSettings& s, unsigned thread, store::EventLog& log,
                             spdlog::logger& logger) {
  std::mt19937_64 rng(s.seed ^ (thread * 0xC2B2AE3D27D4EB4Full));
  const std::string left = "pair-" + prefix(s, thread) + "-a";
  const std::string right = "pair-" + prefix(s, thread) + "-b";
  store::StreamVersion leftVersion = 0, rightVersion = 0;
  for (std::uint64_t n = 0;; ++n) {
    const std::string commandId = prefix(s, thread) + "-n" + std::to_string(n);
    const std::size_t leftCount = 1 + rng() % 3, rightCount = 1 + rng() % 3;
    const std::size_t total = leftCount + rightCount;
    store::AppendRequest request;
    request.streams.push_back({left, store::ExpectedVersion::exactly(leftVersion), {}});
    request.streams.push_back({right, store::ExpectedVersion::exactly(rightVersion), {}});
    for (std::size_t i = 0; i < total; ++i) {
      request.streams[i < leftCount ? 0 : 1].events.push_back(
          {std::string(rawEventType), rawPayload(commandId, i, total)});
    }
    request.context = {commandId, "crashtest", "", "", 0};
    auto r = log.append(std::move(request));
    if (!r) fail(logger, "append " + commandId, r.error());
    leftVersion = r->streams[0].lastVersion;
    rightVersion = r->streams[1].lastVersion;
    report(ackOf('p', commandId, *r));
  }
}

// Dossiers taken through the bench call's five commands.
[[noreturn]] void runDossiers(const ChildSettings& s, unsigned thread,
                              workflows::Workflow& workflow, spdlog::logger& logger) {
  const auto script = bench::benchDossierScript(std::string(campaignId));
  for (std::uint64_t n = 0;; ++n) {
    const std::string dossierId = "d-" + prefix(s, thread) + "-" + std::to_string(n);
    for (std::size_t step = 0; step < script.size(); ++step) {
      const std::string commandId = dossierId + "-c" + std::to_string(step);
      const workflows::CommandContext context{{commandId, "crashtest", "", ""}, "crash test"};
      auto r = workflow.dossier(dossierId, script[step], context);
      if (!r) fail(logger, "command " + commandId, r.error());
      report(ackOf('w', commandId, *r));
    }
  }
}

// Campaigns opened after their deadline (the bench call's, 2020): each
// one's deadline timer is due at once, and the child's scheduler fires them
// while the kill may land.
[[noreturn]] void openDueCampaigns(const ChildSettings& s, workflows::Workflow& workflow,
                                   spdlog::logger& logger) {
  for (std::uint64_t n = 0;; ++n) {
    const std::string id = "t-r" + std::to_string(s.round) + "-" + std::to_string(n);
    const std::string commandId = "open-" + id;
    const workflows::CommandContext context{{commandId, "crashtest", "", ""}, "crash test"};
    auto r = workflow.campaign(id, workflows::campaign_command::Open{{id, bench::benchRules()}},
                               context);
    if (!r) fail(logger, "command " + commandId, r.error());
    report(ackOf('t', commandId, *r));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace

int runChild(const ChildSettings& s, std::shared_ptr<spdlog::logger> logger) {
  store::Options options;
  options.path = s.dataDir;
  auto log = store::EventLog::open(options, logger);
  if (!log) fail(*logger, "opening the store", log.error());
  // The projections follow the log while it is written, so the kill also
  // lands in the middle of their checkpoints.
  auto views = workflows::Views::open(**log, logger);
  if (!views) fail(*logger, "opening the views", views.error());
  (*views)->startLive();
  auto index = engine::MerkleIndex::open(**log, logger);
  if (!index) fail(*logger, "opening the Merkle index", index.error());
  (*index)->startLive();
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock);
  // The scheduler fires due timers as `serve` does, so the kill also lands
  // between a firing's decision and its answer.
  auto timers = workflows::TimerService::open(**log, workflow, clock, logger);
  if (!timers) fail(*logger, "opening the timers", timers.error());
  (*timers)->start();

  std::vector<std::thread> threads;
  for (unsigned t = 0; t < s.threads; ++t) {
    threads.emplace_back([&, t] {
      switch (t % 3) {
        case 0:
          appendOne(s, t, **log, *logger);
        case 1:
          appendPair(s, t, **log, *logger);
        default:
          runDossiers(s, t, workflow, *logger);
      }
    });
  }
  threads.emplace_back([&] { openDueCampaigns(s, workflow, *logger); });
  for (auto& t : threads) t.join();  // never: every loop runs until the kill
  return 0;
}

}  // namespace parcours::crashtest
