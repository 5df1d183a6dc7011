// The webhook subscriptions, each one's cursor (the last position it has
// dealt with: delivered with a 2xx, or dead-lettered) and its dead letters,
// kept in the store's "webhooks" table beside the log — never in the log,
// which is published to integrators and must not carry the secrets.
//
// Keys: "s/<id>" the subscription (JSON), "c/<id>" its cursor (decimal),
// "d/<id>/<position, 20 digits>" a dead letter (JSON), "r/<id>" a replay
// asked for and not yet begun.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "../src/api.h"
#include "parcours/store/event_log.h"
#include "parcours/store/table.h"

namespace parcours::adapters::webhooks {

struct Subscription {
  std::string id;   // "wh_" + 16 hex digits
  std::string url;  // http://host[:port]/path
  EventFilter filter;
  std::string secret;  // whsec_...
  std::string description;
  std::string createdAt;  // RFC 3339 UTC
};

// An event given up on (retried for --webhook-retry-for), or parked behind
// an earlier dead letter of the same stream so that the stream's order
// holds: a parked event is never attempted before the one it waits behind.
struct DeadLetter {
  store::Position position = 0;
  std::string streamId;
  std::string type;
  std::uint32_t attempts = 0;       // 0 for a parked event
  std::string lastError;            // what the last attempt got
  std::string deadAt;               // RFC 3339 UTC
  store::Position parkedBehind = 0;  // the dead letter it waits behind, 0: none
};

// The subscription as the API shows it (never its secret).
nlohmann::json toJson(const Subscription& subscription);
nlohmann::json toJson(const DeadLetter& letter);

class WebhookStore {
 public:
  static Result<std::unique_ptr<WebhookStore>> open(store::EventLog& log);

  // A new subscription, its cursor at `cursor`.
  Status create(const Subscription& subscription, store::Position cursor);
  Result<std::optional<Subscription>> find(const std::string& id) const;
  Result<std::vector<Subscription>> list() const;
  // The subscription, its cursor, dead letters and replay request.
  Status remove(const std::string& id);

  Result<store::Position> cursor(const std::string& id) const;
  Status setCursor(const std::string& id, store::Position cursor);

  // Records (or updates) a dead letter; with `moveCursor`, moves the
  // cursor to it in the same batch.
  Status deadLetter(const std::string& id, const DeadLetter& letter, bool moveCursor);
  Status forgetDeadLetter(const std::string& id, store::Position position);
  // In position order, after `after`, at most `limit`.
  Result<std::vector<DeadLetter>> deadLetters(const std::string& id, store::Position after,
                                              std::size_t limit) const;

  Status requestReplay(const std::string& id);
  Result<bool> replayRequested(const std::string& id) const;
  Status clearReplay(const std::string& id);

 private:
  explicit WebhookStore(std::shared_ptr<store::Table> table) : table_(std::move(table)) {}
  std::shared_ptr<store::Table> table_;
};

// Now, RFC 3339 UTC.
std::string webhookNow();

}  // namespace parcours::adapters::webhooks
