// Durable timers on the log (docs/timers.md).
//
// A timer is events on its owner's stream — scheduled, perhaps rescheduled,
// then fired or cancelled — written by the domain, which alone knows their
// payloads: it hands the engine a TimerDecoder that says which events are
// timer changes. From those the engine keeps the due index, a projection
// keyed by due instant (so a million pending timers cost disk, not memory),
// and runs the scheduler, which seeks the index from the start up to "now"
// and hands each due timer, in due order, to the domain's FireFn. Firing
// exactly once is the FireFn's to guarantee (the domain appends the firing
// under the command id "timer:<id>"); the scheduler only promises never to
// hand over a timer before its due instant on the injected Clock.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "parcours/engine/clock.h"
#include "parcours/engine/projection.h"
#include "parcours/store/event_log.h"
#include "parcours/store/result.h"
#include "parcours/store/table.h"

namespace spdlog {
class logger;
}

namespace parcours::engine {

// One timer event, as the domain's decoder reads it. The owner is the
// event's stream, and the timer's id starts with "<owner stream>:".
struct TimerChange {
  enum class Kind : std::uint8_t { Scheduled, Rescheduled, Cancelled, Fired };
  Kind kind = Kind::Scheduled;
  std::string timerId;
  std::string action;               // the domain's name for what it does
  std::int64_t dueMicros = 0;       // Scheduled/Rescheduled: the new due; else the due it had
  std::int64_t previousDueMicros = 0;  // Rescheduled: the due it leaves
};

// nullopt: not a timer event. An error stops the index (a payload that does
// not decode is corruption, as for every view).
using TimerDecoder =
    std::function<Result<std::optional<TimerChange>>(const store::EventView& event)>;

// A pending timer as the index holds it.
struct PendingTimer {
  std::string timerId;
  std::string owner;   // its stream
  std::string action;
  std::int64_t dueMicros = 0;
};

// The due index. Rows (docs/timers.md): 'd' due id -> owner, action;
// 'i' id -> due; 'n' -> how many are pending.
// Only pending timers have rows: a fired or cancelled one leaves the index.
class TimerIndex final : public Projection {
 public:
  explicit TimerIndex(TimerDecoder decoder) : decoder_(std::move(decoder)) {}
  std::string_view name() const override { return "timers.due"; }
  int version() const override { return 1; }
  Status apply(const store::EventView& event, store::TableBatch& rows) override;
  // Writes the pending count once per commit, not once per event.
  Status flush(store::TableBatch& rows) override;

