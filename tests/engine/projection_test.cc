// The projection runtime: catch-up, checkpoints in the rows' batch, resume
// after reopen, rebuild byte-identical to live, live following.
#include "parcours/engine/projection.h"

#include <gtest/gtest.h>

#include <thread>

#include "temp_dir.h"

namespace parcours::engine {
namespace {

using testing::openLog;
using testing::someEvents;
using testing::TempDir;

// Counts events per type and remembers each stream's last payload. A
// "Poison" event fails the first `poisonFailures` times it is applied
// (negative: always).
class CountsByType final : public Projection {
 public:
  explicit CountsByType(int version = 1, int poisonFailures = -1)
      : version_(version), poisonFailures_(poisonFailures) {}
  std::string_view name() const override { return "counts"; }
  int version() const override { return version_; }
  Status apply(const store::EventView& event, store::TableBatch& rows) override {
    if (event.eventType == "Poison" && poisonFailures_ != 0) {
      if (poisonFailures_ > 0) --poisonFailures_;
      return Error::invalidInput("cannot count poison");
    }
    const std::string key = "type/" + std::string(event.eventType);
    auto current = rows.get(key);
    if (!current) return current.error();
    const long n = current->has_value() ? std::stol(**current) : 0;
    rows.put(key, std::to_string(n + 1));
    rows.put("last/" + std::string(event.streamId), event.payload);
    if (event.eventType == "Reserved") rows.put(std::string("\0x", 2), "nope");
    return okStatus();
  }

 private:
  int version_;
  int poisonFailures_;
};

std::string countOf(const ProjectionRunner& runner, const std::string& type) {
  auto value = runner.table()->get("type/" + type);
  return value && value->has_value() ? **value : "none";
}

TEST(Projection, CatchesUpToTheHeadAndCheckpointsThere) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(3, "Submitted"), {}));
  ASSERT_TRUE(log->append("b", store::ExpectedVersion::any(), someEvents(2, "Scored"), {}));
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  EXPECT_EQ(runner.checkpoint(), 5u);  // open builds the first generation
  EXPECT_EQ(countOf(runner, "Submitted"), "3");
  EXPECT_EQ(countOf(runner, "Scored"), "2");
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(1, "Scored"), {}));
  auto caught = runner.catchUp();
  ASSERT_TRUE(caught);
  EXPECT_EQ(*caught, 6u);
  EXPECT_EQ(countOf(runner, "Scored"), "3");
  EXPECT_EQ(**runner.table()->get("last/a"), "Scored-0");
}

TEST(Projection, RebuiltViewIsByteIdenticalToTheLiveOne) {
  TempDir dir;
  auto log = openLog(dir.path());
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  // Live: many small catch-ups, interleaved with appends of varied sizes.
  for (int wave = 0; wave < 30; ++wave) {
    ASSERT_TRUE(log->append("s-" + std::to_string(wave % 7), store::ExpectedVersion::any(),
                            someEvents(1 + wave % 5, "T" + std::to_string(wave % 3)), {}));
    if (wave % 4 == 0) {
      ASSERT_TRUE(runner.catchUp());
    }
  }
  ASSERT_TRUE(log->append("bulk", store::ExpectedVersion::any(), someEvents(1000, "Bulk"), {}));
  ASSERT_TRUE(runner.catchUp());
  auto live = dumpTable(*runner.table());
  ASSERT_TRUE(live);
  const std::string liveName = runner.table()->name();
  auto rebuilt = runner.rebuild();
  ASSERT_TRUE(rebuilt);
  EXPECT_EQ(*rebuilt, log->head());
  EXPECT_NE(runner.table()->name(), liveName);  // a new generation...
  auto fresh = dumpTable(*runner.table());
  ASSERT_TRUE(fresh);
  EXPECT_EQ(*live, *fresh);  // ...with the very same bytes, checkpoint included
  EXPECT_GT(live->size(), 10u);
  // The old generation is gone.
  for (const auto& name : log->listTables()) EXPECT_NE(name, liveName);
}

