// What the crash test checks after each kill, on the store reopened:
//  - it opens whole (not damaged, not read-only);
//  - positions run 1..head and each stream's versions 1..n, no gap, no
//    duplicate;
//  - every command in the log is whole: the events carrying its command id
//    are exactly the range its recorded answer names (no half batch), and a
//    raw append holds all n of its n events;
//  - every acknowledgement is there: the recorded answer, the events at its
//    positions carrying its command id, the streams at their versions, and
//    for raw appends the very bytes written;
//  - command ids still dedupe: a sample of acknowledged commands sent again
//    come back deduplicated with their first answer, writing nothing;
//  - the projections (views and Merkle index) resume from their checkpoints
//    and equal a rebuild from the log;
//  - `parcours verify` passes (hash chain, stream copies, Merkle index);
//  - the timers: after a restart's catch-up (`timers run-due`), every
//    timer due was fired exactly once, none before its due instant.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "crash_plan.h"

namespace spdlog {
class logger;
}

namespace parcours::crashtest {

struct CheckReport {
  std::vector<std::string> problems;  // empty: everything held
  std::uint64_t events = 0;           // in the log
  std::uint64_t acksChecked = 0;
  std::uint64_t dedupeProbes = 0;
  std::uint64_t timersFired = 0;      // due timers found fired once after the catch-up
  bool ok() const { return problems.empty(); }
};

CheckReport checkStore(const std::string& dataDir, const std::vector<Ack>& acks,
                       std::mt19937_64& rng, std::shared_ptr<spdlog::logger> logger);

}  // namespace parcours::crashtest
