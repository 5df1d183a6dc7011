// `parcours bench rebuild`: rebuild the three views (dossiers, audit,
// campaigns) from position 0 over a log of --rebuild-events events, against
// a raw RocksDB iteration over the same log's events in the same run: the
// least any rebuild must do (read every event once).
//
// The log is made through the workflow service, so its events are real
// domain events: campaigns of 1,000 dossiers, each campaign's dossiers
// taken through one phase after another (all submitted, then all declared
// eligible, then each juror's scores, then scoring closed), as calls run.
#include <rocksdb/db.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "../common/progress.h"
#include "bench_campaign.h"
#include "parcours/workflows/views.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

constexpr std::size_t dossiersPerCampaign = 1000;
constexpr int fillThreads = 2;

// Fills the log with at least `events` events; returns how many it holds.
Result<store::Position> populate(const Settings& s, const std::filesystem::path& path,
                                 const Logger& logger) {
  store::Options options;
  options.path = path.string();
  options.sync = false;  // bulk import: the figure is the rebuild's, not the fill's
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  engine::ManualClock clock(engine::fromMicros(benchNowMicros));
  workflows::Workflow workflow(**log, clock);

  const std::size_t eventsPerCampaign = 2 + 5 * dossiersPerCampaign;
  const std::size_t campaigns = (s.rebuildEvents + eventsPerCampaign - 1) / eventsPerCampaign;
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
  if (failed) return Error::ioError("bench rebuild: filling the log failed: " + failure);
  progress.finish();
  return (*log)->head();
}

// Seconds to rebuild every view over the whole log.
Result<double> rebuildSeconds(const std::filesystem::path& path, const Logger& logger) {
  store::Options options;
  options.path = path.string();
  auto log = store::EventLog::open(options, logger);
  if (!log) return std::move(log).takeError();
  auto views = workflows::Views::open(**log, logger);  // builds them once
  if (!views) return std::move(views).takeError();
  const auto start = Clock::now();
  // When each view reached the head (they rebuild in parallel): in the log
  // at --log-level info, to see which one sets the pace.
  const store::Position head = (*log)->head();
  auto rebuilt =
      (*views)->rebuild([&](std::string_view view, store::Position done, store::Position) {
        if (done == head)
          logger->info("bench rebuild: view {} done in {:.2f} s", view, secondsSince(start));
      });
  const double seconds = secondsSince(start);
  if (!rebuilt) return std::move(rebuilt).takeError();
  if (*rebuilt != (*log)->head()) {
    return Error::bug("bench rebuild: the views reached " + std::to_string(*rebuilt) +
                      ", not the head " + std::to_string((*log)->head()));
  }
  return seconds;
}

// Seconds for raw RocksDB to read every event of the same log once.
Result<double> rawScanSeconds(const std::filesystem::path& path, store::Position events) {
  std::vector<std::string> families;
  if (auto st = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path.string(), &families);
      !st.ok()) {
    return Error::ioError("bench rebuild: " + st.ToString());
  }
  families.erase(std::remove(families.begin(), families.end(), rocksdb::kDefaultColumnFamilyName),
                 families.end());
  const auto events_family = std::find(families.begin(), families.end(), "events");
  if (events_family == families.end()) {
    return Error::bug("bench rebuild: the log has no events column family");
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
  if (!it->status().ok()) return Error::ioError("bench rebuild: " + it->status().ToString());
  if (seen != events || bytes == 0) {
    return Error::bug("bench rebuild: raw scan saw " + std::to_string(seen) + " events, not " +
                      std::to_string(events));
  }
  return seconds;
}

}  // namespace

Result<std::vector<Figure>> runRebuild(const Settings& s, const Logger& logger) {
  ScratchDir dir(s, "bench-rebuild");
  auto events = populate(s, dir.path(), logger);
  if (!events) return std::move(events).takeError();
  const double count = static_cast<double>(*events);
  Figure f = makeFigure("rebuild." + std::to_string(*events),
                        "rebuild the dossiers, audit and campaigns views from position 0 over " +
                            std::to_string(*events) + " workflow events",
                        "events/s");
  f.rawDescription = "raw RocksDB iterating the same log's events once, same run";
  f.target = Target{">= 200,000 events/s", 200000.0, {}, {}, {}};
  auto per_second = [&](Result<double> seconds) -> Result<double> {
    if (!seconds) return seconds;
    return count / *seconds;
  };
  if (auto st = measurePair(
          f, s.runs, [&] { return per_second(rebuildSeconds(dir.path(), logger)); },
          [&] { return per_second(rawScanSeconds(dir.path(), *events)); });
      !st) {
    return st.error();
  }
  return std::vector<Figure>{std::move(f)};
}

}  // namespace parcours::bench
