// Folding timer events (timer_fold.h).
#include "domain/timer_fold.h"

#include "parcours/workflows/domain_events.h"

namespace parcours::workflows {
namespace {

// The timer a change names, which must be pending.
Result<TimerRecord*> pendingForChange(TimerMap& timers, std::string_view eventType,
                                      capnp::Text::Reader id) {
  auto it = timers.find(std::string_view(id.cStr(), id.size()));
  if (it == timers.end()) {
    return Error::corruption(std::string(eventType) + " names timer " + toString(id) +
                             ", never scheduled");
  }
  if (it->second.status != TimerStatus::Pending) {
    return Error::corruption(std::string(eventType) + " names timer " + toString(id) +
                             ", which had already ended");
  }
  return &it->second;
}

}  // namespace

// The enums are declared in the same order as the schema's; a value a
// newer parcours might write reads as the deadline's, which only a
// campaign's deadline timer does: a dossier's firing refuses it, and
// parseTimerId refuses an id naming an action this build does not know.
TimerAction readTimerAction(schema::TimerAction action) {
  switch (action) {
    case schema::TimerAction::DEEM_DECISION:
      return TimerAction::DeemDecision;
    case schema::TimerAction::WARN_DEEMED_DECISION:
      return TimerAction::WarnDeemedDecision;
    case schema::TimerAction::RECONVENE_VOTE:
      return TimerAction::ReconveneVote;
    case schema::TimerAction::REMIND_ADMINISTRATORS:
      return TimerAction::RemindAdministrators;
    case schema::TimerAction::REMIND_JURORS:
      return TimerAction::RemindJurors;
    default:
      return TimerAction::CloseSubmissions;
  }
}

schema::TimerAction writeTimerAction(TimerAction action) {
  switch (action) {
    case TimerAction::CloseSubmissions:
      return schema::TimerAction::CLOSE_SUBMISSIONS;
    case TimerAction::DeemDecision:
      return schema::TimerAction::DEEM_DECISION;
    case TimerAction::WarnDeemedDecision:
      return schema::TimerAction::WARN_DEEMED_DECISION;
    case TimerAction::ReconveneVote:
      return schema::TimerAction::RECONVENE_VOTE;
    case TimerAction::RemindAdministrators:
      return schema::TimerAction::REMIND_ADMINISTRATORS;
    case TimerAction::RemindJurors:
      return schema::TimerAction::REMIND_JURORS;
  }
  return schema::TimerAction::CLOSE_SUBMISSIONS;
}

Status foldTimerScheduled(TimerMap& timers, schema::TimerScheduled::Reader t,
                          std::int64_t recordedAtMicros) {
  TimerRecord timer{toString(t.getTimerId()), readTimerAction(t.getAction()), t.getDueMicros(),
                    TimerStatus::Pending, recordedAtMicros, 0};
  if (!timers.emplace(timer.timerId, timer).second) {
    return Error::corruption("timer " + timer.timerId + " is scheduled twice");
  }
  return okStatus();
}

Result<const TimerRecord*> foldTimerRescheduled(TimerMap& timers, std::string_view eventType,
                                                schema::TimerRescheduled::Reader event) {
  auto timer = pendingForChange(timers, eventType, event.getTimerId());
  if (!timer) return timer.error();
  (*timer)->dueMicros = event.getDueMicros();
  return static_cast<const TimerRecord*>(*timer);
}

Status foldTimerEnded(TimerMap& timers, std::string_view eventType, capnp::Text::Reader timerId,
                      TimerStatus ended, std::int64_t recordedAtMicros) {
  auto timer = pendingForChange(timers, eventType, timerId);
  if (!timer) return timer.error();
  (*timer)->status = ended;
  (*timer)->endedAtMicros = recordedAtMicros;
  return okStatus();
}

}  // namespace parcours::workflows
