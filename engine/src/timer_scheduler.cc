// The scheduler: hands due timers to the domain, in due order (timers.h).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

#include "parcours/engine/timers.h"

namespace parcours::engine {
namespace {

}  // namespace

TimerScheduler::TimerScheduler(ProjectionRunner& index, const Clock& clock, FireFn fire,
                               std::shared_ptr<spdlog::logger> logger, SchedulerSettings settings)
    : index_(index),
      clock_(clock),
      fire_(std::move(fire)),
      logger_(std::move(logger)),
      settings_(settings) {
  settings_.firingThreads = std::max<std::size_t>(1, settings_.firingThreads);
  settings_.passTimersMax = std::max<std::size_t>(1, settings_.passTimersMax);
}

TimerScheduler::~TimerScheduler() { stop(); }

Result<RunDueReport> TimerScheduler::runDue(
    std::uint64_t timersMax, const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  std::lock_guard run(runMutex_);
  // "Now" once: a clock that moves while we fire cannot keep the call going.
  const std::int64_t now = toMicros(clock_.now());
  RunDueReport report;
  if (auto caught = index_.catchUp(); !caught) return caught.error();
  std::uint64_t total = 0;
  if (progress) {
    TimerQuery all;  // counted page by page: a backlog never sits in memory
    all.dueBeforeMicros = now + 1;
    all.limit = settings_.passTimersMax;
    do {
      auto due = listPendingTimers(*index_.table(), all);
      if (!due) return due.error();
      total += due->timers.size();
      all.after = due->nextCursor;
    } while (!all.after.empty() && total < timersMax);
    total = std::min(total, timersMax);
    progress(0, total);
  }
  // `done`: fired or skipped, what `timersMax` counts. Each pass lists from
  // after the last timer the previous one handed over: what that pass fired
  // has left the index, and what failed stays pending for the next call, so
  // a timer that keeps failing never hides the ones due after it.
  std::uint64_t done = 0;
  std::string after;
  while (done < timersMax && !stopping_) {
    TimerQuery query;
    query.dueBeforeMicros = now + 1;  // due at or before now: never early
    query.after = after;
    query.limit = static_cast<std::size_t>(
        std::min<std::uint64_t>(settings_.passTimersMax, timersMax - done));
    auto due = listPendingTimers(*index_.table(), query);
    if (!due) return due.error();
    if (due->timers.empty()) break;
    const PendingTimer& last = due->timers.back();
    after = std::to_string(last.dueMicros) + "," + last.timerId;
    // One owner's timers on one thread, in due order (the page's order).
    const std::size_t threads = std::min(settings_.firingThreads, due->timers.size());
    std::vector<std::vector<const PendingTimer*>> lanes(threads);
    for (const PendingTimer& t : due->timers) {
      lanes[std::hash<std::string>{}(t.owner) % threads].push_back(&t);
    }
    std::vector<RunDueReport> laneReports(threads);
    const auto fireLane = [&](std::size_t lane) {
      RunDueReport& r = laneReports[lane];
      for (const PendingTimer* t : lanes[lane]) {
        auto fired = fire_(*t);
        if (!fired) {
          ++r.failed;
          if (!r.firstError) r.firstError = fired.error();
          continue;
        }
        if (*fired == FireResult::Skipped) {
          ++r.skipped;
          continue;
        }
        ++r.fired;
        const std::int64_t lag = toMicros(clock_.now()) - t->dueMicros;
        std::lock_guard lock(statsMutex_);
        ++stats_.fired;
        stats_.lagMicrosTotal += lag;
        std::size_t bucket = 0;
        while (bucket < SchedulerStats::lagBucketsMicros.size() &&
               lag > SchedulerStats::lagBucketsMicros[bucket]) {
          ++bucket;
        }
        ++stats_.lag[bucket];
      }
    };
    if (threads == 1) {
      fireLane(0);
    } else {
      std::vector<std::thread> workers;
      workers.reserve(threads);
      for (std::size_t lane = 0; lane < threads; ++lane) workers.emplace_back(fireLane, lane);
      for (std::thread& w : workers) w.join();
    }
    std::uint64_t passFailed = 0;
    for (const RunDueReport& r : laneReports) {
      report.fired += r.fired;
      report.skipped += r.skipped;
      passFailed += r.failed;
      if (!report.firstError && r.firstError) report.firstError = r.firstError;
    }
    report.failed += passFailed;
    done = report.fired + report.skipped;
    if (passFailed > 0) {
      std::lock_guard lock(statsMutex_);
      stats_.failed += passFailed;
    }
    if (progress) progress(std::min(done + report.failed, total), total);
    // The index must see what this pass wrote before the next seek.
    if (auto caught = index_.catchUp(); !caught) return caught.error();
  }
  if (report.firstError) {
    logger_->warn("timers: {} failed to fire (tried again on the next pass); the first: {}",
                  report.failed, report.firstError->message);
  }
  return report;
}

std::optional<std::int64_t> TimerScheduler::nextDueMicros() {
  auto counts = countPendingTimers(*index_.table());
  if (!counts || !counts->earliest) return std::nullopt;
  return counts->earliest->dueMicros;
}

void TimerScheduler::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    // After a pass where a timer failed (a read-only store, a disk error),
    // the next waits longer each time, up to retryWaitMax: an overdue timer
    // that keeps failing would otherwise be tried again at once, for ever.
    constexpr std::chrono::microseconds retryWaitMax = std::chrono::seconds(5);
    std::chrono::microseconds retryWait = settings_.pollInterval;
    while (!stopping_) {
      auto ran = runDue();
      const bool failed = !ran || ran->failed > 0;
      if (!ran) logger_->error("timers: the scheduler's pass failed: {}", ran.error().message);
      // Until the earliest known timer falls due, at most pollInterval (which
      // also bounds how long stop() waits); after a failure, the backoff.
      std::chrono::microseconds wait = settings_.pollInterval;
      if (failed) {
        wait = retryWait;
        retryWait = std::min(retryWait * 2, retryWaitMax);
      } else {
        retryWait = settings_.pollInterval;
        if (auto next = nextDueMicros()) {
          wait = std::clamp(std::chrono::microseconds(*next - toMicros(clock_.now())),
                            std::chrono::microseconds(0),
                            std::chrono::microseconds(settings_.pollInterval));
        }
      }
      const auto until = std::chrono::steady_clock::now() + wait;
      while (!stopping_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<std::chrono::microseconds>(
            std::chrono::duration_cast<std::chrono::microseconds>(until - std::chrono::steady_clock::now()),
            settings_.pollInterval));
      }
    }
  });
}

void TimerScheduler::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

SchedulerStats TimerScheduler::stats() const {
  std::lock_guard lock(statsMutex_);
  return stats_;
}

}  // namespace parcours::engine
