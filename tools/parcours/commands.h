// The `parcours` command line: each subcommand registers itself on the app
// and runs with the process-wide context that main() builds.
#pragma once

#include <spdlog/logger.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

namespace parcours::cli {

// What main() builds once and hands to the command that runs.
struct Context {
  std::string dataDir;  // --data / PARCOURS_DATA
  // --server / PARCOURS_SERVER and --token / PARCOURS_TOKEN: remote mode, the
  // same commands through a `parcours serve`'s RPC API (remote_client.h).
  std::string server;
  std::string token;
  // --keys / PARCOURS_KEYS: the key store sealing the applicants' contacts
  // (docs/erasure.md); empty: "<data dir>-keys", beside the store, never in it.
  std::string keysDir;
  std::shared_ptr<spdlog::logger> logger;
};

// A command's body: returns the process exit code.
using CommandRun = std::function<int(const Context&)>;

// Adds `parcours bench` to the app; sets `run` when it is chosen.
void addBenchCommand(CLI::App& app, CommandRun& run);

// The workflow commands (writes): `parcours campaign open|amend|jury|
// conflict|phase|budget|list` and `parcours dossier submit|eligible|...`.
void addCampaignCommands(CLI::App& app, CommandRun& run);
// The judging decisions, as verbs of `campaign` (judging_commands.cc).
void addJudgingWriteVerbs(CLI::App& campaignGroup, CommandRun& run);
// `parcours judging ...`: the judging views.
void addJudgingReadCommands(CLI::App& app, CommandRun& run);
void addDossierCommands(CLI::App& app, CommandRun& run);

// The reads over the views: `parcours status|show|audit|stats|leaderboard|
// budget|rebuild`, and `campaign list` on the campaign group.
void addReadCommands(CLI::App& app, CommandRun& run);
void addCampaignListCommand(CLI::App& campaignGroup, CommandRun& run);
// `campaign show`: the rules in force and the definition's assumptions.
void addCampaignShowCommand(CLI::App& campaignGroup, CommandRun& run);

// `parcours demo`: both 2020 campaigns end to end on a fresh store.
void addDemoCommand(CLI::App& app, CommandRun& run);

// The auditors' commands: `parcours digest|verify|anchor` (and, in their
// own files, bundle, verify-bundle, replay, erase).
void addDigestCommand(CLI::App& app, CommandRun& run);
// `parcours form show` (form_command.cc).
void addFormCommands(CLI::App& app, CommandRun& run);

// `parcours calendar holidays|delay` (calendar_command.cc).
void addCalendarCommands(CLI::App& app, CommandRun& run);
// `parcours timers list|run-due|reschedule|cancel` (timers_command.cc).
void addTimersCommands(CLI::App& app, CommandRun& run);
void addVerifyCommand(CLI::App& app, CommandRun& run);
void addAnchorCommand(CLI::App& app, CommandRun& run);
void addReplayCommand(CLI::App& app, CommandRun& run);
void addBundleCommands(CLI::App& app, CommandRun& run);

// `parcours erase DOSSIER --reason TEXT`: the applicant's personal data
// erased (DossierErased, then the dossier's key destroyed).
void addEraseCommand(CLI::App& app, CommandRun& run);

// `parcours crashtest`: kill -9 rounds proving nothing acknowledged is lost.
void addCrashTestCommand(CLI::App& app, CommandRun& run);

// `parcours serve` (adapters/server.h) and `parcours token add`.
void addServeCommand(CLI::App& app, CommandRun& run);
void addTokenCommands(CLI::App& app, CommandRun& run);

// `parcours backup` and `parcours restore` (engine/backup.h).
void addBackupCommands(CLI::App& app, CommandRun& run);

// `parcours webhook add|list|show|remove|dead-letters|replay` (docs/webhooks.md).
void addWebhookCommands(CLI::App& app, CommandRun& run);

// The exit codes, as printed in every --help and in the README.
inline constexpr const char* exitCodesHelp =
    "Exit codes: 0 ok, 1 internal error (a bug: please report it), 2 invalid input,\n"
    "3 not found, 4 refused by a campaign rule, 5 conflict (an id already taken, the\n"
    "stream moved on, or a draft saved since you read it: reload and retry),\n"
    "6 unauthorised, 7 I/O error or corrupted data.";

}  // namespace parcours::cli
