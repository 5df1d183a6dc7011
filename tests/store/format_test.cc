// store/FORMAT.md holds: the keys are what it says, and the official capnp
// tool decodes a stored value with the project's schema file.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "parcours/store/event_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

std::string bigEndian(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v);
  return out;
}

// Reads one value of one family, with RocksDB directly.
std::string rawValue(const std::filesystem::path& dir, const std::string& family,
                     const std::string& key) {
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& n : names) descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), dir.string(), descriptors,
                                           &handles, &db)
                  .ok());
  std::string value;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == family) {
      EXPECT_TRUE(db->Get(rocksdb::ReadOptions(), handles[i], key, &value).ok()) << family;
    }
  }
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  delete db;
  return value;
}

TEST(Format, KeysAreAsSpecifiedAndBothCopiesAreTheSameBytes) {
  testing::TempDir dir;
  {
    auto log = testing::openLog(dir.path());
    ASSERT_TRUE(log->append("dossier-7", ExpectedVersion::any(), testing::someEvents(2), {}));
  }
  const std::string byPosition = rawValue(dir.path(), "events", bigEndian(2));
  const std::string byStream =
      rawValue(dir.path(), "streams", std::string("dossier-7") + '\0' + bigEndian(2));
  EXPECT_FALSE(byPosition.empty());
  EXPECT_EQ(byPosition, byStream);
  EXPECT_EQ(rawValue(dir.path(), "meta", "format-version"), "1");
}

TEST(Format, TheOfficialCapnpToolDecodesAStoredValue) {
  testing::TempDir dir;
  {
    auto log = testing::openLog(dir.path());
    AppendContext context;
    context.actor = "instructor:alice";
    context.commandId = "cmd-42";
    ASSERT_TRUE(log->append("dossier-7", ExpectedVersion::any(), {{"DossierSubmitted", "xyz"}},
                            context));
  }
  const auto file = dir.path() / "value.bin";
  std::ofstream(file, std::ios::binary) << rawValue(dir.path(), "events", bigEndian(1));
  const std::string command = "capnp decode " + std::string(PARCOURS_ENVELOPE_SCHEMA) +
                              " Envelope < " + file.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  for (const char* expected : {"position = 1", "streamId = \"dossier-7\"", "streamVersion = 1",
                               "eventType = \"DossierSubmitted\"", "actor = \"instructor:alice\"",
                               "commandId = \"cmd-42\"", "payload = \"xyz\""}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << " in " << out;
  }
}

}  // namespace
}  // namespace parcours::store
