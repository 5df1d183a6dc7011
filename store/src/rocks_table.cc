#include "rocks_table.h"

#include <rocksdb/write_batch.h>

#include <functional>
#include <unordered_map>

#include "rocks_status.h"

namespace parcours::store {
namespace {

// A plain WriteBatch, with what it staged kept in a hash map so get() sees
// it. (RocksDB's WriteBatchWithIndex does the same with a skip list: every
// put then pays ordered key comparisons, a fifth of a view rebuild's time,
// for an order nothing here uses.)
class RocksTableBatch final : public TableBatch {
 public:
  RocksTableBatch(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, const void* owner)
      : db_(db), family_(family), owner_(owner) {}

  void put(std::string_view key, std::string_view value) override {
    batch_.Put(family_, rocksdb::Slice(key.data(), key.size()),
               rocksdb::Slice(value.data(), value.size()));
    stage(key, std::string(value));
  }
  void remove(std::string_view key) override {
    batch_.Delete(family_, rocksdb::Slice(key.data(), key.size()));
    stage(key, std::nullopt);
  }
  Result<std::optional<std::string>> get(std::string_view key) const override {
    if (auto it = staged_.find(key); it != staged_.end()) return it->second;
    std::string value;
    rocksdb::Status s =
        db_->Get(rocksdb::ReadOptions(), family_, rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return fromRocks(s, "reading a table row");
    return std::optional<std::string>(std::move(value));
  }
  std::size_t size() const override { return static_cast<std::size_t>(batch_.Count()); }

  const void* owner() const { return owner_; }
  rocksdb::WriteBatch* writeBatch() { return &batch_; }

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const {
      return std::hash<std::string_view>{}(key);
    }
  };

  void stage(std::string_view key, std::optional<std::string> value) {
    if (auto it = staged_.find(key); it != staged_.end()) {
      it->second = std::move(value);
    } else {
      staged_.emplace(std::string(key), std::move(value));
    }
  }

  rocksdb::DB* db_;
  rocksdb::ColumnFamilyHandle* family_;
  const void* owner_;
  rocksdb::WriteBatch batch_;
  // The last value staged for each key; nullopt: removed.
  std::unordered_map<std::string, std::optional<std::string>, KeyHash, std::equal_to<>> staged_;
};

}  // namespace

Result<std::optional<std::string>> RocksTable::get(std::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family_.get(),
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return fromRocks(s, "reading table " + name_);
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<Row>> RocksTable::scan(std::string_view prefix, std::string_view startAfter,
                                          std::size_t limit) const {
  std::vector<Row> rows;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family_.get()));
  const std::string_view start = startAfter.empty() ? prefix : startAfter;
  for (it->Seek(rocksdb::Slice(start.data(), start.size())); it->Valid() && rows.size() < limit;
       it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!startAfter.empty() && key == startAfter) continue;
    rows.emplace_back(std::string(key), it->value().ToString());
  }
  if (!it->status().ok()) return fromRocks(it->status(), "scanning table " + name_);
  return rows;
}

std::unique_ptr<TableBatch> RocksTable::newBatch() const {
  return std::make_unique<RocksTableBatch>(db_, family_.get(), this);
}

Status RocksTable::commit(TableBatch& batch) {
  return write(batch, false);  // derived data: see table.h
}

Status RocksTable::commitDurably(TableBatch& batch) { return write(batch, true); }

Status RocksTable::write(TableBatch& batch, bool sync) {
  auto* rocksBatch = dynamic_cast<RocksTableBatch*>(&batch);
  if (rocksBatch == nullptr || rocksBatch->owner() != this) {
    return Error::invalidInput("a batch can only be committed to the table that made it");
  }
  rocksdb::WriteOptions options;
  options.sync = sync;
  rocksdb::Status s = db_->Write(options, rocksBatch->writeBatch());
  if (!s.ok()) return fromRocks(s, "committing to table " + name_);
  return okStatus();
}

}  // namespace parcours::store
