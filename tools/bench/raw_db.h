// Raw RocksDB for the baseline: the log's own options (store/src/
// rocks_options.h), no envelope handling, no checks, no second copy.
#pragma once

#include <rocksdb/db.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::bench {

class RawDb {
 public:
  // Opens (creating when missing) a database with these column families
  // (besides "default").
  static Result<std::unique_ptr<RawDb>> open(const std::filesystem::path& path,
                                             const std::vector<std::string>& families);
  ~RawDb();
  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* family(std::size_t i) { return handles_.at(i + 1); }

 private:
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// The log's own key encodings (store/src/keys.h), so raw RocksDB stores
// the same keys: an events key...
std::string positionKey(std::uint64_t position);
// ...and a streams key.
std::string streamVersionKey(const std::string& streamId, std::uint64_t version);

}  // namespace parcours::bench
