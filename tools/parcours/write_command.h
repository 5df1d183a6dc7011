// The part every workflow write shares: who (--actor), why (--reason), when
// (--at, for importing past decisions), once (--command-id), and how the
// outcome is printed (one line, or one JSON object with --json).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.h"
#include "output.h"
#include "parcours/adapters/remote_client.h"
#include "parcours/store/result.h"
#include "parcours/store/types.h"
#include "parcours/workflows/workflow.h"
#include "store_access.h"

namespace parcours::cli {

struct WriteOptions {
  std::string actor;      // --actor / PARCOURS_ACTOR; defaults to $USER, else "cli"
  std::string reason;     // --reason, recorded in the events
  std::string at;         // --at: the recorded time (RFC 3339); empty: now
  std::string commandId;  // --command-id: a re-run returns the first result
  bool json = false;
};

// $USER, else "cli": who a write is recorded as when --actor is not given.
std::string defaultActor();

// Adds --actor, --reason, --at, --command-id and --json to `command`.
void addWriteOptions(CLI::App& command, WriteOptions& options, bool reasonRequired = false);

// Adds `<group> <name>` with its help footer and the write options of
// `options->write`; when it is chosen, `body` becomes the command to run.
template <typename Options>
CLI::App* addWriteVerb(CLI::App& group, CommandRun& run, const std::shared_ptr<Options>& options,
                       const std::string& name, const std::string& description,
                       const std::string& example, bool reasonRequired,
                       int (*body)(const Context&, const Options&)) {
  CLI::App* verb = group.add_subcommand(name, description);
  verb->footer(helpFooter(example));
  addWriteOptions(*verb, options->write, reasonRequired);
  verb->callback([options, &run, body] {
    run = [options, body](const Context& context) { return body(context, *options); };
  });
  return verb;
}

// What a write says once it succeeded: the line for people (runWrite adds
// the positions) and the fields merged into the --json object.
struct WriteSummary {
  std::string text;
  nlohmann::json fields = nlohmann::json::object();
};

using WriteCommand = std::function<Result<store::AppendResult>(workflows::Workflow&,
                                                               const workflows::CommandContext&)>;
// Reads the state the write left (Workflow::load*After: a retried command
// id answers its first result), to say where it stands.
using Summarise =
    std::function<Result<WriteSummary>(workflows::Workflow&, const store::AppendResult&)>;

// The same command sent to a server (--server), and how it is named in the
// summary ("dossier d-1"): the server decides, at its clock, as the token's
// subject; it answers with the append and where the stream stands.
struct RemoteWrite {
  std::string what;
  std::function<Result<adapters::RemoteOutcome>(adapters::RemoteClient&,
                                                const workflows::CommandContext&)>
      send;
};

// With --server: sends `remote` instead (--at and --actor do not apply:
// refused, and the token's subject). Otherwise checks --at and --actor, opens the store, runs
// `command` through the workflow service and prints the outcome. Returns the exit code. Nothing is
// written unless the command is accepted.
// `keys`: the key store the workflow service is given, when the command
// seals or erases personal data (a submission, an erasure); none otherwise.
int runWrite(const Context& context, const WriteOptions& options, StoreUse use,
             const WriteCommand& command, const Summarise& summarise, const RemoteWrite& remote,
             std::optional<KeyStoreUse> keys = std::nullopt);

}  // namespace parcours::cli
