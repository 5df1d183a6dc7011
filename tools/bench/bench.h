// `parcours bench`: each workload runs through parcours and through raw
// RocksDB with the same bytes and batch sizes, in the same run, so that the
// ratio says what parcours costs whatever the machine's mood.
#pragma once

#include <spdlog/logger.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::bench {

struct Settings {
  std::filesystem::path workDir;  // databases are made (and removed) here
  double seconds = 2.0;           // length of one run of a throughput workload
  int runs = 3;                   // each figure is the median of this many runs
  std::size_t payloadBytes = 256;
  // append: one durable throughput figure per count, `append.durable.N`:
  // N appenders, each on its own stream (64 also against raw batches of 64).
  std::vector<int> appenders = {64, 16};
  // read/scan: streams in the store; `hotStreams` of them hold
  // `hotStreamEvents` events (the ones read), the others `coldStreamEvents`.
  std::size_t streams = 100000;
  std::size_t hotStreams = 1000;
  std::size_t hotStreamEvents = 100;
  std::size_t coldStreamEvents = 4;
  std::size_t readsPerRun = 2000;
  std::uint64_t seed = 42;
  // command: concurrent commands on distinct dossiers.
  int commandThreads = 64;
  // rebuild: events in the log the projections are rebuilt from.
  std::size_t rebuildEvents = 1000000;
  // audit: events in the workflow log verified and time-travelled, and in
  // the log inclusion proofs are taken from.
  std::size_t auditEvents = 1000000;
  std::size_t proofEvents = 10000000;
  // webhook: events in the workflow log delivered to the loopback receiver.
  std::size_t webhookEvents = 20000;
  // backup: events in the workflow log backed up and restored.
  std::size_t backupEvents = 1000000;
  // nats: events in the workflow log published and replicated; the NATS
  // server's URL (empty: start nats-server on loopback for the run).
  std::size_t natsEvents = 1000000;
  std::string natsUrl;
  double natsRate = 20000;  // events/s the appenders make while the publisher keeps up
  // timers: pending timers scheduled in bulk (and held for the memory
  // figure), and the due backlog fired through the workflow.
  std::size_t timerCount = 1000000;
  std::size_t timerFireCount = 20000;
  // Only the benchmarks whose name contains this (empty: all).
  std::string filter;
};

// A target from the issue, checked against the measured figures.
struct Target {
  std::string text;  // as printed, e.g. ">= 40,000 events/s and >= 0.8x raw"
  std::optional<double> minValue, maxValue, minRatio, maxRatio;
  bool met(double value, double ratio) const;
};

struct Figure {
  std::string name;         // e.g. "append.durable.64"
  std::string description;  // one line for people
  std::string unit;         // "events/s" or "us"
  bool higherIsBetter = true;
  std::vector<double> runs, rawRuns;
  double value = 0, rawValue = 0;  // medians
  std::string rawDescription;      // what raw RocksDB did
  std::optional<Target> target;
  double ratio() const { return rawValue == 0 ? 0 : value / rawValue; }
};

using Logger = std::shared_ptr<spdlog::logger>;

Result<std::vector<Figure>> runAppend(const Settings& settings, const Logger& logger);
// Read and scan share one populated store.
Result<std::vector<Figure>> runReadAndScan(const Settings& settings, bool read, bool scan,
                                           const Logger& logger);

// The full command path (load, fold, decide in the dossier machine, append)
// against durable appends of the same run.
Result<std::vector<Figure>> runCommands(const Settings& settings, const Logger& logger);
// Applicants' draft saves (draft_bench.cc) against raw synced puts of the
// same size and concurrency.
Result<std::vector<Figure>> runDrafts(const Settings& settings, const Logger& logger);
// Documents stored and read back against raw file writes (fsynced) and
// reads, and the memory of 100 concurrent uploads (document_bench.cc).
Result<std::vector<Figure>> runDocuments(const Settings& settings, const Logger& logger);
// Rebuilding every projection over a populated log against a raw RocksDB
// scan of the same log.
Result<std::vector<Figure>> runRebuild(const Settings& settings, const Logger& logger);
// The auditors' features: the hash chain's cost, verify, time travel,
// inclusion proofs (audit_bench.cc).
Result<std::vector<Figure>> runAudit(const Settings& settings, const Logger& logger);
// Webhook deliveries to a loopback receiver (webhook_bench.cc, built into
// the parcours command: it needs the adapters).
Result<std::vector<Figure>> runWebhooks(const Settings& settings, const Logger& logger);
// The JetStream publisher and a read replica's catch-up (nats_bench.cc,
// built into the parcours command: it needs the adapters).
Result<std::vector<Figure>> runNats(const Settings& settings, const Logger& logger);

// `parcours backup` and `restore` against raw copies of the same files
// (backup_bench.cc).
Result<std::vector<Figure>> runBackup(const Settings& settings, const Logger& logger);

// Timers: bulk scheduling, the server's memory with them pending, firing a backlog, the
// lag at 1,000 due a second (timer_bench.cc).
Result<std::vector<Figure>> runTimers(const Settings& settings, const Logger& logger);

void printTable(const std::vector<Figure>& figures, const Settings& settings, std::ostream& out);
void printJsonLines(const std::vector<Figure>& figures, std::ostream& out);

// Helpers shared by the workloads.
Figure makeFigure(std::string name, std::string description, std::string unit,
                  bool higherIsBetter = true);
double median(std::vector<double> values);
double percentile(std::vector<double> values, double p);
void finalize(Figure& figure);  // fills value/rawValue from the runs

}  // namespace parcours::bench
