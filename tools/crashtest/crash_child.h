// The process `parcours crashtest` kills: it opens the store with its
// projections following the log, then appends and runs workflow commands
// from many threads, writing one acknowledgement line to stdout (the
// parent's pipe) after each durable answer, until it is killed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace parcours::crashtest {

struct ChildSettings {
  std::string dataDir;
  std::uint64_t seed = 0;
  unsigned round = 0;
  unsigned threads = 6;
};

// Returns only when something failed (the exit code); otherwise runs until
// killed.
int runChild(const ChildSettings& settings, std::shared_ptr<spdlog::logger> logger);

}  // namespace parcours::crashtest
