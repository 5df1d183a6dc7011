// Tables: named key-value stores beside the log, one RocksDB column family
// each. Projections keep their rows and their checkpoint in one table and
// write both in one TableBatch, so a crash can never separate them.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parcours/store/result.h"

namespace parcours::store {

using Row = std::pair<std::string, std::string>;

// Writes staged for one table, applied atomically by Table::commit. Reads
// through the batch see its own staged writes first (read-your-writes), so a
// projection can update a counter twice in one batch.
class TableBatch {
 public:
  virtual ~TableBatch() = default;
  virtual void put(std::string_view key, std::string_view value) = 0;
  virtual void remove(std::string_view key) = 0;
  virtual Result<std::optional<std::string>> get(std::string_view key) const = 0;
  virtual std::size_t size() const = 0;  // staged operations
};

class Table {
 public:
  virtual ~Table() = default;
  virtual const std::string& name() const = 0;
  virtual Result<std::optional<std::string>> get(std::string_view key) const = 0;
  // Rows with keys starting with `prefix`, from `startAfter` (exclusive; empty
  // means from the first), in key order, at most `limit`.
  virtual Result<std::vector<Row>> scan(std::string_view prefix, std::string_view startAfter,
                                        std::size_t limit) const = 0;
  virtual std::unique_ptr<TableBatch> newBatch() const = 0;
  // Applies a batch made by this table's newBatch() atomically. Not fsynced:
  // tables are derived from the log and rebuilt from it, and RocksDB's WAL
  // keeps the batch all-or-nothing through a crash.
  virtual Status commit(TableBatch& batch) = 0;
  // commit(), then the write-ahead log fsynced before it returns: for rows
  // that are not derived from the log and were acknowledged to a person
  // (an applicant's draft), which a crash must not take back.
  virtual Status commitDurably(TableBatch& batch) = 0;
};

}  // namespace parcours::store
