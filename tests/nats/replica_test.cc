// Read replicas fed by JetStream: the same views as the primary at the same
// position, byte for byte; writes refused naming the primary; and JetStream
// losing data (a deleted range, a wiped stream) detected by position and
// hash chain and healed through re-publication from the primary.
#include <gtest/gtest.h>

#include <thread>

#include "../../adapters/nats/nats_session.h"
#include "jetstream_support.h"
#include "nats_server.h"
#include "temp_dir.h"

namespace parcours::testing {
namespace {

using kj::HttpMethod;

std::uint64_t replicaPosition(const nlohmann::json& status) {
  if (!status.contains("nats")) return 0;
  return status["nats"]["replica"].value("position", std::uint64_t{0});
}

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nats_ = std::make_unique<NatsServer>(dir_.path() / "nats", freeLoopbackPort());
    nats_->start();
  }
  void startReplica(ServerProcess& replica) { replica.start({"--replica-of", nats_->url()}); }
  void waitForReplicaAt(ServerProcess& replica, std::uint64_t position) {
    waitForStatus(replica.httpAddress(), "the replica to reach " + std::to_string(position),
                  [&](const nlohmann::json& s) {
                    return replicaPosition(s) == position && s.value("views", std::uint64_t{0}) == position;
                  });
  }
  // The reads an administrator and an auditor make, from both nodes, once
  // each has reached `position`.
  void expectSameViews(ServerProcess& replica, std::uint64_t position) {
    std::vector<std::string> paths = {"/v1/campaigns", "/v1/events?from=1&limit=1000"};
    {
      HttpClient client(primary_.httpAddress());
      auto campaigns = client.get("/v1/campaigns", primary_.token("admin"));
      ASSERT_EQ(campaigns.status, 200u);
      const nlohmann::json list = campaigns.json();
      for (const auto& c : list.at("campaigns")) {
        const std::string id = c.at("campaignId").get<std::string>();
        paths.push_back("/v1/campaigns/" + id);
        paths.push_back("/v1/dossiers?campaign=" + id);
        paths.push_back("/v1/campaigns/" + id + "/audit");
      }
    }
    for (auto& path : paths) {
      path += (path.find('?') == std::string::npos ? "?" : "&") + std::string("minPosition=") +
              std::to_string(position);
    }
    const auto fromPrimary = getAll(primary_, paths);
    const auto fromReplica = getAll(replica, paths);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      EXPECT_EQ(fromPrimary[i].status, 200u) << paths[i] << ": " << fromPrimary[i].body;
      EXPECT_EQ(fromReplica[i].status, fromPrimary[i].status) << paths[i];
      EXPECT_EQ(fromReplica[i].body, fromPrimary[i].body) << paths[i];
      EXPECT_EQ(fromReplica[i].position, std::to_string(position)) << paths[i];
      EXPECT_EQ(fromPrimary[i].position, std::to_string(position)) << paths[i];
    }
  }
  static std::vector<HttpReply> getAll(ServerProcess& server, const std::vector<std::string>& paths) {
    HttpClient client(server.httpAddress());
    std::vector<HttpReply> out;
    for (const auto& path : paths) out.push_back(client.get(path, server.token("auditor")));
    return out;
  }

  TempDir dir_;
  std::unique_ptr<NatsServer> nats_;
  ServerProcess primary_;
};

TEST_F(ReplicaTest, ServesTheSameViewsByteForByteAndRefusesWrites) {
  fillWithDemo(primary_);
  primary_.start({"--nats", nats_->url()});
  ServerProcess replica;
  // The replica's tokens are its own file: copy the primary's subjects.
  startReplica(replica);
  const std::uint64_t head = headOf(primary_.httpAddress());
  waitForReplicaAt(replica, head);
  expectSameViews(replica, head);
  // A write to the replica: 421, naming the primary.
  {
    HttpClient client(replica.httpAddress());
    auto refused = client.post(
        "/v1/campaigns/c-new", replica.token("admin"),
        nlohmann::json{{"reason", "x"}, {"definition", futureCampaignDefinition("c-new")}}.dump());
    EXPECT_EQ(refused.status, 421u) << refused.body;
    const std::string detail = refused.json().value("detail", "");
    EXPECT_NE(detail.find("read replica of " + nats_->url()), std::string::npos) << detail;
    EXPECT_NE(detail.find("http://127.0.0.1:"), std::string::npos) << "names the primary's URL";
    auto dossierWrite = client.post("/v1/dossiers/d-x/submit", replica.token("admin"),
                                    submissionBody("c-new"));
    EXPECT_EQ(dossierWrite.status, 421u) << dossierWrite.body;
  }
  EXPECT_EQ(headOf(replica.httpAddress()), head) << "the refused writes wrote nothing";
  // It follows live writes, and every answer says its position.
  writeSomeEvents(primary_, "c-live", 5);
  const std::uint64_t newHead = headOf(primary_.httpAddress());
  waitForReplicaAt(replica, newHead);
  {
    HttpClient client(replica.httpAddress());
    auto read = client.get("/v1/campaigns", replica.token("admin"));
    EXPECT_EQ(read.status, 200u);
  }
  expectSameViews(replica, newHead);
  // A restart resumes where it was.
  EXPECT_EQ(replica.stop(), 0);
  writeSomeEvents(primary_, "c-while-away", 3);
  startReplica(replica);
  waitForReplicaAt(replica, headOf(primary_.httpAddress()));
  EXPECT_EQ(replica.stop(), 0);
  EXPECT_EQ(primary_.stop(), 0);
}

