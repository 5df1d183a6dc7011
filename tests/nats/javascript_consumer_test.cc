// An integrator's real client: tests/nats/js/consumer.mjs, written only with
// the official NATS JavaScript client from npm, reads what the publisher put
// in JetStream and checks it (positions, hash chain, versions, subjects).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "jetstream_support.h"
#include "nats_server.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

std::string runForOutput(const std::string& command, int& exitCode) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  const int status = ::pclose(pipe);
  exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(JavaScriptConsumer, ReadsAndChecksEveryEvent) {
  const std::filesystem::path js = PARCOURS_NATS_JS_DIR;
  ASSERT_TRUE(std::filesystem::exists(js / "node_modules" / "@nats-io" / "jetstream"))
      << "the NATS JavaScript client is not installed: run `bash tools/setup.sh browser`";
  TempDir dir;
  NatsServer nats(dir.path() / "nats", freeLoopbackPort());
  nats.start();
  ServerProcess parcours;
  fillWithDemo(parcours);
  parcours.start({"--nats", nats.url()});
  const std::uint64_t head = headOf(parcours.httpAddress());
  ASSERT_GT(head, 0u);
  int exitCode = -1;
  const std::string out =
      runForOutput("node " + (js / "consumer.mjs").string() + " --url " + nats.url() +
                       " --stream PARCOURS --expect " + std::to_string(head) + " --timeout-ms 30000",
                   exitCode);
  ASSERT_EQ(exitCode, 0) << out;
  auto summary = nlohmann::json::parse(out);
  EXPECT_TRUE(summary.value("ok", false)) << out;
  EXPECT_EQ(summary.value("events", 0u), head) << out;
  EXPECT_EQ(summary.value("lastPosition", 0u), head) << out;
  EXPECT_EQ(summary.value("duplicates", 1u), 0u) << out;
  EXPECT_EQ(summary["types"].value("DossierSubmitted", 0u), 72u) << out;
  EXPECT_EQ(parcours.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
