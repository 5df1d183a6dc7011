// The timers of campaigns and dossiers: the index's decoder and the service
// (timer_service.h).
#include "parcours/workflows/timer_service.h"

#include "domain/timer_fold.h"
#include "parcours/workflows/domain_events.h"
#include "parcours/workflows/limits.h"

namespace parcours::workflows {

namespace {

using TimerChangeOut = std::optional<engine::TimerChange>;

engine::TimerChange scheduled(schema::TimerScheduled::Reader t) {
  engine::TimerChange c;
  c.kind = engine::TimerChange::Kind::Scheduled;
  c.timerId = toString(t.getTimerId());
  c.dueMicros = t.getDueMicros();
  c.action = std::string(timerActionName(readTimerAction(t.getAction())));
  return c;
}

engine::TimerChange rescheduled(schema::TimerRescheduled::Reader t) {
  engine::TimerChange c;
  c.kind = engine::TimerChange::Kind::Rescheduled;
  c.timerId = toString(t.getTimerId());
  c.dueMicros = t.getDueMicros();
  c.previousDueMicros = t.getPreviousDueMicros();
  return c;
}

engine::TimerChange ended(engine::TimerChange::Kind kind, capnp::Text::Reader id,
                          std::int64_t dueMicros) {
  engine::TimerChange c;
  c.kind = kind;
  c.timerId = toString(id);
  c.dueMicros = dueMicros;
  return c;
}

}  // namespace

Result<std::optional<engine::TimerChange>> decodeTimerEvent(const store::EventView& event) {
  using Kind = engine::TimerChange::Kind;
  // Most events are not timers: the type says so without decoding.
  if (event.eventType.starts_with("Timer") && event.streamId.starts_with(campaignStreamPrefix)) {
    using E = schema::CampaignEvent;
    return readPayload<E>(event.payload, event.eventType, [&](E::Reader e) -> Result<TimerChangeOut> {
      switch (e.which()) {
        case E::TIMER_SCHEDULED:
          return TimerChangeOut(scheduled(e.getTimerScheduled()));
        case E::TIMER_RESCHEDULED:
          return TimerChangeOut(rescheduled(e.getTimerRescheduled()));
        case E::TIMER_CANCELLED:
          return TimerChangeOut(ended(Kind::Cancelled, e.getTimerCancelled().getTimerId(),
                                      e.getTimerCancelled().getDueMicros()));
        case E::TIMER_FIRED:
          return TimerChangeOut(ended(Kind::Fired, e.getTimerFired().getTimerId(),
                                      e.getTimerFired().getDueMicros()));
        default:
          return TimerChangeOut();
      }
    });
  }
  if (event.eventType.starts_with("DossierTimer") &&
      event.streamId.starts_with(dossierStreamPrefix)) {
    using E = schema::DossierEvent;
    return readPayload<E>(event.payload, event.eventType, [&](E::Reader e) -> Result<TimerChangeOut> {
      switch (e.which()) {
        case E::DOSSIER_TIMER_SCHEDULED:
          return TimerChangeOut(scheduled(e.getDossierTimerScheduled()));
        case E::DOSSIER_TIMER_RESCHEDULED:
          return TimerChangeOut(rescheduled(e.getDossierTimerRescheduled()));
        case E::DOSSIER_TIMER_CANCELLED:
          return TimerChangeOut(ended(Kind::Cancelled, e.getDossierTimerCancelled().getTimerId(),
                                      e.getDossierTimerCancelled().getDueMicros()));
        case E::DOSSIER_TIMER_FIRED:
          return TimerChangeOut(ended(Kind::Fired, e.getDossierTimerFired().getTimerId(),
                                      e.getDossierTimerFired().getDueMicros()));
        default:
          return TimerChangeOut();
      }
    });
  }
  return TimerChangeOut();
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
