// store/FORMAT.md holds: the keys are what it says, and the official capnp
// tool decodes a stored value with the project's schema file.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "parcours/store/event_log.h"
#include "raw_log.h"
#include "temp_dir.h"

namespace parcours::store {
namespace {

using testing::positionKey;

std::string rawValue(const std::filesystem::path& dir, const std::string& family,
                     const std::string& key) {
  testing::RawLog raw(dir, /*readOnly=*/true);
  return raw.get(family, key);
}

TEST(Format, KeysAreAsSpecifiedAndBothCopiesAreTheSameBytes) {
  testing::TempDir dir;
  {
    auto log = testing::openLog(dir.path());
    ASSERT_TRUE(log->append("dossier-7", ExpectedVersion::any(), testing::someEvents(2), {}));
  }
  const std::string byPosition = rawValue(dir.path(), "events", positionKey(2));
  const std::string byStream = rawValue(dir.path(), "streams", testing::streamKey("dossier-7", 2));
  EXPECT_FALSE(byPosition.empty());
  EXPECT_EQ(byPosition, byStream);
  EXPECT_EQ(rawValue(dir.path(), "meta", "format-version"), "2");
  // The chain head: the last position, big-endian, then its hash.
  const std::string head = rawValue(dir.path(), "meta", "chain-head");
  ASSERT_EQ(head.size(), 8u + 32u);
  EXPECT_EQ(head.substr(0, 8), positionKey(2));
}

TEST(Format, TheOfficialCapnpToolDecodesAStoredValue) {
  testing::TempDir dir;
  {
    auto log = testing::openLog(dir.path());
    AppendContext context;
    context.actor = "instructor:alice";
    context.commandId = "cmd-42";
    ASSERT_TRUE(
        log->append("dossier-7", ExpectedVersion::any(), {{"DossierSubmitted", "xyz"}}, context));
  }
  const auto file = dir.path() / "value.bin";
  std::ofstream(file, std::ios::binary) << rawValue(dir.path(), "events", positionKey(1));
  const std::string command = "capnp decode " + std::string(PARCOURS_ENVELOPE_SCHEMA) +
                              " Envelope < " + file.string() + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
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
