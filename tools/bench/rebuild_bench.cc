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
#include "workflow_log.h"
#include "parcours/workflows/views.h"
#include "raw_db.h"
#include "workload.h"

namespace parcours::bench {
namespace {

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

}  // namespace

Result<std::vector<Figure>> runRebuild(const Settings& s, const Logger& logger) {
  ScratchDir dir(s, "bench-rebuild");
  auto events = populateWorkflowLog(dir.path(), s.rebuildEvents, logger);
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
