// `parcours timers list|run-due|reschedule|cancel` (docs/timers.md): the
// campaigns' pending timers, firing what is due (from cron or a systemd
// timer when no server runs), and a person moving or cancelling one.
#include <algorithm>
#include <iostream>
#include <optional>
#include <memory>
#include <string>

#include "../common/progress.h"
#include "output.h"
#include "parcours/workflows/timer_service.h"
#include "parcours/workflows/zoned_time.h"
#include "read_support.h"
#include "store_access.h"
#include "write_command.h"

namespace parcours::cli {
namespace {

struct ListOptions {
  std::string campaignId;
  std::string dossierId;
  std::optional<std::uint64_t> atPosition;  // --at: the owner as of this log position
  std::string asOf;                         // --as-of: ... as of this instant
  std::string dueBefore;
  std::string after;
  std::size_t limit = 100;
  bool json = false;
};

struct RunDueOptions {
  std::string at;
  std::uint64_t limit = 0;  // 0: every due timer
  bool json = false;
};

struct MoveOptions {
  std::string timerId;
  std::string to;
  WriteOptions write;
};

struct CancelOptions {
  std::string timerId;
  WriteOptions write;
};

// The clock of a run-due: now, or --at (a catch-up replayed at a given
// instant). Chosen before anything is opened.
Result<std::unique_ptr<engine::Clock>> clockAt(const std::string& at) {
  if (at.empty()) return std::unique_ptr<engine::Clock>(std::make_unique<engine::SystemClock>());
  auto micros = workflows::parseInstant(at);
  if (!micros) return Error::invalidInput("--at: " + micros.error().message);
  return std::unique_ptr<engine::Clock>(
      std::make_unique<engine::ManualClock>(engine::fromMicros(*micros)));
}

// A timer's campaign's zone, for showing it as people read the deadline.
std::string zoneOf(workflows::Workflow& workflow, const std::string& timerId) {
  auto zone = workflow.timerZone(timerId);
  return zone ? *zone : "UTC";
}

// Time travel: the owner's stream (a campaign's or a dossier's) folded up
// to a past position or instant, and the timers pending then (the index
// holds only the present).
int runListPast(const Context& context, const ListOptions& options) {
  const bool onDossier = !options.dossierId.empty();
  if (options.campaignId.empty() == !onDossier) {
    return reportError(Error::invalidInput(
        "--at and --as-of need --campaign or --dossier: the past of one owner's timers is its "
        "stream, folded"));
  }
  const std::string& ownerId = onDossier ? options.dossierId : options.campaignId;
  if (auto s = workflows::validateId(onDossier ? "--dossier" : "--campaign", ownerId); !s) {
    return reportError(s.error());
  }
  const std::string owner =
      onDossier ? workflows::dossierStream(ownerId) : workflows::campaignStream(ownerId);
  std::optional<std::int64_t> asOf;
  if (!options.asOf.empty()) {
    auto micros = workflows::parseInstant(options.asOf);
    if (!micros) return reportError(Error::invalidInput("--as-of: " + micros.error().message));
    asOf = *micros;
  }
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  const store::Position upTo = options.atPosition.value_or(UINT64_MAX);
  if (options.atPosition && (*options.atPosition == 0 || *options.atPosition > (*log)->head())) {
    return reportError(Error::notFound("--at: the log holds positions 1 to " +
                                       std::to_string((*log)->head())));
  }
  std::vector<store::RecordedEvent> events;
  if (auto s = store::readStreamUpTo(**log, owner, upTo, events); !s) return reportError(s.error());
  workflows::CampaignState campaign;
  campaign.campaignId = ownerId;
  workflows::DossierState dossier;
  for (const store::RecordedEvent& e : events) {
    if (asOf && e.recordedAtMicros > *asOf) break;
    auto s = onDossier ? workflows::applyDossierEvent(dossier, e.eventType, e.payload,
                                                      e.recordedAtMicros)
                       : workflows::applyCampaignEvent(campaign, e.eventType, e.payload,
                                                       e.recordedAtMicros);
    if (!s) return reportError(s.error());
  }
  if (onDossier ? dossier.status == workflows::DossierStatus::Absent : !campaign.exists) {
    return reportError(Error::notFound((onDossier ? "dossier \"" : "campaign \"") + ownerId +
                                       (onDossier ? "\" was not submitted then"
                                                  : "\" was not open then")));
  }
  const workflows::TimerMap& timers = onDossier ? dossier.timers : campaign.timers;
  std::vector<const workflows::TimerRecord*> pending;
  for (const auto& [id, t] : timers) {
    if (t.status == workflows::TimerStatus::Pending) pending.push_back(&t);
  }
  std::sort(pending.begin(), pending.end(), [](const auto* a, const auto* b) {
    return a->dueMicros != b->dueMicros ? a->dueMicros < b->dueMicros : a->timerId < b->timerId;
  });
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* t : pending) {
      out.push_back({{"timer_id", t->timerId},
                     {"owner", owner},
                     {"action", std::string(workflows::timerActionName(t->action))},
                     {"due", workflows::formatUtc(t->dueMicros)},
                     {"due_micros", t->dueMicros}});
    }
    printJson({{"timers", std::move(out)},
               {"stream_version", onDossier ? dossier.version : campaign.version}});
    return 0;
  }
  if (pending.empty()) {
    std::cerr << "no timer was pending on " << owner << " then\n";
    return 0;
  }
  std::string zone = "UTC";
  if (onDossier) {
    engine::SystemClock clock;
    workflows::Workflow workflow(**log, clock);
    auto itsCampaign = workflow.loadCampaign(dossier.campaignId);
    if (itsCampaign && itsCampaign->exists) zone = itsCampaign->rules().timeZone;
  } else {
    zone = campaign.rules().timeZone;
  }
  Table table({"TIMER", "ACTION", "DUE"});
  for (const auto* t : pending) {
    table.addRow({t->timerId, std::string(workflows::timerActionName(t->action)),
                  peopleTime(t->dueMicros, zone)});
  }
  table.print(std::cout);
  return 0;
}

