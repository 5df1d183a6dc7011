// Many threads at once: optimistic concurrency and group commit.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::openLog;
using testing::someEvents;
using testing::TempDir;

TEST(Concurrency, EightThreadsOnOneStreamGetExactlyOneWinnerPerVersion) {
  TempDir dir;
  auto log = openLog(dir.path());
  constexpr StreamVersion target = 300;
  std::mutex mutex;
  std::map<StreamVersion, int> winnersPerVersion;  // guarded by mutex
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      while (true) {
        auto version = log->streamVersion("contested");
        ASSERT_TRUE(version);
        if (*version >= target) return;
        auto result = log->append("contested", ExpectedVersion::exactly(*version),
                                  {{"Claimed", "thread-" + std::to_string(t)}}, {});
        if (result) {
          std::lock_guard lock(mutex);
          ++winnersPerVersion[result->streams[0].lastVersion];
          EXPECT_EQ(result->streams[0].lastVersion, *version + 1);
        } else {
          ASSERT_EQ(result.error().code, ErrorCode::Conflict) << result.error().message;
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(winnersPerVersion.size(), target);
  for (const auto& [version, winners] : winnersPerVersion) {
    EXPECT_EQ(winners, 1) << "version " << version;
  }
  auto events = log->readStream("contested", 1, Direction::Forward, 1000);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), target);
  for (std::size_t i = 0; i < events->size(); ++i) {
    EXPECT_EQ((*events)[i].streamVersion, i + 1);
    EXPECT_EQ((*events)[i].position, i + 1);  // the only stream: no gap in positions either
  }
  // With eight racers, some must have lost; print how many for the curious.
  std::cout << "conflicts: " << conflicts.load() << "\n";
}

TEST(Concurrency, SixtyFourAppendersAreAllDurableAfterReopen) {
  TempDir dir;
  constexpr int appenders = 64;
  constexpr int appendsEach = 40;
  std::vector<std::vector<AppendResult>> acknowledged(appenders);
  {
    auto log = openLog(dir.path());
    std::vector<std::thread> threads;
    for (int t = 0; t < appenders; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < appendsEach; ++i) {
          auto r = log->append("stream-" + std::to_string(t), ExpectedVersion::exactly(i),
                               {{"Appended", std::to_string(t) + ":" + std::to_string(i)}}, {});
          ASSERT_TRUE(r) << r.error().message;
          acknowledged[t].push_back(std::move(r).value());
        }
      });
    }
    for (auto& t : threads) t.join();
  }
  auto log = openLog(dir.path());
  ASSERT_EQ(log->head(), static_cast<Position>(appenders * appendsEach));
  auto all = log->readAll(1, appenders * appendsEach);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), static_cast<std::size_t>(appenders * appendsEach));
  for (int t = 0; t < appenders; ++t) {
    ASSERT_EQ(acknowledged[t].size(), static_cast<std::size_t>(appendsEach));
    for (int i = 0; i < appendsEach; ++i) {
      const Position p = acknowledged[t][i].firstPosition;
      const RecordedEvent& e = (*all)[p - 1];
      EXPECT_EQ(e.position, p);
      EXPECT_EQ(e.streamId, "stream-" + std::to_string(t));
      EXPECT_EQ(e.streamVersion, static_cast<StreamVersion>(i + 1));
      EXPECT_EQ(e.payload, std::to_string(t) + ":" + std::to_string(i));
    }
  }
}

TEST(Concurrency, SameCommandIdFromManyThreadsIsWrittenOnce) {
  TempDir dir;
  auto log = openLog(dir.path());
  std::vector<std::thread> threads;
  std::vector<AppendResult> results(16);
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      AppendContext context;
      context.commandId = "submit-once";
      auto r = log->append("dossier-1", ExpectedVersion::any(), someEvents(2), context);
      ASSERT_TRUE(r) << r.error().message;
      results[t] = std::move(r).value();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(log->head(), 2u);
  int originals = 0;
  for (const auto& r : results) {
    EXPECT_EQ(r.firstPosition, 1u);
    EXPECT_EQ(r.lastPosition, 2u);
    if (!r.deduplicated) ++originals;
  }
  EXPECT_EQ(originals, 1);
}

TEST(Concurrency, ReadersNeverSeeAGapOrAnEventPastTheHead) {
  TempDir dir;
  auto log = openLog(dir.path());
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      const Position head = log->head();
      auto events = log->readAll(1, 100000);
      ASSERT_TRUE(events) << events.error().message;
      ASSERT_GE(events->size(), head);
      for (std::size_t i = 0; i < events->size(); ++i) ASSERT_EQ((*events)[i].position, i + 1);
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(
            log->append("w-" + std::to_string(t), ExpectedVersion::any(), someEvents(3), {}));
      }
    });
  }
  for (auto& w : writers) w.join();
  done = true;
  reader.join();
  EXPECT_EQ(log->head(), 1200u);
}

}  // namespace
}  // namespace parcours::store
