// Tables: the contract every implementation keeps (atomic batches,
// read-your-writes, scans), then what the log's own tables add (reopen, drop).
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "parcours/store/event_log.h"
#include "parcours/store/memory_table.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::openLog;
using testing::TempDir;

// The Table contract, one suite run against every implementation
// (googletest's value-parameterized tests): a RocksDB table beside the log,
// and the MemoryTable past views compute into.
struct TableMaker {
  std::string name;
  // Opens a table named `tableName`; `keep` holds whatever it needs alive.
  std::function<std::shared_ptr<Table>(const std::string& tableName, TempDir& dir,
                                       std::shared_ptr<void>& keep)>
      open;
};

class TableContract : public ::testing::TestWithParam<TableMaker> {
 protected:
  std::shared_ptr<Table> open(const std::string& name) { return GetParam().open(name, dir_, keep_); }
  TempDir dir_;
  std::shared_ptr<void> keep_;
};

TEST_P(TableContract, BatchIsInvisibleUntilCommittedThenAllThere) {
  auto table = open("view.status");
  ASSERT_TRUE(table);
  auto batch = table->newBatch();
  batch->put("a", "1");
  batch->put("b", "2");
  EXPECT_FALSE(table->get("a")->has_value());
  EXPECT_TRUE(table->scan("", "", 10)->empty());
  ASSERT_TRUE(table->commit(*batch));
  EXPECT_EQ(**table->get("a"), "1");
  EXPECT_EQ(**table->get("b"), "2");
}

TEST_P(TableContract, BatchReadsItsOwnWritesOverTheTable) {
  auto table = open("counts");
  auto first = table->newBatch();
  first->put("n", "1");
  ASSERT_TRUE(table->commit(*first));
  auto batch = table->newBatch();
  EXPECT_EQ(**batch->get("n"), "1");
  batch->put("n", "2");
  EXPECT_EQ(**batch->get("n"), "2");
  batch->remove("n");
  EXPECT_FALSE(batch->get("n")->has_value());
  EXPECT_EQ(batch->size(), 2u);
  EXPECT_EQ(**table->get("n"), "1") << "the table is unchanged until the commit";
  ASSERT_TRUE(table->commit(*batch));
  EXPECT_FALSE(table->get("n")->has_value());
}

TEST_P(TableContract, ScanByPrefixFromAKeyWithALimit) {
  auto table = open("t");
  auto batch = table->newBatch();
  for (const char* k : {"a/1", "a/2", "a/3", "b/1"}) batch->put(k, k);
  ASSERT_TRUE(table->commit(*batch));
  auto rows = table->scan("a/", "", 10);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].first, "a/3");
  auto page = table->scan("a/", "a/1", 1);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].first, "a/2");
  EXPECT_EQ(table->scan("", "", 100)->size(), 4u);
  EXPECT_TRUE(table->scan("c/", "", 10)->empty());
}

TEST_P(TableContract, ABatchOfAnotherTableIsRefusedAndWritesNothing) {
  auto a = open("a");
  auto b = open("b");
  auto batch = a->newBatch();
  batch->put("k", "v");
  auto status = b->commit(*batch);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(b->get("k")->has_value());
  EXPECT_FALSE(a->get("k")->has_value());
}

INSTANTIATE_TEST_SUITE_P(
    EveryImplementation, TableContract,
    ::testing::Values(
        TableMaker{"RocksTable",
                   [](const std::string& name, TempDir& dir, std::shared_ptr<void>& keep)
                       -> std::shared_ptr<Table> {
                     if (!keep) keep = std::shared_ptr<EventLog>(openLog(dir.path()));
                     auto table = static_cast<EventLog*>(keep.get())->openTable(name);
                     return table ? *table : nullptr;
                   }},
        TableMaker{"MemoryTable",
                   [](const std::string& name, TempDir&, std::shared_ptr<void>&)
                       -> std::shared_ptr<Table> { return std::make_shared<MemoryTable>(name); }}),
    [](const ::testing::TestParamInfo<TableMaker>& info) { return info.param.name; });

// What only the log's tables do: names, reopening, dropping.
TEST(Tables, SurviveReopenAndCanBeDropped) {
  TempDir dir;
  {
    auto log = openLog(dir.path());
    auto table = *log->openTable("kept");
    auto batch = table->newBatch();
    batch->put("k", "v");
    ASSERT_TRUE(table->commit(*batch));
    ASSERT_TRUE(log->openTable("dropped"));
    ASSERT_TRUE(log->dropTable("dropped"));
  }
  auto log = openLog(dir.path());
  EXPECT_EQ(log->listTables(), (std::vector<std::string>{"kept"}));
  EXPECT_EQ(**(*log->openTable("kept"))->get("k"), "v");
  EXPECT_EQ(log->dropTable("never").error().code, ErrorCode::NotFound);
}

TEST(Tables, BadNamesAreInvalidInput) {
  TempDir dir;
  auto log = openLog(dir.path());
  EXPECT_EQ(log->openTable("").error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(log->openTable("has space").error().code, ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace parcours::store
