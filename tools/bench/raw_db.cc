#include "raw_db.h"

#include "keys.h"
#include "rocks_options.h"

namespace parcours::bench {

Result<std::unique_ptr<RawDb>> RawDb::open(const std::filesystem::path& path,
                                           const std::vector<std::string>& families) {
  auto cache = rocksdb::NewLRUCache(64u << 20);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, store::logFamilyOptions(cache));
  for (const auto& f : families) descriptors.emplace_back(f, store::logFamilyOptions(cache));
  auto raw = std::unique_ptr<RawDb>(new RawDb());
  rocksdb::Status s = rocksdb::DB::Open(store::logDbOptions(), path.string(), descriptors,
                                        &raw->handles_, &raw->db_);
  if (!s.ok())
    return Error::ioError("opening raw RocksDB at " + path.string() + ": " + s.ToString());
  return raw;
}

RawDb::~RawDb() {
  if (db_ == nullptr) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  (void)db_->Close();
  delete db_;
}

std::string positionKey(std::uint64_t position) {
  return store::keys::eventKey(position);
}

std::string streamVersionKey(const std::string& streamId, std::uint64_t version) {
  return store::keys::streamKey(streamId, version);
}

}  // namespace parcours::bench
