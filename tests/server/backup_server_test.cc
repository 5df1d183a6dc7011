// `parcours --server ADDR backup` while eight writers submit: the server
// backs itself up without stopping; killed with SIGKILL afterwards, its
// backup restores elsewhere, proves its digest, and holds every command
// acknowledged before the backup began, at the position it was answered.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "cli_run.h"
#include "eventually.h"
#include "server_process.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

TEST(BackupServerTest, ABackupUnderLoadRestoresElsewhereWithEveryAcknowledgedCommand) {
  ServerProcess server;
  server.start();
  const std::string admin = server.token("admin");
  {
    HttpClient client(server.httpAddress());
    openCampaign(client, admin, "bk");
  }
  std::mutex mutex;
  std::map<std::string, std::uint64_t> acknowledged;  // key -> last position
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client(server.httpAddress());
      for (int i = 0; !stop; ++i) {
        const std::string id = "bk-" + std::to_string(w) + "-" + std::to_string(i);
        try {
          auto reply = client.send(kj::HttpMethod::POST, "/v1/dossiers/" + id + "/submit", admin,
                                   submissionBody("bk"), {{"Idempotency-Key", id}});
          if (reply.status != 200) continue;
          std::lock_guard lock(mutex);
          acknowledged[id] = std::stoull(reply.json().at("lastPosition").get<std::string>());
        } catch (const kj::Exception&) {
          return;  // the server was killed
        }
      }
    });
  }
  auto count = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  EXPECT_TRUE(eventually("100 submissions acknowledged", [&] { return count() >= 100; }));
  std::map<std::string, std::uint64_t> beforeBackup;
  {
    std::lock_guard lock(mutex);
    beforeBackup = acknowledged;
  }
  TempDir dir;
  const std::string backupDir = (dir.path() / "backup").string();
  Outcome backup = runCommand(PARCOURS_BIN,
                              {"--server", server.rpcAddress(), "--token", admin, "backup", "--to",
                               backupDir, "--json"},
                              dir.path() / "backup-err.txt");
  const std::size_t duringBackup = count() - beforeBackup.size();
  // The writers go on a little, then the server dies without warning.
  EXPECT_TRUE(eventually("50 more submissions", [&] { return count() >= beforeBackup.size() + 50; }));
  server.kill();
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_EQ(backup.exitCode, 0) << backup.err;
  const auto manifest = nlohmann::json::parse(backup.out);
  const std::uint64_t size = manifest.at("size");

  const std::string restored = (dir.path() / "restored").string();
  Outcome restore = runCommand(PARCOURS_BIN, {"restore", "--from", backupDir, "--data", restored, "--json"},
                               dir.path() / "restore-err.txt");
  ASSERT_EQ(restore.exitCode, 0) << restore.err;
  EXPECT_EQ(nlohmann::json::parse(restore.out).at("digest"), manifest.at("digest"));
  auto log = openLog(restored);
  EXPECT_EQ(log->head(), size);
  for (const auto& [id, position] : beforeBackup) {
    EXPECT_LE(position, size) << id << " was acknowledged before the backup began";
    auto found = log->findCommand("admin/" + id);
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value()) << "acknowledged command " << id << " is not in the backup";
    EXPECT_EQ((*found)->lastPosition, position) << id;
  }
  RecordProperty("acknowledged_before_backup", static_cast<int>(beforeBackup.size()));
  RecordProperty("acknowledged_during_backup", static_cast<int>(duringBackup));
}

TEST(BackupServerTest, OnlyAnAdministratorBacksUpARunningServer) {
  ServerProcess server;
  server.start();
  TempDir dir;
  Outcome refused = runCommand(PARCOURS_BIN,
                               {"--server", server.rpcAddress(), "--token", server.token("auditor"),
                                "backup", "--to", (dir.path() / "b").string()},
                               dir.path() / "err.txt");
  EXPECT_EQ(refused.exitCode, 6) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "b"));
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
