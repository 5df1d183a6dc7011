// kill -9 in the middle of durable appends: everything acknowledged before
// the kill is there after reopening, with no gap and nothing half-written.
// (The full crash tester with fault injection is tools/ work of its own;
// this is the smallest proof of the promise.)
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <thread>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

// The child: 4 threads appending batches of 3 events to their own stream,
// writing "<stream> <lastVersion> <lastPosition>\n" to `fd` after each ack.
[[noreturn]] void appendUntilKilled(const std::filesystem::path& dir, int fd) {
  Options options;
  options.path = dir.string();
  auto log = EventLog::open(options, testing::testLogger());
  if (!log) _exit(3);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = "crash-" + std::to_string(t);
      for (StreamVersion v = 0;; v += 3) {
        auto r = (*log)->append(stream, ExpectedVersion::exactly(v), testing::someEvents(3), {});
        if (!r) _exit(4);
        char line[128];
        const int n = std::snprintf(line, sizeof line, "%s %llu %llu\n", stream.c_str(),
                                    static_cast<unsigned long long>(r->streams[0].lastVersion),
                                    static_cast<unsigned long long>(r->lastPosition));
        if (::write(fd, line, static_cast<std::size_t>(n)) != n) _exit(5);
      }
    });
  }
  for (auto& t : threads) t.join();
  _exit(0);
}

TEST(Crash, KillNineLosesNothingAcknowledged) {
  for (int round = 0; round < 3; ++round) {
    testing::TempDir dir;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      appendUntilKilled(dir.path(), fds[1]);
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
