// A read replica's intake: follows the JetStream stream the primary
// publishes to and writes what it checks into the local log (docs/scaling.md).
//
// Nothing from the stream is trusted: a message is applied only when it is
// the replica's next position and chains onto its head
// (EventLog::appendReplicated checks hash, encoding and stream version).
// - a position already applied is a duplicate: dropped when its hash is the
//   one the replica has, reported as a fork when not;
// - a position past the next one is a gap (JetStream lost messages): the
//   follower reports it and asks the primary to re-publish from the first
//   missing position, and applies nothing past the gap meanwhile, so the
//   replica's views are always the primary's at an earlier position, never
//   a wrong one;
// - a message that does not chain is refused the same way.
// The position reached is the local log's head, durable like any append.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nats_session.h"
#include "parcours/store/event_log.h"
#include "replica_batch_writer.h"

namespace spdlog {
class logger;
}

namespace parcours::adapters::nats {

struct FollowerStatus {
  std::string state;              // connecting, following, caught_up, gap, refused, backing_off
  store::Position applied = 0;    // the replica's head
  std::uint64_t streamSeq = 0;    // the last stream sequence read
  std::uint64_t duplicates = 0;   // messages dropped as already applied
  std::uint64_t gaps = 0;         // gaps found (each reported, then healed)
  std::uint64_t refused = 0;      // messages that did not chain (a fork or altered)
  std::uint64_t republishRequests = 0;
  std::string problem;            // the last gap, fork or error, for people
  std::string primaryUrl;         // from the messages (Parcours-Primary)
  // True while the replica knows it misses events it has seen later ones of.
  bool behindAGap() const { return state == "gap" || state == "refused"; }
};

class ReplicaFollower {
 public:
  ReplicaFollower(store::EventLog& log, StreamSettings settings,
                  std::shared_ptr<spdlog::logger> logger);
  ~ReplicaFollower();  // stop()

  Status start();
  void stop();
  FollowerStatus status() const;

 private:
  void run();
  Status openSession();
  // Reads what the stream has for a while and hands it to the writer.
  Status consume();
  // One message: added to the batch, dropped as a duplicate, or a gap.
  Status take(MessagePtr message);
  // Hands the batch to the writer.
  void submit();
  // Waits for the writer; after a refused write, asks for re-publication.
  // Either way expected_ is the log's head + 1 afterwards.
  Status settle();
  Status settleAfter(const Error& failure);
  // On the writer's thread, after each durable write.
  void written(const ReplicaBatch& batch);
  void requestRepublish(store::Position from, const std::string& why, const char* state);
  void sleepFor(std::chrono::milliseconds delay);

  store::EventLog& log_;
  const StreamSettings settings_;
  const std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<store::Table> table_;

  std::unique_ptr<ReplicaBatchWriter> writer_;

  // The following thread's own.
  std::unique_ptr<NatsSession> session_;
  SubscriptionPtr subscription_;
  std::uint64_t lastSeq_ = 0;     // the last stream sequence consumed
  store::Position expected_ = 1;  // the next position to take
  ReplicaBatch batch_;            // taken, not yet handed to the writer
  std::string batchTipHash_;      // the hash of its last event
  MessagePtr lastMessage_;        // its last message (stream sequence, primary's URL)
  std::chrono::steady_clock::time_point lastRequest_{};
  std::chrono::steady_clock::time_point lastCheck_{};

  mutable std::mutex mutex_;  // guards status_ and stopping_
  std::condition_variable wake_;
  FollowerStatus status_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parcours::adapters::nats