TEST(Projection, ResumesExactlyAfterReopenWithoutCountingTwice) {
  TempDir dir;
  {
    auto log = openLog(dir.path());
    CountsByType projection;
    ProjectionRunner runner(*log, projection, testing::testLogger());
    ASSERT_TRUE(runner.open());
    ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(50, "E"), {}));
    ASSERT_TRUE(runner.catchUp());
    EXPECT_EQ(runner.checkpoint(), 50u);
  }
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(25, "E"), {}));
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  EXPECT_EQ(runner.checkpoint(), 50u);  // where it stopped, not rebuilt
  ASSERT_TRUE(runner.catchUp());
  EXPECT_EQ(countOf(runner, "E"), "75");
}

TEST(Projection, NewCodeVersionRebuildsOnOpen) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(4, "E"), {}));
  {
    CountsByType v1(1);
    ProjectionRunner runner(*log, v1, testing::testLogger());
    ASSERT_TRUE(runner.open());
    EXPECT_EQ(runner.table()->name(), "proj.counts.1");
  }
  CountsByType v2(2);
  ProjectionRunner runner(*log, v2, testing::testLogger());
  ASSERT_TRUE(runner.open());
  EXPECT_EQ(runner.table()->name(), "proj.counts.2");
  EXPECT_EQ(countOf(runner, "E"), "4");
  auto tables = log->listTables();
  EXPECT_EQ(std::count(tables.begin(), tables.end(), "proj.counts.1"), 0);
}

TEST(Projection, LeftoverOfAnInterruptedRebuildIsDroppedOnOpen) {
  TempDir dir;
  auto log = openLog(dir.path());
  {
    CountsByType projection;
    ProjectionRunner runner(*log, projection, testing::testLogger());
    ASSERT_TRUE(runner.open());
  }
  ASSERT_TRUE(log->openTable("proj.counts.2"));  // as a crash mid-rebuild leaves it
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  EXPECT_EQ(runner.table()->name(), "proj.counts.1");
  auto tables = log->listTables();
  EXPECT_EQ(std::count(tables.begin(), tables.end(), "proj.counts.2"), 0);
}

TEST(Projection, FailingEventStallsTheViewBeforeItAndNamesIt) {
  TempDir dir;
  auto log = openLog(dir.path());
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(2, "E"), {}));
  ASSERT_TRUE(runner.catchUp());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(1, "Poison"), {}));
  auto caught = runner.catchUp();
  ASSERT_FALSE(caught);
  EXPECT_NE(caught.error().message.find("event 3 (Poison)"), std::string::npos)
      << caught.error().message;
  EXPECT_EQ(runner.checkpoint(), 2u);
  EXPECT_EQ(countOf(runner, "E"), "2");
}

// A catch-up that commits a batch and then fails on the next keeps what it
// committed: the retry starts after it and applies no event twice.
TEST(Projection, AFailureAfterACommittedBatchKeepsItsCheckpoint) {
  TempDir dir;
  auto log = openLog(dir.path());
  CountsByType projection(1, /*poisonFailures=*/1);
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(1000, "E"), {}));
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(1, "Poison"), {}));
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(5, "E"), {}));
  auto failed = runner.catchUp();  // commits 1..1000, fails on 1001
  ASSERT_FALSE(failed);
  EXPECT_EQ(runner.checkpoint(), 1000u);
  EXPECT_EQ(countOf(runner, "E"), "1000");
  auto retried = runner.catchUp();
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_EQ(*retried, 1006u);
  EXPECT_EQ(countOf(runner, "E"), "1005");
  EXPECT_EQ(countOf(runner, "Poison"), "1");
}

TEST(Projection, ReservedKeysAreRefused) {
  TempDir dir;
  auto log = openLog(dir.path());
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(1, "Reserved"), {}));
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  auto opened = runner.open();
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("0x00"), std::string::npos) << opened.error().message;
}

TEST(Projection, LiveRunnerFollowsNewEventsWithoutBeingAsked) {
  TempDir dir;
  auto log = openLog(dir.path());
  CountsByType projection;
  ProjectionRunner runner(*log, projection, testing::testLogger());
  ASSERT_TRUE(runner.open());
  runner.startLive();
  ASSERT_TRUE(log->append("a", store::ExpectedVersion::any(), someEvents(7, "E"), {}));
  // Wait (generously) for the live thread; this checks progress, not speed.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (runner.checkpoint() < 7 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  runner.stop();
  EXPECT_EQ(runner.checkpoint(), 7u);
  EXPECT_EQ(countOf(runner, "E"), "7");
  EXPECT_FALSE(runner.lastLiveError().has_value());
}

}  // namespace
}  // namespace parcours::engine
