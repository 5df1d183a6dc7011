#include "replica_batch_writer.h"

#include "../src/server_limits.h"

namespace parcours::adapters::nats {
namespace {
constexpr std::size_t queuedMax = replicaBatchesQueuedMax;  // server_limits.h
}

ReplicaBatchWriter::ReplicaBatchWriter(store::EventLog& log,
                                       std::function<void(const ReplicaBatch&)> written)
    : log_(log), written_(std::move(written)), thread_([this] { run(); }) {}

ReplicaBatchWriter::~ReplicaBatchWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ReplicaBatchWriter::submit(ReplicaBatch batch) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < queuedMax; });
  queue_.push_back(std::move(batch));
  changed_.notify_all();
}

void ReplicaBatchWriter::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

std::optional<Error> ReplicaBatchWriter::takeFailure() {
  std::lock_guard lock(mutex_);
  return std::exchange(failure_, std::nullopt);
}

void ReplicaBatchWriter::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, everything written
    ReplicaBatch batch = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    const bool skip = failure_.has_value();
    lock.unlock();
    changed_.notify_all();  // room in the queue
    std::optional<Error> error;
    if (!skip) {
      auto written = log_.appendReplicated(batch.envelopes);
      if (written) {
        written_(batch);
      } else {
        error = written.error();
      }
    }
    lock.lock();
    if (error && !failure_) failure_ = std::move(error);
    writing_ = false;
    changed_.notify_all();
  }
}

}  // namespace parcours::adapters::nats
