// The durable head and who wants to hear when it moves. Published by the
// writer once a batch is on disk; read lock-free by every reader.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>

#include "parcours/store/event_log.h"

namespace parcours::store {

class HeadNotifier {
 public:
  explicit HeadNotifier(Position initial) : head_(initial) {}

  Position head() const { return head_.load(std::memory_order_acquire); }
  void publish(Position durableHead);
  Position waitForHead(Position after, std::chrono::milliseconds timeout) const;
  std::unique_ptr<HeadSubscription> subscribe(HeadListener listener);

 private:
  class Subscription;
  std::atomic<Position> head_;
  mutable std::mutex mutex_;
  mutable std::condition_variable moved_;
  std::list<HeadListener> listeners_;  // guarded by mutex_
};

}  // namespace parcours::store