int runList(const Context& context, const ListOptions& options) {
  if (options.atPosition || !options.asOf.empty()) return runListPast(context, options);
  engine::TimerQuery query;
  if (!options.campaignId.empty() && !options.dossierId.empty()) {
    return reportError(Error::invalidInput(
        "--campaign or --dossier: a timer is either a campaign's or a dossier's"));
  }
  if (!options.campaignId.empty()) {
    if (auto s = workflows::validateId("--campaign", options.campaignId); !s) {
      return reportError(s.error());
    }
    query.owner = workflows::campaignStream(options.campaignId);
  }
  if (!options.dossierId.empty()) {
    if (auto s = workflows::validateId("--dossier", options.dossierId); !s) {
      return reportError(s.error());
    }
    query.owner = workflows::dossierStream(options.dossierId);
  }
  if (!options.dueBefore.empty()) {
    auto before = workflows::parseInstant(options.dueBefore);
    if (!before) return reportError(Error::invalidInput("--due-before: " + before.error().message));
    query.dueBeforeMicros = *before;
  }
  if (options.limit == 0 || options.limit > 10'000) {
    return reportError(Error::invalidInput("--limit: 1 to 10000"));
  }
  query.after = options.after;
  query.limit = options.limit;
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  engine::SystemClock clock;
  workflows::Workflow workflow(**log, clock);
  auto timers = workflows::TimerService::open(**log, workflow, clock, context.logger);
  if (!timers) return reportError(timers.error());
  auto page = (*timers)->list(query);
  if (!page) return reportError(page.error());
  if (options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const engine::PendingTimer& t : page->timers) {
      out.push_back({{"timer_id", t.timerId},
                     {"owner", t.owner},
                     {"action", t.action},
                     {"due", workflows::formatUtc(t.dueMicros)},
                     {"due_micros", t.dueMicros}});
    }
    printJson({{"timers", std::move(out)}, {"next_cursor", page->nextCursor}});
    return 0;
  }
  if (page->timers.empty()) {
    std::cerr << "no pending timer"
              << (!options.campaignId.empty()   ? " in that campaign"
                  : !options.dossierId.empty() ? " on that dossier"
                                               : "")
              << "\n";
    return 0;
  }
  Table table({"TIMER", "ACTION", "DUE"});
  for (const engine::PendingTimer& t : page->timers) {
    table.addRow({t.timerId, t.action, peopleTime(t.dueMicros, zoneOf(workflow, t.timerId))});
  }
  table.print(std::cout);
  if (!page->nextCursor.empty()) std::cerr << "more: --after " << page->nextCursor << "\n";
  return 0;
}

