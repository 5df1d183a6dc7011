#include "command_pool.h"

#include <kj/debug.h>

#include "server_limits.h"

namespace parcours::adapters {

CommandPool::CommandPool(std::size_t threads) {
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { workerLoop(); });
}

CommandPool::~CommandPool() {
  drain();
}

kj::Promise<void> CommandPool::run(std::function<void()> job) {
  auto pair = kj::newPromiseAndCrossThreadFulfiller<void>();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return KJ_EXCEPTION(DISCONNECTED, "unavailable: the server is shutting down");
    }
    // A bound, not a growing backlog: past it the caller gets a 503 with
    // Retry-After (server_limits.h).
    static_assert(commandQueueMax == 4096, "the message below names it");
    if (queue_.size() >= commandQueueMax) {
      return KJ_EXCEPTION(OVERLOADED, "unavailable: 4096 commands are waiting for a worker: retry");
    }
    queue_.push_back(Job{std::move(job), kj::mv(pair.fulfiller), finished});
  }
  wake_.notify_one();
  return pair.promise.then([finished] {
    KJ_ASSERT(finished->load(std::memory_order_acquire), "a job resolved before it finished");
  });
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
    job.work = nullptr;  // its captures die here, before the handover, not after it
    job.finished->store(true, std::memory_order_release);
    job.done->fulfill();
  }
}

}  // namespace parcours::adapters