TEST_F(ReplicaTest, ADeletedRangeIsAGapHealedByRepublicationWithNoWrongViewMeanwhile) {
  primary_.start({"--nats", nats_->url()});
  writeSomeEvents(primary_, "c-one", 10);
  ServerProcess replica;
  startReplica(replica);
  waitForReplicaAt(replica, headOf(primary_.httpAddress()));
  const std::uint64_t before = headOf(primary_.httpAddress());
  // The replica stops reading for a while (it stays up: it follows), and
  // NATS restarts meanwhile, so nothing new is pushed to it...
  replica.pause();
  nats_->stop();
  nats_->start();
  writeSomeEvents(primary_, "c-two", 20);
  const std::uint64_t head = headOf(primary_.httpAddress());
  waitForStatus(primary_.httpAddress(), "the publisher to catch up", [&](const nlohmann::json& s) {
    return s["nats"]["publisher"].value("checkpoint", std::uint64_t{0}) == head;
  });
  // ...and JetStream loses positions before+3 .. before+12 (sequences =
  // positions here) before the replica reads them.
  {
    adapters::nats::StreamSettings settings;
    settings.url = nats_->url();
    auto session = adapters::nats::NatsSession::connect(settings, "test deleter");
    ASSERT_TRUE(session);
    for (std::uint64_t seq = before + 3; seq <= before + 12; ++seq) {
      ASSERT_EQ(js_DeleteMsg((*session)->jetStream(), "PARCOURS", seq, nullptr, nullptr), NATS_OK);
    }
  }
  replica.resume();
  // Until it has healed, every answer it gives is the primary's as of the
  // position it states: stale at worst, never wrong.
  const std::string path = "/v1/dossiers?campaign=c-two";
  int samples = 0;
  for (int i = 0; i < 600; ++i) {
    HttpReply fromReplica;
    {
      HttpClient client(replica.httpAddress());
      fromReplica = client.get(path, replica.token("auditor"));
    }
    const std::uint64_t at = std::stoull(fromReplica.position);
    ASSERT_LE(at, head);
    if (fromReplica.status == 404) {
      // Before c-two was opened (position before + 1): stale, not wrong.
      EXPECT_LE(at, before) << fromReplica.body;
    } else {
      ASSERT_EQ(fromReplica.status, 200u) << fromReplica.body;
      // The primary's view as it stood at that position, or at one a little
      // later: Parcours-Position is the views' checkpoint when the request
      // was read (docs/http-api.md, "Positions"), and the replica's views may
      // move on while it answers. So the primary may not have had c-two yet
      // at `at` itself (a 404 there is the replica's answer being newer, not
      // wrong); it must have had it by the position that matches.
      HttpClient client(primary_.httpAddress());
      bool matched = false;
      for (std::uint64_t p = at; p <= head && !matched; ++p) {
        auto then = client.get(path + "&at=" + std::to_string(p), primary_.token("auditor"));
        if (then.status == 404 && p <= before) continue;
        ASSERT_EQ(then.status, 200u) << "at " << p << ": " << then.body;
        matched = then.body == fromReplica.body;
      }
      EXPECT_TRUE(matched) << "the replica answered, at position " << at
                           << ", what the primary never had: " << fromReplica.body;
      ++samples;
    }
    if (at == head) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(samples, 1);
  waitForReplicaAt(replica, head);
  auto status = nodeStatus(replica.httpAddress());
  EXPECT_GE(status["nats"]["replica"].value("gaps", 0), 1) << status.dump();
  EXPECT_GE(status["nats"]["replica"].value("republishRequests", 0), 1) << status.dump();
  auto primaryStatus = nodeStatus(primary_.httpAddress());
  EXPECT_GE(primaryStatus["nats"]["publisher"].value("republished", 0), 10) << primaryStatus.dump();
  expectSameViews(replica, head);
  // Its live stream (SSE) has every event, once, in order.
  {
    HttpClient client(replica.httpAddress());
    auto events = client.readEvents("/v1/events/stream?from=1", replica.token("integrator"), head, 20.0);
    ASSERT_EQ(events.size(), head);
    for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].first, i + 1);
  }
  EXPECT_EQ(replica.stop(), 0);
  EXPECT_EQ(primary_.stop(), 0);
}

TEST_F(ReplicaTest, AWipedStreamIsHealedForFollowersAndNewReplicas) {
  primary_.start({"--nats", nats_->url()});
  writeSomeEvents(primary_, "c-a", 10);
  ServerProcess follower;
  startReplica(follower);
  waitForReplicaAt(follower, headOf(primary_.httpAddress()));
  {
    adapters::nats::StreamSettings settings;
    settings.url = nats_->url();
    auto session = adapters::nats::NatsSession::connect(settings, "test wiper");
    ASSERT_TRUE(session);
    ASSERT_EQ(js_PurgeStream((*session)->jetStream(), "PARCOURS", nullptr, nullptr), NATS_OK);
  }
  writeSomeEvents(primary_, "c-b", 5);
  const std::uint64_t head = headOf(primary_.httpAddress());
  // The follower goes on; a new replica needs what was wiped: the primary
  // notices the stream lost what it had acknowledged and re-publishes it.
  waitForReplicaAt(follower, head);
  ServerProcess newcomer;
  startReplica(newcomer);
  waitForReplicaAt(newcomer, head);
  expectSameViews(follower, head);
  expectSameViews(newcomer, head);
  EXPECT_EQ(newcomer.stop(), 0);
  EXPECT_EQ(follower.stop(), 0);
  EXPECT_EQ(primary_.stop(), 0);
}

}  // namespace
}  // namespace parcours::testing