int runRunDue(const Context& context, const RunDueOptions& options) {
  if (!context.server.empty()) {
    return reportError(Error::invalidInput(
        "timers run-due works on an embedded store (--data): a server fires its timers itself"));
  }
  auto clock = clockAt(options.at);
  if (!clock) return reportError(clock.error());
  // Never early: --at may replay a catch-up at a past instant, never fire
  // what is due only later than now.
  if (engine::toMicros((*clock)->now()) > engine::toMicros(engine::SystemClock().now())) {
    return reportError(Error::invalidInput("--at " + options.at +
                                           " is in the future: timers never fire early"));
  }
  auto log = openStore(context, StoreUse::Existing);
  if (!log) return reportError(log.error());
  workflows::Workflow workflow(**log, **clock);
  auto timers = workflows::TimerService::open(**log, workflow, **clock, context.logger);
  if (!timers) return reportError(timers.error());
  std::unique_ptr<ProgressBar> bar;
  auto ran = (*timers)->runDue(options.limit == 0 ? UINT64_MAX : options.limit,
                               [&](std::uint64_t done, std::uint64_t total) {
                                 if (!bar) bar = std::make_unique<ProgressBar>("firing due timers", total);
                                 bar->update(done);
                               });
  if (bar) bar->finish();
  if (!ran) return reportError(ran.error());
  if (options.json) {
    printJson({{"fired", ran->fired},
               {"skipped", ran->skipped},
               {"failed", ran->failed},
               {"first_error", ran->firstError ? ran->firstError->message : ""}});
  } else {
    std::cout << plural(ran->fired, "timer") << " fired, " << ran->skipped
              << " already fired or no longer pending, " << ran->failed << " failed\n";
    if (ran->firstError) std::cerr << "parcours: the first failure: " << ran->firstError->message << "\n";
  }
  // A timer that failed stays pending and is tried again on the next run:
  // say so in the exit code, so cron reports it.
  return ran->firstError ? exitCodeFor(ran->firstError->code) : 0;
}

// What a reschedule or cancel says once recorded: the timer and where the
// campaign stands.
Result<WriteSummary> summariseTimer(workflows::Workflow& workflow, const std::string& timerId,
                                    const store::AppendResult& appended) {
  auto ref = workflows::parseTimerId(timerId);
  if (!ref) return ref.error();
  const workflows::TimerRecord* t = nullptr;
  std::optional<workflows::CampaignState> campaign;
  std::optional<workflows::DossierState> dossier;
  if (!ref->dossierId.empty()) {
    auto d = workflow.loadDossierAfter(ref->dossierId, appended);
    if (!d) return d.error();
    dossier = std::move(d).value();
    t = dossier->timer(timerId);
  } else {
    auto c = workflow.loadCampaignAfter(ref->campaignId, appended);
    if (!c) return c.error();
    campaign = std::move(c).value();
    t = campaign->timer(timerId);
  }
  if (t == nullptr) return Error::notFound("no timer " + timerId);
  auto zoneOrError = workflow.timerZone(timerId);
  if (!zoneOrError) return zoneOrError.error();
  const std::string zone = *zoneOrError;
  WriteSummary summary;
  summary.text = "timer " + timerId + ": " + std::string(workflows::timerStatusName(t->status)) +
                 (t->status == workflows::TimerStatus::Pending
                      ? ", due " + workflows::formatInZone(t->dueMicros, zone)
                      : std::string());
  summary.fields["timer_id"] = timerId;
  summary.fields["status"] = std::string(workflows::timerStatusName(t->status));
  summary.fields["due"] = workflows::formatUtc(t->dueMicros);
  if (campaign && t->action == workflows::TimerAction::CloseSubmissions) {
    summary.fields["submission_deadline"] =
        workflows::formatInZone(campaign->submissionDeadlineMicros(), zone);
  }
  return summary;
}

RemoteWrite notOverRpc(const std::string& verb) {
  return {"timer", [verb](adapters::RemoteClient&, const workflows::CommandContext&)
                       -> Result<adapters::RemoteOutcome> {
            return Error::invalidInput("timers " + verb +
                                       " goes to a server over HTTP (POST /v1/timers/ID/" + verb +
                                       ", docs/timers.md), not over --server's RPC");
          }};
}

int runReschedule(const Context& context, const MoveOptions& options) {
  auto ref = workflows::parseTimerId(options.timerId);
  if (!ref) return reportError(ref.error());
  return runWrite(
      context, options.write, StoreUse::Existing,
      [&](workflows::Workflow& workflow, const workflows::CommandContext& c)
          -> Result<store::AppendResult> {
        auto due = workflow.timerDue(options.timerId, options.to);
        if (!due) {
          if (due.error().code != ErrorCode::InvalidInput) return std::move(due).takeError();
          return Error::invalidInput("--to: " + due.error().message);
        }
        return workflow.timer(options.timerId,
                              workflows::timer_command::Reschedule{options.timerId, *due, 0}, c);
      },
      [&](workflows::Workflow& workflow, const store::AppendResult& appended) {
        return summariseTimer(workflow, options.timerId, appended);
      },
      notOverRpc("reschedule"));
}

