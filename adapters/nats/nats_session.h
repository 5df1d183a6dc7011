// One connection to NATS with its JetStream context, and the stream parcours
// publishes the log to: what the publisher and the replica follower share.
//
// The C client (libnats, Debian's libnats-dev) is wrapped here once, with
// owning handles, so the rest of the code never frees a NATS object by hand.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "parcours/store/result.h"

namespace parcours::adapters::nats {

struct MessageDeleter {
  void operator()(natsMsg* m) const { natsMsg_Destroy(m); }
};
struct SubscriptionDeleter {
  void operator()(natsSubscription* s) const { natsSubscription_Destroy(s); }
};
using MessagePtr = std::unique_ptr<natsMsg, MessageDeleter>;
using SubscriptionPtr = std::unique_ptr<natsSubscription, SubscriptionDeleter>;

// Where the log goes on NATS, as `parcours serve` is told (docs/nats.md).
struct StreamSettings {
  std::string url;                  // nats://host:port[,nats://...] (a cluster: several)
  std::string stream = "PARCOURS";  // the JetStream stream's name
  std::string subjectPrefix = "parcours";
  int replicas = 1;  // JetStream replicas of the stream (Raft), made when absent
  std::chrono::seconds duplicateWindow{120};
};

// How the publisher and the replica retry after NATS failed them: a fresh
// connection after backoffFirst, doubling up to backoffMax; and how often
// they look at the stream itself while idle (a wiped or re-created stream).
inline constexpr auto backoffFirst = std::chrono::milliseconds(100);
inline constexpr auto backoffMax = std::chrono::seconds(5);
inline constexpr auto idleCheckEvery = std::chrono::seconds(2);

// The error for a failed NATS call: what we tried, then the client's text.
Error natsError(natsStatus status, const std::string& what);

// The core-NATS subject a replica asks the primary on to re-publish the log
// from a position (docs/nats.md): outside the stream's subjects, so the
// requests are never stored in it.
std::string republishSubject(const StreamSettings& settings);

class NatsSession {
 public:
  // Connects (reconnecting forever afterwards: the client buffers while the
  // server is away) and makes the JetStream context. `name` shows in the
  // server's connection list.
  // `ackHandler`: told of every asynchronous publish's ack or error (the
  // publisher's; none for a consumer).
  static Result<std::unique_ptr<NatsSession>> connect(const StreamSettings& settings,
                                                      const std::string& name,
                                                      jsPubAckHandler ackHandler = nullptr,
                                                      void* ackClosure = nullptr);
  ~NatsSession();
  NatsSession(const NatsSession&) = delete;
  NatsSession& operator=(const NatsSession&) = delete;

  // Creates the stream when absent (file storage, the configured replicas,
  // subjects `<prefix>.>`, the duplicate window), else checks that it takes
  // our subjects. Returns the stream's last sequence.
  Result<std::uint64_t> ensureStream();
  // The stream's first and last sequence and message count, now.
  struct StreamState {
    std::uint64_t firstSeq = 0;
    std::uint64_t lastSeq = 0;
    std::uint64_t messages = 0;
  };
  Result<StreamState> streamState();
  // The stored message at `seq`; NotFound when deleted or purged.
  Result<MessagePtr> messageAt(std::uint64_t seq);

  bool connected() const;
  natsConnection* connection() const { return connection_; }
  jsCtx* jetStream() const { return js_; }
  const StreamSettings& settings() const { return settings_; }

 private:
  NatsSession(StreamSettings settings) : settings_(std::move(settings)) {}
  StreamSettings settings_;
  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace parcours::adapters::nats
