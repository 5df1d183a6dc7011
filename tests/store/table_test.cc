// Tables beside the log: atomic batches, read-your-writes, scans, reopen.
#include <gtest/gtest.h>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::openLog;
using testing::TempDir;

TEST(Tables, BatchIsInvisibleUntilCommittedThenAllThere) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto table = log->openTable("view.status");
  ASSERT_TRUE(table);
  auto batch = (*table)->newBatch();
  batch->put("a", "1");
  batch->put("b", "2");
  EXPECT_FALSE((*table)->get("a")->has_value());
  ASSERT_TRUE((*table)->commit(*batch));
  EXPECT_EQ(**(*table)->get("a"), "1");
  EXPECT_EQ(**(*table)->get("b"), "2");
}

TEST(Tables, BatchReadsItsOwnWritesOverTheTable) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto table = *log->openTable("counts");
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
}

TEST(Tables, ScanByPrefixFromAKeyWithALimit) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto table = *log->openTable("t");
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
}

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

TEST(Tables, BatchOfAnotherTableIsRefused) {
  TempDir dir;
  auto log = openLog(dir.path());
  auto a = *log->openTable("a");
  auto b = *log->openTable("b");
  auto batch = a->newBatch();
  batch->put("k", "v");
  auto status = b->commit(*batch);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::InvalidInput);
  EXPECT_FALSE(b->get("k")->has_value());
}

TEST(Tables, BadNamesAreInvalidInput) {
  TempDir dir;
  auto log = openLog(dir.path());
  EXPECT_EQ(log->openTable("").error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(log->openTable("has space").error().code, ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace parcours::store
