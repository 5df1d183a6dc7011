// The RocksDB tuning of the log, in one place. The benchmark's raw-RocksDB
// baseline includes this header too, so both sides of every ratio run with
// the same options.
#pragma once

#include <rocksdb/cache.h>
#include <rocksdb/options.h>

#include <memory>

namespace parcours::store {

rocksdb::DBOptions logDbOptions();
rocksdb::ColumnFamilyOptions logFamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache);

}  // namespace parcours::store
