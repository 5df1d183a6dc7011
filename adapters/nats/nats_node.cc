#include "nats_node.h"

namespace parcours::adapters::nats {

std::unique_ptr<NatsNode> NatsNode::primary(store::EventLog& log, const StreamSettings& settings,
                                            const std::string& primaryUrl,
                                            std::shared_ptr<spdlog::logger> logger) {
  std::unique_ptr<NatsNode> node(new NatsNode(settings));
  node->publisher_ = std::make_unique<JetStreamPublisher>(log, settings, primaryUrl, std::move(logger));
  return node;
}

std::unique_ptr<NatsNode> NatsNode::replica(store::EventLog& log, const StreamSettings& settings,
                                            std::shared_ptr<spdlog::logger> logger) {
  std::unique_ptr<NatsNode> node(new NatsNode(settings));
  node->follower_ = std::make_unique<ReplicaFollower>(log, settings, std::move(logger));
  return node;
}

NatsNode::~NatsNode() { stop(); }

Status NatsNode::start() { return publisher_ ? publisher_->start() : follower_->start(); }

void NatsNode::stop() {
  if (publisher_) publisher_->stop();
  if (follower_) follower_->stop();
}

std::string NatsNode::writeRefusal() const {
  const std::string primaryUrl = follower_ ? follower_->status().primaryUrl : std::string();
  return "this node is a read replica of " + settings_.url + " (stream " + settings_.stream +
         "): it refuses writes; send them to the primary" +
         (primaryUrl.empty() ? std::string(", the server publishing to that stream")
                             : " at " + primaryUrl);
}

std::string NatsNode::notReadyReason() const {
  if (!follower_) return {};
  const FollowerStatus s = follower_->status();
  if (!s.behindAGap()) return {};
  return "the replica is behind a gap in the stream at position " + std::to_string(s.applied) +
         " (" + s.problem + "); healing through re-publication";
}

std::string NatsNode::metrics() const {
  std::string out;
  auto line = [&out](const char* help, const char* type, const std::string& name,
                     std::uint64_t value) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           std::to_string(value) + "\n";
  };
  if (publisher_) {
    const PublisherStatus s = publisher_->status();
    line("Events in the log not yet acknowledged by JetStream.", "gauge",
         "parcours_nats_publish_lag_events", s.lag());
    line("The last position JetStream acknowledged.", "gauge", "parcours_nats_checkpoint_position",
         s.checkpoint);
    line("1 when connected to NATS.", "gauge", "parcours_nats_connected", s.connected ? 1 : 0);
    line("Messages JetStream stored.", "counter", "parcours_nats_published_total", s.published);
    line("Of which re-published for a consumer or after JetStream lost them.", "counter",
         "parcours_nats_republished_total", s.republished);
    line("Re-publish requests received from consumers.", "counter",
         "parcours_nats_republish_requests_total", s.republishRequests);
    line("Publishing windows that failed and were resumed from the stream's tail.", "counter",
         "parcours_nats_publish_failures_total", s.failures);
  }
  if (follower_) {
    const FollowerStatus s = follower_->status();
    line("The replica's position (its log's head).", "gauge", "parcours_replica_position",
         s.applied);
    line("1 while the replica is behind a gap or a refused message.", "gauge",
         "parcours_replica_behind_gap", s.behindAGap() ? 1 : 0);
    line("Gaps found in the stream.", "counter", "parcours_replica_gaps_total", s.gaps);
    line("Messages dropped as already applied.", "counter", "parcours_replica_duplicates_total",
         s.duplicates);
    line("Messages refused: not chaining onto the replica's log.", "counter",
         "parcours_replica_refused_total", s.refused);
    line("Re-publish requests sent to the primary.", "counter",
         "parcours_replica_republish_requests_total", s.republishRequests);
  }
  return out;
}

nlohmann::json NatsNode::status() const {
  nlohmann::json out{{"url", settings_.url}, {"stream", settings_.stream}};
  if (publisher_) {
    const PublisherStatus s = publisher_->status();
    out["role"] = "primary";
    out["publisher"] = {{"state", s.state},         {"connected", s.connected},
                        {"checkpoint", s.checkpoint}, {"head", s.head},
                        {"lag", s.lag()},           {"streamLastSequence", s.streamLastSeq},
                        {"published", s.published}, {"republished", s.republished},
                        {"duplicates", s.duplicates},
                        {"republishRequests", s.republishRequests},
                        {"failures", s.failures},   {"lastError", s.lastError}};
  }
  if (follower_) {
    const FollowerStatus s = follower_->status();
    out["role"] = "replica";
    out["replica"] = {{"state", s.state},         {"position", s.applied},
                      {"streamSequence", s.streamSeq}, {"duplicates", s.duplicates},
                      {"gaps", s.gaps},           {"refused", s.refused},
                      {"republishRequests", s.republishRequests},
                      {"problem", s.problem},     {"primary", s.primaryUrl}};
  }
  return out;
}

}  // namespace parcours::adapters::nats
