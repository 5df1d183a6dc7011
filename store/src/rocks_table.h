// A Table in its own RocksDB column family.
#pragma once

#include <rocksdb/db.h>

#include <memory>
#include <string>

#include "parcours/store/table.h"

namespace parcours::store {

// Owns a column family handle; destroys it when the last table using it goes,
// which RocksDB allows even after the family was dropped.
using FamilyHandle = std::shared_ptr<rocksdb::ColumnFamilyHandle>;

class RocksTable final : public Table {
 public:
  RocksTable(rocksdb::DB* db, FamilyHandle family, std::string name)
      : db_(db), family_(std::move(family)), name_(std::move(name)) {}

  const std::string& name() const override { return name_; }
  Result<std::optional<std::string>> get(std::string_view key) const override;
  Result<std::vector<Row>> scan(std::string_view prefix, std::string_view startAfter,
                                std::size_t limit) const override;
  std::unique_ptr<TableBatch> newBatch() const override;
  Status commit(TableBatch& batch) override;
  Status commitDurably(TableBatch& batch) override;

 private:
  Status write(TableBatch& batch, bool sync);

  rocksdb::DB* db_;
  FamilyHandle family_;
  std::string name_;
};

}  // namespace parcours::store
