// The webhook operations, once for every door (HTTP under /v1/webhooks, the
// CLI over RPC or on a data directory): each checks the caller's role, reads
// or writes the WebhookStore, and tells the deliverer when one runs.
// Bodies and answers are JSON objects (docs/webhooks.md).
#pragma once

#include <kj/async-io.h>
#include <kj/timer.h>
#include <spdlog/logger.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "../src/event_feed.h"
#include "../src/server_limits.h"
#include "parcours/adapters/tokens.h"
#include "parcours/adapters/webhook_settings.h"
#include "webhook_deliverer.h"
#include "webhook_store.h"

namespace parcours::adapters::webhooks {

class WebhookService {
 public:
  // `deliverer`: nullptr when no server runs (the CLI on --data); a
  // `parcours serve` started later picks the changes up.
  WebhookService(store::EventLog& log, WebhookStore& store, WebhookDeliverer* deliverer);

  // {"url", "filter": {"types", "campaign", "stream"}, "secret", "description",
  //  "after"}: the new subscription with its secret (generated when not given).
  Result<nlohmann::json> create(const Principal& who, std::string_view body);
  Result<nlohmann::json> list(const Principal& who) const;
  Result<nlohmann::json> show(const Principal& who, const std::string& id) const;
  Result<nlohmann::json> remove(const Principal& who, const std::string& id);
  Result<nlohmann::json> deadLetters(const Principal& who, const std::string& id,
                                     store::Position after, std::size_t limit) const;
  Result<nlohmann::json> replay(const Principal& who, const std::string& id);

  // The subscription whose events a receiver re-reads (the cursor API):
  // administrators, auditors and integrators, as for the global log.
  Result<Subscription> readable(const Principal& who, const std::string& id) const;

  // One operation by name, for the RPC method and the CLI: "create",
  // "list", "show", "remove", "dead-letters" (body {"after", "limit"}),
  // "replay". The answer as JSON text.
  Result<std::string> call(const Principal& who, const std::string& operation,
                           const std::string& id, const std::string& body);

  std::string renderMetrics() const;

 private:
  Result<Subscription> existing(const std::string& id) const;

  store::EventLog& log_;
  WebhookStore& store_;
  WebhookDeliverer* deliverer_;
};

// What `parcours serve` holds: the store, the deliverer, the service.
class WebhookRuntime {
 public:
  static Result<std::unique_ptr<WebhookRuntime>> start(store::EventLog& log, EventFeed& feed,
                                                       kj::Timer& timer, kj::Network& network,
                                                       const WebhookSettings& settings,
                                                       std::shared_ptr<spdlog::logger> logger);
  WebhookService& service() { return *service_; }
  // Ends the deliveries (shutdown); the cursors stay as the last 2xx left them.
  void stop() { deliverer_->stop(); }

 private:
  std::unique_ptr<WebhookStore> store_;
  std::unique_ptr<WebhookDeliverer> deliverer_;
  std::unique_ptr<WebhookService> service_;
};

// Administrator only: everything here but the cursor API.
Status mayManageWebhooks(const Principal& who);

}  // namespace parcours::adapters::webhooks
