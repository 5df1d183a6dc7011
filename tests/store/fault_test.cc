// The fault matrix: the disk misbehaves below RocksDB (FaultFileSystem,
// through RocksDB's public FileSystem wrapper) and the log must
//  - surface the error to the caller (IoError naming what failed),
//  - acknowledge nothing that was not synced,
//  - turn read-only with a clear reason, reads still working,
//  - reopen on a healthy disk with everything acknowledged, identical.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "fault_file_system.h"
#include "parcours/store/event_log.h"
#include "temp_dir.h"
#include "eventually.h"

namespace parcours::store {
namespace {

using testing::FaultFileSystem;
using Fault = FaultFileSystem::Fault;
using Target = FaultFileSystem::Target;

std::unique_ptr<EventLog> openOver(const std::filesystem::path& dir,
                                   std::shared_ptr<FaultFileSystem> fs) {
  Options options;
  options.path = dir.string();
  options.fileSystem = std::move(fs);
  auto log = EventLog::open(options, testing::testLogger());
  EXPECT_TRUE(log) << log.error().message;
  return log ? std::move(*log) : nullptr;
}

NewEvent eventFor(const std::string& stream, StreamVersion version) {
  return {"Thing", "payload of " + stream + " v" + std::to_string(version)};
}

// What was acknowledged: stream -> (version -> position).
using Acknowledged = std::map<std::string, std::map<StreamVersion, Position>>;

// Every acknowledged event is in the log reopened on a healthy disk, at its
// position, with its payload; positions run 1..head without a gap.
void expectEverythingAcknowledged(const std::filesystem::path& dir, const Acknowledged& acked) {
  auto log = testing::openLog(dir);
  ASSERT_TRUE(log);
  EXPECT_FALSE(log->readOnly()) << log->readOnlyReason();
  EXPECT_FALSE(log->damage().has_value());
  for (const auto& [stream, versions] : acked) {
    auto events = log->readStream(stream, 1, Direction::Forward, 100000);
    ASSERT_TRUE(events) << events.error().message;
    for (const auto& [version, position] : versions) {
      ASSERT_GE(events->size(), version) << stream << " lost acknowledged version " << version;
      const RecordedEvent& e = (*events)[version - 1];
      EXPECT_EQ(e.position, position) << stream << " v" << version;
      EXPECT_EQ(e.payload, eventFor(stream, version).payload);
    }
  }
  auto all = log->readAll(1, 100000);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), log->head());
  for (std::size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i].position, i + 1);
  // And the log takes appends again.
  EXPECT_TRUE(log->append("after-reopen", ExpectedVersion::any(), testing::someEvents(1), {}));
}

// Appends versions 1..n to `stream`, one event each, recording the answers.
void appendAcknowledged(EventLog& log, const std::string& stream, StreamVersion n,
                        Acknowledged& acked) {
  for (StreamVersion v = 1; v <= n; ++v) {
    auto r = log.append(stream, ExpectedVersion::exactly(v - 1), {eventFor(stream, v)}, {});
    ASSERT_TRUE(r) << r.error().message;
    acked[stream][v] = r->lastPosition;
  }
}

struct FaultCase {
  const char* name;
  Fault fault;
  const char* says;  // in the error the caller gets
};

class DiskFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(DiskFault, FailsTheAppendTurnsReadOnlyAndLosesNothingAcknowledged) {
  const FaultCase& c = GetParam();
  testing::TempDir dir;
  auto fs = std::make_shared<FaultFileSystem>();
  Acknowledged acked;
  {
    auto log = openOver(dir.path(), fs);
    ASSERT_TRUE(log);
    ASSERT_NO_FATAL_FAILURE(appendAcknowledged(*log, "s", 5, acked));
    fs->inject(c.fault, Target::WriteAheadLog);
    auto failed = log->append("s", ExpectedVersion::exactly(5), {eventFor("s", 6)}, {});
    ASSERT_FALSE(failed) << "acknowledged an append the disk refused";
    EXPECT_EQ(failed.error().code, ErrorCode::IoError);
    EXPECT_NE(failed.error().message.find(c.says), std::string::npos) << failed.error().message;
    EXPECT_GT(fs->faultsReturned(), 0u);
    // Read-only, with the reason; reads still work and see only what was
    // acknowledged.
    EXPECT_TRUE(log->readOnly());
    EXPECT_NE(log->readOnlyReason().find(c.says), std::string::npos) << log->readOnlyReason();
    EXPECT_EQ(log->head(), 5u);
    auto read = log->readAll(1, 100);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->size(), 5u);
    // Healing the disk does not make a log that failed writable again
    // behind its owner's back: reopen it.
    fs->inject(Fault::None, Target::AnyFile);
    auto refused = log->append("other", ExpectedVersion::noStream(), {eventFor("other", 1)}, {});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::IoError);
    EXPECT_NE(refused.error().message.find("read-only"), std::string::npos)
        << refused.error().message;
  }
  expectEverythingAcknowledged(dir.path(), acked);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, DiskFault,
    ::testing::Values(FaultCase{"fsync_fails", Fault::SyncError, "injected: fsync failed"},
                      FaultCase{"write_fails", Fault::WriteError, "injected: write failed"},
                      FaultCase{"disk_full", Fault::NoSpace, "No space left"}),
    [](const auto& info) { return std::string(info.param.name); });

