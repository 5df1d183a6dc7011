// The demo: both 2020 campaigns played end to end through the workflow
// service, with fictional applicants, on a log the caller opened.
//
// Everything goes through the same commands an administrator would run:
// late submissions are refused by the deadline guard, communes applying to
// an intercommunalités-only call are refused eligibility and then declared
// ineligible with the machine's words as the reason, jurors declare
// conflicts of interest that administrators rule on, jurors are drawn by
// commit-reveal, a scoring round is refused while jurors disagree and then
// closes with its normalisation, a vote without quorum is refused before the
// last voters vote, a tied vote is decided by the declared tie-break, and
// the envelope is shared by the exact selection rule, which explains every
// dossier. The clock walks through the 2020 calendar of the calls.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "parcours/engine/key_store.h"
#include "parcours/store/event_log.h"
#include "parcours/store/result.h"

namespace parcours::demo {

struct DemoSettings {
  int dossiersPerCampaign = 36;
  std::uint64_t seed = 2020;
};

// A refusal the demo provoked on purpose, with the machine's words.
struct NotableRefusal {
  std::string campaignId;
  std::string dossierId;
  std::string what;     // "late submission", "vote without quorum"...
  std::string message;  // the refusal, as the user would read it
};

struct DemoOutcome {
  std::vector<std::string> campaignIds;
  std::uint64_t commands = 0;  // accepted
  std::uint64_t refusals = 0;  // refused, writing nothing
  std::vector<NotableRefusal> notable;
  std::string auditedDossier;  // a dossier with an eventful trail
  std::string minutesDossier;  // a dossier whose tied vote a tie-break decided
};

// Told each campaign step as it happens ("label-territoire-innovant-2020:
// 40 submissions, 3 refused as late").
using Narrate = std::function<void(const std::string& line)>;

// The two seed definitions, as shipped in workflows/campaigns/ (embedded in
// the binary at build time).
const std::vector<std::string>& seedCampaignDefinitions();

// `keys` seals the applicants' contacts (docs/erasure.md); with none they
// are dropped (Workflow's constructor says how).
Result<DemoOutcome> runDemoScenario(store::EventLog& log, const DemoSettings& settings,
                                    const Narrate& narrate, engine::KeyStore* keys = nullptr);

}  // namespace parcours::demo
