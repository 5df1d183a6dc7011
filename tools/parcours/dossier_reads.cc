// `parcours status` (where every dossier stands, a page at a time) and
// `parcours show DOSSIER` (one dossier now, and how it got there).
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "input_parsing.h"
#include "output.h"
#include "parcours/engine/clock.h"
#include "parcours/workflows/workflow.h"
#include "node_status.h"
#include "read_support.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

using workflows::DossierRow;

// Table cells are cut to this many characters; JSON has them whole.
constexpr std::size_t applicantCharsMax = 30;

struct StatusOptions {
  std::string campaignId;
  std::string state;
  std::string after;
  std::size_t limit = 100;
  bool json = false;
  AsOfOptions asOf;
  bool node = false;    // --node: the node's status instead (node_status.h)
  std::string nodeUrl;  // --url
};

std::string meanText(const DossierRow& row) {
  return row.meanMilli ? formatMilli(*row.meanMilli) : "-";
}

Status printStatus(const workflows::ViewQueries& views, const StatusOptions& options,
                   std::optional<workflows::DossierStatus> state) {
  auto page = views.status(options.campaignId, state, options.after, options.limit);
  if (!page) return page.error();
  if (options.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const DossierRow& row : page->rows) rows.push_back(dossierRowJson(row));
    printJson({{"dossiers", std::move(rows)},
               {"next_cursor", page->nextCursor.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(page->nextCursor)}});
    return okStatus();
  }
  if (page->rows.empty()) {
    std::cerr << "no dossier matches" << (options.after.empty() ? "" : " past this cursor") << "\n";
    return okStatus();
  }
  Table table({"DOSSIER", "CAMPAIGN", "STATE", "APPLICANT", "KIND", "TITLE", "REQUESTED", "GRANTED",
               "MEAN"});
  table.alignRight(6).alignRight(7).alignRight(8);
  for (const DossierRow& row : page->rows) {
    table.addRow({row.dossierId, row.campaignId, std::string(workflows::statusName(row.status)),
                  ellipsize(row.applicantName, applicantCharsMax), workflows::applicantKindLabel(row.applicantKind),
                  ellipsize(row.title, titleCharsMax), euros(row.requestedCents),
                  euros(row.grantedCents), meanText(row)});
  }
  table.print(std::cout);
  if (!page->nextCursor.empty()) {
    std::cerr << "more dossiers: run the same command with --after " << page->nextCursor << "\n";
  }
  return okStatus();
}

int runStatus(const Context& context, const StatusOptions& options) {
  std::optional<workflows::DossierStatus> state;
  if (!options.state.empty()) {
    state = workflows::parseStatus(options.state);
    if (!state || *state == workflows::DossierStatus::Absent) {
      return reportError(Error::invalidInput("--state \"" + options.state +
                                             "\" is not a state: use " + statusNames()));
    }
  }
  workflows::PastScope scope;
  if (!options.campaignId.empty()) {
    scope = workflows::PastScope::campaign(options.campaignId);
  }
  return runRead(context, options.asOf, scope, [&](const workflows::ViewQueries& views) {
    return printStatus(views, options, state);
  });
}

struct ShowOptions {
  std::string dossierId;
  bool json = false;
  AsOfOptions asOf;
};

// The applicant's contact as `show` prints it, and the answers to the form.
struct ShownContact {
  std::string text;     // for the table
  nlohmann::json json;  // {name, email, phone}, {"erased": true} or {"unreadable": why}
  // The form's answers (docs/forms.md): the clear ones as recorded, an
  // object; the personal ones opened with the key, keyed by JSON Pointer.
  nlohmann::json answers = nlohmann::json::object();
  nlohmann::json personalAnswers = nlohmann::json::object();
};

