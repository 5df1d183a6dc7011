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
};

// Runs until SIGTERM or SIGINT. Returns the process exit code (0 after a
// clean shutdown, else the exit code of the error that stopped it, which
// is also logged and printed to stderr).
int serve(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger);

}  // namespace parcours::adapters
