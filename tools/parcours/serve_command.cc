// `parcours serve`: the HTTP/JSON API, the live event stream, the dashboard
// and the Cap'n Proto RPC API over the store at --data (adapters/server.h).
#include <array>
#include <memory>

#include "commands.h"
#include "parcours/workflows/limits.h"
#include "output.h"
#include "parcours/adapters/server.h"
#include "store_access.h"

namespace parcours::cli {

void addServeCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<adapters::ServeOptions>();
  CLI::App* command = app.add_subcommand(
      "serve", "Serve the store: HTTP/JSON API, live events (SSE), dashboard, Cap'n Proto RPC");
  command->footer(
      "\nBinds to 127.0.0.1 unless told otherwise; port 0 takes any free port (see\n"
      "--port-file). Every /v1 request needs `Authorization: Bearer <token>`, a token of\n"
      "the --tokens file (make them with `parcours token add`). The dashboard is at /;\n"
      "the API is described in docs/http-api.md and at /v1/openapi.json.\n"
      "SIGTERM or Ctrl-C: stop accepting, finish the commands in flight, exit 0.\n"
      "--nats publishes every event to JetStream (docs/nats.md); --replica-of makes a\n"
      "read-only node fed from it (docs/scaling.md). Every answer carries\n"
      "Parcours-Position, the position it reflects.\n" +
      helpFooter("parcours --data ./data --log-level info serve --tokens tokens.json "
                 "--http 127.0.0.1:8080 --rpc 127.0.0.1:8081"));
  command->add_option("--http", options->httpAddress, "Address of the HTTP/JSON API")
      ->capture_default_str();
  command->add_option("--rpc", options->rpcAddress, "Address of the Cap'n Proto RPC API")
      ->capture_default_str();
  command->add_option("--tokens", options->tokensFile, "Tokens file (hashed bearer tokens)")
      ->envname("PARCOURS_TOKENS")
      ->required();
  command->add_option("--port-file", options->portFile,
                      "Write {\"http\": ADDR, \"rpc\": ADDR} here once listening");
  command
      ->add_option("--workers", options->commandWorkers,
                   "Threads running commands (they wait on fsync together)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  command
      ->add_option("--document-max-bytes", options->documentMaxBytes,
                   "The largest document an applicant may upload, whatever the form allows")
      ->check(CLI::Range(std::uint64_t{1}, workflows::documentBytesCeiling))
      ->capture_default_str();
  command
      ->add_option("--dossier-documents-max-bytes", options->dossierDocumentsMaxBytes,
                   "The most a dossier's documents may take together")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
      ->capture_default_str();
  command
      ->add_option("--max-connections", options->httpConnectionsMax,
                   "Open HTTP connections; one more is answered 503 with Retry-After")
      ->check(CLI::Range(1, 65536))
      ->capture_default_str();
  // NATS JetStream (docs/nats.md, docs/scaling.md).
  command
      ->add_option("--nats", options->natsUrl,
                   "Publish the log to JetStream at this URL (nats://host:port, a cluster: "
                   "comma-separated)")
      ->envname("PARCOURS_NATS");
  command
      ->add_option("--replica-of", options->replicaOf,
                   "Be a read replica: rebuild the store from the JetStream stream at this URL "
                   "and serve reads; writes are refused")
      ->envname("PARCOURS_REPLICA_OF")
      ->excludes("--nats");
  command->add_option("--nats-stream", options->natsStream, "The JetStream stream's name")
      ->envname("PARCOURS_NATS_STREAM")
      ->capture_default_str();
  command
      ->add_option("--nats-subject-prefix", options->natsSubjectPrefix,
                   "First token of every subject: <prefix>.<campaign>.<type>.<dossier>")
      ->envname("PARCOURS_NATS_SUBJECT_PREFIX")
      ->capture_default_str();
  command
      ->add_option("--nats-replicas", options->natsReplicas,
                   "JetStream replicas of the stream when parcours creates it (1, 3 or 5)")
      ->envname("PARCOURS_NATS_REPLICAS")
      ->check(CLI::Range(1, 5))
      ->capture_default_str();
  command
      ->add_option("--advertise", options->advertiseUrl,
                   "The URL replicas name as this primary (default: http://<--http>)")
      ->envname("PARCOURS_ADVERTISE");
  // Webhook deliveries (docs/webhooks.md): durations as 250ms, 30s, 5m, 24h, 2d.
  auto webhookFlags = std::make_shared<std::array<std::string, 3>>(std::array<std::string, 3>{
      "24h", "1s", "5m"});
  command
      ->add_option("--webhook-retry-for", (*webhookFlags)[0],
                   "Retry a webhook event this long, then dead-letter it")
      ->envname("PARCOURS_WEBHOOK_RETRY_FOR")
      ->capture_default_str();
  command
      ->add_option("--webhook-backoff-initial", (*webhookFlags)[1],
                   "Wait before a webhook's second attempt (doubles, with jitter)")
      ->envname("PARCOURS_WEBHOOK_BACKOFF_INITIAL")
      ->capture_default_str();
  command
      ->add_option("--webhook-backoff-max", (*webhookFlags)[2],
                   "Longest wait between two webhook attempts")
      ->envname("PARCOURS_WEBHOOK_BACKOFF_MAX")
      ->capture_default_str();
  command->callback([options, webhookFlags, &run] {
    run = [options, webhookFlags](const Context& context) {
      adapters::ServeOptions resolved = *options;
      const char* webhookFlagNames[] = {"--webhook-retry-for", "--webhook-backoff-initial",
                                        "--webhook-backoff-max"};
      std::uint64_t* webhookMillis[] = {&resolved.webhooks.retryForMillis,
                                        &resolved.webhooks.backoffInitialMillis,
                                        &resolved.webhooks.backoffMaxMillis};
      for (std::size_t i = 0; i < 3; ++i) {
        auto millis = adapters::parseWebhookDuration(webhookFlagNames[i], (*webhookFlags)[i]);
        if (!millis) return reportError(millis.error());
        *webhookMillis[i] = *millis;
      }
      resolved.dataDir = context.dataDir;
      // --keys, else beside the store; serve itself says --data is required.
      if (!context.dataDir.empty()) {
        auto keys = keyStoreDir(context);
        if (!keys) return reportError(keys.error());
        resolved.keysDir = *keys;
      }
      return adapters::serve(resolved, context.logger);
    };
  });
}

}  // namespace parcours::cli
