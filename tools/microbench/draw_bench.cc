// Micro-benchmarks of the juror draw and score normalisation at the sizes
// the judging issue sets: 10,000 dossiers to 500 jurors with k = 3 (target
// <= 1 s) and 100,000 scores normalised (target <= 100 ms).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <random>

#include "parcours/workflows/judging/assignment.h"
#include "parcours/workflows/judging/normalisation.h"

namespace parcours::workflows::judging {
namespace {

AssignmentInputs largeCampaign(std::size_t jurors, std::size_t dossiers, std::size_t conflicts) {
  AssignmentInputs in;
  for (std::size_t j = 0; j < jurors; ++j) in.jurors.push_back({"juror-" + std::to_string(j), {}});
  for (std::size_t d = 0; d < dossiers; ++d) {
    in.dossiers.push_back({"dossier-" + std::to_string(d), {}});
  }
  std::mt19937_64 random(7);
  for (std::size_t c = 0; c < conflicts; ++c) {
    in.exclusions.push_back({in.jurors[random() % jurors].id, in.dossiers[random() % dossiers].id});
  }
  return in;
}

void BM_DrawAssignment(benchmark::State& state) {
  const AssignmentInputs in = largeCampaign(static_cast<std::size_t>(state.range(1)),
                                            static_cast<std::size_t>(state.range(0)), 1000);
  for (auto _ : state) {
    auto a = drawAssignment(1, {3, false}, in, "benchmark seed");
    if (!a) state.SkipWithError(a.error().message.c_str());
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DrawAssignment)->Args({10000, 500})->Unit(benchmark::kMillisecond);

void BM_NormaliseScores(benchmark::State& state) {
  // 100,000 scores: 4,000 dossiers × 5 jurors × 5 criteria, 100 jurors.
  const std::vector<Criterion> criteria = {{"a", "A", 0, 10, 2}, {"b", "B", 0, 10, 2},
                                           {"c", "C", 0, 10, 1}, {"d", "D", 0, 10, 1},
                                           {"e", "E", 0, 10, 1}};
  std::mt19937_64 random(11);
  std::vector<RawScore> scores;
  const std::size_t dossiers = static_cast<std::size_t>(state.range(0)) / 25;
  for (std::size_t d = 0; d < dossiers; ++d) {
    for (std::size_t j = 0; j < 5; ++j) {
      const std::string juror = "juror-" + std::to_string((d * 5 + j) % 100);
      for (const Criterion& c : criteria) {
        scores.push_back({"dossier-" + std::to_string(d), juror, c.id,
                          static_cast<std::uint32_t>(random() % 11)});
      }
    }
  }
  for (auto _ : state) {
    auto n = normaliseScores(NormalisationRule::ZScore, 5, criteria, scores);
    if (!n) state.SkipWithError(n.error().message.c_str());
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(scores.size()));
}
BENCHMARK(BM_NormaliseScores)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parcours::workflows::judging

// ---- the same run's raw RocksDB, as the unit the judging figures are
// expressed in (docs/performance.md): one unsynced Put of a 256-byte value
// into a fresh database, WAL on, default options.
#include <rocksdb/db.h>

#include <filesystem>

namespace parcours::workflows::judging {
namespace {

void BM_RawRocksDbPut(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("parcours-rawput-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, dir.string(), &raw).ok()) {
    state.SkipWithError("cannot open RocksDB");
    return;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  const std::string value(256, 'v');
  std::uint64_t i = 0;
  for (auto _ : state) {
    char key[24];
    std::snprintf(key, sizeof key, "k%020llu", static_cast<unsigned long long>(i++));
    if (!db->Put(rocksdb::WriteOptions(), key, value).ok()) state.SkipWithError("put failed");
  }
  state.SetItemsProcessed(state.iterations());
  db.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_RawRocksDbPut);

}  // namespace
}  // namespace parcours::workflows::judging