// Opened from the dossier's DossierSubmitted with its key (docs/erasure.md),
// before the views are: a process opens the store once at a time. None over
// --server (a server hands out no personal data) or for a dossier the log
// does not hold (the views then say so). A contact that cannot be opened
// (no key store, no key) is shown as unreadable rather than failing the read.
Result<std::optional<ShownContact>> readContact(const Context& context,
                                                const std::string& dossierId) {
  if (!context.server.empty()) return std::optional<ShownContact>();
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return log.error();
  auto keys = openKeyStore(context, KeyStoreUse::IfPresent);
  if (!keys) return keys.error();
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock, keys->get());
  if (auto dossier = workflow.loadDossier(dossierId); !dossier) {
    if (dossier.error().code == ErrorCode::NotFound) return std::optional<ShownContact>();
    return dossier.error();
  }
  auto answers = workflow.answers(dossierId);
  if (!answers) return answers.error();
  const nlohmann::json clear =
      answers->empty() ? nlohmann::json::object() : nlohmann::json::parse(*answers, nullptr, false);
  if (clear.is_discarded()) {
    return Error::corruption("dossier " + dossierId + ": its recorded answers are not JSON");
  }
  auto reading = workflow.contact(dossierId);
  if (!reading) {
    std::string why = reading.error().message;
    if (!*keys) why += " (no key store at " + keyStoreDir(context).value() + ": give --keys DIR)";
    return std::optional(ShownContact{"unreadable: " + why, {{"unreadable", why}}, clear,
                                      nlohmann::json::object()});
  }
  nlohmann::json personal = nlohmann::json::object();
  if (!reading->personalAnswers.empty()) {
    personal = nlohmann::json::parse(reading->personalAnswers, nullptr, false);
    if (personal.is_discarded()) {
      return Error::corruption("dossier " + dossierId + ": its personal answers are not JSON");
    }
  }
  if (reading->erased) {
    if (reading->keyStillHeld) {
      std::cerr << "parcours: warning: the erasure of dossier " << dossierId
                << " stopped before its key was destroyed: run `parcours erase " << dossierId
                << "` again to finish it\n";
    }
    return std::optional(ShownContact{"erased", {{"erased", true}}, clear, nlohmann::json::object()});
  }
  const workflows::Contact& c = reading->contact;
  std::string text;
  for (const std::string* part : {&c.name, &c.email, &c.phone}) {
    if (!part->empty()) text += (text.empty() ? "" : ", ") + *part;
  }
  return std::optional(ShownContact{text.empty() ? "none" : text,
                                    {{"name", c.name}, {"email", c.email}, {"phone", c.phone}},
                                    clear, std::move(personal)});
}

// The form's answers, one per line by JSON Pointer (a group's items as
// /group/0/field), the personal ones marked.
void printAnswers(const ShownContact& shown) {
  std::map<std::string, std::string> lines;
  auto cell = [](const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>()
                         : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  const nlohmann::json flat = shown.answers.flatten();  // {"/group/0/field": value}
  for (const auto& item : flat.items()) {
    if (!item.value().is_null()) lines[item.key()] = cell(item.value());
  }
  for (const auto& item : shown.personalAnswers.items()) {
    lines[item.key()] = cell(item.value()) + " (personal)";
  }
  std::cout << "\n";
  Table table({"ANSWER", "VALUE"});
  for (const auto& [pointer, value] : lines) table.addRow({pointer, ellipsize(value, 100)});
  table.print(std::cout);
}

Status printShow(const workflows::ViewQueries& views, const ShowOptions& options,
                 const std::optional<ShownContact>& contact) {
  auto row = views.dossier(options.dossierId);
  if (!row) return row.error();
  auto timeline = views.timeline(options.dossierId);
  if (!timeline) return timeline.error();
  if (options.json) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& entry : *timeline) steps.push_back(timelineEntryJson(entry));
    nlohmann::json out{{"dossier", dossierRowJson(*row)}, {"timeline", std::move(steps)}};
    if (contact) {
      out["contact"] = contact->json;
      out["answers"] = contact->answers;
      out["personal_answers"] = contact->personalAnswers;
    }
    printJson(out);
    return okStatus();
  }
  const std::string zone = campaignTimeZone(views, row->campaignId);
  std::string strands;
  for (const std::string& s : row->strands) strands += (strands.empty() ? "" : ", ") + s;
  Table facts({"dossier " + row->dossierId, ""});
  facts.addRow({"campaign", row->campaignId});
  facts.addRow({"state", std::string(workflows::statusName(row->status))});
  facts.addRow({"applicant", row->applicantName + " (" +
                                workflows::applicantKindLabel(row->applicantKind) + ")"});
  if (contact) facts.addRow({"contact", contact->text});
  facts.addRow({"title", row->title});
  if (!row->summary.empty()) facts.addRow({"summary", row->summary});
  if (!strands.empty()) facts.addRow({"strands", strands});
  facts.addRow({"requested", euros(row->requestedCents)});
  facts.addRow({"granted", euros(row->grantedCents)});
  if (row->auditionSlotMicros) {
    facts.addRow({"audition", peopleTime(*row->auditionSlotMicros, zone)});
  }
  facts.addRow({"mean", meanText(*row)});
  if (!row->labelName.empty()) facts.addRow({"label", row->labelName});
  facts.addRow({"submitted", peopleTime(row->submittedAtMicros, zone)});
  facts.addRow({"updated", peopleTime(row->updatedAtMicros, zone) + " (position " +
                               std::to_string(row->lastPosition) + ", version " +
                               std::to_string(row->version) + ")"});
  facts.print(std::cout);
  if (contact && (!contact->answers.empty() || !contact->personalAnswers.empty())) {
    printAnswers(*contact);
  }

  std::cout << "\n";
  // The summary is the long cell: last, so the others stay aligned.
  Table steps({"POSITION", "WHEN", "EVENT", "ACTOR", "RULES", "REASON", "WHAT"});
  steps.alignRight(0);
  for (const auto& entry : *timeline) {
    steps.addRow({std::to_string(entry.position), peopleTime(entry.recordedAtMicros, zone),
                  entry.eventType, entry.actor, "v" + std::to_string(entry.rulesVersion),
                  entry.reason, entry.summary});
  }
  steps.print(std::cout);
  return okStatus();
}

}  // namespace

