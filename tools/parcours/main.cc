// parcours: the command-line entry point. Builds the logger and the context
// once, then runs the chosen subcommand.
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>

#include "../common/logging.h"
#include "commands.h"

int main(int argc, char** argv) {
  using namespace parcours;
  // Everything parcours creates (the log, the views, the key store, tokens,
  // seeds, backups) is its owner's alone, 0600 and 0700, whatever umask it
  // was started with: the data is personal and the keys secret.
  ::umask(077);
  CLI::App app{
      "parcours: an event-sourced workflow engine for public calls for applications.\n"
      "Every step of every dossier is an event in an embedded, durable RocksDB log."};
  app.footer(std::string("\nExample:\n"
                         "  parcours demo\n"
                         "  parcours --data ./data campaign open label-2020.json\n"
                         "  parcours --data ./data dossier submit label-2020 d-1 application.json\n"
                         "  parcours --data ./data status --campaign label-2020\n"
                         "  parcours bench append --seconds 1\n\n") +
             cli::exitCodesHelp);
  app.require_subcommand(0, 1);  // none chosen is reported below, in our words
  // Global flags may also follow the command: `parcours status --data DIR`.
  app.fallthrough();
  app.set_help_all_flag("--help-all", "Show help for every command");

  cli::Context context;
  std::string logLevel = "warn";
  std::string logFormat = "text";
  app.add_option("--data", context.dataDir, "Data directory (the RocksDB database)")
      ->envname("PARCOURS_DATA");
  app.add_option("--server", context.server,
                 "Work on a running `parcours serve` (its --rpc address) instead of --data")
      ->envname("PARCOURS_SERVER");
  app.add_option("--token", context.token, "Bearer token for --server")->envname("PARCOURS_TOKEN");
  app.add_option("--keys", context.keysDir,
                 "Key store sealing the applicants' contacts (default: DATA-keys, beside --data)")
      ->envname("PARCOURS_KEYS");
  app.add_option("--log-level", logLevel, "trace, debug, info, warn, error, critical or off")
      ->envname("PARCOURS_LOG_LEVEL")
      ->capture_default_str();
  app.add_option("--log-format", logFormat, "Log lines as text (key=value) or json")
      ->envname("PARCOURS_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  cli::CommandRun run;
  cli::addBenchCommand(app, run);
  cli::addCampaignCommands(app, run);
  cli::addJudgingReadCommands(app, run);
  cli::addDossierCommands(app, run);
  cli::addReadCommands(app, run);
  cli::addDemoCommand(app, run);
  cli::addDigestCommand(app, run);
  cli::addFormCommands(app, run);
  cli::addCalendarCommands(app, run);
  cli::addTimersCommands(app, run);
  cli::addVerifyCommand(app, run);
  cli::addBackupCommands(app, run);
  cli::addAnchorCommand(app, run);
  cli::addReplayCommand(app, run);
  cli::addBundleCommands(app, run);
  cli::addEraseCommand(app, run);
  cli::addServeCommand(app, run);
  cli::addCrashTestCommand(app, run);
  cli::addTokenCommands(app, run);
  cli::addWebhookCommands(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "parcours: " << e.what() << "\nRun with --help for usage.\n";
    return exitCodeFor(ErrorCode::InvalidInput);
  }

  if (!run) {
    std::cerr << "parcours: no command given.\nRun with --help for the list of commands.\n";
    return exitCodeFor(ErrorCode::InvalidInput);
  }

  auto logger =
      cli::makeLogger(logFormat == "json" ? cli::LogFormat::Json : cli::LogFormat::Text, logLevel);
  if (!logger) {
    std::cerr << "parcours: " << logger.error().message << "\n";
    return exitCodeFor(logger.error().code);
  }
  context.logger = *logger;
  context.logger->info("parcours starting data={} log_level={} log_format={}",
                       context.dataDir.empty() ? "(none)" : context.dataDir, logLevel, logFormat);
  try {
    return run(context);
  } catch (const std::exception& e) {
    std::cerr << "parcours: internal error: " << e.what() << "\n";
    return 1;
  }
}
