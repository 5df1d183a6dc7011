// A log of real workflow events for the workloads that read one (rebuild,
// audit), and raw RocksDB's scan of it: the least any reader must do.
#pragma once

#include <filesystem>

#include "bench.h"
#include "parcours/store/types.h"

namespace parcours::bench {

// Fills the log at `path` with at least `events` events made through the
// workflow service: campaigns of 1,000 dossiers (bench_campaign.h), each
// taken through one phase after another. Unsynced (a bulk import: the
// figures are the readers'). Returns how many events the log holds.
Result<store::Position> populateWorkflowLog(const std::filesystem::path& path, std::size_t events,
                                            const Logger& logger);

// Seconds for raw RocksDB to read every event of the log at `path` once.
Result<double> rawScanSeconds(const std::filesystem::path& path, store::Position events);

}  // namespace parcours::bench
