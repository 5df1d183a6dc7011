// What the HTTP gateway and the RPC server share inside one `parcours serve`
// process: the one engine (log, workflow, views) behind the Api, the
// subscriptions' feed, the command workers, the tokens and the counters.
#pragma once

#include <kj/async.h>
#include <kj/timer.h>
#include <spdlog/logger.h>

#include <atomic>
#include <memory>

#include "api.h"
#include "command_pool.h"
#include "event_feed.h"
#include "metrics.h"
#include "parcours/adapters/tokens.h"

namespace parcours::engine {
class KeyStore;
}
namespace parcours::workflows {
class TimerService;  // workflows/timer_service.h
}

namespace parcours::adapters {

class Listener;

namespace nats {
class NatsNode;  // adapters/nats/nats_node.h
}
namespace webhooks {
class WebhookService;  // adapters/webhooks/webhook_service.h
}

struct ServerParts {
  Api& api;
  EventFeed& feed;
  CommandPool& pool;
  Metrics& metrics;
  TokenFile& tokens;  // read again when the file changes: revocation without restart
  workflows::Views& views;
  kj::Timer& timer;
  std::shared_ptr<spdlog::logger> logger;
  // Resolves when shutdown begins: live streams end, so draining can finish.
  kj::ForkedPromise<void>& shuttingDown;
  std::atomic<bool>& ready;
  // The webhook subscriptions (set by serve once they run; null until then).
  webhooks::WebhookService* webhooks = nullptr;
  // The NATS side of this node: a publishing primary, a read replica, or
  // none (null).
  nats::NatsNode* nats = nullptr;
  // The key store sealing contacts, when the server has one (for backups).
  engine::KeyStore* keys = nullptr;
  std::string dataDir = {};  // the store's directory (a backup's checkpoint is made beside it)
  // The campaigns' timers and their scheduler (null on a replica, which
  // fires nothing: the primary's firings reach it through the log).
  workflows::TimerService* timers = nullptr;
  // The HTTP listener's connection counts, for /metrics (null until set).
  const Listener* httpConnections = nullptr;
};

// `parcours backup` against a running server: backs up its data directory
// (the log with its views, the key store) into `to` (engine/backup.h), its
// checkpoints made beside the store. Returns the manifest as JSON text.
// Blocks for as long as the copy takes: call it on a worker.
Result<std::string> backupServerData(ServerParts& parts, const std::string& to);

// The exception a failed Status becomes on the RPC wire (and inside kj):
// its description starts with the error's code name ("not_found: ...").
kj::Exception toException(const Error& error);
// An exception's description without kj's "expected <condition>; " prefix:
// "Unknown field; field.getName() = bogus".
std::string kjMessage(const kj::Exception& exception);
// Back from an exception: the code name prefix if any, else Internal (a
// kj DISCONNECTED or OVERLOADED becomes IoError).
Error fromException(const kj::Exception& exception);

}  // namespace parcours::adapters
