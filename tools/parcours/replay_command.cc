// `parcours replay [--campaign C | --dossier D]`: every recorded decision
// re-run under the rules version and time it was taken under; each
// divergence said in words; exit 4 when there is any.
#include <iostream>
#include <memory>

#include "commands.h"
#include "output.h"
#include "parcours/workflows/replay.h"
#include "read_support.h"

namespace parcours::cli {
namespace {

struct ReplayOptions {
  workflows::ReplayScope scope;
  bool json = false;
};

int runReplay(const Context& context, const ReplayOptions& options) {
  auto open = openViews(context);
  if (!open) return reportError(open.error());
  auto report = workflows::replayLog(*open->log, *open->views, options.scope);
  if (!report) return reportError(report.error());
  if (options.json) {
    nlohmann::json divergences = nlohmann::json::array();
    for (const workflows::Divergence& d : report->divergences) {
      divergences.push_back({{"position", d.position},
                             {"stream_id", d.streamId},
                             {"dossier_id", d.dossierId},
                             {"decision", d.decision},
                             {"rules_say", d.rulesSay},
                             {"recorded", d.recorded}});
    }
    printJson({{"decisions_checked", report->decisionsChecked},
               {"events_checked", report->eventsChecked},
               {"divergences", std::move(divergences)}});
  } else {
    for (const workflows::Divergence& d : report->divergences) {
      std::cout << "position " << d.position << ", "
                << (d.dossierId.empty() ? d.streamId : "dossier " + d.dossierId) << ": "
                << d.decision << "\n  rules:    " << d.rulesSay << "\n  recorded: " << d.recorded
                << "\n";
    }
    std::cout << plural(report->decisionsChecked, "decision") << " replayed ("
              << plural(report->eventsChecked, "event") << "): "
              << (report->divergences.empty()
                      ? std::string("each one is what the rules in force decide")
                      : plural(report->divergences.size(), "divergence"))
              << "\n";
  }
  return report->divergences.empty() ? 0 : exitCodeFor(ErrorCode::RefusedByRule);
}

}  // namespace

void addReplayCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* command = app.add_subcommand(
      "replay", "Re-run every recorded decision under the rules in force then; report divergences");
  command->footer(
      "\nEach decision is decided again by the state machine, with the campaign's rules\n"
      "version and the time it was recorded at, and what the machine yields is compared\n"
      "byte for byte with what the log holds. Exit 4 when any decision diverges.\n"
      "--json: {decisions_checked, events_checked, divergences: [{position, stream_id,\n"
      "dossier_id, decision, rules_say, recorded}]}.\n" +
      helpFooter("parcours --data ./data replay --campaign label-territoire-innovant-2020"));
  command->add_option("--campaign", options->scope.campaignId, "Only this campaign's decisions");
  command->add_option("--dossier", options->scope.dossierId,
                      "Only this dossier's decisions (and its campaign's)");
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runReplay(context, *options); };
  });
}

}  // namespace parcours::cli