int runCancel(const Context& context, const CancelOptions& options) {
  auto ref = workflows::parseTimerId(options.timerId);
  if (!ref) return reportError(ref.error());
  return runWrite(
      context, options.write, StoreUse::Existing,
      [&](workflows::Workflow& workflow, const workflows::CommandContext& c) {
        return workflow.timer(options.timerId, workflows::timer_command::Cancel{options.timerId}, c);
      },
      [&](workflows::Workflow& workflow, const store::AppendResult& appended) {
        return summariseTimer(workflow, options.timerId, appended);
      },
      notOverRpc("cancel"));
}

}  // namespace

void addTimersCommands(CLI::App& app, CommandRun& run) {
  CLI::App* group = app.add_subcommand(
      "timers",
      "The timers of campaigns and dossiers: list them, fire what is due, move or cancel one");
  group->require_subcommand(1);
  group->footer(helpFooter("parcours --data /var/lib/parcours timers list --campaign sud-2020"));

  auto list = std::make_shared<ListOptions>();
  CLI::App* listCommand = group->add_subcommand("list", "The pending timers, in due order");
  listCommand->add_option("--campaign", list->campaignId,
                          "Only this campaign's own timers (its deadline)");
  listCommand->add_option("--dossier", list->dossierId,
                          "Only this dossier's timers (statutory delay, warning, meeting held again, reminder)");
  listCommand->add_option("--due-before", list->dueBefore,
                          "Only timers due before this instant (RFC 3339, with its offset)");
  listCommand->add_option("--after", list->after, "The cursor a previous page printed");
  listCommand->add_option("--limit", list->limit, "At most this many (1 to 10000; default 100)");
  listCommand->add_option("--at", list->atPosition,
                          "Time travel: the timers pending when the log ended at this position "
                          "(needs --campaign or --dossier)");
  listCommand->add_option("--as-of", list->asOf,
                          "Time travel: the timers pending at this instant (RFC 3339; needs "
                          "--campaign or --dossier)");
  listCommand->add_flag("--json", list->json,
                        "One JSON object: {timers: [{timer_id, owner, action, due, due_micros}], "
                        "next_cursor}");
  listCommand->footer(helpFooter("parcours timers list --due-before 2020-07-01T00:00:00Z --json"));
  listCommand->callback([list, &run] {
    run = [list](const Context& context) { return runList(context, *list); };
  });

  auto due = std::make_shared<RunDueOptions>();
  CLI::App* dueCommand = group->add_subcommand(
      "run-due",
      "Fire every timer due now, in due order, each once (what `serve` does by itself; run it "
      "from cron or a systemd timer when no server runs)");
  dueCommand->add_option("--at", due->at,
                         "Fire what was due at this past instant instead of now (RFC 3339)");
  dueCommand->add_option("--limit", due->limit, "Fire at most this many (default: all)");
  dueCommand->add_flag("--json", due->json, "One JSON object: {fired, skipped, failed, first_error}");
  dueCommand->footer(
      "\nA progress bar goes to stderr when it is a terminal. A timer that fails to fire stays "
      "pending for the next run, and the exit code is its error's.\n" +
      helpFooter("parcours --data /var/lib/parcours timers run-due"));
  dueCommand->callback([due, &run] {
    run = [due](const Context& context) { return runRunDue(context, *due); };
  });

  auto move = std::make_shared<MoveOptions>();
  CLI::App* moveCommand = addWriteVerb(
      *group, run, move, "reschedule",
      "Move a pending timer (moving the deadline's timer moves the deadline for everyone)",
      "parcours timers reschedule campaign-sud-2020:close-submissions:2 --to 2020-07-10T12:00 "
      "--reason \"délai prolongé\"",
      true, runReschedule);
  moveCommand->add_option("timer", move->timerId, "The timer's id (timers list)")->required();
  moveCommand->add_option("--to", move->to,
                          "The new due instant: RFC 3339, or a local time in the campaign's zone")
      ->required();

  auto cancel = std::make_shared<CancelOptions>();
  CLI::App* cancelCommand =
      addWriteVerb(*group, run, cancel, "cancel", "Cancel a pending timer",
                   "parcours timers cancel campaign-sud-2020:close-submissions:2 --reason "
                   "\"phase closed at the jury's meeting\"",
                   true, runCancel);
  cancelCommand->add_option("timer", cancel->timerId, "The timer's id (timers list)")->required();
}

}  // namespace parcours::cli
