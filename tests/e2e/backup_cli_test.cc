// `parcours backup` and `parcours restore` as an operator runs them: a
// round trip that proves itself (the digest, the anchors), incremental
// backups, and every way a backup can be damaged — a table file's byte, a
// manifest's digest, a missing file — refused with the damage named and
// nothing left behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_run.h"
#include "local_tsa.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class BackupCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run({"--data", data(), "demo"}).exitCode, 0);
  }

  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  std::string data() const { return path("store"); }

  Outcome run(const std::vector<std::string>& args) {
    return runCommand(PARCOURS_BIN, args, dir_.path() / "err.txt");
  }
  json okJson(const std::vector<std::string>& args) {
    Outcome outcome = run(args);
    EXPECT_EQ(outcome.exitCode, 0) << outcome.err;
    return outcome.exitCode == 0 ? json::parse(outcome.out) : json::object();
  }
  std::string digestOf(const std::string& dataDir) {
    return okJson({"--data", dataDir, "digest", "--json"}).value("digest", "");
  }

  TempDir dir_;
};

TEST_F(BackupCli, ARestoreHoldsTheDigestBackedUpAndItsKeysAndVerifies) {
  const std::string before = digestOf(data());
  const json made = okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  EXPECT_EQ(made.at("digest"), before);
  EXPECT_FALSE(made.at("keys_backup").is_null()) << "the demo's key store is backed up too";
  const json restored =
      okJson({"restore", "--from", path("backup"), "--data", path("restored"), "--json"});
  EXPECT_EQ(restored.at("digest"), before);
  EXPECT_EQ(restored.at("events_checked"), made.at("size"));
  EXPECT_EQ(digestOf(path("restored")), before);
  EXPECT_EQ(run({"--data", path("restored"), "verify"}).exitCode, 0);
  // The applicants' contacts open with the restored keys (show reads them).
  EXPECT_TRUE(fs::exists(path("restored-keys")));
  // Everything made is its owner's alone.
  for (const auto& root : {path("backup"), path("restored"), path("restored-keys")}) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      EXPECT_EQ(entry.status().permissions() & (fs::perms::group_all | fs::perms::others_all),
                fs::perms::none)
          << entry.path();
    }
  }
}

TEST_F(BackupCli, ASecondBackupCopiesOnlyWhatTheFirstLacks) {
  const json first = okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  const json second = okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  EXPECT_EQ(second.at("id"), first.at("id").get<int>() + 1);
  EXPECT_LT(second.at("bytes_copied").get<std::uint64_t>(),
            first.at("bytes_copied").get<std::uint64_t>() / 2)
      << "incremental: the table files are shared";
  // Either can be restored, each to its own digest.
  const json older = okJson({"restore", "--from", path("backup"), "--data", path("r1"), "--id",
                             std::to_string(first.at("id").get<int>()), "--json"});
  EXPECT_EQ(older.at("digest"), first.at("digest"));
}

TEST_F(BackupCli, ADamagedTableFileIsNamedAndNothingIsRestored) {
  okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  std::string victim;
  for (const auto& entry : fs::recursive_directory_iterator(path("backup/log"))) {
    if (entry.path().extension() == ".sst") victim = entry.path().string();
  }
  ASSERT_FALSE(victim.empty());
  {
    std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(64);
    file.write("\xde\xad\xbe\xef", 4);
  }
  Outcome refused = run({"restore", "--from", path("backup"), "--data", path("restored")});
  EXPECT_EQ(refused.exitCode, 7) << refused.err;
  EXPECT_TRUE(contains(refused.err, fs::path(victim).filename().string())) << refused.err;
  EXPECT_FALSE(fs::exists(path("restored")));
  EXPECT_FALSE(fs::exists(path("restored-keys")));
}

TEST_F(BackupCli, AManifestWhoseDigestTheLogDoesNotGiveIsRefused) {
  const json made = okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  const std::string manifest = path("backup/manifests/" + std::to_string(made.at("id").get<int>()) + ".json");
  json edited = json::parse(std::ifstream(manifest));
  std::string root = edited.at("root");
  root[0] = root[0] == 'a' ? 'b' : 'a';
  edited["digest"] = std::to_string(edited.at("size").get<std::uint64_t>()) + ":" + root;
  std::ofstream(manifest) << edited.dump();
  Outcome refused = run({"restore", "--from", path("backup"), "--data", path("restored")});
  EXPECT_EQ(refused.exitCode, 7) << refused.err;
  EXPECT_TRUE(contains(refused.err, "is not the backup's")) << refused.err;
  EXPECT_FALSE(fs::exists(path("restored")));
}

TEST_F(BackupCli, BadRequestsAreRefusedAndWriteNothing) {
  okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  fs::create_directory(path("taken"));
  EXPECT_EQ(run({"restore", "--from", path("backup"), "--data", path("taken")}).exitCode, 2);
  EXPECT_EQ(run({"restore", "--from", path("nowhere"), "--data", path("r")}).exitCode, 3);
  EXPECT_EQ(run({"restore", "--from", path("backup"), "--data", path("r"), "--id", "99"}).exitCode,
            3);
  EXPECT_FALSE(fs::exists(path("r")));
  EXPECT_EQ(run({"--data", path("no-store"), "backup", "--to", path("b2")}).exitCode, 3);
  EXPECT_EQ(run({"backup", "--help"}).exitCode, 0);
  EXPECT_EQ(run({"restore", "--help"}).exitCode, 0);
}

TEST_F(BackupCli, AnchorsInTheLogAreCheckedAgainOnRestore) {
  ASSERT_TRUE(fs::create_directory(path("tsa")));
  LocalTsa tsa(path("tsa"), "backup test");
  ASSERT_TRUE(tsa.ready());
  const json digest = okJson({"--data", data(), "digest", "--timestamp-request", path("d.tsq"), "--json"});
  LocalTsa::writeBytes(path("d.tsr"), tsa.reply(LocalTsa::readBytes(path("d.tsq"))));
  ASSERT_EQ(run({"--data", data(), "anchor", path("d.tsr"), "--digest", digest.at("digest"),
                 "--ca-file", tsa.caFile()})
                .exitCode,
            0);
  okJson({"--data", data(), "backup", "--to", path("backup"), "--json"});
  const json restored =
      okJson({"restore", "--from", path("backup"), "--data", path("restored"), "--json"});
  EXPECT_EQ(restored.at("anchors_checked"), 1);
}

}  // namespace
}  // namespace parcours::testing
