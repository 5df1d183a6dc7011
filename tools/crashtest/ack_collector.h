// The acknowledgements of one round, gathered from whichever thread saw
// them (the pipe reader, the HTTP clients).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "crash_plan.h"

namespace parcours::crashtest {

class AckCollector {
 public:
  void add(Ack ack) {
    {
      std::lock_guard lock(mutex_);
      acks_.push_back(std::move(ack));
    }
    changed_.notify_all();
  }
  // True once at least one acknowledgement came, false after `timeout`.
  bool waitForFirst(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return !acks_.empty(); });
  }
  std::vector<Ack> take() {
    std::lock_guard lock(mutex_);
    return std::move(acks_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Ack> acks_;
};

}  // namespace parcours::crashtest
