// Opening the event log for a workflow command, at --data / PARCOURS_DATA,
// with durability on: a command's success is printed only once its events
// are on disk.
#pragma once

#include <memory>

#include "commands.h"
#include "parcours/engine/key_store.h"
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

// The key store sealing the applicants' contacts (docs/erasure.md): --keys,
// else "<data dir>-keys". InvalidInput when neither is known, or when it
// would be the data directory or inside it (a copy of the log must never
// carry a key).
Result<std::string> keyStoreDir(const Context& context);

enum class KeyStoreUse {
  Create,     // a submission: made on first use
  IfPresent,  // reads and erasures: none there is no key store (null), not a new one
};

// Opens the key store; with IfPresent, null when its directory does not
// exist. Waits for another process like openStore; IoError or Corruption
// when RocksDB cannot open it. Open it after the log (and so close it
// first): commands then queue on the log's lock alone.
Result<std::unique_ptr<engine::KeyStore>> openKeyStore(const Context& context, KeyStoreUse use);

}  // namespace parcours::cli
