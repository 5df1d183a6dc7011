// A timer as its owner's events left it (docs/timers.md): the campaign's
// stream and a dossier's fold the same record.
//
// C++17 on purpose: the Boost.MSM translation unit includes this header.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace parcours::workflows {

enum class TimerAction : std::uint8_t {
  CloseSubmissions,    // the submission deadline: the phase closes by itself
  DeemDecision,        // a dossier's statutory delay: the decision is deemed taken
  WarnDeemedDecision,  // days before it: a recorded warning
  ReconveneVote,       // a meeting without quorum is held again, of right, then
  RemindAdministrators,  // a dossier waited in one state longer than the service level
  RemindJurors,        // days before scoring closes: jurors with unscored dossiers
};
enum class TimerStatus : std::uint8_t { Pending, Fired, Cancelled };
// The deadline's timer is due this long after the deadline: deadlines are
// written to the second and the whole of that second is in time.
inline constexpr std::int64_t closeSubmissionsDelayMicros = 1'000'000;
struct TimerRecord {
  std::string timerId;
  TimerAction action = TimerAction::CloseSubmissions;
  std::int64_t dueMicros = 0;
  TimerStatus status = TimerStatus::Pending;
  std::int64_t scheduledAtMicros = 0;
  std::int64_t endedAtMicros = 0;  // when it fired or was cancelled
  // A dossier's timer: the campaign rules version it was scheduled under,
  // whose statutory delay it keeps (an amendment applies to the dossiers
  // submitted after it). 0 for a campaign's timer.
  std::uint32_t rulesVersion = 0;
};

// An owner's timers by id, ended ones too.
using TimerMap = std::map<std::string, TimerRecord, std::less<>>;

// The timer with that id, in any status; null when there is none.
inline const TimerRecord* findTimer(const TimerMap& timers, std::string_view timerId) {
  const auto it = timers.find(timerId);
  return it == timers.end() ? nullptr : &it->second;
}
// The pending timer doing `action`, if any.
inline const TimerRecord* findPendingTimer(const TimerMap& timers, TimerAction action) {
  for (const auto& [id, t] : timers) {
    if (t.action == action && t.status == TimerStatus::Pending) return &t;
  }
  return nullptr;
}

}  // namespace parcours::workflows
