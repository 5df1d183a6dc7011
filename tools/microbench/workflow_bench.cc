// Micro-benchmarks of the workflow's per-command CPU: a decision in the
// Boost.MSM dossier machine (restore, guards, actions, encoding the events,
// the fold's cross-check), a refusal in words, and the fold of one event.
#include <benchmark/benchmark.h>

#include "bench_campaign.h"
#include "parcours/workflows/dossier_machine.h"

namespace parcours::workflows {
namespace {

namespace cmd = dossier_command;

CampaignState benchCampaign() {
  CampaignState c;
  c.exists = true;
  c.campaignId = "bench";
  c.rulesVersions = {bench::benchRules()};
  c.jury = {{"juror-1", "Juror One", JuryRole::Juror}, {"juror-2", "Juror Two", JuryRole::Juror}};
  return c;
}

const DecisionInput inTime{1590969600000000, "bench", ""};  // 2020-06-01T00:00:00Z

DossierState submitted(const CampaignState& campaign) {
  auto decided = decideDossier("d-1", DossierState{}, campaign,
                               cmd::Submit{"bench", bench::benchApplication()}, inTime);
  DossierState state;
  for (const auto& e : decided->dossierEvents) {
    (void)applyDossierEvent(state, e.type, e.payload, inTime.nowMicros);
  }
  return state;
}

void BM_DecideSubmit(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  const DossierCommand submit = cmd::Submit{"bench", bench::benchApplication()};
  for (auto _ : state) {
    auto decided = decideDossier("d-1", DossierState{}, campaign, submit, inTime);
    benchmark::DoNotOptimize(decided);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideSubmit);

void BM_DecideEligibility(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  const DossierState dossier = submitted(campaign);
  const DossierCommand eligible = cmd::ConfirmEligibility{};
  for (auto _ : state) {
    auto decided = decideDossier("d-1", dossier, campaign, eligible, inTime);
    benchmark::DoNotOptimize(decided);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideEligibility);

// A late submission: the guard refuses and says why, with both times.
void BM_DecideLateSubmissionRefused(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  const DossierCommand submit = cmd::Submit{"bench", bench::benchApplication()};
  const DecisionInput late{1593561600000000, "bench", ""};  // 2020-07-01T00:00:00Z
  for (auto _ : state) {
    auto decided = decideDossier("d-1", DossierState{}, campaign, submit, late);
    if (decided) state.SkipWithError("a late submission was accepted");
    benchmark::DoNotOptimize(decided);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideLateSubmissionRefused);

void BM_FoldSubmitted(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  auto decided = decideDossier("d-1", DossierState{}, campaign,
                               cmd::Submit{"bench", bench::benchApplication()}, inTime);
  const DomainEvent& event = decided->dossierEvents.front();
  for (auto _ : state) {
    DossierState dossier;
    auto folded = applyDossierEvent(dossier, event.type, event.payload, inTime.nowMicros);
    benchmark::DoNotOptimize(folded);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FoldSubmitted);

}  // namespace
}  // namespace parcours::workflows
