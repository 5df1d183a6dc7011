// The process crash_test.cc kills: opens the log in argv[1] and appends from
// 4 threads, 3 events at a time to its own stream, printing
// "<stream> <lastVersion> <lastPosition>" on stdout after each acknowledgement,
// until it is killed.
#include <unistd.h>

#include <cstdio>
#include <thread>
#include <vector>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

int main(int argc, char** argv) {
  using namespace parcours::store;
  if (argc != 2) return 2;
  Options options;
  options.path = argv[1];
  auto log = EventLog::open(options, parcours::testing::testLogger());
  if (!log) return 3;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string stream = "crash-" + std::to_string(t);
      for (StreamVersion v = 0;; v += 3) {
        auto r = (*log)->append(stream, ExpectedVersion::exactly(v),
                                parcours::testing::someEvents(3), {});
        if (!r) _exit(4);
        char line[128];
        const int n = std::snprintf(line, sizeof line, "%s %llu %llu\n", stream.c_str(),
                                    static_cast<unsigned long long>(r->streams[0].lastVersion),
                                    static_cast<unsigned long long>(r->lastPosition));
        // One write per line: lines from the threads never interleave.
        if (::write(STDOUT_FILENO, line, static_cast<std::size_t>(n)) != n) _exit(5);
      }
    });
  }
  for (auto& t : threads) t.join();
  return 0;
}
