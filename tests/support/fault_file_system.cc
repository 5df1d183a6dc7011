#include "fault_file_system.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <thread>

namespace parcours::testing {

// Every write and sync of one file goes through the file system's faults.
class FaultFileSystem::File final : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  File(FaultFileSystem& fs, std::string name, std::unique_ptr<rocksdb::FSWritableFile> target)
      : FSWritableFileOwnerWrapper(std::move(target)), fs_(fs), name_(std::move(name)) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    if (auto fault = fs_.faultFor(name_, false); !fault.ok()) return fault;
    auto s = FSWritableFileOwnerWrapper::Append(data, options, dbg);
    if (s.ok()) fs_.wrote(name_, data.size());
    return s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* dbg) override {
    if (auto fault = fs_.faultFor(name_, false); !fault.ok()) return fault;
    auto s = FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
    if (s.ok()) fs_.wrote(name_, data.size());
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, std::uint64_t offset,
                                     const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* dbg) override {
    if (auto fault = fs_.faultFor(name_, false); !fault.ok()) return fault;
    auto s = FSWritableFileOwnerWrapper::PositionedAppend(data, offset, options, dbg);
    if (s.ok()) fs_.wrote(name_, data.size());
    return s;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options, rocksdb::IODebugContext* dbg) override {
    return sync([&] { return FSWritableFileOwnerWrapper::Sync(options, dbg); });
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* dbg) override {
    return sync([&] { return FSWritableFileOwnerWrapper::Fsync(options, dbg); });
  }

 private:
  template <typename Real>
  rocksdb::IOStatus sync(Real real) {
    const auto delay = fs_.syncDelayFor(name_);
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    if (auto fault = fs_.faultFor(name_, true); !fault.ok()) return fault;
    auto s = real();
    if (s.ok()) fs_.synced(name_);
    return s;
  }

  FaultFileSystem& fs_;
  const std::string name_;
};

FaultFileSystem::FaultFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

void FaultFileSystem::inject(Fault fault, Target target) {
  std::lock_guard lock(mutex_);
  fault_ = fault;
  faultTarget_ = target;
}

void FaultFileSystem::delaySyncs(std::chrono::milliseconds delay, Target target) {
  std::lock_guard lock(mutex_);
  syncDelay_ = delay;
  delayTarget_ = target;
}

std::uint64_t FaultFileSystem::powerCutImage(const std::filesystem::path& from,
                                             const std::filesystem::path& to) {
  // No file appears, moves or goes while we copy; writes and syncs go on
  // (they only add bytes past what was synced at the cut).
  std::unique_lock noFileChanges(fileChanges_);
  std::map<std::string, Tracked> atTheCut;
  {
    std::lock_guard lock(mutex_);
    atTheCut = files_;
  }
  std::filesystem::create_directories(to);
  std::uint64_t dropped = 0;
  for (const auto& entry : std::filesystem::directory_iterator(from)) {
    if (!entry.is_regular_file()) continue;
    const auto tracked = atTheCut.find(entry.path().string());
    const auto target = to / entry.path().filename();
    std::filesystem::copy_file(entry.path(), target);
    if (tracked == atTheCut.end()) continue;  // not written through us: whole
    const auto size = std::filesystem::file_size(target);
    const auto synced = tracked->second.synced;
    // What the process wrote before the cut, unsynced, is lost; what it
    // wrote after the cut never happened.
    dropped += std::min(size, tracked->second.written) - std::min(size, synced);
    if (size > synced) std::filesystem::resize_file(target, synced);
  }
  return dropped;
}

bool FaultFileSystem::matches(Target target, const std::string& name) {
  switch (target) {
    case Target::WriteAheadLog:
      return name.ends_with(".log") && name.find("/LOG") == std::string::npos;
    case Target::TableFiles:
      return name.ends_with(".sst");
    case Target::AnyFile:
      return true;
  }
  return false;
}

rocksdb::IOStatus FaultFileSystem::faultFor(const std::string& name, bool isSync) {
  std::lock_guard lock(mutex_);
  if (fault_ == Fault::None || !matches(faultTarget_, name)) return rocksdb::IOStatus::OK();
  switch (fault_) {
    case Fault::WriteError:
      if (isSync) return rocksdb::IOStatus::OK();
      ++faultsReturned_;
      return rocksdb::IOStatus::IOError("injected: write failed", name);
    case Fault::SyncError:
      if (!isSync) return rocksdb::IOStatus::OK();
      ++faultsReturned_;
      return rocksdb::IOStatus::IOError("injected: fsync failed", name);
    case Fault::NoSpace:
      if (isSync) return rocksdb::IOStatus::OK();
      ++faultsReturned_;
      return rocksdb::IOStatus::NoSpace("injected: no space left on device", name);
    case Fault::None:
      break;
  }
  return rocksdb::IOStatus::OK();
}

void FaultFileSystem::wrote(const std::string& name, std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  files_[name].written += bytes;
}

void FaultFileSystem::synced(const std::string& name) {
  std::lock_guard lock(mutex_);
  ++syncs_;
  Tracked& file = files_[name];
  file.synced = file.written;
}

std::chrono::milliseconds FaultFileSystem::syncDelayFor(const std::string& name) {
  std::lock_guard lock(mutex_);
  return matches(delayTarget_, name) ? syncDelay_ : std::chrono::milliseconds(0);
}

rocksdb::IOStatus FaultFileSystem::NewWritableFile(const std::string& name,
                                                   const rocksdb::FileOptions& options,
                                                   std::unique_ptr<rocksdb::FSWritableFile>* result,
                                                   rocksdb::IODebugContext* dbg) {
  std::shared_lock fileChange(fileChanges_);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  auto s = target()->NewWritableFile(name, options, &file, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mutex_);
    files_[name] = Tracked{};  // created empty: nothing of it is synced yet
  }
  *result = std::make_unique<File>(*this, name, std::move(file));
  return s;
}

rocksdb::IOStatus FaultFileSystem::ReopenWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result, rocksdb::IODebugContext* dbg) {
  std::shared_lock fileChange(fileChanges_);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  auto s = target()->ReopenWritableFile(name, options, &file, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard lock(mutex_);
    std::error_code ec;
    const auto size = std::filesystem::file_size(name, ec);
    if (!files_.contains(name)) files_[name] = Tracked{ec ? 0 : size, ec ? 0 : size};
  }
  *result = std::make_unique<File>(*this, name, std::move(file));
  return s;
}

rocksdb::IOStatus FaultFileSystem::RenameFile(const std::string& from, const std::string& to,
                                              const rocksdb::IOOptions& options,
                                              rocksdb::IODebugContext* dbg) {
  std::shared_lock fileChange(fileChanges_);
  auto s = target()->RenameFile(from, to, options, dbg);
  if (s.ok()) {
    std::lock_guard lock(mutex_);
    if (auto it = files_.find(from); it != files_.end()) {
      files_[to] = it->second;
      files_.erase(it);
    } else {
      files_.erase(to);
    }
  }
  return s;
}

rocksdb::IOStatus FaultFileSystem::DeleteFile(const std::string& name,
                                              const rocksdb::IOOptions& options,
                                              rocksdb::IODebugContext* dbg) {
  std::shared_lock fileChange(fileChanges_);
  auto s = target()->DeleteFile(name, options, dbg);
  if (s.ok()) {
    std::lock_guard lock(mutex_);
    files_.erase(name);
  }
  return s;
}

}  // namespace parcours::testing
