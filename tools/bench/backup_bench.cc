// `parcours bench backup`: `parcours backup` and `parcours restore` over a
// log of --backup-events workflow events, each against a raw copy of the
// same files (read, written, fsynced) in the same run.
//
//   backup.full     a first backup into an empty directory (checkpoint,
//                   Merkle digest of the image, BackupEngine copy with
//                   checksums, manifest), MB/s of the data directory
//   restore.full    restoring it (checksums checked, files copied, the
//                   whole chain and Merkle tree recomputed), MB/s
#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "bench.h"
#include "parcours/engine/backup.h"
#include "workflow_log.h"
#include "workload.h"

namespace parcours::bench {
namespace {

namespace fs = std::filesystem;

std::uint64_t bytesUnder(const fs::path& dir) {
  std::uint64_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// The yardstick: every file under `from` read and written to `to` through
// a 1 MiB buffer, each copy fsynced, as a backup must be to count. (Not
// copy_file: on a filesystem that shares extents it moves no data at all.)
Result<double> rawCopySeconds(const fs::path& from, const fs::path& to) {
  const auto start = Clock::now();
  std::vector<char> buffer(1 << 20);
  for (const auto& entry : fs::recursive_directory_iterator(from)) {
    const fs::path target = to / fs::relative(entry.path(), from);
    if (entry.is_directory()) {
      fs::create_directories(target);
      continue;
    }
    fs::create_directories(target.parent_path());
    const int in = ::open(entry.path().c_str(), O_RDONLY);
    const int out = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool ok = in >= 0 && out >= 0;
    for (ssize_t n; ok && (n = ::read(in, buffer.data(), buffer.size())) > 0;) {
      ok = ::write(out, buffer.data(), static_cast<std::size_t>(n)) == n;
    }
    ok = ok && ::fsync(out) == 0;
    if (in >= 0) ::close(in);
    if (out >= 0) ::close(out);
    if (!ok) return Error::ioError("bench backup: copying " + entry.path().string());
  }
  return secondsSince(start);
}

}  // namespace

Result<std::vector<Figure>> runBackup(const Settings& s, const Logger& logger) {
  ScratchDir dir(s, "bench-backup");
  const fs::path data = dir.path() / "data";
  auto events = populateWorkflowLog(data, s.backupEvents, logger);
  if (!events) return events.error();
  const std::string what = std::to_string(*events) + " workflow events";

  Figure backup = makeFigure("backup.full", "`parcours backup` of " + what + " into an empty directory (MB the backup holds)",
                             "MB/s");
  backup.rawDescription = "the files the backup holds, copied and fsynced, same run";
  backup.target = Target{">= 0.5x the raw copy", {}, {}, 0.5, {}};
  Figure restore = makeFigure("restore.full", "`parcours restore` of that backup, every event verified",
                              "MB/s");
  restore.rawDescription = "the backup's files copied and fsynced, same run";
  restore.target = Target{">= 0.5x the raw copy", {}, {}, 0.5, {}};
  for (int run = 0; run < s.runs; ++run) {
    const fs::path to = dir.path() / ("backup-" + std::to_string(run));
    double backupSeconds = 0;
    {
      store::Options options;
      options.path = data.string();
      auto log = store::EventLog::open(options, logger);
      if (!log) return log.error();
      const auto start = Clock::now();
      auto made = engine::backupDataDirectory(**log, nullptr, to, dir.path(), logger);
      backupSeconds = secondsSince(start);
      if (!made) return made.error();
    }
    // MB: what the backup holds (the store's directory also keeps WAL
    // files a flush made obsolete, which no backup copies).
    const double megabytes = static_cast<double>(bytesUnder(to)) / 1e6;
    auto rawBackup = rawCopySeconds(to, dir.path() / ("raw-" + std::to_string(run)));
    if (!rawBackup) return rawBackup.error();
    backup.runs.push_back(megabytes / backupSeconds);
    backup.rawRuns.push_back(megabytes / *rawBackup);

    const fs::path restored = dir.path() / ("restored-" + std::to_string(run));
    const auto start = Clock::now();
    auto done = engine::restoreDataDirectory(to, std::nullopt, restored.string(), "", logger);
    const double restoreSeconds = secondsSince(start);
    if (!done) return done.error();
    auto rawRestore = rawCopySeconds(to, dir.path() / ("raw-restore-" + std::to_string(run)));
    if (!rawRestore) return rawRestore.error();
    restore.runs.push_back(megabytes / restoreSeconds);
    restore.rawRuns.push_back(megabytes / *rawRestore);
    for (const auto& p : {to, restored, dir.path() / ("raw-" + std::to_string(run)),
                          dir.path() / ("raw-restore-" + std::to_string(run))}) {
      fs::remove_all(p);
    }
  }
  finalize(backup);
  finalize(restore);
  return std::vector<Figure>{std::move(backup), std::move(restore)};
}

}  // namespace parcours::bench
