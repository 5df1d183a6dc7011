// `parcours backup` and `parcours restore`: a data directory — the log with
// its views and every table (one RocksDB database), and the key store (its
// own) — copied while in use, and restored only once it is proved to hold
// what was backed up.
//
// Layout of a backup directory (0700, files 0600):
//   log/            RocksDB BackupEngine: the log's database, incremental
//   keys/           the same for the key store (absent without one)
//   manifests/N.json  backup N: the log's digest at its head (size and
//                   RFC 6962 Merkle root), the key store's backup id, when
//
// Backing up: a checkpoint of each database (hard links, while writes go
// on) is opened, its Merkle digest computed at its own head, then it is
// added to the BackupEngine; the manifest is written last, so a backup
// without one never counts. Restoring: the files are checked against their
// recorded checksums (damage named by file), copied into a new directory,
// then the restored log's hash chain and Merkle tree are recomputed whole
// and must give the manifest's digest; every RFC 3161 anchor in the log is
// checked again. Any failure removes what was restored: nothing serves
// from a restore that did not prove itself.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "parcours/engine/key_store.h"
#include "parcours/engine/merkle.h"
#include "parcours/engine/projection.h"
#include "parcours/store/event_log.h"

namespace spdlog {
class logger;
}

namespace parcours::engine {

struct BackupManifest {
  std::uint32_t id = 0;                    // the log's backup id: the manifest's name
  std::optional<std::uint32_t> keysBackup;  // the key store's backup id
  merkle::Digest digest;                   // of the log as backed up
  std::int64_t createdAtMicros = 0;
  std::uint64_t bytesCopied = 0;  // new bytes this backup added (the rest was shared)
};

// Backs up `log` (and `keys`, when given) into `to`. `workDir`: where the
// checkpoints are made, on the same filesystem as the store (hard links).
Result<BackupManifest> backupDataDirectory(store::EventLog& log, KeyStore* keys,
                                           const std::filesystem::path& to,
                                           const std::filesystem::path& workDir,
                                           std::shared_ptr<spdlog::logger> logger,
                                           const ProgressFn& progress = {});

struct RestoreReport {
  BackupManifest manifest;
  std::uint64_t eventsChecked = 0;
  std::size_t anchorsChecked = 0;
};

// Restores backup `id` (none: the latest) from `from` into `dataDir` and,
// when the backup has one, the key store into `keysDir`; neither may exist.
// Corruption naming what is wrong when the backup is damaged or the log
// restored does not give the manifest's digest; then nothing is left.
Result<RestoreReport> restoreDataDirectory(const std::filesystem::path& from,
                                           std::optional<std::uint32_t> id,
                                           const std::string& dataDir, const std::string& keysDir,
                                           std::shared_ptr<spdlog::logger> logger,
                                           const ProgressFn& progress = {});

// A manifest as its file holds it (JSON: format, id, size, root, digest,
// keys_backup, created_at_micros, bytes_copied): what `parcours backup
// --json` prints and the server's backup call answers.
std::string backupManifestJson(const BackupManifest& manifest);

// The manifests in a backup directory, oldest first.
Result<std::vector<BackupManifest>> listBackups(const std::filesystem::path& from);

}  // namespace parcours::engine