Status printStatusTable(const workflows::ViewQueries& views, const std::string& campaignId,
                        std::size_t limit) {
  StatusOptions options;
  options.campaignId = campaignId;
  options.limit = limit;
  return printStatus(views, options, std::nullopt);
}

void addStatusCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* command = app.add_subcommand(
      "status", "Where the dossiers stand: by campaign and state, a page at a time");
  command->footer(
      "\nColumns: dossier, campaign, state, applicant, kind, title, requested, granted, mean.\n"
      "--json: {\"dossiers\": [{dossier_id, campaign_id, status, applicant_name,\n"
      "applicant_kind, title, summary, strands, requested_cents, granted_cents,\n"
      "audition_slot, mean_milli, label_name, submitted_at, updated_at, last_position,\n"
      "version, contact_erased}], \"next_cursor\": string or null}.\n"
      "--node: where this node stands instead of its dossiers: log head, views, and\n"
      "NATS (a primary's publishing checkpoint and lag, a replica's position, gaps and\n"
      "re-publish requests; docs/nats.md, docs/scaling.md). With --url, asks a running\n"
      "server (its GET /status); otherwise reads the store at --data.\n" +
      helpFooter("parcours status --campaign lti-2020 --state eligible --limit 50\n"
                 "  parcours status --node --url http://127.0.0.1:8080"));
  command->add_flag("--node", options->node, "Where this node stands (log, views, NATS)");
  command->add_option("--url", options->nodeUrl,
                      "With --node: a running server's HTTP address (http://host:port)")
      ->envname("PARCOURS_URL");
  command->add_option("--campaign", options->campaignId, "Only this campaign's dossiers");
  command->add_option("--state", options->state, "Only dossiers in this state: " + statusNames());
  command->add_option("--limit", options->limit, "Dossiers per page")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  command->add_option("--after", options->after,
                      "Start after this cursor (printed on stderr, or next_cursor in --json)");
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  addAsOfOptions(*command, options->asOf);
  command->callback([options, &run] {
    run = [options](const Context& context) {
      if (options->node || !options->nodeUrl.empty()) {
        return runNodeStatus(context, options->nodeUrl, options->json);
      }
      return runStatus(context, *options);
    };
  });
}

void addShowCommand(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* command =
      app.add_subcommand("show", "One dossier: where it stands and every step that led there");
  command->footer(
      "\n--json: {\"dossier\": {the fields of `status --json`}, \"timeline\": [{position,\n"
      "stream_version, recorded_at, event_type, actor, reason, rules_version, summary}],\n"
      "\"contact\": {name, email, phone} or {\"erased\": true} or {\"unreadable\": why},\n"
      "\"answers\": the form's answers, \"personal_answers\": {JSON Pointer: value}}.\n"
      "The contact and the personal answers are opened with the key store (--keys);\n"
      "none of these is shown with --server.\n" +
      helpFooter("parcours show d-12 --json"));
  command->add_option("dossier", options->dossierId, "Dossier id")->required();
  command->add_flag("--json", options->json, "One JSON object (fields below)");
  addAsOfOptions(*command, options->asOf);
  command->callback([options, &run] {
    run = [options](const Context& context) {
      auto contact = readContact(context, options->dossierId);
      if (!contact) return reportError(contact.error());
      return runRead(context, options->asOf, workflows::PastScope::dossier(options->dossierId),
                     [&](const workflows::ViewQueries& views) {
                       return printShow(views, *options, *contact);
                     });
    };
  });
}

}  // namespace parcours::cli
