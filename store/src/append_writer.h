// The single writer of the log: group commit with a pipelined fsync.
//
// Callers enqueue requests and block. The writer thread drains the queue,
// checks each request (expected versions, command id) against the log plus
// what this batch already staged, assigns positions and versions, and
// writes the whole batch with one RocksDB Write (WAL, not yet synced). It
// hands the batch to the sync thread and goes on with the next batch while
// the sync thread fsyncs the WAL (SyncWAL) — so the fsync of batch N overlaps
// the preparation and insertion of batch N+1. Every answer, refusals
// included, is released only after the sync that covers its batch, and the
// durable head is published first, so a caller that is told "done" can read
// its events, and nobody reads an event a crash could take back.
//
// A failed write or sync turns the log read-only: everything not yet
// acknowledged fails with IoError ("outcome unknown, retry with the same
// command id"), and later appends are refused until the log is reopened.
#pragma once

#include <condition_variable>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
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
  AppendWriter(LogFamilies log, HeadNotifier& notifier, bool sync, Position lastPosition,
               std::shared_ptr<spdlog::logger> logger);
  // Answers everything queued, then stops both threads.
  ~AppendWriter();

  // Blocks until the request's batch is durable (or refused, or failed).
  // The request must already be validated.
  Result<AppendResult> append(AppendRequest request);

  bool readOnly() const;

 private:
  struct Ticket {
    AppendRequest request;
    std::promise<Result<AppendResult>> answer;
  };
  struct Answer {
    Ticket* ticket;
    Result<AppendResult> result;
  };
  // A written batch waiting for its fsync.
  struct StagedBatch {
    Position lastPosition = 0;  // head once this batch is durable
    std::vector<Answer> answers;
    std::vector<std::unique_ptr<Ticket>> tickets;  // owns what answers point to
  };
  // What the batch being built has already claimed.
  struct BatchView {
    std::unordered_map<std::string, StreamVersion> versions;
    std::unordered_map<std::string, AppendResult> commands;
  };

  void writerLoop();
  void syncLoop();
  bool takeRequests(std::vector<std::unique_ptr<Ticket>>& out);
  Result<AppendResult> stage(const AppendRequest& request, BatchView& view,
                             rocksdb::WriteBatch& batch, Position& nextPosition);
  Result<StreamVersion> currentVersion(const std::string& streamId, const BatchView& view);
  void finish(std::unique_ptr<StagedBatch> staged);
  void failAll(StagedBatch& staged, const std::string& why);
  void enterReadOnly(const std::string& why);

  const LogFamilies log_;
  HeadNotifier& notifier_;
  const bool sync_;
  const std::shared_ptr<spdlog::logger> logger_;

  // The writer thread's own state: the last position written (durable or
  // not) and a cache of stream versions, exact because nobody else writes.
  Position lastWritten_;
  std::unordered_map<std::string, StreamVersion> versionCache_;

  mutable std::mutex queueMutex_;
  std::condition_variable queueNotEmpty_;
  std::condition_variable queueNotFull_;
  std::deque<std::unique_ptr<Ticket>> queue_;  // guarded by queueMutex_
  bool stopping_ = false;                      // guarded by queueMutex_
  bool readOnly_ = false;                      // guarded by queueMutex_
  std::string readOnlyReason_;                 // guarded by queueMutex_

  std::mutex syncMutex_;
  std::condition_variable syncNotEmpty_;
  std::deque<std::unique_ptr<StagedBatch>> syncQueue_;  // guarded by syncMutex_
  bool writerDone_ = false;                             // guarded by syncMutex_

  std::thread writer_;
  std::thread syncer_;
};

}  // namespace parcours::store
