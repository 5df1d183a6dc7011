#include "command_pool.h"

#include <kj/debug.h>

namespace parcours::adapters {

CommandPool::CommandPool(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

CommandPool::~CommandPool() {
  drain();
}

kj::Promise<void> CommandPool::run(std::function<void()> job) {
  auto pair = kj::newPromiseAndCrossThreadFulfiller<void>();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return KJ_EXCEPTION(DISCONNECTED, "unavailable: the server is shutting down");
    }
    queue_.push_back(Job{std::move(job), kj::mv(pair.fulfiller)});
  }
  wake_.notify_one();
  return kj::mv(pair.promise);
}

void CommandPool::drain() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

void CommandPool::workerLoop() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to run
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job.work();
    job.done->fulfill();
  }
}

}  // namespace parcours::adapters
