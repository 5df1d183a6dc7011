// Opening the event log for a workflow command, at --data / PARCOURS_DATA,
// with durability on: a command's success is printed only once its events
// are on disk.
#pragma once

#include <memory>

#include "commands.h"
#include "parcours/store/event_log.h"
#include "parcours/store/result.h"

namespace parcours::cli {

enum class StoreUse {
  Create,    // `campaign open`: a fresh directory becomes a new store
  Existing,  // everything else: a missing directory is a mistake, not a store
};

// InvalidInput when --data is not given; NotFound when the directory is
// missing and `use` is Existing; Conflict when another process kept the
// store open for storeLockWaitMax (commands run in parallel wait for each
// other); IoError or Corruption when RocksDB cannot open it.
Result<std::unique_ptr<store::EventLog>> openStore(const Context& context, StoreUse use);

}  // namespace parcours::cli
