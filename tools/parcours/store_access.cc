#include "store_access.h"

#include <chrono>
#include <filesystem>
#include <thread>

namespace parcours::cli {
namespace {

// RocksDB lets one process open a store. Commands run from a script in
// parallel wait their turn this long (each holds the store for a fraction
// of a second) before giving up.
constexpr auto storeLockWaitMax = std::chrono::seconds(10);
constexpr auto storeLockRetryEvery = std::chrono::milliseconds(50);

// The store reports a held lock as an I/O error whose text names the LOCK
// file; nothing else it reports does.
// RocksDB's file naming the current manifest: present in every store.
constexpr const char* storeMarkerFile = "CURRENT";

bool heldByAnotherProcess(const Error& error) {
  return error.code == ErrorCode::IoError && error.message.find("LOCK") != std::string::npos;
}

}  // namespace

Result<std::unique_ptr<store::EventLog>> openStore(const Context& context, StoreUse use) {
  if (context.dataDir.empty()) {
    return Error::invalidInput(
        "no data directory: give --data DIR (or set PARCOURS_DATA) to say where the store is");
  }
  std::error_code ec;
  if (use == StoreUse::Existing && !std::filesystem::exists(context.dataDir, ec)) {
    return Error::notFound("no store at " + context.dataDir +
                           " (--data): the directory does not exist; check the path, or open a "
                           "campaign there first with `parcours campaign open`");
  }
  // RocksDB would make a store in any directory it is given: a mistyped
  // --data must not leave one in a home or project directory.
  const bool holdsStore =
      std::filesystem::exists(std::filesystem::path(context.dataDir) / storeMarkerFile, ec);
  if (!holdsStore && use == StoreUse::Existing) {
    return Error::notFound("no store at " + context.dataDir +
                           " (--data): the directory holds no parcours store; check the path, or "
                           "open a campaign there first with `parcours campaign open`");
  }
  if (!holdsStore && std::filesystem::exists(context.dataDir, ec) &&
      !std::filesystem::is_empty(context.dataDir, ec)) {
    return Error::invalidInput("--data " + context.dataDir +
                               " is a directory that holds other files and no parcours store: "
                               "give a new or empty directory for a new store");
  }
  store::Options options;
  options.path = context.dataDir;
  options.sync = true;  // an acknowledged decision survives a crash
  const auto giveUpAt = std::chrono::steady_clock::now() + storeLockWaitMax;
  while (true) {
    auto log = store::EventLog::open(options, context.logger);
    if (log || !heldByAnotherProcess(log.error())) return log;
    if (std::chrono::steady_clock::now() >= giveUpAt) {
      return Error::conflict("the store at " + context.dataDir +
                             " is in use by another process (another parcours "
                             "command, or `parcours serve`) and stayed so for " +
                             std::to_string(storeLockWaitMax.count()) +
                             " s: run the command again once it is done (" + log.error().message +
                             ")");
    }
    std::this_thread::sleep_for(storeLockRetryEvery);
  }
}

}  // namespace parcours::cli
