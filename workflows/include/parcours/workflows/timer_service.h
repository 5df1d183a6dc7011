// The campaigns' timers over one log (docs/timers.md): the due index (an
// engine projection fed by the campaign streams' timer events) and the
// scheduler that fires due timers through the workflow service.
#pragma once

#include <memory>

#include "parcours/engine/clock.h"
#include "parcours/engine/projection.h"
#include "parcours/engine/timers.h"
#include "parcours/store/event_log.h"
#include "parcours/workflows/workflow.h"

namespace spdlog {
class logger;
}

namespace parcours::workflows {

// Which events are timer changes, for the engine's index: the Timer* events
// of campaign streams; nullopt for every other event.
Result<std::optional<engine::TimerChange>> decodeTimerEvent(const store::EventView& event);

class TimerService {
 public:
  // Opens (or builds) the due index and catches it up. The workflow and the
  // clock are not owned and must outlive the service.
  static Result<std::unique_ptr<TimerService>> open(store::EventLog& log, Workflow& workflow,
                                                   const engine::Clock& clock,
                                                   std::shared_ptr<spdlog::logger> logger,
                                                   engine::SchedulerSettings settings = {},
                                                   const engine::ProgressFn& progress = {});
  ~TimerService();

  // Fires what is due now (`parcours timers run-due`).
  Result<engine::RunDueReport> runDue(
      std::uint64_t timersMax = UINT64_MAX,
      const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});
  // The scheduler's thread (`parcours serve`).
  void start();
  void stop();

  // Reads of the index as it stands: caught up when the service opened, by
  // each of the scheduler's looks (every pollInterval while it runs), and by
  // catchUp() — which a writer calls to read its own write.
  Result<engine::TimerPage> list(const engine::TimerQuery& query) const;
  Result<std::optional<engine::PendingTimer>> find(std::string_view timerId) const;
  Result<engine::TimerCounts> counts() const;
  engine::SchedulerStats stats() const;
  Result<store::Position> catchUp();
  // The index's table, and a rebuild from position 0 (the crash test
  // compares the two).
  std::shared_ptr<store::Table> table() const;
  Result<store::Position> rebuild();

 private:
  struct Parts;
  explicit TimerService(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace parcours::workflows
