// `parcours demo`: both 2020 campaigns played end to end on an embedded
// store, then what an administrator would read: where every dossier stands,
// the laureates, the budget, and one dossier's audit trail.
//
// Without --data the demo makes a fresh directory under the system's
// temporary directory and keeps it, so the reads can be run on it after.
// With --data it refuses a store that already holds events: the demo's
// clock walks through 2020 and its ids would collide with what is there.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "demo_scenario.h"
#include "output.h"
#include "read_support.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

struct DemoOptions {
  demo::DemoSettings settings;  // its defaults are the demo's
  bool json = false;
};

constexpr std::size_t statusRowsMax = 10'000;

Result<std::string> makeDemoDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "parcours-demo-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Error::ioError("cannot make a directory for the demo under " +
                          std::filesystem::temp_directory_path().string() +
                          ": give one with --data DIR");
  }
  return pattern;
}

// The dossiers whose vote carried: the laureates of either call.
Status printLaureates(const workflows::ViewQueries& views, const std::string& campaignId) {
  Table table({"DOSSIER", "APPLICANT", "TITLE", "MEAN", "STATE", "LABEL", "GRANTED"});
  table.alignRight(3).alignRight(6);
  for (auto state : {workflows::DossierStatus::Voted, workflows::DossierStatus::Labelled}) {
    auto page = views.status(campaignId, state, "", statusRowsMax);
    if (!page) return page.error();
    for (const auto& row : page->rows) {
      table.addRow({row.dossierId, ellipsize(row.applicantName, 30), ellipsize(row.title, 40),
                    row.meanMilli ? formatMilli(*row.meanMilli) : "-",
                    std::string(workflows::statusName(row.status)),
                    row.labelName.empty() ? "-" : row.labelName, euros(row.grantedCents)});
    }
  }
  if (table.empty()) {
    std::cout << "no laureate\n";
  } else {
    table.print(std::cout);
  }
  return okStatus();
}

void heading(const std::string& text) {
  std::cout << "\n== " << text << "\n\n";
}

Status printReport(const workflows::ViewQueries& views, const demo::DemoOutcome& outcome) {
  for (const std::string& campaignId : outcome.campaignIds) {
    auto campaign = views.campaign(campaignId);
    if (!campaign) return campaign.error();
    heading(campaign->name + " (" + campaignId + "): where each dossier stands");
    if (auto st = printStatusTable(views, campaignId, statusRowsMax); !st) return st;
    heading(campaign->name + ": laureates");
    if (auto st = printLaureates(views, campaignId); !st) return st;
    heading(campaign->name + ": budget");
    if (auto st = printBudgetTable(views, campaignId); !st) return st;
  }
  if (!outcome.notable.empty()) {
    heading("Refused on purpose, writing nothing");
    Table table({"CAMPAIGN", "DOSSIER", "WHAT", "REFUSAL"});
    for (const auto& r : outcome.notable) {
      table.addRow({r.campaignId, r.dossierId.empty() ? "-" : r.dossierId, r.what, r.message});
    }
    table.print(std::cout);
  }
  if (!outcome.auditedDossier.empty()) {
    heading("Audit trail of dossier " + outcome.auditedDossier);
    if (auto st = printDossierAuditTable(views, outcome.auditedDossier); !st) return st;
  }
  heading("Fair judging: the draw, the normalised leaderboard, the selection, the minutes");
  for (const std::string& campaignId : outcome.campaignIds) {
    std::cout << "parcours judging draw " << campaignId << '\n'
              << "parcours judging assignments " << campaignId << '\n'
              << "parcours judging leaderboard " << campaignId << '\n';
  }
  std::cout << "parcours judging selection " << outcome.campaignIds.front() << '\n';
  if (!outcome.minutesDossier.empty()) {
    std::cout << "parcours judging minutes " << outcome.minutesDossier << " --lang en\n";
  }
  std::cout << "(each with --data and the store's directory above)\n";
  return okStatus();
}

