// Micro-benchmarks of fair judging's pure functions (docs/judging.md): each
// function's block below is self-contained, in its own anonymous namespace.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "parcours/workflows/judging/selection.h"

// ---- selection ----
// Selection under a budget: the exact rule (a 0/1 knapsack over the envelope
// in steps of the amounts' common divisor) on 1,000 dossiers asking whole
// euros under a €500,000 envelope, the target being under 2 s; rank_skip on
// the same input for comparison.
namespace parcours::workflows::judging {
namespace {

// Requests are uniform whole euros, so their common divisor is 100 cents
// (€1.00): 500,001 budget steps, the table the target is about.
SelectionInput selectionBenchInput(SelectionRule rule) {
  std::mt19937_64 rng(0x5e1ec7);
  std::uniform_int_distribution<std::int64_t> wholeEuros(1'000, 150'000);
  std::uniform_int_distribution<std::int64_t> scoreMilli(0, 10'000);
  std::uniform_int_distribution<std::int64_t> submittedAt(0, 1'000'000'000);
  SelectionInput input;
  input.rule = rule;
  input.envelopeCents = 50'000'000;
  for (int i = 0; i < 1'000; ++i) {
    input.candidates.push_back(
        {"dossier-" + std::to_string(i), scoreMilli(rng), wholeEuros(rng) * 100, submittedAt(rng)});
  }
  return input;
}

void runSelectionBench(benchmark::State& state, SelectionRule rule) {
  const SelectionInput input = selectionBenchInput(rule);
  for (auto _ : state) {
    auto result = selectWithinBudget(input);
    if (!result.ok()) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result->selectedScoreMilli);
  }
}

void BM_ExactSelection1000(benchmark::State& state) {
  runSelectionBench(state, SelectionRule::Exact);
}
BENCHMARK(BM_ExactSelection1000)->Unit(benchmark::kMillisecond);

void BM_RankSkipSelection1000(benchmark::State& state) {
  runSelectionBench(state, SelectionRule::RankSkip);
}
BENCHMARK(BM_RankSkipSelection1000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace parcours::workflows::judging
// ---- end selection ----
