// The replica's second stage: writes checked batches into the local log on
// its own thread, so that reading the next batch from NATS overlaps the
// verification and the fsync of this one (a catch-up is as fast as the
// slower of the two, not their sum).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "parcours/store/event_log.h"

namespace parcours::adapters::nats {

struct ReplicaBatch {
  std::vector<std::string> envelopes;  // consecutive positions, the first one next
  std::uint64_t lastStreamSeq = 0;     // the stream sequence of the last envelope
};

class ReplicaBatchWriter {
 public:
  // `written(batch)`: called on the writer's thread after each durable write.
  ReplicaBatchWriter(store::EventLog& log, std::function<void(const ReplicaBatch&)> written);
  ~ReplicaBatchWriter();  // writes what is queued, then stops

  // Queues a batch, waiting while two are already queued (back-pressure).
  void submit(ReplicaBatch batch);
  // Waits until everything submitted is written or dropped.
  void drain();
  // The first write that failed since the last call (later batches were
  // dropped: they follow a position that is not there); clears it.
  std::optional<Error> takeFailure();

 private:
  void run();

  store::EventLog& log_;
  const std::function<void(const ReplicaBatch&)> written_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<ReplicaBatch> queue_;  // guarded
  bool writing_ = false;            // guarded
  bool stopping_ = false;           // guarded
  std::optional<Error> failure_;    // guarded
  std::thread thread_;
};

}  // namespace parcours::adapters::nats
