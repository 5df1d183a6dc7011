// Test support: a RocksDB FileSystem (its public wrapper API) that
// misbehaves on request, below RocksDB and so below the event log:
//  - fail writes or syncs (an I/O error), or answer writes "no space left";
//  - delay every sync (a slow disk);
//  - lose power: powerCutImage() copies the database directory as a
//    machine that lost power at that instant would find its disk: every
//    file written through it cut back to what was synced.
// Faults apply to the files a Target selects (the write-ahead log, the
// table files, or every file).
#pragma once

#include <rocksdb/file_system.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

namespace parcours::testing {

class FaultFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  enum class Target : std::uint8_t { WriteAheadLog, TableFiles, AnyFile };
  enum class Fault : std::uint8_t { None, WriteError, SyncError, NoSpace };

  FaultFileSystem();  // over the operating system's file system
  const char* Name() const override { return "FaultFileSystem"; }

  // From now on, `fault` hits every matching file (None: heal).
  void inject(Fault fault, Target target);
  // Every sync of a matching file sleeps this long first.
  void delaySyncs(std::chrono::milliseconds delay, Target target);
  // Copies directory `from` to `to` as the disk would be after a power cut
  // now: files written through this file system only up to their last
  // synced length at this instant (never synced: empty), others whole. The
  // process goes on
  // as if nothing happened: nothing it does afterwards is in the image, as
  // nothing a machine does after it lost power is on its disk. (Failing
  // every operation instead would test RocksDB's own error paths, and a
  // debug-built RocksDB asserts in one of them.) Returns the bytes dropped.
  std::uint64_t powerCutImage(const std::filesystem::path& from, const std::filesystem::path& to);

  std::uint64_t faultsReturned() const { return faultsReturned_.load(); }
  std::uint64_t syncs() const { return syncs_.load(); }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

 private:
  class File;
  friend class File;
  struct Tracked {
    std::uint64_t written = 0;
    std::uint64_t synced = 0;
  };
  static bool matches(Target target, const std::string& name);
  // The fault to return for this operation on `name`, if any.
  rocksdb::IOStatus faultFor(const std::string& name, bool isSync);
  void wrote(const std::string& name, std::uint64_t bytes);
  void synced(const std::string& name);
  std::chrono::milliseconds syncDelayFor(const std::string& name);

  // Held shared while a file is created, renamed or deleted, exclusively
  // while powerCutImage() copies: the directory holds still for the copy.
  std::shared_mutex fileChanges_;
  mutable std::mutex mutex_;
  Fault fault_ = Fault::None;  // guarded by mutex_
  Target faultTarget_ = Target::AnyFile;
  std::chrono::milliseconds syncDelay_{0};
  Target delayTarget_ = Target::AnyFile;
  std::map<std::string, Tracked> files_;  // every file written through us
  std::atomic<std::uint64_t> faultsReturned_{0};
  std::atomic<std::uint64_t> syncs_{0};
};

}  // namespace parcours::testing
