// Time comes from an injected clock: decisions never read the system time
// themselves, the handler stamps each command once and the time is recorded
// in its events, so a replay sees exactly what the decision saw.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace parcours::engine {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

inline std::int64_t toMicros(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp fromMicros(std::int64_t micros) {
  return Timestamp(std::chrono::microseconds(micros));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that stands still until told to move: tests stand on any date.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : micros_(toMicros(start)) {}
  Timestamp now() const override { return fromMicros(micros_.load()); }
  void set(Timestamp t) { micros_.store(toMicros(t)); }
  void advance(std::chrono::microseconds d) { micros_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> micros_;
};

}  // namespace parcours::engine
