// The reads about campaigns: `parcours campaign list`, `parcours stats`,
// `parcours leaderboard` and `parcours budget`.
#include <iostream>
#include <memory>
#include <set>
#include <string>

#include "output.h"
#include "read_support.h"

namespace parcours::cli {
namespace {

struct CampaignReadOptions {
  std::string campaignId;
  bool json = false;
  AsOfOptions asOf;
};

Status printList(const workflows::ViewQueries& views, const CampaignReadOptions& options) {
  auto campaigns = views.campaigns();
  if (!campaigns) return campaigns.error();
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : *campaigns) out.push_back(campaignSummaryJson(c));
    printJson({{"campaigns", std::move(out)}});
    return okStatus();
  }
  if (campaigns->empty()) {
    std::cerr << "no campaign yet: open one with `parcours campaign open FILE.json`\n";
    return okStatus();
  }
  Table table({"CAMPAIGN", "NAME", "PHASE", "RULES", "DEADLINE", "LABEL", "ENVELOPE", "GRANTED",
               "DOSSIERS"});
  table.alignRight(6).alignRight(7).alignRight(8);
  for (const auto& c : *campaigns) {
    table.addRow({c.campaignId, c.name, std::string(workflows::phaseName(c.phase)),
                  "v" + std::to_string(c.rulesVersion), peopleTime(c.deadlineMicros, c.timeZone),
                  c.labelName.empty() ? "-" : c.labelName, euros(c.envelopeCents),
                  euros(c.grantedCents), std::to_string(c.dossiers)});
  }
  table.print(std::cout);
  return okStatus();
}

// A count per key ("state", "strand"...) as a two-column table.
void printCounts(const std::string& heading, const std::map<std::string, std::uint64_t>& counts) {
  Table table({heading, "DOSSIERS"});
  table.alignRight(1);
  for (const auto& [key, count] : counts) table.addRow({key, std::to_string(count)});
  table.print(std::cout);
}

Status printStats(const workflows::ViewQueries& views, const CampaignReadOptions& options) {
  auto stats = views.stats(options.campaignId);
  if (!stats) return stats.error();
  if (options.json) {
    printJson({{"campaign_id", stats->campaignId},
               {"name", stats->name},
               {"total", stats->total},
               {"by_status", stats->byStatus},
               {"by_strand", stats->byStrand},
               {"by_applicant_kind", stats->byApplicantKind}});
    return okStatus();
  }
  std::cout << "campaign " << stats->campaignId << " (" << stats->name
            << "): " << plural(stats->total, "dossier") << "\n\n";
  // States in workflow order, not alphabetical: people read them as a funnel.
  Table states({"STATE", "DOSSIERS"});
  states.alignRight(1);
  for (int s = 1; s < workflows::dossierStatusCount; ++s) {
    const std::string name(workflows::statusName(static_cast<workflows::DossierStatus>(s)));
    if (auto it = stats->byStatus.find(name); it != stats->byStatus.end()) {
      states.addRow({name, std::to_string(it->second)});
    }
  }
  states.print(std::cout);
  if (!stats->byStrand.empty()) {
    std::cout << "\n";
    printCounts("STRAND", stats->byStrand);
  }
  if (!stats->byApplicantKind.empty()) {
    std::cout << "\n";
    printCounts("APPLICANT KIND", stats->byApplicantKind);
  }
  return okStatus();
}

Status printLeaderboard(const workflows::ViewQueries& views, const CampaignReadOptions& options) {
  auto entries = views.leaderboard(options.campaignId);
  if (!entries) return entries.error();
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : *entries) {
      out.push_back({{"rank", e.rank},
                     {"dossier_id", e.dossierId},
                     {"title", e.title},
                     {"applicant_name", e.applicantName},
                     {"mean_milli", e.meanMilli},
                     {"threshold_milli", e.thresholdMilli},
                     {"passed", e.passed},
                     {"jurors_counted", e.jurorsCounted},
                     {"criterion_means_milli", e.criterionMeansMilli},
                     {"status", std::string(workflows::statusName(e.status))}});
    }
    printJson({{"campaign_id", options.campaignId}, {"entries", std::move(out)}});
    return okStatus();
  }
  if (entries->empty()) {
    std::cerr << "no dossier of campaign " << options.campaignId
              << " has closed scoring yet: the leaderboard is empty\n";
    return okStatus();
  }
  // One column per criterion any entry was scored on.
  std::set<std::string> criteria;
  for (const auto& e : *entries) {
    for (const auto& [id, mean] : e.criterionMeansMilli) criteria.insert(id);
  }
  std::vector<std::string> headers{"RANK", "DOSSIER", "APPLICANT", "TITLE",
                                   "MEAN", "PASSED",  "JURORS",    "STATE"};
  for (const std::string& id : criteria) headers.push_back(id);
  Table table(std::move(headers));
  table.alignRight(0).alignRight(4).alignRight(6);
  for (std::size_t c = 0; c < criteria.size(); ++c) table.alignRight(8 + c);
  for (const auto& e : *entries) {
    std::vector<std::string> cells{std::to_string(e.rank),
                                   e.dossierId,
                                   ellipsize(e.applicantName, titleCharsMax),
                                   ellipsize(e.title, titleCharsMax),
                                   formatMilli(e.meanMilli),
                                   e.passed ? "yes" : "no",
                                   std::to_string(e.jurorsCounted),
                                   std::string(workflows::statusName(e.status))};
    for (const std::string& id : criteria) {
      auto it = e.criterionMeansMilli.find(id);
      cells.push_back(it == e.criterionMeansMilli.end() ? "-" : formatMilli(it->second));
    }
    table.addRow(std::move(cells));
  }
  table.print(std::cout);
  std::cout << "threshold " << formatMilli(entries->front().thresholdMilli) << "\n";
  return okStatus();
}

