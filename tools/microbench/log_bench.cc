// Micro-benchmarks of the log through its public API on a real RocksDB in a
// temporary directory: unsynced append of one event, read of a stream.
#include <benchmark/benchmark.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

#include "parcours/store/event_log.h"

namespace parcours::store {
namespace {

struct ScratchLog {
  std::filesystem::path dir;
  std::unique_ptr<EventLog> log;
  explicit ScratchLog(bool sync) {
    dir = std::filesystem::temp_directory_path() /
          ("parcours-microbench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    Options options;
    options.path = dir.string();
    options.sync = sync;
    auto opened = EventLog::open(
        options,
        std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>()));
    if (opened) log = std::move(opened).value();
  }
  ~ScratchLog() {
    log.reset();
    std::filesystem::remove_all(dir);
  }
};

void BM_AppendUnsynced(benchmark::State& state) {
  ScratchLog scratch(false);
  if (!scratch.log) {
    state.SkipWithError("cannot open the log");
    return;
  }
  const std::string payload(256, 'p');
  for (auto _ : state) {
    auto r = scratch.log->append("bench", ExpectedVersion::any(), {{"BenchEvent", payload}}, {});
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendUnsynced);

void BM_ReadStream100(benchmark::State& state) {
  ScratchLog scratch(false);
  if (!scratch.log) {
    state.SkipWithError("cannot open the log");
    return;
  }
  for (int s = 0; s < 100; ++s) {
    std::vector<NewEvent> events(100, NewEvent{"BenchEvent", std::string(256, 'p')});
    (void)scratch.log->append("stream-" + std::to_string(s), ExpectedVersion::any(), events, {});
  }
  int i = 0;
  for (auto _ : state) {
    auto events =
        scratch.log->readStream("stream-" + std::to_string(i++ % 100), 1, Direction::Forward, 100);
    benchmark::DoNotOptimize(events);
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_ReadStream100);

}  // namespace
}  // namespace parcours::store
