// `parcours bench webhook`'s measurement (tools/bench/webhook_bench.cc):
// the deliverer of `parcours serve` sending every event of a store to a
// receiver on loopback, signed, one subscription, in log order.
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <filesystem>
#include <memory>

#include "parcours/store/result.h"

namespace parcours::adapters {

struct WebhookBenchRun {
  std::uint64_t deliveries = 0;  // events acknowledged with a 2xx
  double seconds = 0;            // from the subscription's creation to its cursor at the head
};

// Opens the store at `storePath`, subscribes a new webhook (from position 0)
// to an in-process kj HTTP receiver on 127.0.0.1 (its own thread and event
// loop; it answers 200), and waits until every event is delivered.
Result<WebhookBenchRun> benchWebhookDeliveries(const std::filesystem::path& storePath,
                                               std::shared_ptr<spdlog::logger> logger);

}  // namespace parcours::adapters
