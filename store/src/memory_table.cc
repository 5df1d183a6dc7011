#include "parcours/store/memory_table.h"

namespace parcours::store {

class MemoryTable::Batch final : public TableBatch {
 public:
  explicit Batch(MemoryTable& table) : table_(table) {}
  void put(std::string_view key, std::string_view value) override {
    table_.rows_.insert_or_assign(std::string(key), std::string(value));
    ++operations_;
  }
  void remove(std::string_view key) override {
    if (auto it = table_.rows_.find(key); it != table_.rows_.end()) table_.rows_.erase(it);
    ++operations_;
  }
  Result<std::optional<std::string>> get(std::string_view key) const override {
    return table_.get(key);
  }
  std::size_t size() const override { return operations_; }

 private:
  MemoryTable& table_;
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
  // The batch writes through; the table is logically const to readers only.
  return std::make_unique<Batch>(const_cast<MemoryTable&>(*this));
}

Status MemoryTable::commit(TableBatch&) {
  return okStatus();
}

}  // namespace parcours::store
