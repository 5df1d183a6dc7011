#include "head_notifier.h"

namespace parcours::store {

class HeadNotifier::Subscription final : public HeadSubscription {
 public:
  Subscription(HeadNotifier& notifier, std::list<HeadListener>::iterator it)
      : notifier_(notifier), it_(it) {}
  ~Subscription() override {
    std::lock_guard lock(notifier_.mutex_);
    notifier_.listeners_.erase(it_);
  }

 private:
  HeadNotifier& notifier_;
  std::list<HeadListener>::iterator it_;
};

void HeadNotifier::publish(Position durableHead) {
  std::lock_guard lock(mutex_);
  if (durableHead <= head_.load(std::memory_order_relaxed)) return;
  head_.store(durableHead, std::memory_order_release);
  moved_.notify_all();
  for (const HeadListener& listener : listeners_) listener(durableHead);
}

Position HeadNotifier::waitForHead(Position after, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  moved_.wait_for(lock, timeout, [&] { return head_.load(std::memory_order_acquire) > after; });
  return head_.load(std::memory_order_acquire);
}

std::unique_ptr<HeadSubscription> HeadNotifier::subscribe(HeadListener listener) {
  std::lock_guard lock(mutex_);
  listeners_.push_back(std::move(listener));
  return std::make_unique<Subscription>(*this, std::prev(listeners_.end()));
}

}  // namespace parcours::store
