#include "workflow_log.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "../common/progress.h"
#include "bench_campaign.h"
#include "parcours/workflows/workflow.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

constexpr std::size_t dossiersPerCampaign = 1000;
constexpr int fillThreads = 2;

}  // namespace

// Fills the log with at least `events` events; returns how many it holds.
Result<store::Position> populateWorkflowLog(const std::filesystem::path& path, std::size_t events,
                                            const Logger& logger) {
  store::Options options;
  options.path = path.string();
  options.sync = false;  // bulk import: the figures are the readers', not the fill's
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  engine::ManualClock clock(engine::fromMicros(benchNowMicros));
  workflows::Workflow workflow(**log, clock);

  const std::size_t eventsPerCampaign = 2 + 5 * dossiersPerCampaign;
  const std::size_t campaigns = (events + eventsPerCampaign - 1) / eventsPerCampaign;
  cli::ProgressBar progress("filling the log", campaigns * eventsPerCampaign);
  std::atomic<std::size_t> nextCampaign{0};
  std::atomic<bool> failed{false};
  std::string failure;
  std::vector<std::thread> fillers;
  for (int t = 0; t < fillThreads; ++t) {
    fillers.emplace_back([&] {
      const workflows::CommandContext context{{"", "bench", "", ""}, "bench"};
      for (std::size_t c = nextCampaign++; c < campaigns && !failed; c = nextCampaign++) {
        const std::string campaignId = "bench-" + std::to_string(c);
        auto fail = [&](const Error& e) {
          if (!failed.exchange(true)) failure = e.message;
        };
        if (auto st = openBenchCampaign(workflow, campaignId); !st) return fail(st.error());
        const auto script = benchDossierScript(campaignId);
        for (const auto& command : script) {
          for (std::size_t d = 0; d < dossiersPerCampaign; ++d) {
            const std::string dossierId = campaignId + "-d" + std::to_string(d);
            if (auto r = workflow.dossier(dossierId, command, context); !r) return fail(r.error());
          }
        }
        if (t == 0) progress.update((*log)->head());
      }
    });
  }
  for (auto& f : fillers) f.join();
  if (failed) return Error::ioError("bench: filling the log failed: " + failure);
  progress.finish();
  return (*log)->head();
}


// Seconds for raw RocksDB to read every event of the same log once.
Result<double> rawScanSeconds(const std::filesystem::path& path, store::Position events) {
  std::vector<std::string> families;
  if (auto st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &families);
      !st.ok()) {
    return Error::ioError("bench: " + st.ToString());
  }
  families.erase(std::remove(families.begin(), families.end(), rocksdb::kDefaultColumnFamilyName),
                 families.end());
  const auto events_family = std::find(families.begin(), families.end(), "events");
  if (events_family == families.end()) {
    return Error::bug("bench: the log has no events column family");
  }
  auto raw = RawDb::open(path, families);
  if (!raw) return std::move(raw).takeError();
  const auto start = Clock::now();
  rocksdb::ReadOptions read;
  read.verify_checksums = true;  // as the log's own reads do
  std::unique_ptr<rocksdb::Iterator> it(
      (*raw)->db().NewIterator(read, (*raw)->family(events_family - families.begin())));
  std::uint64_t seen = 0, bytes = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    bytes += it->value().size();
    ++seen;
  }
  const double seconds = secondsSince(start);
  if (!it->status().ok()) return Error::ioError("bench: " + it->status().ToString());
  if (seen != events || bytes == 0) {
    return Error::bug("bench: raw scan saw " + std::to_string(seen) + " events, not " +
                      std::to_string(events));
  }
  return seconds;
}


}  // namespace parcours::bench
