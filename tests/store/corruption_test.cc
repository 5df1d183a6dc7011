// Damaged data on disk is reported as Corruption with where it was found,
// never decoded into garbage. The damage is done with RocksDB directly, as a
// failing disk or a hand edit would, following store/FORMAT.md.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <fstream>

#include "parcours/store/event_log.h"
#include "raw_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::openLog;
using testing::someEvents;
using testing::TempDir;

using testing::positionKey;
using testing::streamKey;

// Opens the log's database raw and runs `edit` on the named family.
void editRaw(const std::filesystem::path& dir, const std::string& family,
             const std::function<void(rocksdb::DB&, rocksdb::ColumnFamilyHandle*)>& edit) {
  testing::RawLog raw(dir, /*readOnly=*/false);
  edit(raw.db(), raw.family(family));
}

std::string rawGet(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, const std::string& key) {
  std::string value;
  EXPECT_TRUE(db.Get(rocksdb::ReadOptions(), cf, key, &value).ok());
  return value;
}

class Corruption : public ::testing::Test {
 protected:
  void SetUp() override {
    auto log = openLog(dir_.path());
    ASSERT_TRUE(log->append("dossier-1", ExpectedVersion::any(), someEvents(5), {}));
  }
  TempDir dir_;
};

TEST_F(Corruption, TruncatedValueIsReportedWithItsPosition) {
  editRaw(dir_.path(), "events", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    std::string value = rawGet(db, cf, positionKey(3));
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf, positionKey(3), value.substr(0, 20)).ok());
  });
  auto log = openLog(dir_.path());
  auto events = log->readAll(1, 10);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, ErrorCode::Corruption);
  EXPECT_NE(events.error().message.find("events/position 3"), std::string::npos)
      << events.error().message;
  // Positions before the damage still read.
  EXPECT_EQ(log->readAll(1, 2)->size(), 2u);
}

TEST_F(Corruption, ValueCutToAWholeWordCountIsStillCaught) {
  editRaw(dir_.path(), "streams", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    std::string value = rawGet(db, cf, streamKey("dossier-1", 2));
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf, streamKey("dossier-1", 2),
                       value.substr(0, value.size() - 16))
                    .ok());
  });
  auto log = openLog(dir_.path());
  auto events = log->readStream("dossier-1", 1, Direction::Forward, 10);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, ErrorCode::Corruption);
  EXPECT_NE(events.error().message.find("streams/dossier-1@2"), std::string::npos)
      << events.error().message;
}

TEST_F(Corruption, ValueStoredUnderTheWrongPositionIsCaught) {
  editRaw(dir_.path(), "events", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    std::string fifth = rawGet(db, cf, positionKey(5));
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf, positionKey(4), fifth).ok());
  });
  auto log = openLog(dir_.path());
  auto events = log->readAll(4, 1);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, ErrorCode::Corruption);
  EXPECT_NE(
      events.error().message.find("events/position 4 holds the event dossier-1@5 at position 5"),
      std::string::npos)
      << events.error().message;
}

TEST_F(Corruption, RandomBytesAreNotDecodedIntoAnEvent) {
  editRaw(dir_.path(), "events", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf, positionKey(2), std::string(64, '\xff')).ok());
  });
  auto log = openLog(dir_.path());
  auto events = log->readAll(2, 1);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, ErrorCode::Corruption);
}

TEST_F(Corruption, MissingEventInTheMiddleIsAGap) {
  editRaw(dir_.path(), "events", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    ASSERT_TRUE(db.Delete(rocksdb::WriteOptions(), cf, positionKey(3)).ok());
  });
  auto log = openLog(dir_.path());
  auto events = log->readAll(1, 10);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, ErrorCode::Corruption);
  EXPECT_NE(events.error().message.find("position 3 is missing"), std::string::npos)
      << events.error().message;
}

TEST_F(Corruption, FlippedBitsInATableFileAreCaughtByChecksums) {
  // Push everything into SST files, then flip bytes in the middle of each.
  editRaw(dir_.path(), "events", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    ASSERT_TRUE(db.Flush(rocksdb::FlushOptions(), cf).ok());
  });
  int damaged = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    if (entry.path().extension() != ".sst") continue;
    std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.write("\x00\x01\x02\x03\x04\x05\x06\x07", 8);
    ++damaged;
  }
  ASSERT_GT(damaged, 0);
  store::Options options;
  options.path = dir_.path().string();
  auto log = EventLog::open(options, testing::testLogger());
  if (!log) {
    EXPECT_EQ(log.error().code, ErrorCode::Corruption) << log.error().message;
    return;
  }
  auto events = (*log)->readAll(1, 10);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code, ErrorCode::Corruption) << events.error().message;
}

TEST_F(Corruption, UnknownFormatVersionRefusesToOpen) {
  editRaw(dir_.path(), "meta", [](rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf) {
    ASSERT_TRUE(db.Put(rocksdb::WriteOptions(), cf, "format-version", "99").ok());
  });
  store::Options options;
  options.path = dir_.path().string();
  auto log = EventLog::open(options, testing::testLogger());
  ASSERT_FALSE(log);
  EXPECT_EQ(log.error().code, ErrorCode::Corruption);
  EXPECT_NE(log.error().message.find("\"99\""), std::string::npos) << log.error().message;
}

}  // namespace
}  // namespace parcours::store
