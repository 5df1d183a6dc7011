#include "parcours/store/memory_table.h"

#include <optional>

namespace parcours::store {

// Staged like RocksDB's WriteBatch: invisible to the table's readers until
// committed, visible to the batch's own get() at once (the Table contract,
// tests/store/table_test.cc runs it against both implementations).
class MemoryTable::Batch final : public TableBatch {
 public:
  explicit Batch(const MemoryTable& table) : table_(table) {}
  void put(std::string_view key, std::string_view value) override {
    staged_.insert_or_assign(std::string(key), std::string(value));
    ++operations_;
  }
  void remove(std::string_view key) override {
    staged_.insert_or_assign(std::string(key), std::nullopt);
    ++operations_;
  }
  Result<std::optional<std::string>> get(std::string_view key) const override {
    if (auto it = staged_.find(key); it != staged_.end()) return it->second;
    return table_.get(key);
  }
  std::size_t size() const override { return operations_; }

  const MemoryTable& table() const { return table_; }
  // Moves the staged writes out (the batch is spent).
  std::map<std::string, std::optional<std::string>, std::less<>> take() {
    return std::move(staged_);
  }

 private:
  const MemoryTable& table_;
  std::map<std::string, std::optional<std::string>, std::less<>> staged_;
  std::size_t operations_ = 0;
};

Result<std::optional<std::string>> MemoryTable::get(std::string_view key) const {
  auto it = rows_.find(key);
  if (it == rows_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<std::vector<Row>> MemoryTable::scan(std::string_view prefix, std::string_view startAfter,
                                           std::size_t limit) const {
  std::vector<Row> out;
  auto it = startAfter.empty() ? rows_.lower_bound(prefix) : rows_.upper_bound(startAfter);
  if (!startAfter.empty() && startAfter < prefix) it = rows_.lower_bound(prefix);
  for (; it != rows_.end() && out.size() < limit && it->first.starts_with(prefix); ++it) {
    out.emplace_back(it->first, it->second);
  }
  return out;
}

std::unique_ptr<TableBatch> MemoryTable::newBatch() const {
  return std::make_unique<Batch>(*this);
}

Status MemoryTable::commit(TableBatch& batch) {
  auto* ours = dynamic_cast<Batch*>(&batch);
  if (ours == nullptr || &ours->table() != this) {
    return Error::invalidInput("a batch of another table cannot be committed to table " + name_);
  }
  for (auto& [key, value] : ours->take()) {
    if (value) {
      rows_.insert_or_assign(key, std::move(*value));
    } else if (auto it = rows_.find(key); it != rows_.end()) {
      rows_.erase(it);
    }
  }
  return okStatus();
}

}  // namespace parcours::store
