#include "parcours/engine/backup.h"

#include <fcntl.h>
#include <spdlog/logger.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <nlohmann/json.hpp>

#include "parcours/engine/anchors.h"
#include "parcours/engine/log_verifier.h"
#include "parcours/engine/merkle_index.h"
#include "parcours/store/backup.h"
#include "parcours/store/private_directory.h"
#include "parcours/store/hash_chain.h"

namespace parcours::engine {
namespace {

namespace fs = std::filesystem;

std::int64_t nowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Removes a directory tree on scope exit unless kept.
class Cleanup {
 public:
  explicit Cleanup(std::vector<fs::path> paths) : paths_(std::move(paths)) {}
  ~Cleanup() {
    if (kept_) return;
    std::error_code ignored;
    for (const auto& p : paths_) fs::remove_all(p, ignored);
  }
  void keep() { kept_ = true; }

 private:
  std::vector<fs::path> paths_;
  bool kept_ = false;
};

nlohmann::json manifestJson(const BackupManifest& m) {
  nlohmann::json j{{"format", 1},
                   {"id", m.id},
                   {"size", m.digest.size},
                   {"root", store::chain::toHex(m.digest.root)},
                   {"digest", m.digest.text()},
                   {"created_at_micros", m.createdAtMicros},
                   {"bytes_copied", m.bytesCopied}};
  j["keys_backup"] = m.keysBackup ? nlohmann::json(*m.keysBackup) : nlohmann::json(nullptr);
  return j;
}

Result<BackupManifest> parseManifest(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return Error::notFound("cannot read the backup manifest " + file.string());
  const auto j = nlohmann::json::parse(in, nullptr, false);
  const auto bad = [&](const std::string& what) {
    return Error::corruption("the backup manifest " + file.string() + " is damaged: " + what);
  };
  if (j.is_discarded() || !j.is_object()) return bad("not JSON");
  if (j.value("format", 0) != 1) return bad("unknown format");
  BackupManifest m;
  try {
    m.id = j.at("id").get<std::uint32_t>();
    auto digest = merkle::Digest::parse(j.at("digest").get<std::string>());
    if (!digest) return bad(digest.error().message);
    m.digest = *digest;
    m.createdAtMicros = j.at("created_at_micros").get<std::int64_t>();
    m.bytesCopied = j.value("bytes_copied", std::uint64_t{0});
    if (!j.at("keys_backup").is_null()) m.keysBackup = j.at("keys_backup").get<std::uint32_t>();
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  if (fs::path(std::to_string(m.id) + ".json") != file.filename()) {
    return bad("it names backup " + std::to_string(m.id));
  }
  return m;
}

// Written aside, synced, then renamed: a manifest is whole or absent.
Status writeManifest(const fs::path& dir, const BackupManifest& m) {
  const fs::path target = dir / (std::to_string(m.id) + ".json");
  const fs::path temporary = dir / (std::to_string(m.id) + ".json.tmp");
  const std::string text = manifestJson(m).dump(2) + "\n";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Error::ioError("cannot write " + temporary.string() + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return Error::ioError("cannot write " + temporary.string());
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) return Error::ioError("cannot rename " + temporary.string() + ": " + ec.message());
  return okStatus();
}

std::string uniqueName(std::string_view prefix) {
  return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

std::string backupManifestJson(const BackupManifest& manifest) {
  return manifestJson(manifest).dump();
}

Result<BackupManifest> backupDataDirectory(store::EventLog& log, KeyStore* keys,
                                           const fs::path& to, const fs::path& workDir,
                                           std::shared_ptr<spdlog::logger> logger,
                                           const ProgressFn& progress) {
  if (auto s = store::makePrivateDirectory(to.string()); !s) return s.error();
  if (auto s = store::makePrivateDirectory((to / "manifests").string()); !s) return s.error();
  const fs::path staging = workDir / uniqueName(".parcours-backup");
  if (auto s = store::makePrivateDirectory(staging.string()); !s) return s.error();
  Cleanup removeStaging({staging});
  auto phaseStart = std::chrono::steady_clock::now();
  auto phaseDone = [&](const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    logger->debug("backup phase={} micros={}", phase,
                  std::chrono::duration_cast<std::chrono::microseconds>(now - phaseStart).count());
    phaseStart = now;
  };
  // 1. Images of both databases, while they stay in use.
  if (auto s = log.checkpointTo((staging / "log").string()); !s) return s.error();
  if (keys != nullptr) {
    if (auto s = keys->checkpointTo((staging / "keys").string()); !s) return s.error();
  }
  phaseDone("checkpoint");
  BackupManifest manifest;
  manifest.createdAtMicros = nowMicros();
  // 2. and 3., side by side on the image opened as a log: its digest at its
  // own head (one pass of its events through a Merkle frontier; a restore
  // recomputes the chain itself), and its files into the backup engine
  // (only those it lacks).
  {
    store::Options options;
    options.path = (staging / "log").string();
    auto image = store::EventLog::open(options, logger);
    if (!image) return image.error();
    Result<store::BackupAdded> added = Error::bug("not run");
    std::thread copying([&] { added = (*image)->backupInto((to / "log").string()); });
    const store::Position head = (*image)->head();
    merkle::Frontier frontier;
    Status scanned = okStatus();
    for (store::Position from = 1; from <= head;) {
      auto last = (*image)->scanAll(from, 10'000, [&](const store::EventView& e) -> Status {
        frontier.append(merkle::leafHash(e.hash));
        return okStatus();
      });
      if (!last) {
        scanned = last.error();
        break;
      }
      if (*last == 0) break;
      from = *last + 1;
      if (progress) progress(*last, head);
    }
    copying.join();
    if (!scanned) return scanned.error();
    if (!added) return added.error();
    manifest.digest = {frontier.size(), frontier.root()};
    manifest.id = added->id;
    manifest.bytesCopied = added->bytesCopied;
  }
  phaseDone("digest and copy");
  if (keys != nullptr) {
    auto keysAdded = store::addBackup((staging / "keys").string(), (to / "keys").string());
    if (!keysAdded) return keysAdded.error();
    manifest.keysBackup = keysAdded->id;
    manifest.bytesCopied += keysAdded->bytesCopied;
  }
  // 4. The manifest last: a backup without one never counts.
  if (auto s = writeManifest(to / "manifests", manifest); !s) return s.error();
  logger->info("backup id={} digest={} bytes_copied={}", manifest.id, manifest.digest.text(),
               manifest.bytesCopied);
  return manifest;
}

Result<std::vector<BackupManifest>> listBackups(const fs::path& from) {
  std::error_code ec;
  if (!fs::is_directory(from / "manifests", ec)) {
    return Error::notFound(from.string() + " holds no backup (no manifests/ directory)");
  }
  std::vector<BackupManifest> out;
  for (const auto& entry : fs::directory_iterator(from / "manifests", ec)) {
    if (entry.path().extension() != ".json") continue;
    auto manifest = parseManifest(entry.path());
    if (!manifest) return manifest.error();
    out.push_back(std::move(manifest).value());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  if (out.empty()) return Error::notFound(from.string() + " holds no backup");
  return out;
}

Result<RestoreReport> restoreDataDirectory(const fs::path& from, std::optional<std::uint32_t> id,
                                           const std::string& dataDir, const std::string& keysDir,
                                           std::shared_ptr<spdlog::logger> logger,
                                           const ProgressFn& progress) {
  auto manifests = listBackups(from);
  if (!manifests) return manifests.error();
  const BackupManifest* chosen = &manifests->back();
  if (id) {
    auto it = std::find_if(manifests->begin(), manifests->end(),
                           [&](const BackupManifest& m) { return m.id == *id; });
    if (it == manifests->end()) {
      return Error::notFound("no backup " + std::to_string(*id) + " in " + from.string());
    }
    chosen = &*it;
  }
  std::error_code ec;
  for (const std::string& dir : {dataDir, keysDir}) {
    if (!dir.empty() && fs::exists(dir, ec)) {
      return Error::invalidInput(dir + " already exists: restore into new directories");
    }
  }
  if (chosen->keysBackup && keysDir.empty()) {
    return Error::invalidInput("backup " + std::to_string(chosen->id) +
                               " holds a key store: say where to restore it");
  }
  // Whatever fails from here leaves nothing behind.
  Cleanup removeRestored({dataDir, keysDir});
  if (auto s = store::restoreBackup((from / "log").string(), chosen->id, dataDir); !s) {
    return s.error();
  }
  if (chosen->keysBackup) {
    if (auto s = store::restoreBackup((from / "keys").string(), *chosen->keysBackup, keysDir); !s) {
      return s.error();
    }
  }
  RestoreReport report;
  report.manifest = *chosen;
  {
    store::Options options;
    options.path = dataDir;
    auto log = store::EventLog::open(options, logger);
    if (!log) return log.error();
    // The whole chain and tree recomputed from the events themselves; the
    // Merkle index is opened only when there are anchors to check with it.
    VerifyOptions verify;
    auto verified = verifyLog(**log, verify, progress);
    if (!verified) return verified.error();
    if (!verified->intact) {
      return Error::corruption("the restored log is not what was written, at position " +
                               std::to_string(verified->failedAt) + ": " + verified->problem);
    }
    if (!(verified->digest == chosen->digest)) {
      return Error::corruption("the restored log's digest " + verified->digest.text() +
                               " is not the backup's " + chosen->digest.text());
    }
    report.eventsChecked = verified->eventsChecked;
    auto recorded = readAnchors(**log);
    if (!recorded) return recorded.error();
    std::vector<AnchorCheck> checked;
    if (!recorded->empty()) {
      auto index = MerkleIndex::open(**log, logger);
      if (!index) return index.error();
      auto anchorChecks = checkAnchors(**log, **index, "");
      if (!anchorChecks) return anchorChecks.error();
      checked = std::move(anchorChecks).value();
    }
    const auto* anchors = &checked;
    for (const AnchorCheck& a : *anchors) {
      if (!a.problem.empty()) {
        return Error::corruption("the anchor at position " + std::to_string(a.anchor.position) +
                                 " no longer verifies: " + a.problem);
      }
    }
    report.anchorsChecked = anchors->size();
  }
  removeRestored.keep();
  logger->info("restored backup id={} digest={} events={} anchors={}", chosen->id,
               chosen->digest.text(), report.eventsChecked, report.anchorsChecked);
  return report;
}

}  // namespace parcours::engine
