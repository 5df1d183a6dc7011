// `parcours crashtest`: kill -9 at random moments, then prove nothing
// acknowledged was lost (crash_check.h says what is checked).
//
// Each round starts a child and kills it with SIGKILL after a random delay:
//  - in-process rounds: `parcours crashtest --child`, whose threads append
//    raw events (one stream, or two streams atomically), run workflow
//    commands and open campaigns past their deadline, with the views, the
//    Merkle index and the timer scheduler following the log;
//  - HTTP rounds: `parcours serve`, with this process's threads submitting
//    dossiers and confirming them over HTTP with Idempotency-Keys.
// The child (or the HTTP answers) reports every acknowledgement as it
// happens; after the kill the store is reopened and checked against every
// acknowledgement of the rounds so far. A store serves `roundsPerStore`
// rounds, then a fresh one starts (so long runs stay quick to check).
// Everything random comes from the seed, which the report prints.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crash_check.h"
#include "parcours/store/result.h"

namespace spdlog {
class logger;
}

namespace parcours::crashtest {

struct CrashTestSettings {
  std::string workDir;      // the stores and the children's logs go here
  std::string parcoursBin;  // this program: the child and the server
  std::uint64_t seed = 0;
  unsigned rounds = 50;
  unsigned threads = 6;
  unsigned roundsPerStore = 10;
  unsigned killMinMs = 20;
  unsigned killMaxMs = 400;
  bool http = true;  // about one round in three over HTTP
};

struct RoundResult {
  unsigned round = 0;
  char mode = 'd';  // 'd' in process, 'h' over HTTP
  unsigned killAfterMs = 0;
  std::uint64_t acks = 0;  // acknowledged in this round
  CheckReport check;
};

struct CrashTestReport {
  std::uint64_t seed = 0;
  std::vector<RoundResult> rounds;
  bool ok() const;
};

using RoundDone = std::function<void(const RoundResult&)>;

// Errors: the child or the server could not be started (IoError), or died
// on its own before the kill (the round's log is named).
Result<CrashTestReport> runCrashTest(const CrashTestSettings& settings,
                                     std::shared_ptr<spdlog::logger> logger,
                                     const RoundDone& roundDone = {});

}  // namespace parcours::crashtest
