// The command line in remote mode (--server, --token): the same reads give
// the same outputs as on the embedded store; writes go through the server,
// as the token's subject.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "server_process.h"

namespace parcours::testing {
namespace {

struct CliRun {
  int exitCode = -1;
  std::string out;
};

CliRun parcours(const std::string& args) {
  CliRun run;
  const std::string command = std::string(PARCOURS_BIN) + " " + args + " 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) run.out.append(buffer, n);
  const int status = ::pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// What `show` prints on the embedded store but not through a server: the
// applicant's contact (opened with the key store, which a server does not
// hand out; docs/erasure.md). The line of the table, or the JSON key.
// What `show` prints only on the embedded store, from the dossier's stream
// and its key: the contact, and the form's answers (docs/forms.md).
std::string withoutContact(const std::string& out) {
  if (out.rfind("{", 0) == 0) {
    auto json = nlohmann::json::parse(out, nullptr, false);
    if (json.is_discarded() || !json.contains("contact")) return out;
    for (const char* key : {"contact", "answers", "personal_answers"}) json.erase(key);
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  std::string text = out;
  const auto line = text.find("\ncontact ");
  if (line != std::string::npos) text = text.substr(0, line) + text.substr(text.find('\n', line + 1));
  const auto answers = text.find("\n\nANSWER ");
  if (answers != std::string::npos) {
    text = text.substr(0, answers) + text.substr(text.find("\n\n", answers + 2));
  }
  return text;
}

TEST(RemoteCliTest, ReadsPrintTheSameAsOnTheEmbeddedStoreAndWritesGoThroughTheServer) {
  ServerProcess server;
  const std::string data = "--data " + server.storeDir().string();
  ASSERT_EQ(parcours(data + " demo --json").exitCode, 0);
  const std::vector<std::string> reads = {
      "status",
      "status --campaign label-territoire-innovant-2020 --json",
      "show lti-01",
      "show lti-01 --json",
      "audit --dossier lti-01",
      "audit --campaign parcours-sud-2020 --format csv",
      "stats label-territoire-innovant-2020",
      "leaderboard label-territoire-innovant-2020",
      "budget parcours-sud-2020 --json",
      "campaign list",
  };
  std::vector<CliRun> local;
  for (const auto& read : reads) {
    local.push_back(parcours(data + " " + read));
    ASSERT_EQ(local.back().exitCode, 0) << read;
  }
  server.start();
  const std::string remote =
      "--server " + server.rpcAddress() + " --token " + server.token("admin");
  for (std::size_t i = 0; i < reads.size(); ++i) {
    CliRun run = parcours(remote + " " + reads[i]);
    EXPECT_EQ(run.exitCode, 0) << reads[i];
    EXPECT_EQ(run.out, withoutContact(local[i].out)) << reads[i];
  }
  EXPECT_EQ(parcours(remote + " show nobody").exitCode, 3);

  // Writes: the server decides, the token's subject is the actor.
  const std::string dir = server.storeDir().parent_path().string();
  {
    std::ofstream definition(dir + "/remote.json");
    definition << futureCampaignDefinition("remote-c").dump();
    std::ofstream application(dir + "/application.json");
    application << R"({"applicant": {"name": "Commune distante", "kind": "commune"},
                       "title": "A distance", "summary": "Par le serveur",
                       "contact": {"name": "R", "email": "r@test.fr"}})";
  }
  CliRun opened = parcours(remote + " campaign open " + dir + "/remote.json");
  EXPECT_EQ(opened.exitCode, 0);
  // Two events: CampaignOpened, then the deadline's TimerScheduled.
  const std::string openedPrefix = "campaign remote-c: submissions (positions ";
  ASSERT_EQ(opened.out.rfind(openedPrefix, 0), 0u) << opened.out;
  {
    const std::string range = opened.out.substr(openedPrefix.size());
    const auto dash = range.find('-');
    ASSERT_NE(dash, std::string::npos) << opened.out;
    EXPECT_EQ(std::stoull(range.substr(dash + 1)), std::stoull(range.substr(0, dash)) + 1)
        << opened.out;
  }
  CliRun submitted =
      parcours(remote + " dossier submit remote-c rd-1 " + dir + "/application.json --json");
  ASSERT_EQ(submitted.exitCode, 0);
  auto json = nlohmann::json::parse(submitted.out);
  EXPECT_EQ(json.at("status"), "submitted");
  EXPECT_EQ(json.at("actor"), "admin");
  EXPECT_EQ(json.at("streams")[0].at("stream_id"), "dossier-rd-1");
  CliRun refused = parcours(remote + " dossier close-vote rd-1");
  EXPECT_EQ(refused.exitCode, 4);
  EXPECT_EQ(parcours("--server " + server.rpcAddress() + " --token wrong status").exitCode, 6);
  EXPECT_EQ(parcours(remote + " dossier withdraw rd-1 --at 2020-01-01T00:00:00Z").exitCode, 2);
  auto asJuror = "--server " + server.rpcAddress() + " --token " + server.token("integrator");
  EXPECT_EQ(parcours(asJuror + " dossier withdraw rd-1").exitCode, 6);
  EXPECT_EQ(server.stop(), 0);
  // What the server recorded, read back from the store itself.
  CliRun show = parcours(data + " audit --dossier rd-1 --format json");
  EXPECT_NE(show.out.find("\"actor\":\"admin\""), std::string::npos) << show.out;
}

}  // namespace
}  // namespace parcours::testing