// The disk fills up while RocksDB flushes its memtable to a table file: the
// flush fails, and so does every later write; what was acknowledged stays.
TEST(DiskFault, DiskFullWhileFlushingStopsWritesCleanly) {
  testing::TempDir dir;
  auto fs = std::make_shared<FaultFileSystem>();
  Acknowledged acked;
  {
    auto log = openOver(dir.path(), fs);
    ASSERT_TRUE(log);
    ASSERT_NO_FATAL_FAILURE(appendAcknowledged(*log, "s", 20, acked));
    fs->inject(Fault::NoSpace, Target::TableFiles);
    auto compacted = log->compact();  // flushes the memtables to table files
    ASSERT_FALSE(compacted);
    EXPECT_NE(compacted.error().message.find("No space left"), std::string::npos)
        << compacted.error().message;
    auto r = log->append("s", ExpectedVersion::exactly(20), {eventFor("s", 21)}, {});
    ASSERT_FALSE(r) << "RocksDB stopped writing after the failed flush; the log must say so";
    EXPECT_EQ(r.error().code, ErrorCode::IoError);
    EXPECT_TRUE(log->readOnly());
    EXPECT_EQ(log->head(), 20u);
    fs->inject(Fault::None, Target::AnyFile);
  }
  expectEverythingAcknowledged(dir.path(), acked);
}

// A slow disk: every fsync takes 20 ms. Appenders wait for it (nothing is
// answered before its sync), and group commit shares each sync.
TEST(DiskFault, SlowSyncsAreWaitedForAndShared) {
  testing::TempDir dir;
  auto fs = std::make_shared<FaultFileSystem>();
  fs->delaySyncs(std::chrono::milliseconds(20), Target::WriteAheadLog);
  auto log = openOver(dir.path(), fs);
  ASSERT_TRUE(log);
  const std::uint64_t syncsBefore = fs->syncs();
  constexpr int threads = 8, perThread = 10;
  std::vector<std::thread> appenders;
  std::atomic<int> failures{0};
  for (int t = 0; t < threads; ++t) {
    appenders.emplace_back([&, t] {
      const std::string stream = "slow-" + std::to_string(t);
      for (StreamVersion v = 1; v <= perThread; ++v) {
        const std::uint64_t syncsSeen = fs->syncs();
        if (!log->append(stream, ExpectedVersion::exactly(v - 1), {eventFor(stream, v)}, {})) {
          ++failures;
        }
        // Answered only after a sync that began after the append was made.
        if (fs->syncs() <= syncsSeen) ++failures;
      }
    });
  }
  for (auto& a : appenders) a.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(log->head(), static_cast<Position>(threads * perThread));
  EXPECT_LT(fs->syncs() - syncsBefore, static_cast<std::uint64_t>(threads * perThread))
      << "each append synced alone: group commit did not share the slow syncs";
}

// The power goes out while 8 threads append: whatever the disk had synced
// survives, and that includes every acknowledged event.
TEST(DiskFault, PowerCutLosesNothingAcknowledged) {
  std::uint64_t droppedInAllRounds = 0;
  for (int round = 0; round < 3; ++round) {
    testing::TempDir dir;
    testing::TempDir afterReboot;
    auto fs = std::make_shared<FaultFileSystem>();
    fs->delaySyncs(std::chrono::milliseconds(1), Target::WriteAheadLog);
    Acknowledged acked;
    std::mutex ackedMutex;
    Acknowledged ackedBeforeTheCut;
    std::uint64_t dropped = 0;
    {
      auto log = openOver(dir.path(), fs);
      ASSERT_TRUE(log);
      std::atomic<bool> stop{false};
      std::vector<std::thread> appenders;
      for (int t = 0; t < 8; ++t) {
        appenders.emplace_back([&, t] {
          const std::string stream = "p-" + std::to_string(t);
          for (StreamVersion v = 1; !stop; ++v) {
            auto r =
                log->append(stream, ExpectedVersion::exactly(v - 1), {eventFor(stream, v)}, {});
            ASSERT_TRUE(r) << r.error().message;
            std::lock_guard lock(ackedMutex);
            acked[stream][v] = r->lastPosition;
          }
        });
      }
      // The cut comes once appends are verifiably under way, later each round.
      auto ackedSoFar = [&] {
        std::lock_guard lock(ackedMutex);
        std::size_t n = 0;
        for (const auto& [stream, versions] : acked) n += versions.size();
        return n;
      };
      const std::size_t ackedAtTheCut = 40 + 60 * static_cast<std::size_t>(round);
      // EXPECT, not ASSERT: the appenders must still be stopped and joined.
      EXPECT_TRUE(testing::eventually(
          std::to_string(ackedAtTheCut) + " appends acknowledged before the cut",
          [&] { return ackedSoFar() >= ackedAtTheCut; },
          [&] { return std::to_string(ackedSoFar()) + " acknowledged"; }));
      // Whatever was acknowledged so far was synced before the image.
      {
        std::lock_guard lock(ackedMutex);
        ackedBeforeTheCut = acked;
      }
      dropped = fs->powerCutImage(dir.path(), afterReboot.path());
      stop = true;
      for (auto& a : appenders) a.join();
    }
    ASSERT_FALSE(ackedBeforeTheCut.empty());
    droppedInAllRounds += dropped;
    expectEverythingAcknowledged(afterReboot.path(), ackedBeforeTheCut);
  }
  // Appends were in flight at the cuts: the images lost unsynced tails
  // (else the test would prove nothing about what sync protects).
  EXPECT_GT(droppedInAllRounds, 0u);
}

}  // namespace
}  // namespace parcours::store