nlohmann::json outcomeJson(const demo::DemoOutcome& outcome, const std::string& dataDir) {
  nlohmann::json notable = nlohmann::json::array();
  for (const auto& r : outcome.notable) {
    notable.push_back({{"campaign_id", r.campaignId},
                       {"dossier_id", r.dossierId},
                       {"what", r.what},
                       {"message", r.message}});
  }
  return {{"data_dir", dataDir},
          {"campaign_ids", outcome.campaignIds},
          {"commands_accepted", outcome.commands},
          {"commands_refused", outcome.refusals},
          {"notable_refusals", std::move(notable)},
          {"audited_dossier", outcome.auditedDossier},
          {"minutes_dossier", outcome.minutesDossier}};
}

int runDemo(const Context& given, const DemoOptions& options) {
  Context context = given;
  if (context.dataDir.empty()) {
    auto dir = makeDemoDirectory();
    if (!dir) return reportError(dir.error());
    context.dataDir = *dir;
  }
  auto log = openStore(context, StoreUse::Create);
  if (!log) return reportError(log.error());
  if ((*log)->head() != 0) {
    return reportError(Error::invalidInput(
        "the store at " + context.dataDir + " already holds " + std::to_string((*log)->head()) +
        " events: the demo plays its campaigns on an empty store (omit --data to use a fresh "
        "temporary one)"));
  }
  // The applicants' contacts are sealed with keys kept beside the store.
  auto keys = openKeyStore(context, KeyStoreUse::Create);
  if (!keys) return reportError(keys.error());
  if (!options.json)
    std::cerr << "demo: playing both 2020 campaigns in " << context.dataDir << "\n";
  const demo::Narrate narrate = [&](const std::string& line) {
    if (!options.json) std::cerr << "  " << line << "\n";
  };
  auto outcome = demo::runDemoScenario(**log, options.settings, narrate, keys->get());
  if (!outcome) return reportError(outcome.error());

  ViewsProgress progress("building the views", 3, 10'000);
  auto views = workflows::Views::open(**log, context.logger, progress.callback());
  progress.finish();
  if (!views) return reportError(views.error());
  if (options.json) {
    printJson(outcomeJson(*outcome, context.dataDir));
    return 0;
  }
  if (auto st = printReport(**views, *outcome); !st) return reportError(st.error());
  std::cout << "\n"
            << outcome->commands << " commands accepted, " << outcome->refusals
            << " refused (each refusal wrote nothing); " << (*log)->head()
            << " events in the log.\nExplore it: parcours --data " << context.dataDir
            << " status | show DOSSIER | audit --campaign "
            << (outcome->campaignIds.empty() ? "ID" : outcome->campaignIds.front()) << "\n";
  return 0;
}

}  // namespace

void addDemoCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command = app.add_subcommand(
      "demo",
      "Play both 2020 campaigns end to end on a fresh store, then print the status tables, "
      "the laureates, the budgets and one dossier's audit trail");
  command->footer(
      "\nWithout --data the store is made in a new temporary directory, kept and named at the\n"
      "end. With --data the directory must be empty or hold an empty store.\n"
      "--json: {data_dir, campaign_ids, commands_accepted, commands_refused,\n"
      "notable_refusals: [{campaign_id, dossier_id, what, message}], audited_dossier}.\n" +
      helpFooter("parcours demo --dossiers 60"));
  command
      ->add_option("--dossiers", options->settings.dossiersPerCampaign, "Applications per campaign")
      ->check(CLI::Range(20, 99))
      ->capture_default_str();
  command
      ->add_option("--seed", options->settings.seed, "Seed of the fictional applicants and scores")
      ->capture_default_str();
  command->add_flag("--json", options->json, "One JSON object (fields below) instead of tables");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runDemo(context, *options); };
  });
}

}  // namespace parcours::cli
