// Test support: the log's database opened with RocksDB directly, to check
// and to damage what parcours stored, following store/FORMAT.md.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace parcours::testing {

// Every column family of the database at `dir`; closed when destroyed.
class RawLog {
 public:
  RawLog(const std::filesystem::path& dir, bool readOnly);
  ~RawLog();
  RawLog(const RawLog&) = delete;
  RawLog& operator=(const RawLog&) = delete;

  rocksdb::DB& db() { return *db_; }
  // The family of that name; fails the test when there is none.
  rocksdb::ColumnFamilyHandle* family(const std::string& name);
  std::string get(const std::string& family, const std::string& key);

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<std::string> names_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// Keys as store/FORMAT.md specifies them.
std::string positionKey(std::uint64_t position);
std::string streamKey(const std::string& streamId, std::uint64_t version);

}  // namespace parcours::testing