 private:
  TimerDecoder decoder_;
  // Pending timers added (or, negative, ended) since the last flush, and
  // the position of the last event applied: a position that does not
  // follow it is the runner starting again from its checkpoint, and the
  // delta of the abandoned commit is forgotten.
  std::int64_t pendingDelta_ = 0;
  store::Position lastApplied_ = 0;
};

// Reads of the index's table.
struct TimerQuery {
  std::string owner;                 // only this owner stream's (empty: every owner's)
  std::optional<std::int64_t> dueBeforeMicros;  // only timers due before this instant
  std::string after;                 // cursor: the last timer id of the previous page
  std::size_t limit = 100;
};
struct TimerPage {
  std::vector<PendingTimer> timers;  // in due order (then id)
  std::string nextCursor;            // empty: no more
};
// Cursor pages in due order. Without an owner the due order is walked (a
// page filtered by dueBefore stops at it); with one, that owner's timers
// are read by their ids, which start with "<owner stream>:" (the index
// refuses a timer named otherwise as corruption), at most 10,000 of them.
Result<TimerPage> listPendingTimers(const store::Table& index, const TimerQuery& query);
Result<std::optional<PendingTimer>> findPendingTimer(const store::Table& index,
                                                     std::string_view timerId);
// How many timers are pending, and the earliest due one.
struct TimerCounts {
  std::uint64_t pending = 0;
  std::optional<PendingTimer> earliest;
};
Result<TimerCounts> countPendingTimers(const store::Table& index);

// What the domain did with a due timer: Fired (recorded now), or Skipped
// (already fired under its command id, or no longer pending: nothing
// written). An error is logged and the timer tried again on the next pass.
enum class FireResult : std::uint8_t { Fired, Skipped };
using FireFn = std::function<Result<FireResult>(const PendingTimer& timer)>;

struct SchedulerSettings {
  // Due timers handed over per pass, in due order. Bounds the memory a
  // backlog takes: the rest wait for the next pass.
  std::size_t passTimersMax = 4096;
  // Threads firing a pass. One (the default): every timer fires after every
  // timer due before it, so the log records firings in due order. More: a
  // timer goes to the thread its owner hashes to, so one owner's timers
  // still fire in due order, and timers of different owners fire together
  // (their appends share group commits, docs/performance.md), recorded in
  // the order they finish.
  std::size_t firingThreads = 1;
  // The longest the scheduler thread sleeps without looking at the log. It
  // sleeps until the earliest due timer it knows of, or this long: a timer
  // scheduled already due (or due before the earliest known) fires at most
  // this late. Appends do not wake it: catching the index up once per look,
  // not once per append, keeps the scheduler off a busy server's path
  // (docs/performance.md).
  std::chrono::milliseconds pollInterval{100};
};

struct RunDueReport {
  std::uint64_t fired = 0;
  std::uint64_t skipped = 0;
  std::uint64_t failed = 0;  // left pending, tried again on the next pass
  std::optional<Error> firstError;
};

// Firing lag (fired instant minus due instant, on the Clock) as a
// cumulative histogram, for /metrics.
struct SchedulerStats {
  static constexpr std::array<std::int64_t, 9> lagBucketsMicros = {
      1'000, 5'000, 10'000, 25'000, 50'000, 100'000, 500'000, 1'000'000, 60'000'000};
  std::uint64_t fired = 0;
  std::uint64_t failed = 0;
  std::int64_t lagMicrosTotal = 0;
  std::array<std::uint64_t, lagBucketsMicros.size() + 1> lag{};  // not cumulative; last +Inf
};

class TimerScheduler {
 public:
  // `index` is the due index's runner (opened); the scheduler catches it up
  // before each pass. Not owned; each must outlive the scheduler.
  TimerScheduler(ProjectionRunner& index, const Clock& clock, FireFn fire,
                 std::shared_ptr<spdlog::logger> logger, SchedulerSettings settings = {});
  ~TimerScheduler();
  TimerScheduler(const TimerScheduler&) = delete;
  TimerScheduler& operator=(const TimerScheduler&) = delete;

  // Fires every timer due at the clock's now (seen once at the start, so a
  // moving clock cannot keep a call going), in due order, pass after pass
  // until none is left, `timersMax` were fired or skipped, or stop() was
  // called. A timer that fails stays pending for the next call; the passes
  // go on past it. For `parcours timers run-due` and the thread below.
  // `progress(handed over, total due at start)`.
  Result<RunDueReport> runDue(std::uint64_t timersMax = UINT64_MAX,
                              const std::function<void(std::uint64_t, std::uint64_t)>& progress = {});

  // Runs runDue in a thread when a timer falls due, and at least every
  // pollInterval, until stop() (or destruction).
  void start();
  void stop();

  SchedulerStats stats() const;

 private:
  std::optional<std::int64_t> nextDueMicros();
  ProjectionRunner& index_;
  const Clock& clock_;
  FireFn fire_;
  std::shared_ptr<spdlog::logger> logger_;
  SchedulerSettings settings_;
  std::mutex runMutex_;  // one pass at a time (the thread, or run-due)
  mutable std::mutex statsMutex_;
  SchedulerStats stats_;  // guarded by statsMutex_
  std::thread thread_;
  std::atomic<bool> stopping_{false};
};

}  // namespace parcours::engine
