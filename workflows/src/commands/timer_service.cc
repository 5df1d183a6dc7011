// The campaigns' timers: the index's decoder and the service (timer_service.h).
#include "parcours/workflows/timer_service.h"

#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/limits.h"

namespace parcours::workflows {

Result<std::optional<engine::TimerChange>> decodeTimerEvent(const store::EventView& event) {
  using Out = std::optional<engine::TimerChange>;
  // Most events are not timers: the type says so without decoding.
  if (!event.eventType.starts_with("Timer") || !event.streamId.starts_with(campaignStreamPrefix)) {
    return Out();
  }
  using E = schema::CampaignEvent;
  return readPayload<E>(event.payload, event.eventType, [&](E::Reader e) -> Result<Out> {
    engine::TimerChange c;
    switch (e.which()) {
      case E::TIMER_SCHEDULED: {
        const auto t = e.getTimerScheduled();
        c.kind = engine::TimerChange::Kind::Scheduled;
        c.timerId = toString(t.getTimerId());
        c.dueMicros = t.getDueMicros();
        c.action = std::string(timerActionName(TimerAction::CloseSubmissions));
        return Out(std::move(c));
      }
      case E::TIMER_RESCHEDULED: {
        const auto t = e.getTimerRescheduled();
        c.kind = engine::TimerChange::Kind::Rescheduled;
        c.timerId = toString(t.getTimerId());
        c.dueMicros = t.getDueMicros();
        c.previousDueMicros = t.getPreviousDueMicros();
        return Out(std::move(c));
      }
      case E::TIMER_CANCELLED:
        c.kind = engine::TimerChange::Kind::Cancelled;
        c.timerId = toString(e.getTimerCancelled().getTimerId());
        c.dueMicros = e.getTimerCancelled().getDueMicros();
        return Out(std::move(c));
      case E::TIMER_FIRED:
        c.kind = engine::TimerChange::Kind::Fired;
        c.timerId = toString(e.getTimerFired().getTimerId());
        c.dueMicros = e.getTimerFired().getDueMicros();
        return Out(std::move(c));
      default:
        return Out();
    }
  });
}

struct TimerService::Parts {
  Parts(store::EventLog& log, Workflow& workflow, const engine::Clock& clock,
        std::shared_ptr<spdlog::logger> logger, engine::SchedulerSettings settings)
      : index(decodeTimerEvent),
        runner(log, index, logger),
        scheduler(
            runner, clock,
            [&workflow](const engine::PendingTimer& t) { return workflow.fireTimer(t.timerId); },
            logger, settings) {}
  engine::TimerIndex index;
  engine::ProjectionRunner runner;
  engine::TimerScheduler scheduler;
};

TimerService::TimerService(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
TimerService::~TimerService() { stop(); }

Result<std::unique_ptr<TimerService>> TimerService::open(store::EventLog& log, Workflow& workflow,
                                                         const engine::Clock& clock,
                                                         std::shared_ptr<spdlog::logger> logger,
                                                         engine::SchedulerSettings settings,
                                                         const engine::ProgressFn& progress) {
  auto parts = std::make_unique<Parts>(log, workflow, clock, std::move(logger), settings);
  if (auto s = parts->runner.open(progress); !s) return s.error();
  if (auto caught = parts->runner.catchUp(progress); !caught) return caught.error();
  return std::unique_ptr<TimerService>(new TimerService(std::move(parts)));
}

Result<engine::RunDueReport> TimerService::runDue(
    std::uint64_t timersMax, const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  return parts_->scheduler.runDue(timersMax, progress);
}

void TimerService::start() { parts_->scheduler.start(); }
void TimerService::stop() { parts_->scheduler.stop(); }

Result<engine::TimerPage> TimerService::list(const engine::TimerQuery& query) const {
  return engine::listPendingTimers(*parts_->runner.table(), query);
}

Result<std::optional<engine::PendingTimer>> TimerService::find(std::string_view timerId) const {
  return engine::findPendingTimer(*parts_->runner.table(), timerId);
}

Result<engine::TimerCounts> TimerService::counts() const {
  return engine::countPendingTimers(*parts_->runner.table());
}

Result<store::Position> TimerService::catchUp() { return parts_->runner.catchUp(); }

std::shared_ptr<store::Table> TimerService::table() const { return parts_->runner.table(); }

Result<store::Position> TimerService::rebuild() { return parts_->runner.rebuild(); }

engine::SchedulerStats TimerService::stats() const { return parts_->scheduler.stats(); }

}  // namespace parcours::workflows
