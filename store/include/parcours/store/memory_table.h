// A Table held in memory: for views computed on demand and thrown away
// (the views as they stood at a past position), where writing rows to
// RocksDB would cost more than computing them. Not thread-safe: one owner.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "parcours/store/table.h"

namespace parcours::store {

class MemoryTable final : public Table {
 public:
  explicit MemoryTable(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  Result<std::optional<std::string>> get(std::string_view key) const override;
  Result<std::vector<Row>> scan(std::string_view prefix, std::string_view startAfter,
                                std::size_t limit) const override;
  // Staged until committed, like a RocksTable's (the Table contract).
  std::unique_ptr<TableBatch> newBatch() const override;
  Status commit(TableBatch& batch) override;
  // Memory has no durability: the same as commit().
  Status commitDurably(TableBatch& batch) override { return commit(batch); }

 private:
  class Batch;
  std::string name_;
  std::map<std::string, std::string, std::less<>> rows_;
};

}  // namespace parcours::store
