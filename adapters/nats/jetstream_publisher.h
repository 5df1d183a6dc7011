// Publishes the global log to a JetStream stream, every event exactly once
// and in log order (docs/nats.md).
//
// JetStream is a distribution channel, never the system of record: the
// RocksDB log is. So the publisher trusts nothing it cannot check:
// - it resumes from the stream's own tail, read back and compared with the
//   log (position and hash), so a crash between JetStream's ack and our
//   checkpoint never re-sends, and a stream holding another history (a fork)
//   stops it instead of being appended to;
// - every message says which stream sequence must precede it
//   (Nats-Expected-Last-Sequence), so a message lost in flight makes every
//   later one refused rather than stored out of order, and Nats-Msg-Id =
//   position makes JetStream drop a re-send inside its duplicate window;
// - a consumer that finds a gap asks it to re-publish from a position (a
//   core-NATS request, republishSubject()), which it does from the log.
//
// Its own thread; NATS down or slow never blocks appends or commands: the
// checkpoint just stops moving, and the lag shows in /metrics and status.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "nats_session.h"
#include "parcours/store/event_log.h"

namespace spdlog {
class logger;
}

namespace parcours::adapters::nats {

// The publisher's row in the store's `nats-publisher` table: the last
// position JetStream acknowledged for that stream.
std::string checkpointKey(const StreamSettings& settings);

struct PublisherStatus {
  std::string state;                // connecting, publishing, caught_up, backing_off, fork
  bool connected = false;
  store::Position checkpoint = 0;   // the last position JetStream acknowledged
  store::Position head = 0;         // the log's durable head
  std::uint64_t streamLastSeq = 0;  // the stream sequence of the checkpoint
  std::uint64_t published = 0;      // messages JetStream stored since start
  std::uint64_t duplicates = 0;     // of which JetStream said were re-sends it dropped
  std::uint64_t republished = 0;    // of which re-published on a consumer's request
  std::uint64_t republishRequests = 0;
  std::uint64_t failures = 0;       // windows that failed (then resumed from the tail)
  std::string lastError;
  store::Position lag() const { return head > checkpoint ? head - checkpoint : 0; }
};

class JetStreamPublisher {
 public:
  // `primaryUrl`: this server's HTTP address, carried by every message so a
  // replica can name its primary. `window`: messages in flight at most.
  JetStreamPublisher(store::EventLog& log, StreamSettings settings, std::string primaryUrl,
                     std::shared_ptr<spdlog::logger> logger, std::size_t window = 4096);
  ~JetStreamPublisher();  // stop()

  // Opens the checkpoint table and starts publishing (connecting in the
  // background: NATS need not be up).
  Status start();
  // Stops after the window in flight (its acks wait at most a few seconds).
  void stop();
  PublisherStatus status() const;

 private:
  void run();
  // Connects, makes sure of the stream, resumes from its tail, listens for
  // re-publish requests.
  Status openSession();
  // Reads the stream's tail and checks it against the log; sets cursor_.
  Status resumeFromTail();
  // Publishes up to one window from cursor_, once at most one window is
  // still waiting for its acks.
  Status publishWindow();
  // Waits until at most `inFlightMax` messages wait for their acks; an
  // error when one was refused or the acks stop coming.
  Status awaitAcks(std::size_t inFlightMax);
  // The error for a refused message, if any (and drops what is in flight).
  Status ackFailure();
  Status saveCheckpoint();
  void sleepFor(std::chrono::milliseconds delay);
  void setState(const char* state);
  static void onRepublishRequest(natsConnection* nc, natsSubscription* sub, natsMsg* msg,
                                 void* self);
  static void onAck(jsCtx* js, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* self);

  store::EventLog& log_;
  const StreamSettings settings_;
  const std::string primaryUrl_;
  const std::shared_ptr<spdlog::logger> logger_;
  const std::size_t window_;
  std::shared_ptr<store::Table> table_;

  // The publishing thread's own.
  std::unique_ptr<NatsSession> session_;
  SubscriptionPtr control_;
  store::Position cursor_ = 1;       // the next position to publish
  std::uint64_t nextSeq_ = 0;        // the stream sequence cursor_ will get
  store::Position healEnd_ = 0;      // positions <= this are re-publications
  std::uint64_t healTag_ = 0;        // distinguishes their Nats-Msg-Id

  std::atomic<store::Position> republishFrom_{0};  // 0: none asked

  mutable std::mutex mutex_;  // guards what follows
  std::condition_variable wake_;
  PublisherStatus status_;
  std::uint64_t acked_ = 0;      // messages answered this session (stored or refused)
  std::uint64_t ackErrors_ = 0;  // of which refused
  store::Position savedCheckpoint_ = 0;
  std::uint64_t sent_ = 0;  // messages published this session: the publishing thread's
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parcours::adapters::nats
