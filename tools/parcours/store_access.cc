#include "store_access.h"

#include <algorithm>
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

Result<std::string> keyStoreDir(const Context& context) {
  std::filesystem::path keys;
  if (!context.keysDir.empty()) {
    keys = context.keysDir;
  } else {
    if (context.dataDir.empty()) {
      return Error::invalidInput(
          "no key store: give --keys DIR (or set PARCOURS_KEYS), or --data DIR for DIR-keys");
    }
    std::string data = context.dataDir;
    while (data.size() > 1 && data.back() == '/') data.pop_back();
    keys = data + "-keys";
  }
  if (!context.dataDir.empty()) {
    bool resolvedBoth = true;
    // Absolute, symbolic links resolved, no trailing "/" (an empty last part).
    const auto resolve = [&resolvedBoth](const std::filesystem::path& p) {
      std::error_code ec;
      auto resolved = std::filesystem::weakly_canonical(p, ec);
      resolvedBoth = resolvedBoth && !ec;
      return resolved.has_filename() ? resolved : resolved.parent_path();
    };
    const auto data = resolve(context.dataDir);
    const auto resolved = resolve(keys);
    if (resolvedBoth) {
      const auto [end, rest] =
          std::mismatch(data.begin(), data.end(), resolved.begin(), resolved.end());
      if (end == data.end()) {
        return Error::invalidInput("--keys " + keys.string() + " is inside the data directory " +
                                   context.dataDir +
                                   ": the key store must live apart from the log, or every copy "
                                   "of the log carries the keys that erasure destroys");
      }
    }
  }
  return keys.string();
}

Result<std::unique_ptr<engine::KeyStore>> openKeyStore(const Context& context, KeyStoreUse use) {
  auto dir = keyStoreDir(context);
  if (!dir) return dir.error();
  std::error_code ec;
  if (use == KeyStoreUse::IfPresent && !std::filesystem::exists(*dir, ec)) {
    return std::unique_ptr<engine::KeyStore>();
  }
  const auto giveUpAt = std::chrono::steady_clock::now() + storeLockWaitMax;
  while (true) {
    auto keys = engine::KeyStore::open(*dir);
    if (keys || !heldByAnotherProcess(keys.error())) {
      if (!keys) return Error{keys.error().code, keys.error().message + " (--keys " + *dir + ")"};
      return keys;
    }
    if (std::chrono::steady_clock::now() >= giveUpAt) {
      return Error::conflict(
          "the key store at " + *dir + " is in use by another process and stayed so for " +
          std::to_string(storeLockWaitMax.count()) + " s (" + keys.error().message + ")");
    }
    std::this_thread::sleep_for(storeLockRetryEvery);
  }
}

}  // namespace parcours::cli
