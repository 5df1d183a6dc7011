// Backups of a database directory, for `parcours backup` and `restore`
// (engine/backup.h puts the log, its views and the key store together and
// proves what was restored).
//
// RocksDB's BackupEngine keeps them: each backup's files with their
// checksums, table files shared between backups (a new backup copies only
// the files the last one lacks: incremental). A backup is taken of a closed
// database directory — in practice a checkpoint of an open one
// (EventLog::checkpointTo), so the server keeps writing meanwhile.
#pragma once

#include <cstdint>
#include <string>

#include "parcours/store/result.h"

namespace parcours::store {

struct BackupAdded {
  std::uint32_t id = 0;
  std::uint64_t bytesCopied = 0;  // new bytes this backup added to the directory
};

// Adds a backup of the closed database at `dbDir` (every column family) to
// `backupDir`, created 0700 when missing.
Result<BackupAdded> addBackup(const std::string& dbDir, const std::string& backupDir);

// Every file of backup `id` read back against the checksum and size
// recorded when it was made. Corruption naming the file when one differs
// or is missing; NotFound for an unknown id.
Status verifyBackup(const std::string& backupDir, std::uint32_t id);

// Restores backup `id` into `dbDir`, which must not exist yet (made 0700).
// Each file's checksum is checked as it is copied back: Corruption naming
// the damaged file (the caller removes what was restored).
Status restoreBackup(const std::string& backupDir, std::uint32_t id, const std::string& dbDir);

}  // namespace parcours::store
