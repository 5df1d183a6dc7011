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
// A column family's options by its name: a table whose name starts with
// blobTablePrefix holds large values (documents' chunks), kept in RocksDB's
// blob files (BlobDB: written once at flush, out of the LSM's compactions),
// uncompressed (they are sealed: random bytes); every other family has
// logFamilyOptions.
inline constexpr std::string_view blobTablePrefix = "blobs-";
rocksdb::ColumnFamilyOptions familyOptions(std::string_view familyName, std::string_view tablePrefix,
                                           const std::shared_ptr<rocksdb::Cache>& cache);

}  // namespace parcours::store
