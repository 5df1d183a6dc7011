// What NATS makes of one `parcours serve`: a primary that publishes its log
// (--nats), a read replica that follows one (--replica-of), or neither.
// The gateway asks it whether to refuse writes, what /readyz says, and what
// to add to /metrics and to the node's status.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "jetstream_publisher.h"
#include "replica_follower.h"

namespace parcours::adapters::nats {

class NatsNode {
 public:
  // A primary: publishes to `settings` once started.
  static std::unique_ptr<NatsNode> primary(store::EventLog& log, const StreamSettings& settings,
                                           const std::string& primaryUrl,
                                           std::shared_ptr<spdlog::logger> logger);
  // A read replica following `settings` into `log` (opened with replicaOf).
  static std::unique_ptr<NatsNode> replica(store::EventLog& log, const StreamSettings& settings,
                                           std::shared_ptr<spdlog::logger> logger);
  ~NatsNode();

  Status start();
  void stop();

  bool isReplica() const { return follower_ != nullptr; }
  // For a replica: why a write is refused, naming the primary.
  std::string writeRefusal() const;
  // For a replica behind a gap: why it is not ready (empty when it is).
  std::string notReadyReason() const;
  // Prometheus lines (docs/nats.md).
  std::string metrics() const;
  // The `nats` part of the node's status.
  nlohmann::json status() const;

 private:
  NatsNode(StreamSettings settings) : settings_(std::move(settings)) {}
  StreamSettings settings_;
  std::unique_ptr<JetStreamPublisher> publisher_;
  std::unique_ptr<ReplicaFollower> follower_;
};

}  // namespace parcours::adapters::nats
