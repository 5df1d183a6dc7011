// Reads: one stream both ways, the global log, head, notifications.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "parcours/store/event_log.h"
#include "parcours/store/limits.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::openLog;
using testing::someEvents;
using testing::TempDir;

std::vector<StreamVersion> versionsOf(const std::vector<RecordedEvent>& events) {
  std::vector<StreamVersion> v;
  for (const auto& e : events) v.push_back(e.streamVersion);
  return v;
}

class Reads : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = openLog(dir_.path());
    // Interleave two streams so their events are not adjacent in the log.
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(log_->append("dossier-a", ExpectedVersion::any(), someEvents(1, "A"), {}));
      ASSERT_TRUE(log_->append("dossier-ab", ExpectedVersion::any(), someEvents(1, "B"), {}));
    }
  }
  TempDir dir_;
  std::unique_ptr<EventLog> log_;
};

TEST_F(Reads, StreamForwardFromAVersionWithALimit) {
  auto events = log_->readStream("dossier-a", 4, Direction::Forward, 3);
  ASSERT_TRUE(events);
  EXPECT_EQ(versionsOf(*events), (std::vector<StreamVersion>{4, 5, 6}));
  for (const auto& e : *events) EXPECT_EQ(e.streamId, "dossier-a");
  EXPECT_EQ((*events)[0].position, 7u);  // a1=1, ab1=2, a2=3, ...
}

TEST_F(Reads, StreamForwardFromZeroOrOneStartsAtTheBeginning) {
  EXPECT_EQ(log_->readStream("dossier-a", 0, Direction::Forward, 100)->size(), 10u);
  EXPECT_EQ(versionsOf(*log_->readStream("dossier-a", 1, Direction::Forward, 2)),
            (std::vector<StreamVersion>{1, 2}));
}

TEST_F(Reads, StreamBackwardFromTheEnd) {
  auto events = log_->readStream("dossier-a", 0, Direction::Backward, 3);
  ASSERT_TRUE(events);
  EXPECT_EQ(versionsOf(*events), (std::vector<StreamVersion>{10, 9, 8}));
}

TEST_F(Reads, StreamBackwardFromAVersion) {
  auto events = log_->readStream("dossier-a", 3, Direction::Backward, 10);
  ASSERT_TRUE(events);
  EXPECT_EQ(versionsOf(*events), (std::vector<StreamVersion>{3, 2, 1}));
}

TEST_F(Reads, StreamIdThatPrefixesAnotherDoesNotSeeIt) {
  // "dossier-a" is a prefix of "dossier-ab": neither sees the other's events.
  auto a = log_->readStream("dossier-a", 1, Direction::Forward, 100);
  auto back = log_->readStream("dossier-a", 0, Direction::Backward, 100);
  ASSERT_TRUE(a && back);
  EXPECT_EQ(a->size(), 10u);
  EXPECT_EQ(back->size(), 10u);
  for (const auto& e : *back) EXPECT_EQ(e.streamId, "dossier-a");
}

TEST_F(Reads, UnknownStreamIsEmptyAtVersionZero) {
  EXPECT_TRUE(log_->readStream("nobody", 1, Direction::Forward, 10)->empty());
  EXPECT_TRUE(log_->readStream("nobody", 0, Direction::Backward, 10)->empty());
  EXPECT_EQ(*log_->streamVersion("nobody"), 0u);
}

TEST_F(Reads, PastTheEndIsEmpty) {
  EXPECT_TRUE(log_->readStream("dossier-a", 11, Direction::Forward, 10)->empty());
  EXPECT_TRUE(log_->readAll(21, 10)->empty());
}

TEST_F(Reads, GlobalLogFromAPositionWithALimit) {
  auto events = log_->readAll(5, 4);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ((*events)[i].position, 5 + i);
  EXPECT_EQ((*events)[0].streamId, "dossier-a");
  EXPECT_EQ((*events)[1].streamId, "dossier-ab");
  EXPECT_EQ(log_->readAll(0, 100)->size(), 20u);
  EXPECT_EQ(log_->head(), 20u);
}

TEST_F(Reads, OversizedLimitsAndBadIdsAreInvalidInput) {
  auto all = log_->readAll(1, limits::eventsPerReadMax + 1);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().code, ErrorCode::InvalidInput);
  auto stream = log_->readStream("bad id", 1, Direction::Forward, 1);
  ASSERT_FALSE(stream);
  EXPECT_EQ(stream.error().code, ErrorCode::InvalidInput);
}

TEST_F(Reads, WaitForHeadWakesWhenAnAppendIsDurable) {
  std::atomic<Position> seen{0};
  std::thread waiter([&] { seen = log_->waitForHead(20, std::chrono::seconds(10)); });
  ASSERT_TRUE(log_->append("late", ExpectedVersion::any(), someEvents(1), {}));
  waiter.join();
  EXPECT_EQ(seen.load(), 21u);
  // A wait that nothing satisfies returns the head when it times out.
  EXPECT_EQ(log_->waitForHead(21, std::chrono::milliseconds(10)), 21u);
}

TEST_F(Reads, HeadListenersHearEveryNewHeadUntilUnsubscribed) {
  std::vector<Position> heard;
  std::mutex mutex;
  auto subscription = log_->subscribeHead([&](Position p) {
    std::lock_guard lock(mutex);
    heard.push_back(p);
  });
  ASSERT_TRUE(log_->append("x", ExpectedVersion::any(), someEvents(2), {}));
  ASSERT_TRUE(log_->append("x", ExpectedVersion::any(), someEvents(1), {}));
  subscription.reset();
  ASSERT_TRUE(log_->append("x", ExpectedVersion::any(), someEvents(1), {}));
  std::lock_guard lock(mutex);
  EXPECT_EQ(heard, (std::vector<Position>{22, 23}));
}

}  // namespace
}  // namespace parcours::store

namespace parcours::store {
namespace {

TEST(Compaction, ReadsAndAppendsAreUnchangedAfterCompacting) {
  testing::TempDir dir;
  auto log = testing::openLog(dir.path());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(log->append("s-" + std::to_string(i % 3), ExpectedVersion::any(),
                            testing::someEvents(5), {}));
  }
  auto before = log->readAll(1, 1000);
  ASSERT_TRUE(log->compact());
  auto after = log->readAll(1, 1000);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(*before, *after);
  EXPECT_EQ(*log->streamVersion("s-1"), 35u);
  ASSERT_TRUE(log->append("s-1", ExpectedVersion::exactly(35), testing::someEvents(1), {}));
}

TEST(Scan, VisitsInPlaceAndStopsOnTheVisitorsError) {
  testing::TempDir dir;
  auto log = testing::openLog(dir.path());
  ASSERT_TRUE(log->append("s", ExpectedVersion::any(), testing::someEvents(10), {}));
  std::vector<Position> seen;
  auto last = log->scanAll(3, 100, [&](const EventView& e) -> Status {
    seen.push_back(e.position);
    if (e.position == 6) return Error::refused("enough");
    return okStatus();
  });
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().message, "enough");
  EXPECT_EQ(seen, (std::vector<Position>{3, 4, 5, 6}));
  auto limited = log->scanAll(9, 100, [](const EventView&) { return okStatus(); });
  ASSERT_TRUE(limited);
  EXPECT_EQ(*limited, 10u);
  EXPECT_EQ(*log->scanAll(11, 100, [](const EventView&) { return okStatus(); }), 0u);
}

}  // namespace
}  // namespace parcours::store
