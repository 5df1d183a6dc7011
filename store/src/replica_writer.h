// The writer of a read replica's log: copies of the primary's envelopes,
// stored verbatim, so the replica's log is byte for byte the primary's.
//
// A replica never decides anything: ordinary appends are refused (the
// primary is the only writer of the history). What arrives here comes
// through a channel we do not trust to be whole (NATS JetStream), so every
// envelope is checked before anything is written: the next position, the
// hash chain, its own hash, parcours's exact encoding and the next version
// of its stream. One call is one atomic RocksDB write, synced like any
// append, and the durable head moves only after it.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "head_notifier.h"
#include "log_families.h"
#include "parcours/store/result.h"

namespace parcours::store {

class ReplicaWriter {
 public:
  ReplicaWriter(LogFamilies log, HeadNotifier& notifier, bool sync, ChainTip tip);

  // See EventLog::appendReplicated.
  Result<Position> append(const std::vector<std::string>& envelopes);

 private:
  // The stream's version before `claimed` (the version the event says it
  // makes): from this batch, the cache, or the store.
  Result<StreamVersion> currentVersion(const std::string& streamId, StreamVersion claimed,
                                       const std::unordered_map<std::string, StreamVersion>& staged);

  const LogFamilies log_;
  HeadNotifier& notifier_;
  const bool sync_;
  std::mutex mutex_;  // one replicated write at a time
  ChainTip tip_;      // guarded by mutex_
  // Stream versions already written, so a stream is looked up once.
  std::unordered_map<std::string, StreamVersion> versions_;  // guarded by mutex_
};

}  // namespace parcours::store
