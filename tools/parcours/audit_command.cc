// `parcours audit --dossier D | --campaign C`: who decided what, when, why
// and under which rules version, as a table, JSON, or CSV for spreadsheets.
#include <iostream>
#include <memory>
#include <string>

#include "output.h"
#include "trust_support.h"
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
  AsOfOptions asOf;
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

// The digest of the log the views reflect: what an export is consistent
// with. None over --server.
Result<std::optional<engine::merkle::Digest>> digestAt(const ReadAt& at, const Context& context) {
  if (at.log == nullptr) return std::optional<engine::merkle::Digest>();
  auto index = openMerkleIndex(*at.log, context);
  if (!index) return std::move(index).takeError();
  auto digest = (*index)->digest(at.position);
  if (!digest) return std::move(digest).takeError();
  return std::optional<engine::merkle::Digest>(std::move(digest).value());
}

Status printAudit(const workflows::ViewQueries& views, const AuditOptions& options,
                  const std::string& format,
                  const std::optional<engine::merkle::Digest>& digest = std::nullopt) {
  const workflows::AuditQuery query{options.after, options.limit};
  const bool ofCampaign = !options.campaignId.empty();
  auto entries = ofCampaign ? views.campaignAudit(options.campaignId, query)
                            : views.dossierAudit(options.dossierId, query);
  if (!entries) return entries.error();
  if (format == "json") {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : *entries) out.push_back(auditEntryJson(e));
    printJson({{"entries", std::move(out)}});
  } else if (format == "jsonl") {
    // The first line says what the export is and which digest of the log
    // it is consistent with; then one entry per line.
    printJson({{"export", "audit"},
               {ofCampaign ? "campaign_id" : "dossier_id",
                ofCampaign ? options.campaignId : options.dossierId},
               {"entries", entries->size()},
               {"digest", digest ? digestJson(*digest) : nlohmann::json(nullptr)}});
    for (const auto& e : *entries) printJson(auditEntryJson(e));
  } else if (format == "csv") {
    workflows::CsvOptions csv;
    csv.separator = options.separator.empty() ? ',' : options.separator[0];
    csv.byteOrderMark = options.byteOrderMark;
    std::cout << workflows::auditCsv(*entries, csv);
    // RFC 4180 has no place for it: the digest goes to stderr.
    if (digest) std::cerr << "parcours: consistent with digest " << digest->text() << "\n";
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
  const workflows::PastScope scope =
      options.dossierId.empty()
          ? workflows::PastScope::campaign(options.campaignId)
          : workflows::PastScope::dossier(options.dossierId);
  return runReadAt(context, options.asOf, scope,
                   [&](const workflows::ViewQueries& views, const ReadAt& at) -> Status {
                     std::optional<engine::merkle::Digest> digest;
                     if (format == "jsonl" || format == "csv") {
                       auto d = digestAt(at, context);
                       if (!d) return d.error();
                       digest = std::move(d).value();
                     }
                     return printAudit(views, options, format, digest);
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
      "--format jsonl: a first line {export, campaign_id|dossier_id, entries, digest:\n"
      "{size, root, digest}} naming the digest of the log the trail is consistent with,\n"
      "then one entry per line. CSV prints that digest on stderr.\n"
      "--json (or --format json): {\"entries\": [{position, recorded_at, stream_id,\n"
      "campaign_id, dossier_id, event_type, actor, command_id, reason, rules_version,\n"
      "summary}]}.\n" +
      helpFooter("parcours audit --campaign lti-2020 --format csv --separator ';' > audit.csv"));
  command->add_option("--dossier", options->dossierId, "The dossier's trail");
  command->add_option("--campaign", options->campaignId,
                      "The campaign's trail: its own decisions and its dossiers'");
  command->add_option("--format", options->format, "table, json, jsonl or csv")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}))
      ->capture_default_str();
  command->add_option("--separator", options->separator, "CSV separator: , or ;")
      ->check(CLI::IsMember({",", ";"}));
  command->add_flag("--bom", options->byteOrderMark,
                    "CSV: start with a UTF-8 byte order mark (for spreadsheets that need it)");
  command->add_option("--after", options->after, "Only entries past this log position");
  command->add_option("--limit", options->limit, "At most this many entries (0: all)")
      ->capture_default_str();
  command->add_flag("--json", options->json, "Same as --format json");
  addAsOfOptions(*command, options->asOf);
  command->callback([options, &run] {
    run = [options](const Context& context) { return runAudit(context, *options); };
  });
}

}  // namespace parcours::cli
