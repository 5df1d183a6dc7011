#include "write_command.h"

#include <cstdlib>
#include <iostream>
#include <memory>

#include "output.h"
#include "parcours/engine/clock.h"
#include "parcours/workflows/zoned_time.h"

namespace parcours::cli {

std::string defaultActor() {
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "cli";
}

void addWriteOptions(CLI::App& command, WriteOptions& options, bool reasonRequired) {
  options.actor = defaultActor();
  command.add_option("--actor", options.actor, "Who takes the decision (recorded in the events)")
      ->envname("PARCOURS_ACTOR")
      ->capture_default_str();
  auto* reason = command.add_option(
      "--reason", options.reason,
      "Why (recorded in the events)" + std::string(reasonRequired ? "; required here" : ""));
  if (reasonRequired) reason->required();
  command.add_option("--at", options.at,
                     "Record the decision at this instant (RFC 3339, e.g. "
                     "2020-06-19T18:00:00+02:00) instead of now: for importing past decisions");
  command.add_option("--command-id", options.commandId,
                     "Idempotency key: running the command again with the same id prints the "
                     "first result and writes nothing");
  command.add_flag("--json", options.json,
                   "Print one JSON object: streams, first_position, last_position, deduplicated "
                   "and the command's own fields");
}

namespace {

// Prints a write's outcome: one line for people, or one JSON object.
int printWrite(const WriteOptions& options, const store::AppendResult& appended,
               const WriteSummary& summary) {
  if (options.json) {
    nlohmann::json out = summary.fields;
    out.update(appendResultJson(appended));
    printJson(out);
    return 0;
  }
  std::string where = positionsText(appended);
  if (appended.deduplicated) {
    where += "; already recorded under command id \"" + options.commandId + "\": nothing written";
  }
  std::cout << summary.text << " (" << where << ")\n";
  return 0;
}

int runRemoteWrite(const Context& context, const WriteOptions& options, const RemoteWrite& remote) {
  if (!options.at.empty()) {
    return reportError(Error::invalidInput(
        "--at records past decisions into an embedded store (--data); a server records "
        "its own time"));
  }
  auto client = adapters::RemoteClient::connect(context.server, context.token);
  if (!client) return reportError(client.error());
  // The actor is the token's subject: --actor does not travel.
  const workflows::CommandContext commandContext{{options.commandId, (*client)->subject(), "", ""},
                                                 options.reason};
  auto outcome = remote.send(**client, commandContext);
  if (!outcome) return reportError(outcome.error());
  WriteSummary summary{remote.what + ": " + outcome->status, nlohmann::json::object()};
  summary.fields["status"] = outcome->status;
  summary.fields["stream_version"] = outcome->streamVersion;
  summary.fields["actor"] = (*client)->subject();
  return printWrite(options, outcome->appended, summary);
}

}  // namespace

int runWrite(const Context& context, const WriteOptions& options, StoreUse use,
             const WriteCommand& command, const Summarise& summarise, const RemoteWrite& remote,
             std::optional<KeyStoreUse> keyUse) {
  if (!context.server.empty()) return runRemoteWrite(context, options, remote);
  if (options.actor.empty()) {
    return reportError(Error::invalidInput(
        "--actor is empty: say who takes the decision (--actor NAME or PARCOURS_ACTOR)"));
  }
  // The clock is chosen before anything is opened: a bad --at writes nothing.
  std::unique_ptr<engine::Clock> clock;
  if (options.at.empty()) {
    clock = std::make_unique<engine::SystemClock>();
  } else {
    auto at = workflows::parseInstant(options.at);
    if (!at) {
      return reportError(Error::invalidInput("--at: " + at.error().message));
    }
    clock = std::make_unique<engine::ManualClock>(engine::fromMicros(*at));
  }

  auto log = openStore(context, use);
  if (!log) return reportError(log.error());
  std::unique_ptr<engine::KeyStore> keys;
  if (keyUse) {
    auto opened = openKeyStore(context, *keyUse);
    if (!opened) return reportError(opened.error());
    keys = std::move(opened).value();
  }
  workflows::Workflow workflow(**log, *clock, keys.get());
  const workflows::CommandContext commandContext{{options.commandId, options.actor, "", ""},
                                                 options.reason};
  auto appended = command(workflow, commandContext);
  if (!appended) return reportError(appended.error());
  // The actor is not logged: it may name a person (it is in the events).
  context.logger->info("command recorded first_position={} deduplicated={}",
                       appended->firstPosition, appended->deduplicated);

  // The write is done; a summary that cannot be read must not turn it into
  // a failure, so it falls back to plain words.
  auto summary = summarise(workflow, *appended);
  if (!summary) {
    context.logger->warn("command recorded, but its summary could not be read: {}",
                         summary.error().message);
    summary = WriteSummary{"recorded", nlohmann::json::object()};
  }
  return printWrite(options, *appended, *summary);
}

}  // namespace parcours::cli
