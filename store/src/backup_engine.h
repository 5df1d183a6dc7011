// The store's side of backups that needs an open RocksDB database (the
// public side is parcours/store/backup.h).
#pragma once

#include <rocksdb/db.h>

#include <string>

#include "parcours/store/backup.h"

namespace parcours::store {

// Adds a backup of the open database `db` to `backupDir` (made 0700), while
// it stays open; `flushFirst` flushes its memtables into table files.
Result<BackupAdded> addBackupOfOpenDatabase(rocksdb::DB& db, const std::string& backupDir,
                                            bool flushFirst);

}  // namespace parcours::store
