// Folding timer events into an owner's timers (a campaign's stream, a
// dossier's): the same four events, the same checks, for both folds.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "parcours/workflows/schema/events.capnp.h"
#include "parcours/store/result.h"
#include "parcours/workflows/timer_record.h"

namespace parcours::workflows {

TimerAction readTimerAction(schema::TimerAction action);
schema::TimerAction writeTimerAction(TimerAction action);

// Corruption when a timer is scheduled twice, or a change names a timer
// never scheduled or already ended. foldTimerRescheduled returns the timer
// it moved.
Status foldTimerScheduled(TimerMap& timers, schema::TimerScheduled::Reader event,
                          std::int64_t recordedAtMicros);
Result<const TimerRecord*> foldTimerRescheduled(TimerMap& timers, std::string_view eventType,
                                                schema::TimerRescheduled::Reader event);
Status foldTimerEnded(TimerMap& timers, std::string_view eventType, capnp::Text::Reader timerId,
                      TimerStatus ended, std::int64_t recordedAtMicros);

}  // namespace parcours::workflows
