// Micro-benchmarks of the workflow's per-command CPU: a decision in the
// Boost.MSM dossier machine (restore, guards, actions, encoding the events,
// the fold's cross-check), a refusal in words, and the fold of one event;
// a submission under the label seed's form (docs/forms.md), and the check
// of its answers alone, against the same submission without a form.
#include <benchmark/benchmark.h>

#include "bench_campaign.h"
#include "demo_scenario.h"
#include "parcours/workflows/dossier_machine.h"
#include "parcours/workflows/form_answers.h"

namespace parcours::workflows {
namespace {

namespace cmd = dossier_command;

CampaignState benchCampaign() {
  CampaignState c;
  c.exists = true;
  c.campaignId = "bench";
  c.rulesVersions = {bench::benchRules()};
  c.deadlineMicros = c.rulesVersions.front().deadlineMicros;  // as CampaignOpened sets it
  c.jury = {{"juror-1", "Juror One", JuryRole::Juror}, {"juror-2", "Juror Two", JuryRole::Juror}};
  return c;
}

const DecisionInput inTime{1590969600000000, "bench", ""};  // 2020-06-01T00:00:00Z

// The bench submission as the machine receives it from the workflow
// service: the contact taken out (sealed, elsewhere), its filled fields
// kept. With the contact in, the machine refuses (ContactSealed) and the
// benchmark would time a refusal.
cmd::Submit benchSubmit() {
  cmd::Submit submit{"bench", bench::benchApplication(), {}, {}};
  submit.sealed.fields = filledContactFields(submit.application.contact);
  submit.application.contact = {};
  return submit;
}

DossierState submitted(const CampaignState& campaign) {
  auto decided = decideDossier("d-1", DossierState{}, campaign, benchSubmit(), inTime);
  DossierState state;
  for (const auto& e : decided->dossierEvents) {
    (void)applyDossierEvent(state, e.type, e.payload, inTime.nowMicros);
  }
  return state;
}

void BM_DecideSubmit(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  const DossierCommand submit = benchSubmit();
  for (auto _ : state) {
    auto decided = decideDossier("d-1", DossierState{}, campaign, submit, inTime);
    if (!decided) state.SkipWithError(decided.error().message.c_str());
    benchmark::DoNotOptimize(decided);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideSubmit);

// The label seed's form (the second embedded seed), its sample answers.
Form labelForm() {
  for (const std::string& text : parcours::demo::seedCampaignDefinitions()) {
    auto definition = parseCampaignDefinition(text);
    if (definition && definition->campaignId == "label-territoire-innovant-2020") {
      return definition->rules.form;
    }
  }
  return {};
}

// The bench submission under a campaign whose rules hold the label's form:
// the machine's guard checks the recorded answers again (what a replay does).
void BM_DecideSubmitWithForm(benchmark::State& state) {
  CampaignState campaign = benchCampaign();
  campaign.rulesVersions.front().form = labelForm();
  cmd::Submit submit = benchSubmit();
  const Form& form = campaign.rules().form;
  auto checked = checkAnswers(form, submit.application, sampleAnswers(form, submit.application));
  if (!checked) {
    state.SkipWithError(checked.error().message.c_str());
    return;
  }
  submit.application.answers = checked->publicJson;
  submit.sealedAnswers.pointers = checked->personalPointers;
  for (auto _ : state) {
    auto decided = decideDossier("d-1", DossierState{}, campaign, submit, inTime);
    if (!decided) state.SkipWithError(decided.error().message.c_str());
    benchmark::DoNotOptimize(decided);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideSubmitWithForm);

// What the workflow service adds before the decision: the applicant's
// answers parsed, checked, normalised and split.
void BM_CheckAnswers(benchmark::State& state) {
  const Form form = labelForm();
  const Application a = bench::benchApplication();
  const std::string answers = sampleAnswers(form, a);
  for (auto _ : state) {
    auto checked = checkAnswers(form, a, answers);
    if (!checked) state.SkipWithError(checked.error().message.c_str());
    benchmark::DoNotOptimize(checked);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CheckAnswers);

void BM_DecideEligibility(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  const DossierState dossier = submitted(campaign);
  const DossierCommand eligible = cmd::ConfirmEligibility{};
  for (auto _ : state) {
    auto decided = decideDossier("d-1", dossier, campaign, eligible, inTime);
    if (!decided) state.SkipWithError(decided.error().message.c_str());
    benchmark::DoNotOptimize(decided);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecideEligibility);

// A late submission: the guard refuses and says why, with both times.
void BM_DecideLateSubmissionRefused(benchmark::State& state) {
  const CampaignState campaign = benchCampaign();
  const DossierCommand submit = benchSubmit();
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
  auto decided = decideDossier("d-1", DossierState{}, campaign, benchSubmit(), inTime);
  if (!decided) {
    state.SkipWithError(decided.error().message.c_str());
    return;
  }
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
