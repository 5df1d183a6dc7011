// The server's counters, rendered in Prometheus text format at /metrics.
// Counters are atomics: any thread records, the event loop renders.
#pragma once

#include "parcours/engine/timers.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "parcours/store/event_log.h"
#include "parcours/store/result.h"

namespace parcours::adapters {

class Metrics {
 public:
  // A command's outcome: nothing for success, else its error class.
  void commandDone(std::optional<ErrorCode> error, std::uint64_t micros);
  void httpResponse(int status);
  void subscriberOpened() { subscribers_.fetch_add(1, std::memory_order_relaxed); }
  void subscriberClosed() { subscribers_.fetch_sub(1, std::memory_order_relaxed); }
  void eventsDelivered(std::uint64_t n) { delivered_.fetch_add(n, std::memory_order_relaxed); }

  // The whole exposition: the log's writer, the views' lag, commands, HTTP,
  // subscribers.
  std::string render(const store::LogStats& log, store::Position head,
                     store::Position viewsCheckpoint) const;

  // The timers: how many are pending, how late the oldest due one is, how
  // many fired and their lag from due instant to firing (docs/timers.md).
  static std::string renderTimers(const engine::TimerCounts& counts,
                                  const engine::SchedulerStats& stats, std::int64_t nowMicros);

  static constexpr std::array<std::uint64_t, 12> latencyBucketsMicros = {
      500,    1'000,   2'500,   5'000,   10'000,    25'000,
      50'000, 100'000, 250'000, 500'000, 1'000'000, 2'500'000};
  static constexpr int outcomeCount = 1 + static_cast<int>(ErrorCode::Internal) + 1;  // ok + every error code

 private:
  struct Histogram {
    std::array<std::atomic<std::uint64_t>, latencyBucketsMicros.size() + 1> buckets{};
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> microsTotal{0};
  };
  std::array<Histogram, outcomeCount> commands_;
  // HTTP responses by status class: 1xx..5xx.
  std::array<std::atomic<std::uint64_t>, 6> httpByClass_{};
  std::atomic<std::int64_t> subscribers_{0};
  std::atomic<std::uint64_t> delivered_{0};
};

}  // namespace parcours::adapters
