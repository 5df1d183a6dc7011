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

using Clock = std::chrono::steady_clock;
inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
inline double microsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

}  // namespace parcours::bench
