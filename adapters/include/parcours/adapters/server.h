// `parcours serve`: one process, one engine (the event log, the workflow
// service, the views), two listeners on kj's event loop — the HTTP/JSON API
// with its live event stream and dashboard, and the Cap'n Proto RPC API.
//
// SIGTERM or SIGINT: stop accepting, end live streams, finish the commands
// in flight (their events are durable before they are answered), stop the
// views, close the store, exit 0. A restart resumes exactly: everything is
// in the log, and the views catch up from their checkpoints.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "parcours/adapters/webhook_settings.h"

namespace spdlog {
class logger;
}

namespace parcours::adapters {

struct ServeOptions {
  std::string dataDir;
  // The key store sealing the applicants' contacts (engine/key_store.h),
  // made when missing; empty: none, and submitted contacts are dropped.
  std::string keysDir;
  std::string httpAddress = "127.0.0.1:8080";  // port 0: any free port
  std::string rpcAddress = "127.0.0.1:8081";
  std::string tokensFile;
  std::string portFile;  // written once listening: {"http": ..., "rpc": ...}
  std::size_t commandWorkers = 64;
  // Open HTTP connections; past it, 503 (the default is
  // adapters/src/server_limits.h's httpConnectionsMax).
  std::size_t httpConnectionsMax = 1024;
  // NATS JetStream (docs/nats.md, docs/scaling.md). `natsUrl`: publish the
  // log there (a primary). `replicaOf`: be a read replica following the
  // stream there instead (the two exclude each other).
  std::string natsUrl;
  std::string replicaOf;
  std::string natsStream = "PARCOURS";
  std::string natsSubjectPrefix = "parcours";
  int natsReplicas = 1;  // the stream's JetStream replicas, when it is made
  // The URL a replica names as its primary; default: http://<--http>.
  std::string advertiseUrl;
  WebhookSettings webhooks;  // --webhook-retry-for, --webhook-backoff-*
  // Documents (docs/documents.md): the largest file, and the most a
  // dossier's documents may take together, whatever a form allows.
  std::uint64_t documentMaxBytes = 20ULL << 20;
  std::uint64_t dossierDocumentsMaxBytes = 200ULL << 20;
};

// Runs until SIGTERM or SIGINT. Returns the process exit code (0 after a
// clean shutdown, else the exit code of the error that stopped it, which
// is also logged and printed to stderr).
int serve(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger);

}  // namespace parcours::adapters
