// `parcours backup --to DIR` and `parcours restore --from DIR --data NEW`:
// the data directory (the log with its views, the key store) backed up
// while in use, and restored only once it proves to hold what was backed up
// (engine/backup.h). With --server, the running server backs itself up.
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "../common/progress.h"
#include "commands.h"
#include "output.h"
#include "parcours/adapters/remote_client.h"
#include "parcours/engine/backup.h"
#include "store_access.h"

namespace parcours::cli {
namespace {

struct BackupOptions {
  std::string to;
  std::string from;
  std::string restoreData;
  std::string restoreKeys;
  std::uint32_t id = 0;  // 0: the latest
  bool json = false;
};

void printManifest(const nlohmann::json& manifest, bool json) {
  if (json) {
    printJson(manifest);
    return;
  }
  Table table({"backup", "events", "Merkle root", "new bytes", "key store"});
  table.alignRight(1).alignRight(3);
  table.addRow({std::to_string(manifest.at("id").get<std::uint32_t>()),
                std::to_string(manifest.at("size").get<std::uint64_t>()),
                manifest.at("root").get<std::string>(),
                std::to_string(manifest.at("bytes_copied").get<std::uint64_t>()),
                manifest.at("keys_backup").is_null() ? "none" : "backed up"});
  table.print(std::cout);
}

int runBackup(const Context& context, const BackupOptions& options) {
  std::string manifest;
  if (!context.server.empty()) {
    // The server holds the store: it backs itself up, on its machine.
    std::error_code ec;
    const auto absolute = std::filesystem::absolute(options.to, ec);
    auto client = adapters::RemoteClient::connect(context.server, context.token);
    if (!client) return reportError(client.error());
    auto answer = (*client)->backup(absolute.string());
    if (!answer) return reportError(answer.error());
    manifest = *answer;
  } else {
    auto log = openStore(context, StoreUse::Existing);
    if (!log) return reportError(log.error());
    auto keys = openKeyStore(context, KeyStoreUse::IfPresent);
    if (!keys) return reportError(keys.error());
    std::error_code ec;
    const auto workDir = std::filesystem::absolute(context.dataDir, ec).parent_path();
    ProgressBar bar("digest of the backed-up log", (*log)->head());
    auto made = engine::backupDataDirectory(**log, keys->get(), options.to, workDir, context.logger,
                                            [&](store::Position done, store::Position) {
                                              bar.update(done);
                                            });
    bar.finish();
    if (!made) return reportError(made.error());
    manifest = engine::backupManifestJson(*made);
  }
  printManifest(nlohmann::json::parse(manifest), options.json);
  return 0;
}

int runRestore(const Context& context, const BackupOptions& options) {
  std::string keysDir = options.restoreKeys;
  if (keysDir.empty()) {
    std::string data = options.restoreData;
    while (data.size() > 1 && data.back() == '/') data.pop_back();
    keysDir = data + "-keys";  // beside it, as every command looks for it
  }
  auto manifests = engine::listBackups(options.from);
  if (!manifests) return reportError(manifests.error());
  ProgressBar bar("verifying the restored log", manifests->back().digest.size);
  auto restored = engine::restoreDataDirectory(
      options.from, options.id == 0 ? std::nullopt : std::optional(options.id), options.restoreData,
      keysDir, context.logger, [&](store::Position done, store::Position) { bar.update(done); });
  bar.finish();
  if (!restored) return reportError(restored.error());
  nlohmann::json out = nlohmann::json::parse(engine::backupManifestJson(restored->manifest));
  out["data"] = options.restoreData;
  out["keys"] = restored->manifest.keysBackup ? nlohmann::json(keysDir) : nlohmann::json(nullptr);
  out["events_checked"] = restored->eventsChecked;
  out["anchors_checked"] = restored->anchorsChecked;
  if (options.json) {
    printJson(out);
  } else {
    std::cout << "restored backup " << restored->manifest.id << " into " << options.restoreData
              << ": " << restored->eventsChecked << " events checked, digest "
              << restored->manifest.digest.text() << " as backed up, "
              << restored->anchorsChecked << " anchor(s) checked\n";
  }
  return 0;
}

}  // namespace

void addBackupCommands(CLI::App& app, CommandRun& run) {
  auto options = std::make_shared<BackupOptions>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Back up the data directory (log, views, key store) while it is in use");
  backup->footer(
      "\nIncremental: files an earlier backup in DIR holds are shared, not copied again.\n"
      "Each backup records the log's digest (size and Merkle root) at its head, which\n"
      "`parcours restore` checks. With --server, the running server backs itself up\n"
      "into DIR on its own machine (administrators only).\n"
      "--json: {id, size, root, digest, keys_backup, created_at_micros, bytes_copied}.\n" +
      helpFooter("parcours --data ./data backup --to /backups/parcours"));
  backup->add_option("--to", options->to, "Backup directory (made 0700 when missing)")->required();
  backup->add_flag("--json", options->json, "One JSON object (fields below)");
  backup->callback([options, &run] {
    run = [options](const Context& context) { return runBackup(context, *options); };
  });

  CLI::App* restore = app.add_subcommand(
      "restore", "Restore a backup into a new data directory, once it proves intact");
  restore->footer(
      "\nChecks every file against its recorded checksum, restores, then recomputes the\n"
      "whole hash chain and Merkle tree: the digest must be the backup's, and every\n"
      "RFC 3161 anchor must still verify. Any failure (exit 7, naming the damage)\n"
      "leaves nothing behind. The key store goes to --keys, else NEW-keys.\n"
      "--json: the manifest, with data, keys, events_checked, anchors_checked.\n" +
      helpFooter("parcours restore --from /backups/parcours --data ./restored"));
  restore->add_option("--from", options->from, "Backup directory")->required();
  restore->add_option("--data", options->restoreData, "New data directory (must not exist)")
      ->required();
  restore->add_option("--keys", options->restoreKeys, "New key store directory (default: NEW-keys)");
  restore->add_option("--id", options->id, "Which backup (default: the latest)");
  restore->add_flag("--json", options->json, "One JSON object");
  restore->callback([options, &run] {
    run = [options](const Context& context) { return runRestore(context, *options); };
  });
}

}  // namespace parcours::cli
