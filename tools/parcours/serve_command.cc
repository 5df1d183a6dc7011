// `parcours serve`: the HTTP/JSON API, the live event stream, the dashboard
// and the Cap'n Proto RPC API over the store at --data (adapters/server.h).
#include <memory>

#include "commands.h"
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
      "SIGTERM or Ctrl-C: stop accepting, finish the commands in flight, exit 0.\n" +
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
  command->callback([options, &run] {
    run = [options](const Context& context) {
      adapters::ServeOptions resolved = *options;
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
