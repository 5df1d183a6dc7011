// Test support: a real RocksDB in a fresh temporary directory per test.
#pragma once

#include <vector>

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <string>

#include "parcours/store/event_log.h"

namespace parcours::testing {

// A directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The files under `dir` (recursively) whose bytes contain `needle`: for
// proving a secret (an erased key, an e-mail) is nowhere on disk.
std::vector<std::string> filesContaining(const std::filesystem::path& dir,
                                         const std::string& needle);

// A logger that keeps quiet unless PARCOURS_TEST_LOG is set.
std::shared_ptr<spdlog::logger> testLogger();

// Opens the log at `dir` or fails the test.
std::unique_ptr<store::EventLog> openLog(const std::filesystem::path& dir, bool sync = true);

// `n` events of type `type` with payloads "<type>-<i>".
std::vector<store::NewEvent> someEvents(std::size_t n, const std::string& type = "Thing");

}  // namespace parcours::testing
