#include "parcours/store/backup.h"

#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "backup_engine.h"
#include "parcours/store/private_directory.h"
#include "rocks_status.h"

namespace parcours::store {
namespace {

struct EngineDeleter {
  void operator()(rocksdb::BackupEngine* e) const { delete e; }
};
using EnginePtr = std::unique_ptr<rocksdb::BackupEngine, EngineDeleter>;

Result<EnginePtr> openEngine(const std::string& backupDir) {
  rocksdb::BackupEngineOptions options(backupDir);
  options.sync = true;                   // a backup on disk is a backup
  options.share_table_files = true;      // incremental
  options.share_files_with_checksum = true;
  options.max_background_operations = 2;
  rocksdb::BackupEngine* raw = nullptr;
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &raw);
  if (!s.ok()) return fromRocks(s, "opening the backups at " + backupDir);
  return EnginePtr(raw);
}

std::uint64_t directoryBytes(const std::string& dir) {
  std::uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  }
  return bytes;
}

}  // namespace

Result<BackupAdded> addBackupOfOpenDatabase(rocksdb::DB& db, const std::string& backupDir,
                                            bool flushFirst) {
  if (auto made = makePrivateDirectory(backupDir); !made) return made.error();
  auto engine = openEngine(backupDir);
  if (!engine) return engine.error();
  const std::uint64_t before = directoryBytes(backupDir);
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = flushFirst;
  rocksdb::BackupID id = 0;
  rocksdb::IOStatus io = (*engine)->CreateNewBackup(create, &db, &id);
  if (!io.ok()) return fromRocks(io, "backing up " + db.GetName() + " into " + backupDir);
  return BackupAdded{id, directoryBytes(backupDir) - before};
}

Result<BackupAdded> addBackup(const std::string& dbDir, const std::string& backupDir) {
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dbDir, &names);
  if (!s.ok()) return fromRocks(s, "listing the column families of " + dbDir);
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  rocksdb::DBOptions options;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(options, dbDir, families, &handles, &raw);
  if (!s.ok()) return fromRocks(s, "opening " + dbDir + " to back it up");
  std::unique_ptr<rocksdb::DB> db(raw);
  auto closeDb = [&] {
    for (auto* h : handles) (void)db->DestroyColumnFamilyHandle(h);
    (void)db->Close();
  };
  // The WAL's tail into table files first: one consistent image.
  auto added = addBackupOfOpenDatabase(*db, backupDir, /*flushFirst=*/true);
  closeDb();
  return added;
}

Status verifyBackup(const std::string& backupDir, std::uint32_t id) {
  auto engine = openEngine(backupDir);
  if (!engine) return engine.error();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  const bool known = std::any_of(infos.begin(), infos.end(),
                                 [id](const rocksdb::BackupInfo& i) { return i.backup_id == id; });
  if (!known) return Error::notFound("no backup " + std::to_string(id) + " in " + backupDir);
  rocksdb::IOStatus s = (*engine)->VerifyBackup(id, /*verify_with_checksum=*/true);
  if (!s.ok()) {
    return Error::corruption("backup " + std::to_string(id) + " in " + backupDir +
                             " is damaged: " + s.ToString());
  }
  return okStatus();
}

Status restoreBackup(const std::string& backupDir, std::uint32_t id, const std::string& dbDir) {
  std::error_code ec;
  if (std::filesystem::exists(dbDir, ec)) {
    return Error::invalidInput(dbDir + " already exists: restore into a new directory");
  }
  auto engine = openEngine(backupDir);
  if (!engine) return engine.error();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  if (std::none_of(infos.begin(), infos.end(),
                   [id](const rocksdb::BackupInfo& i) { return i.backup_id == id; })) {
    return Error::notFound("no backup " + std::to_string(id) + " in " + backupDir);
  }
  if (auto s = makePrivateDirectory(dbDir); !s) return s;
  // The engine checks each file's checksum as it copies it back: a damaged
  // backup fails here, naming the file.
  rocksdb::IOStatus s = (*engine)->RestoreDBFromBackup(id, dbDir, dbDir);
  if (s.ok()) return okStatus();
  // The restore's own message does not say which file: the check of every
  // file against its checksum does.
  if (auto damaged = verifyBackup(backupDir, id); !damaged) return damaged;
  return Error::corruption("backup " + std::to_string(id) + " in " + backupDir +
                           " could not be restored: " + s.ToString());
}

}  // namespace parcours::store