Status printBudget(const workflows::ViewQueries& views, const CampaignReadOptions& options) {
  auto budget = views.budget(options.campaignId);
  if (!budget) return budget.error();
  if (options.json) {
    nlohmann::json grants = nlohmann::json::array();
    for (const auto& g : budget->grants) {
      grants.push_back({{"dossier_id", g.dossierId},
                        {"amount_cents", g.amountCents},
                        {"position", g.position},
                        {"recorded_at", machineTime(g.recordedAtMicros)}});
    }
    printJson({{"campaign_id", budget->campaignId},
               {"envelope_cents", budget->envelopeCents},
               {"granted_cents", budget->grantedCents},
               {"remaining_cents", budget->remainingCents},
               {"grants", std::move(grants)}});
    return okStatus();
  }
  std::cout << "campaign " << budget->campaignId << ": envelope "
            << workflows::formatEuros(budget->envelopeCents) << ", granted "
            << workflows::formatEuros(budget->grantedCents) << ", remaining "
            << workflows::formatEuros(budget->remainingCents) << "\n";
  if (budget->grants.empty()) return okStatus();
  std::cout << "\n";
  const std::string zone = campaignTimeZone(views, budget->campaignId);
  Table table({"POSITION", "WHEN", "DOSSIER", "AMOUNT"});
  table.alignRight(0).alignRight(3);
  for (const auto& g : budget->grants) {
    table.addRow({std::to_string(g.position), peopleTime(g.recordedAtMicros, zone), g.dossierId,
                  workflows::formatEuros(g.amountCents)});
  }
  table.print(std::cout);
  return okStatus();
}

using Printer = Status (*)(const workflows::ViewQueries&, const CampaignReadOptions&);

void addRead(CLI::App& parent, CommandRun& run, const std::string& name,
             const std::string& description, const std::string& jsonShape,
             const std::string& example, bool takesCampaign, Printer print) {
  auto options = std::make_shared<CampaignReadOptions>();
  CLI::App* command = parent.add_subcommand(name, description);
  command->footer("\n--json: " + jsonShape + "\n" + helpFooter(example));
  if (takesCampaign)
    command->add_option("campaign", options->campaignId, "Campaign id")->required();
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  if (takesCampaign) addAsOfOptions(*command, options->asOf);
  command->callback([options, &run, print] {
    run = [options, print](const Context& context) {
      return runRead(context, options->asOf,
                     workflows::PastScope::campaign(options->campaignId),
                     [&](const workflows::ViewQueries& views) { return print(views, *options); });
    };
  });
}

}  // namespace

Status printLeaderboardTable(const workflows::ViewQueries& views, const std::string& campaignId) {
  return printLeaderboard(views, CampaignReadOptions{campaignId, false, {}});
}

Status printBudgetTable(const workflows::ViewQueries& views, const std::string& campaignId) {
  return printBudget(views, CampaignReadOptions{campaignId, false, {}});
}

void addCampaignListCommand(CLI::App& campaignGroup, CommandRun& run) {
  addRead(campaignGroup, run, "list", "List the campaigns: phase, rules version, deadline, budget",
          "{\"campaigns\": [{campaign_id, name, organiser, rules_version, phase,\n"
          "time_zone, deadline, label_name, envelope_cents, granted_cents, dossiers, opened_at,\n"
          "updated_at}]}.",
          "parcours campaign list --json", false, printList);
}

void addCampaignReadCommands(CLI::App& app, CommandRun& run) {
  addRead(app, run, "stats", "A campaign's dossiers counted by state, strand and applicant kind",
          "{campaign_id, name, total, by_status: {state: n}, by_strand: {strand: n},\n"
          "by_applicant_kind: {kind: n}}.",
          "parcours stats lti-2020", true, printStats);
  addRead(app, run, "leaderboard",
          "A campaign's scored dossiers, best weighted mean first, with each criterion's mean",
          "{campaign_id, entries: [{rank, dossier_id, title, applicant_name,\n"
          "mean_milli, threshold_milli, passed, jurors_counted, criterion_means_milli: {id: m},\n"
          "status}]}; means are in thousandths (7167 is 7.167).",
          "parcours leaderboard lti-2020", true, printLeaderboard);
  addRead(app, run, "budget", "A campaign's envelope, what was granted, to whom, and what is left",
          "{campaign_id, envelope_cents, granted_cents, remaining_cents, grants:\n"
          "[{dossier_id, amount_cents, position, recorded_at}]}.",
          "parcours budget parcours-sud-2020 --json", true, printBudget);
}

}  // namespace parcours::cli
