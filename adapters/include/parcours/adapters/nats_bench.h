// What `parcours bench nats` measures of the NATS side (tools/bench/
// nats_bench.cc), behind a facade so the bench needs no NATS header: the
// JetStream publisher and the read replica's follower of `parcours serve`,
// run in-process against a real nats-server.
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "parcours/store/event_log.h"

namespace parcours::adapters {

// Publishes the whole of `log` to `stream` (deleted first, then made by
// the publisher) and waits for JetStream to acknowledge its head: seconds.
Result<double> benchPublishAll(store::EventLog& log, const std::string& url,
                               const std::string& stream, std::shared_ptr<spdlog::logger> logger);

struct LivePublishRun {
  std::uint64_t appended = 0;   // events appended (durably) during the run
  std::uint64_t published = 0;  // events JetStream acknowledged during the run
  double seconds = 0;
  std::uint64_t maxLag = 0;     // the most events ever waiting, sampled every 10 ms
  double drainSeconds = 0;      // after the appenders stop, until the lag is 0
};
// `appenders` threads append durably (batches of 50 events) to `log` for
// `seconds`, `eventsPerSecond` in all (paced), while the publisher
// publishes them to `stream` (deleted first).
Result<LivePublishRun> benchPublishWhileAppending(store::EventLog& log, const std::string& url,
                                                  const std::string& stream, double seconds,
                                                  int appenders, double eventsPerSecond,
                                                  std::shared_ptr<spdlog::logger> logger);

// A read replica following `stream` into a new log at `replicaPath` until
// its head is `events` (the stream must hold them): seconds.
Result<double> benchReplicaCatchUp(const std::filesystem::path& replicaPath, const std::string& url,
                                   const std::string& stream, store::Position events,
                                   std::shared_ptr<spdlog::logger> logger);

}  // namespace parcours::adapters
