#include "rocks_options.h"

#include <rocksdb/table.h>

namespace parcours::store {

rocksdb::DBOptions logDbOptions() {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  // A torn tail (power loss mid-write) is cut back to the last whole batch.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.max_background_jobs = 2;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  options.keep_log_file_num = 5;
  return options;
}

rocksdb::ColumnFamilyOptions logFamilyOptions(const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = rocksdb::kLZ4Compression;
  options.write_buffer_size = 64u << 20;
  return options;
}

rocksdb::ColumnFamilyOptions familyOptions(std::string_view familyName, std::string_view tablePrefix,
                                           const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions options = logFamilyOptions(cache);
  if (!familyName.starts_with(tablePrefix) ||
      !familyName.substr(tablePrefix.size()).starts_with(blobTablePrefix)) {
    return options;
  }
  options.enable_blob_files = true;
  options.min_blob_size = 4096;
  options.blob_compression_type = rocksdb::kNoCompression;
  options.compression = rocksdb::kNoCompression;
  options.enable_blob_garbage_collection = true;
  // Uploads pass through the memtable before their blob files: a small one
  // keeps many concurrent uploads from holding much memory.
  options.write_buffer_size = 16u << 20;
  return options;
}

}  // namespace parcours::store
