// `parcours bench webhook`: webhook deliveries per second, the deliverer of
// `parcours serve` sending every event of a workflow log, signed, to a
// receiver on loopback (adapters/webhook_bench.h), against raw RocksDB
// reading the same events in the same run. Built into the parcours command
// (it needs the adapters), not into the bench library.
#include <algorithm>

#include "bench.h"
#include "parcours/adapters/webhook_bench.h"
#include "workflow_log.h"

namespace parcours::bench {

Result<std::vector<Figure>> runWebhooks(const Settings& settings, const Logger& logger) {
  const auto path = settings.workDir / "webhook-log";
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  auto events = populateWorkflowLog(path, settings.webhookEvents, logger);
  if (!events) return events.error();
  Figure figure = makeFigure(
      "webhook.deliveries",
      "webhook deliveries to a loopback receiver: one subscription, signed, in log order, "
      "each waiting for its 2xx, cursor stored after each",
      "deliveries/s");
  figure.rawDescription = "raw RocksDB reading the same events in order";
  figure.target = Target{">= 1,000 deliveries/s", 1000.0, std::nullopt, std::nullopt,
                         std::nullopt};
  for (int run = 0; run < settings.runs; ++run) {
    auto delivered = adapters::benchWebhookDeliveries(path, logger);
    if (!delivered) return delivered.error();
    if (delivered->deliveries < *events) {
      return Error::bug("webhook bench: " + std::to_string(delivered->deliveries) + " of " +
                        std::to_string(*events) + " events delivered");
    }
    figure.runs.push_back(static_cast<double>(delivered->deliveries) / delivered->seconds);
    auto raw = rawScanSeconds(path, *events);
    if (!raw) return raw.error();
    figure.rawRuns.push_back(static_cast<double>(*events) / *raw);
  }
  finalize(figure);
  std::filesystem::remove_all(path, ec);
  return std::vector<Figure>{std::move(figure)};
}

}  // namespace parcours::bench
