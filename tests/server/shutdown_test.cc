// SIGTERM under load: the server stops accepting, finishes what it took,
// exits 0; every command it acknowledged is in the log, and a restarted
// server resumes subscriptions exactly where they were.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "server_process.h"
#include "eventually.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

TEST(ShutdownTest, SigtermUnderLoadLosesNothingAcknowledgedAndARestartResumes) {
  ServerProcess server;
  server.start();
  const std::string admin = server.token("admin");
  {
    HttpClient client(server.httpAddress());
    auto opened = client.post("/v1/campaigns/sd", admin,
                              json{{"definition", futureCampaignDefinition("sd")}}.dump());
    ASSERT_EQ(opened.status, 200u) << opened.body;
  }
  std::mutex mutex;
  std::map<std::string, std::uint64_t> acknowledged;  // command id -> first position
  std::atomic<int> refusedWhileStopping{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      HttpClient client(server.httpAddress());
      for (int i = 0;; ++i) {
        const std::string id = "sd-" + std::to_string(w) + "-" + std::to_string(i);
        try {
          auto reply = client.send(kj::HttpMethod::POST, "/v1/dossiers/" + id + "/submit", admin,
                                   submissionBody("sd"), {{"Idempotency-Key", id}});
          if (reply.status == 200) {
            std::lock_guard lock(mutex);
            acknowledged[id] = std::stoull(reply.json().at("firstPosition").get<std::string>());
          } else {
            ++refusedWhileStopping;  // 503 while draining: not acknowledged
          }
        } catch (const kj::Exception&) {
          return;  // the server is gone
        }
      }
    });
  }
  auto acknowledgedSoFar = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };
  EXPECT_TRUE(eventually("300 submissions acknowledged", [&] { return acknowledgedSoFar() >= 300; },
                         [&] { return std::to_string(acknowledgedSoFar()) + " acknowledged"; }));
  EXPECT_EQ(server.stop(), 0) << "a clean shutdown exits 0";
  for (auto& t : writers) t.join();

  std::uint64_t head = 0;
  {
    auto log = openLog(server.storeDir());
    head = log->head();
    for (const auto& [id, position] : acknowledged) {
      auto found = log->findCommand("admin/" + id);  // keys are scoped by subject
      ASSERT_TRUE(found.ok()) << found.error().message;
      ASSERT_TRUE(found->has_value()) << "acknowledged command " << id << " is not in the log";
      EXPECT_EQ((*found)->firstPosition, position) << id;
    }
    // No gap, no duplicate: positions 1..head, each dossier's stream whole.
    auto all = log->readAll(1, head + 10);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), head);
    for (std::size_t i = 0; i < all->size(); ++i) ASSERT_EQ((*all)[i].position, i + 1);
  }
  EXPECT_GE(head, acknowledged.size() + 2);  // the campaign opened: two events

  server.start();
  HttpClient client(server.httpAddress());
  EXPECT_EQ(client.get("/readyz", "").status, 200u);
  // A subscriber that had read up to head - 5 resumes with the last five.
  auto resumed = client.readEvents("/v1/events/stream", server.token("integrator"), 5, 10,
                                   {{"Last-Event-ID", std::to_string(head - 5)}});
  ASSERT_EQ(resumed.size(), 5u);
  EXPECT_EQ(resumed.front().first, head - 4);
  EXPECT_EQ(resumed.back().first, head);
  // The views caught up with everything written before the shutdown.
  auto page = client.get("/v1/dossiers?campaign=sd&limit=10000", admin);
  EXPECT_EQ(page.json().at("dossiers").size(), head - 2);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
