// The single writer of the log: leader/follower group commit with a
// pipelined fsync.
//
// Callers queue their requests. The first caller to find no leader becomes
// the leader: it drains the queue, checks each request (expected versions,
// command id) against the log plus what this batch already staged, assigns
// positions and versions, and writes the whole batch in one RocksDB Write.
// Then leadership passes to the oldest waiting caller, if any.
//
// How the batch becomes durable: it is written unsynced, leadership passes
// on, and then the old leader syncs the WAL itself if no sync is under way,
// or queues the batch for the sync thread, whose next SyncWAL covers every
// batch written so far. Either way the fsync of batch N overlaps the
// preparation and insertion of batch N+1, and a lone appender pays one fsync
// and no thread hop.
// Every answer, refusals included, is released only after a sync that
// covers its batch and all before it, and the durable head is published
// first: a caller told "done" can read its events, and nobody reads an event
// a crash could take back.
//
// A failed write or sync turns the log read-only: everything not yet
// acknowledged fails with IoError ("outcome unknown, retry with the same
// command id"), and later appends are refused until the log is reopened.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "head_notifier.h"
#include "log_families.h"
#include "parcours/store/result.h"
#include "parcours/store/types.h"

namespace spdlog {
class logger;
}

namespace parcours::store {

class AppendWriter {
 public:
  // `tip`: the last event written and its hash. `readOnlyReason` non-empty:
  // the log was found damaged on open and refuses every append.
  AppendWriter(LogFamilies log, HeadNotifier& notifier, bool sync, bool hashChain,
               const ChainTip& tip, std::string readOnlyReason,
               std::shared_ptr<spdlog::logger> logger);
  // Callers must have returned from append(); answers what the sync thread
  // still holds, then stops it.
  ~AppendWriter();

  // Blocks until the request's batch is durable (or refused, or failed).
  // The request must already be validated.
  Result<AppendResult> append(AppendRequest request);

  bool readOnly() const;
  std::string readOnlyReason() const;
  LogStats stats() const;

 private:
  // One caller's request, living on its stack while it waits.
  struct Ticket {
    explicit Ticket(AppendRequest r) : request(std::move(r)) {}
    AppendRequest request;
    std::mutex mutex;
    std::condition_variable wake;
    bool lead = false;                           // guarded by mutex
    std::optional<Result<AppendResult>> answer;  // guarded by mutex
    std::optional<Result<AppendResult>> staged;  // the leader's, until released
  };
  // A written batch waiting for its fsync.
  struct StagedBatch {
    Position lastPosition = 0;  // head once this batch is durable
    std::vector<Ticket*> tickets;
  };
  // What the batch being built has already claimed.
  struct BatchView {
    std::unordered_map<std::string, StreamVersion> versions;
    std::unordered_map<std::string, AppendResult> commands;
  };

  // Leads one batch: takes queued tickets, stages and writes them, then
  // makes them durable or hands them to the sync thread.
  void leadOneBatch();
  void passLeadership();
  Result<AppendResult> stage(const AppendRequest& request, BatchView& view,
                             rocksdb::WriteBatch& batch, ChainTip& next);
  Result<StreamVersion> currentVersion(const std::string& streamId, const BatchView& view);
  bool claimSyncIfIdle();
  void releaseSync();
  void syncLoop();
  void syncAndFinish(std::deque<std::unique_ptr<StagedBatch>>& batches);
  void finish(StagedBatch& staged);
  void failAll(StagedBatch& staged, const std::string& why);
  static void answer(Ticket& ticket, Result<AppendResult> result);
  void enterReadOnly(const std::string& why);

  const LogFamilies log_;
  HeadNotifier& notifier_;
  const bool sync_;
  const bool hashChain_;
  const std::shared_ptr<spdlog::logger> logger_;

  // The leader's own state, handed from leader to leader under queueMutex_:
  // the last position written (durable or not) and a cache of stream
  // versions, exact because nobody else writes.
  Position lastWritten_;
  std::string lastHash_;  // the hash of the event at lastWritten_
  std::unordered_map<std::string, StreamVersion> versionCache_;
  std::atomic<std::uint64_t> batchesWritten_{0};
  std::atomic<std::uint64_t> requestsStaged_{0};
  std::array<std::atomic<std::uint64_t>, LogStats::batchBuckets.size() + 1> batchRequests_{};
  std::array<std::atomic<std::uint64_t>, LogStats::syncBucketsMicros.size() + 1> syncLatency_{};
  std::atomic<std::uint64_t> syncMicrosTotal_{0};

  mutable std::mutex queueMutex_;
  std::condition_variable queueNotFull_;
  std::deque<Ticket*> queue_;   // guarded by queueMutex_
  bool leaderActive_ = false;   // guarded by queueMutex_
  bool readOnly_ = false;       // guarded by queueMutex_
  std::string readOnlyReason_;  // guarded by queueMutex_

  std::mutex syncMutex_;
  std::condition_variable syncWanted_;
  std::deque<std::unique_ptr<StagedBatch>> syncQueue_;  // guarded by syncMutex_
  bool syncBusy_ = false;  // a sync is under way (either thread); guarded by syncMutex_
  bool stopping_ = false;  // guarded by syncMutex_
  std::atomic<std::uint64_t> syncs_{0};

  std::thread syncer_;
};

}  // namespace parcours::store
