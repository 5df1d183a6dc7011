// Live subscriptions over SSE: catch-up then live with no gap and no
// duplicate, resumption with Last-Event-ID while eight writers append,
// filters, and stalled subscribers that hold up nobody.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server_process.h"
#include "eventually.h"

namespace parcours::testing {
namespace {

using nlohmann::json;

// `writers` threads, each submitting `perWriter` dossiers then confirming
// their eligibility: two events per dossier, in many streams at once.
struct Writers {
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  std::atomic<int> failed{0};
  std::atomic<bool> done{false};

  void start(const ServerProcess& server, const std::string& campaign, int writers, int perWriter,
             const std::string& title = "Projet") {
    for (int w = 0; w < writers; ++w) {
      threads.emplace_back([&, w, campaign, perWriter, title] {
        HttpClient client(server.httpAddress());
        for (int i = 0; i < perWriter; ++i) {
          const std::string id = campaign + "-w" + std::to_string(w) + "-" + std::to_string(i);
          auto submitted = client.post("/v1/dossiers/" + id + "/submit", server.token("admin"),
                                       submissionBody(campaign, title));
          auto eligible =
              client.post("/v1/dossiers/" + id + "/eligible", server.token("admin"), "{}");
          if (submitted.status == 200 && eligible.status == 200) {
            accepted += 2;
          } else {
            ++failed;
          }
        }
      });
    }
  }
  void join() {
    for (auto& t : threads) t.join();
    threads.clear();
    done = true;
  }
  ~Writers() { join(); }  // a failed assertion returns early: still join
};

TEST(SubscriptionTest, AResumedSubscriberGetsEveryEventOnceInOrderWhileEightWritersAppend) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  openCampaign(client, admin, "sub");
  Writers writers;
  writers.start(server, "sub", 8, 40);

  // Join mid-stream: from wherever the log is once writing is under way.
  ASSERT_TRUE(eventually("the writers to bring the log to 100 events",
                         [&] { return headOf(client, admin) >= 100; },
                         [&] { return "head " + std::to_string(headOf(client, admin)); }));
  const std::uint64_t from = headOf(client, admin) - 50;  // some catch-up, then live
  std::vector<std::uint64_t> ids;
  auto first = client.readEvents("/v1/events/stream?from=" + std::to_string(from),
                                 server.token("integrator"), 120, 30);
  for (const auto& [id, data] : first) ids.push_back(id);
  ASSERT_EQ(first.size(), 120u);
  // Disconnect and resume, in pieces, until the writers are done and the
  // stream has reached the head.
  std::uint64_t finalHead = 0;
  for (int round = 0; round < 1000; ++round) {
    if (writers.done && ids.back() == finalHead) break;
    if (!writers.done && writers.accepted + writers.failed * 2 == 8 * 40 * 2) {
      writers.join();
      finalHead = headOf(client, admin);
    }
    auto more = client.readEvents("/v1/events/stream", server.token("integrator"), 75, 2,
                                  {{"Last-Event-ID", std::to_string(ids.back())}});
    for (const auto& [id, data] : more) ids.push_back(id);
  }
  if (!writers.done) writers.join();
  EXPECT_EQ(writers.failed, 0);
  EXPECT_EQ(writers.accepted, 640);
  ASSERT_EQ(ids.back(), finalHead);
  // Every position from `from` to the head, each once, in order.
  ASSERT_EQ(ids.size(), finalHead - from + 1);
  for (std::size_t i = 0; i < ids.size(); ++i) ASSERT_EQ(ids[i], from + i) << "at " << i;
  EXPECT_EQ(server.stop(), 0);
}

TEST(SubscriptionTest, FiltersKeepOnlyTheEventsAskedFor) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  openCampaign(client, admin, "fa");
  openCampaign(client, admin, "fb");
  Writers a, b;
  a.start(server, "fa", 2, 10);
  b.start(server, "fb", 2, 10);
  a.join();
  b.join();
  auto submitted = client.readEvents("/v1/events/stream?from=1&type=DossierSubmitted&campaign=fa",
                                     server.token("auditor"), 20, 10);
  ASSERT_EQ(submitted.size(), 20u);
  for (const auto& [id, data] : submitted) {
    auto event = json::parse(data);
    EXPECT_EQ(event.at("type"), "DossierSubmitted");
    EXPECT_EQ(event.at("campaignId"), "fa");
    EXPECT_EQ(event.at("position"), std::to_string(id));
  }
  // Each opening is two events (CampaignOpened, the deadline's
  // TimerScheduled): positions 1-2 for fa, 3-4 for fb.
  auto streams = client.readEvents("/v1/events/stream?from=1&stream=campaign-",
                                   server.token("auditor"), 4, 10);
  ASSERT_EQ(streams.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"campaign-fa", "CampaignOpened"},
      {"campaign-fa", "TimerScheduled"},
      {"campaign-fb", "CampaignOpened"},
      {"campaign-fb", "TimerScheduled"}};
  for (std::size_t i = 0; i < streams.size(); ++i) {
    auto event = json::parse(streams[i].second);
    EXPECT_EQ(event.at("streamId"), expected[i].first) << i;
    EXPECT_EQ(event.at("type"), expected[i].second) << i;
  }
  // Nothing more matches: the stream stays open with nothing to say.
  auto none = client.readEvents("/v1/events/stream?from=5&stream=campaign-",
                                server.token("auditor"), 1, 0.5);
  EXPECT_TRUE(none.empty());
  // Only readers of the log may subscribe.
  auto refused = client.get("/v1/events/stream", server.token("instructor"));
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(server.stop(), 0);
}

TEST(SubscriptionTest, StalledSubscribersHoldUpNeitherAppendsNorOtherSubscribers) {
  ServerProcess server;
  server.start();
  HttpClient client(server.httpAddress());
  const std::string admin = server.token("admin");
  openCampaign(client, admin, "stall");
  // Three subscribers that never read: once their sockets' buffers are
  // full, the server cannot write to them any more.
  kj::HttpHeaderTable table;
  auto stalledClient = kj::newHttpClient(client.io().provider->getTimer(), table,
                                         client.io().provider->getNetwork(), nullptr);
  std::vector<kj::HttpClient::Response> stalled;
  for (int i = 0; i < 3; ++i) {
    kj::HttpHeaders headers(table);
    const std::string bearer = "Bearer " + server.token("integrator");
    headers.add("Authorization", bearer.c_str());
    const std::string url = "http://" + server.httpAddress() + "/v1/events/stream?from=1";
    auto request = stalledClient->request(kj::HttpMethod::GET, url.c_str(), headers, uint64_t(0));
    request.body = nullptr;
    // Connected and answered; their bodies are never read from here on.
    stalled.push_back(request.response.wait(client.io().waitScope));
    ASSERT_EQ(stalled.back().statusCode, 200u);
  }
  // Long titles: the events outgrow every socket buffer on the way.
  Writers writers;
  writers.start(server, "stall", 8, 150, std::string(4000, 'x'));
  writers.join();
  EXPECT_EQ(writers.failed, 0);
  EXPECT_EQ(writers.accepted, 8 * 150 * 2);
  // A live subscriber is served the whole log all the same.
  const std::uint64_t head = headOf(client, admin);
  auto all = client.readEvents("/v1/events/stream?from=1", server.token("integrator"), head, 60);
  ASSERT_EQ(all.size(), head);
  EXPECT_EQ(all.back().first, head);
  auto metrics = client.get("/metrics", "");
  EXPECT_NE(metrics.body.find("parcours_subscribers 3"), std::string::npos)
      << "the stalled subscribers are still connected";
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
