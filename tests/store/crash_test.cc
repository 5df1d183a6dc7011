// kill -9 in the middle of durable appends: everything acknowledged before
// the kill is there after reopening, with no gap and nothing half-written.
// The appender is tests/store/crash_child.cc, run in its own process.
// (The full crash tester with fault injection is tools/ work of its own;
// this is the smallest proof of the promise.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

TEST(Crash, KillNineLosesNothingAcknowledged) {
  for (int round = 0; round < 3; ++round) {
    testing::TempDir dir;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Only async-signal-safe calls between fork and exec: the parent may
      // have threads (RocksDB's pools outlive earlier tests in this process).
      ::dup2(fds[1], STDOUT_FILENO);
      ::execl(PARCOURS_CRASH_CHILD, "crash_child", dir.path().c_str(), nullptr);
      _exit(127);
    }
    ::close(fds[1]);
    // Read acknowledgements until enough have come, then kill mid-stream.
    std::map<std::string, StreamVersion> acknowledged;
    Position highest = 0;
    FILE* acks = ::fdopen(fds[0], "r");
    ASSERT_NE(acks, nullptr);
    char stream[64];
    unsigned long long version = 0, position = 0;
    int count = 0;
    while (count < 200 + 150 * round &&
           std::fscanf(acks, "%63s %llu %llu", stream, &version, &position) == 3) {
      acknowledged[stream] = std::max<StreamVersion>(acknowledged[stream], version);
      highest = std::max<Position>(highest, position);
      ++count;
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // Acks already in the pipe when the child died were acknowledged too.
    while (std::fscanf(acks, "%63s %llu %llu", stream, &version, &position) == 3) {
      acknowledged[stream] = std::max<StreamVersion>(acknowledged[stream], version);
      highest = std::max<Position>(highest, position);
    }
    std::fclose(acks);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended on its own: " << status;
    ASSERT_FALSE(acknowledged.empty());

    auto log = testing::openLog(dir.path());
    ASSERT_GE(log->head(), highest);
    for (const auto& [id, lastVersion] : acknowledged) {
      EXPECT_GE(*log->streamVersion(id), lastVersion) << id;
    }
    // No gap, no duplicate, no half batch: every stream holds whole batches
    // of 3 with versions 1..n, and positions run 1..head.
    auto all = log->readAll(1, 100000);
    ASSERT_TRUE(all) << all.error().message;
    ASSERT_EQ(all->size(), log->head());
    std::map<std::string, StreamVersion> versions;
    for (std::size_t i = 0; i < all->size(); ++i) {
      const RecordedEvent& e = (*all)[i];
      EXPECT_EQ(e.position, i + 1);
      EXPECT_EQ(e.streamVersion, ++versions[e.streamId]) << e.streamId;
    }
    for (const auto& [id, v] : versions) EXPECT_EQ(v % 3, 0u) << id << " ends mid-batch";
    // And the log takes appends again where it stopped.
    const StreamVersion v0 = versions["crash-0"];
    EXPECT_TRUE(log->append("crash-0", ExpectedVersion::exactly(v0), testing::someEvents(1), {}));
  }
}

}  // namespace
}  // namespace parcours::store
