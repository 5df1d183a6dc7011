// Delivers each webhook subscription's events on serve's kj event loop.
//
// One independent loop per subscription, reading the EventFeed (the SSE
// stream's mechanism and JSON) from its cursor: it sends one event at a
// time, in log order, and moves the cursor past it only on a 2xx (or once
// the event is dead-lettered), so delivery is at least once and in order
// per dossier. A failed attempt is retried with exponential backoff and
// jitter for WebhookSettings::retryForMillis, then the event becomes a
// dead letter and its stream is blocked: the subscription's later events
// of that stream are parked behind it, in order, until a replay delivers
// them. Each loop has its own HTTP client and its own timers, so a slow or
// dead receiver holds up only its own subscription; appends and commands
// never wait for any of them (the feed is read, never waited on, by the
// log's writers).
#pragma once

#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <kj/timer.h>
#include <spdlog/logger.h>

#include <map>
#include <memory>
#include <string>

#include "../src/event_feed.h"
#include "parcours/adapters/webhook_settings.h"
#include "webhook_store.h"

namespace parcours::adapters::webhooks {

// What a subscription's loop has done since the server started.
struct DeliveryCounters {
  std::uint64_t delivered = 0;    // events answered with a 2xx
  std::uint64_t failures = 0;     // attempts that failed (non-2xx, refused, timed out)
  std::uint64_t retries = 0;      // attempts after an event's first
  std::uint64_t deadLettered = 0;  // events given up on
  std::uint64_t parked = 0;       // events parked behind a dead letter
  store::Position cursor = 0;     // the last position dealt with
};

class WebhookDeliverer {
 public:
  WebhookDeliverer(store::EventLog& log, EventFeed& feed, WebhookStore& store, kj::Timer& timer,
                   kj::Network& network, WebhookSettings settings,
                   std::shared_ptr<spdlog::logger> logger);
  ~WebhookDeliverer();

  // A loop for every stored subscription. Call on the event loop's thread.
  Status start();
  void added(const Subscription& subscription, store::Position cursor);
  void removed(const std::string& id);
  // A replay was recorded in the store: the loop takes it up as soon as
  // the event in hand is settled.
  void replayRequested(const std::string& id);
  // Ends every loop (shutdown): the cursors stay where the last 2xx left them.
  void stop();

  std::optional<DeliveryCounters> counters(const std::string& id) const;
  // The webhook families of /metrics (Prometheus text).
  std::string renderMetrics(store::Position head) const;
  const WebhookSettings& settings() const { return settings_; }

 private:
  class Loop;
  friend class Loop;

  store::EventLog& log_;
  EventFeed& feed_;
  WebhookStore& store_;
  kj::Timer& timer_;
  kj::Network& network_;
  const WebhookSettings settings_;
  std::shared_ptr<spdlog::logger> logger_;
  kj::HttpHeaderTable headerTable_;
  std::map<std::string, kj::Own<Loop>> loops_;
};

}  // namespace parcours::adapters::webhooks
