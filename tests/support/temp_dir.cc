#include "temp_dir.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

namespace parcours::testing {

TempDir::TempDir() {
  std::random_device random;
  const auto base = std::filesystem::temp_directory_path();
  path_ = base / ("parcours-test-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
  // Private, as parcours makes its own directories (a key store in it
  // refuses a directory others may enter).
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::shared_ptr<spdlog::logger> testLogger() {
  if (std::getenv("PARCOURS_TEST_LOG") != nullptr) {
    return std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  }
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

std::unique_ptr<store::EventLog> openLog(const std::filesystem::path& dir, bool sync) {
  store::Options options;
  options.path = dir.string();
  options.sync = sync;
  auto log = store::EventLog::open(options, testLogger());
  if (!log) {
    ADD_FAILURE() << "opening " << dir << ": " << log.error().message;
    return nullptr;
  }
  return std::move(log).value();
}

std::vector<store::NewEvent> someEvents(std::size_t n, const std::string& type) {
  std::vector<store::NewEvent> events;
  for (std::size_t i = 0; i < n; ++i) events.push_back({type, type + "-" + std::to_string(i)});
  return events;
}

std::vector<std::string> filesContaining(const std::filesystem::path& dir,
                                         const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    if (bytes.find(needle) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

}  // namespace parcours::testing
