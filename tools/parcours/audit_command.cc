// `parcours audit --dossier D | --campaign C`: who decided what, when, why
// and under which rules version, as a table, JSON, or CSV for spreadsheets.
#include <iostream>
#include <memory>
#include <string>

#include "output.h"
#include "read_support.h"

namespace parcours::cli {
namespace {

struct AuditOptions {
  std::string dossierId;
  std::string campaignId;
  std::string format = "table";
  std::string separator;
  bool byteOrderMark = false;
  bool json = false;
  store::Position after = 0;
  std::size_t limit = 0;
};

void printTable(const std::vector<workflows::AuditEntry>& entries, const std::string& zone,
                bool withDossier) {
  std::vector<std::string> headers{"POSITION", "WHEN", "EVENT", "ACTOR", "RULES", "REASON", "WHAT"};
  if (withDossier) headers.insert(headers.begin() + 2, "DOSSIER");
  Table table(std::move(headers));
  table.alignRight(0);
  for (const auto& e : entries) {
    std::vector<std::string> cells{std::to_string(e.position),
                                   peopleTime(e.recordedAtMicros, zone),
                                   e.eventType,
                                   e.actor,
                                   "v" + std::to_string(e.rulesVersion),
                                   e.reason,
                                   e.summary};
    if (withDossier) cells.insert(cells.begin() + 2, e.dossierId.empty() ? "-" : e.dossierId);
    table.addRow(std::move(cells));
  }
  table.print(std::cout);
}

Status printAudit(const workflows::ViewQueries& views, const AuditOptions& options,
                  const std::string& format) {
  const workflows::AuditQuery query{options.after, options.limit};
  const bool ofCampaign = !options.campaignId.empty();
  auto entries = ofCampaign ? views.campaignAudit(options.campaignId, query)
                            : views.dossierAudit(options.dossierId, query);
  if (!entries) return entries.error();
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : *entries) out.push_back(auditEntryJson(e));
    printJson({{"entries", std::move(out)}});
  } else if (format == "csv") {
    workflows::CsvOptions csv;
    csv.separator = options.separator.empty() ? ',' : options.separator[0];
    csv.byteOrderMark = options.byteOrderMark;
    std::cout << workflows::auditCsv(*entries, csv);
  } else {
    const std::string campaignId =
        ofCampaign ? options.campaignId : (entries->empty() ? "" : entries->front().campaignId);
    printTable(*entries, campaignTimeZone(views, campaignId), ofCampaign);
  }
  return okStatus();
}

int runAudit(const Context& context, const AuditOptions& options) {
  if (options.dossierId.empty() == options.campaignId.empty()) {
    return reportError(Error::invalidInput(
        "say whose audit trail: --dossier D or --campaign C (one of them, not both)"));
  }
  const std::string format = options.json ? "json" : options.format;
  if (options.json && options.format != "table" && options.format != "json") {
    return reportError(Error::invalidInput("--json and --format " + options.format +
                                           " disagree: give one of them"));
  }
  if ((!options.separator.empty() || options.byteOrderMark) && format != "csv") {
    return reportError(
        Error::invalidInput("--separator and --bom shape CSV only: add --format csv"));
  }
  return runRead(context, [&](const workflows::ViewQueries& views) {
    return printAudit(views, options, format);
  });
}

}  // namespace

Status printDossierAuditTable(const workflows::ViewQueries& views, const std::string& dossierId) {
  AuditOptions options;
  options.dossierId = dossierId;
  return printAudit(views, options, "table");
}

void addAuditCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* command = app.add_subcommand(
      "audit", "Who decided what, when, why and under which rules: a dossier's or a campaign's");
  command->footer(
      "\nCSV: RFC 4180, UTF-8, a header row, times in UTC; cells starting with = + - @\n"
      "are neutralised against formula injection. --separator ';' suits French\n"
      "spreadsheet software.\n"
      "--json (or --format json): {\"entries\": [{position, recorded_at, stream_id,\n"
      "campaign_id, dossier_id, event_type, actor, command_id, reason, rules_version,\n"
      "summary}]}.\n" +
      helpFooter("parcours audit --campaign lti-2020 --format csv --separator ';' > audit.csv"));
  command->add_option("--dossier", options->dossierId, "The dossier's trail");
  command->add_option("--campaign", options->campaignId,
                      "The campaign's trail: its own decisions and its dossiers'");
  command->add_option("--format", options->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  command->add_option("--separator", options->separator, "CSV separator: , or ;")
      ->check(CLI::IsMember({",", ";"}));
  command->add_flag("--bom", options->byteOrderMark,
                    "CSV: start with a UTF-8 byte order mark (for spreadsheets that need it)");
  command->add_option("--after", options->after, "Only entries past this log position");
  command->add_option("--limit", options->limit, "At most this many entries (0: all)")
      ->capture_default_str();
  command->add_flag("--json", options->json, "Same as --format json");
  command->callback([options, &run] {
    run = [options](const Context& context) { return runAudit(context, *options); };
  });
}

}  // namespace parcours::cli
