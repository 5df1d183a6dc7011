// What the workloads share: scratch directories, payloads, envelopes, timing.
#pragma once

#include <chrono>
#include <filesystem>
#include <random>
#include <string>

#include "bench.h"
#include "parcours/store/types.h"

namespace parcours::bench {

// A fresh directory under the bench's work dir, removed afterwards.
class ScratchDir {
 public:
  ScratchDir(const Settings& settings, const std::string& name);
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Incompressible payload bytes, reproducible from the seed.
std::string makePayload(std::size_t bytes, std::uint64_t seed);

// The envelope bytes parcours would store for this event: what raw RocksDB
// writes too, so that both sides move the same bytes.
std::string envelopeFor(store::Position position, const std::string& streamId,
                        store::StreamVersion version, const std::string& payload);

inline constexpr const char* benchEventType = "BenchEvent";

// Events/s of `threads` appenders, each on its own stream, `eventsPerAppend`
// events per call, for Settings::seconds (append_bench.cc); `hashChain`
// off only to measure what the chain costs.
Result<double> parcoursAppenders(const Settings& s, int threads, std::size_t eventsPerAppend,
                                 bool sync, const Logger& logger, bool hashChain = true);

// Raw RocksDB: one thread writing WriteBatches of `batchSize` envelopes
// under their positions (and with `bothCopies` under their stream keys too,
// as parcours's layout does), for Settings::seconds. Events/s.
Result<double> rawBatches(const Settings& s, std::size_t batchSize, bool sync, bool bothCopies);

// Runs parcours and raw alternately, `runs` times each, so that a noisy
// moment of the machine hits both sides alike.
template <typename Ours, typename Raw>
Status measurePair(Figure& f, int runs, Ours&& ours, Raw&& raw) {
  for (int i = 0; i < runs; ++i) {
    auto a = ours();
    if (!a) return std::move(a).takeError();
    f.runs.push_back(*a);
    auto b = raw();
    if (!b) return std::move(b).takeError();
    f.rawRuns.push_back(*b);
  }
  finalize(f);
  return okStatus();
}

using Clock = std::chrono::steady_clock;
inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
inline double microsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

}  // namespace parcours::bench
