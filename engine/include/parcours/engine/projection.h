// Projections: views computed from the global log, kept in their own table,
// with their checkpoint written in the same batch as the rows it covers.
//
// Each projection lives in a table "proj.<name>.<generation>". A rebuild
// fills a new generation from position 0 while the old one keeps serving,
// then switches the registry to it in one write and drops the old one; a
// crash mid-rebuild leaves the old generation active and the half-built one
// is dropped on the next open. Rows are a pure function of the events, so a
// rebuilt view is byte-identical to the live one at the same checkpoint.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "parcours/store/event_log.h"
#include "parcours/store/result.h"
#include "parcours/store/table.h"

namespace spdlog {
class logger;
}

namespace parcours::engine {

class Projection {
 public:
  virtual ~Projection() = default;
  // Stable name, [A-Za-z0-9_.:-]; part of the table name.
  virtual std::string_view name() const = 0;
  // Bump when the rows' shape or meaning changes: a stored view of another
  // version is rebuilt when the runner opens.
  virtual int version() const = 0;
  // Folds one event into the rows. Must be deterministic (no clock, no
  // randomness, no I/O but `rows`). Keys starting with byte 0x00 are the
  // runtime's (the checkpoint) and refused. The event is seen in place
  // (valid during the call only), so a rebuild copies nothing.
  virtual Status apply(const store::EventView& event, store::TableBatch& rows) = 0;
  // Called after the last apply() of each commit, before the commit: a
  // projection that keeps rows in memory between events writes the ones
  // that changed here, once per commit instead of once per event. If the
  // commit then fails, the runner starts again from its checkpoint, and the
  // projection must notice the break in positions and forget its memory.
  virtual Status flush(store::TableBatch& rows) {
    (void)rows;
    return okStatus();
  }
};

// Told (position, head) as a rebuild or a catch-up advances.
using ProgressFn = std::function<void(store::Position done, store::Position head)>;

class ProjectionRunner {
 public:
  ProjectionRunner(store::EventLog& log, Projection& projection,
                   std::shared_ptr<spdlog::logger> logger);
  ~ProjectionRunner();

  // Finds or creates the active generation; drops leftovers of an
  // interrupted rebuild; rebuilds when the stored version is not the code's.
  Status open(const ProgressFn& progress = {});

  // Applies every durable event past the checkpoint. Returns the checkpoint.
  Result<store::Position> catchUp(const ProgressFn& progress = {});

  // Builds a new generation from position 0 up to the head, then switches
  // readers to it. Returns its checkpoint.
  Result<store::Position> rebuild(const ProgressFn& progress = {});

  // The position of the last event the view reflects.
  store::Position checkpoint() const { return checkpoint_.load(); }

  // The active generation's table, for readers. Keys starting with 0x00 are
  // not rows.
  std::shared_ptr<store::Table> table() const;

  // Follows the log in a background thread until stop() (or destruction):
  // woken by the log's head notifications, never polling the store.
  void startLive();
  void stop();

  // The last error the live thread met (it then waits for the next event).
  std::optional<Error> lastLiveError() const;

 private:
  // Applies and commits from `checkpoint` + 1 to the head, batch by batch;
  // `checkpoint` follows each commit, so it is right even on error.
  Status applyFrom(store::Table& table, store::Position& checkpoint, const ProgressFn& progress);
  Result<store::Position> readCheckpoint(const store::Table& table) const;
  std::string generationTable(std::uint64_t generation) const;

  store::EventLog& log_;
  Projection& projection_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<store::Table> registry_;

  mutable std::mutex mutex_;              // one writer of the view at a time
  std::shared_ptr<store::Table> active_;  // guarded by mutex_ (for swapping)
  std::uint64_t generation_ = 0;          // guarded by mutex_
  std::atomic<store::Position> checkpoint_{0};

  std::thread live_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex errorMutex_;
  std::optional<Error> liveError_;  // guarded by errorMutex_
};

// Every row of a table, checkpoint included, in key order: for comparing a
// live view with a rebuilt one.
Result<std::vector<store::Row>> dumpTable(const store::Table& table);

}  // namespace parcours::engine
